from __future__ import annotations

import bisect
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.search_text import fold, index_terms, prefix_upper_bound, query_tokens


@dataclass
class TermIndex:
    """The service's term table in memory: sorted (term, patient) rows and range lookups."""

    rows: list[tuple[str, int]] = field(default_factory=list)

    def add(self, patient_id: int, **patient: object) -> None:
        for term in index_terms(**patient):  # type: ignore[arg-type]
            bisect.insort(self.rows, (term, patient_id))

    def prefix(self, token: str) -> set[int]:
        # term >= token AND term < prefix_upper_bound(token), as the database runs it
        low = bisect.bisect_left(self.rows, (token, -1))
        high = bisect.bisect_left(self.rows, (prefix_upper_bound(token), -1))
        return {patient_id for _, patient_id in self.rows[low:high]}

    def search(self, text: str) -> set[int]:
        tokens = query_tokens(text)
        if not tokens:
            return set()
        found = self.prefix(tokens[0])
        for token in tokens[1:]:
            found &= self.prefix(token)
        return found


ZOE, LUKASZ, WANG, OBRIEN, NGUYEN, ANNE, ZHANG_SPLIT, OUYANG, ZENG = range(1, 10)


def patient(
    *names: str,
    phone: str | None = None,
    born: date | None = None,
    chart: str | None = None,
    email: str | None = None,
) -> dict[str, object]:
    return {
        "names": list(names),
        "phone": phone,
        "date_of_birth": born,
        "chart_number": chart,
        "email": email,
    }


@pytest.fixture(scope="module")
def people() -> TermIndex:
    index = TermIndex()
    index.add(ZOE, **patient("Zoë", "Smith", email="zoe.smith+clinic@example.com"))
    index.add(LUKASZ, **patient("Łukasz", "Kowalski", phone="0161 555 0199"))
    index.add(
        WANG,
        **patient(
            "王小明",
            phone="+1 (415) 555-0134",
            born=date(1956, 3, 14),
            chart="A-10234",
        ),
    )
    index.add(OBRIEN, **patient("Siobhán", "O'Brien", born=date(1971, 11, 2), chart="00987"))
    index.add(NGUYEN, **patient("Nguyễn Văn", "An", phone="+44 7700 900123"))
    index.add(ANNE, **patient("Anne-Marie", "van der Berg", born=date(1956, 8, 1)))
    index.add(ZHANG_SPLIT, **patient("小明", "张"))  # given name and family name in two fields
    index.add(OUYANG, **patient("欧阳娜娜"))
    index.add(ZENG, **patient("曾小吕"))
    return index


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("zoe", {ZOE}),
        ("Zoë", {ZOE}),
        ("ZOE SMI", {ZOE}),
        ("smith zoe", {ZOE}),
        ("zoesmith", {ZOE}),
        ("lukasz", {LUKASZ}),
        ("Łukasz", {LUKASZ}),
        ("obrien", {OBRIEN}),
        ("O'Brien", {OBRIEN}),
        ("brien", {OBRIEN}),
        ("siobhan", {OBRIEN}),
        ("nguyen", {NGUYEN}),
        ("Nguyễn an", {NGUYEN}),
        ("anne-marie", {ANNE}),
        ("marie", {ANNE}),
        ("vanderberg", {ANNE}),
        ("berg anne", {ANNE}),
    ],
)
def test_latin_names(people: TermIndex, typed: str, expected: set[int]) -> None:
    assert people.search(typed) == expected


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("王小明", {WANG}),
        ("小明", {WANG, ZHANG_SPLIT}),
        ("王小", {WANG}),
        ("明", {WANG, ZHANG_SPLIT}),
        ("wang xiaoming", {WANG}),
        ("xiaoming", {WANG, ZHANG_SPLIT}),
        ("wangxiaoming", {WANG}),
        ("Wáng Xiǎomíng", {WANG}),
        ("wang xiao", {WANG}),
        ("ming", {WANG, ZHANG_SPLIT}),
        ("张小明", {ZHANG_SPLIT}),
        ("zhang xiaoming", {ZHANG_SPLIT}),
        ("zhangxiaoming", {ZHANG_SPLIT}),
        ("ouyang", {OUYANG}),
        ("ouyang nana", {OUYANG}),
        ("nana", {OUYANG}),
        ("zeng", {ZENG}),
        ("zeng xiaolu", {ZENG}),
        ("xiaolv", {ZENG}),
    ],
)
def test_chinese_names(people: TermIndex, typed: str, expected: set[int]) -> None:
    assert people.search(typed) == expected


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("555 0134", {WANG}),
        ("(415) 555-0134", {WANG}),
        ("+1 (415) 555-0134", {WANG}),
        ("415.555.0134", {WANG}),
        ("0134", {WANG}),
        ("555", {WANG, LUKASZ}),
        ("07700 900123", {NGUYEN}),  # typed with the trunk zero, stored with +44
        ("0044 7700 900123", {NGUYEN}),
        ("0161 555 0199", {LUKASZ}),
        ("1956-03-14", {WANG}),
        ("14.03.1956", {WANG}),
        ("14/03/1956", {WANG}),
        ("1956/03/14", {WANG}),
        ("1956-03", {WANG}),
        ("1956", {WANG, ANNE}),  # a bare year finds the births (and phones with those digits)
        ("A-10234", {WANG}),
        ("a10234", {WANG}),
        ("10234", {WANG}),
        ("00987", {OBRIEN}),
        ("zoe.smith@example.com", {ZOE}),
        ("wang 1956-03-14", {WANG}),
        ("xiaoming 1971", set()),
    ],
)
def test_numbers_dates_charts_and_email(people: TermIndex, typed: str, expected: set[int]) -> None:
    assert people.search(typed) == expected


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_a_birth_date_typed_in_any_usual_form_is_read_as_that_date(born: date) -> None:
    day, month, year = born.day, born.month, born.year
    for typed in (
        f"{year}-{month:02d}-{day:02d}",
        f"{year}/{month}/{day}",
        f"{year}.{month:02d}.{day:02d}",
        f"{day}.{month}.{year}",
        f"{day:02d}-{month:02d}-{year}",
        f"{day:02d}/{month:02d}/{year}",
    ):
        assert query_tokens(typed) == [f"@{born:%Y%m%d}"], typed
    for typed in (f"{year}-{month:02d}", f"{month:02d}.{year}", f"{month}/{year}"):
        assert query_tokens(typed) == [f"@{born:%Y%m}"], typed


@pytest.mark.parametrize(
    "stored",
    ["07700 900123", "+44 7700 900123", "0044 7700 900 123", "+44 (0)7700 900123"],
)
@pytest.mark.parametrize(
    "typed",
    ["07700 900123", "+44 7700 900123", "447700900123", "0044 7700 900123", "7700 900123"],
)
def test_a_uk_number_is_found_however_it_was_written_and_typed(stored: str, typed: str) -> None:
    index = TermIndex()
    index.add(1, **patient("Ada", "Jones", phone=stored))
    index.add(2, **patient("Ben", "Jones", phone="+1 (415) 770-0900"))
    assert index.search(typed) == {1}


@given(
    st.text(alphabet="0123456789", min_size=9, max_size=9),
    st.sampled_from(["national", "international", "zeros", "trunk in brackets"]),
    st.sampled_from(["0{} {}", "+44 {} {}", "44{}{}", "0044 {} {}"]),
)
def test_every_keystroke_of_a_uk_mobile_number_keeps_finding_it(
    rest: str, stored_form: str, typed_form: str
) -> None:
    number = "7" + rest
    stored = {
        "national": f"0{number[:4]} {number[4:]}",
        "international": f"+44 {number[:4]} {number[4:]}",
        "zeros": f"0044 {number}",
        "trunk in brackets": f"+44 (0){number[:4]} {number[4:]}",
    }[stored_form]
    index = TermIndex()
    index.add(1, **patient("Ada", "Jones", phone=stored))
    typed = typed_form.format(number[:4], number[4:])
    for end in range(1, len(typed) + 1):
        if query_tokens(typed[:end]):  # "+" or "00" alone is not looked up yet
            assert index.search(typed[:end]) == {1}, typed[:end]


def test_a_home_number_is_indexed_both_ways() -> None:
    def phone_terms(phone: str) -> set[str]:
        return index_terms(names=[], phone=phone, date_of_birth=None, chart_number=None, email=None)

    assert {"#07700900123", "#447700900123"} <= phone_terms("07700 900123")
    assert {"#07700900123", "#447700900123"} <= phone_terms("+44 7700 900123")
    assert {"#01614960000", "#441614960000"} <= phone_terms("(0161) 496-0000")
    # other countries' numbers and short local numbers stay as written
    us = "14155550134"
    assert phone_terms("+1 (415) 555-0134") == {"#" + us[i:] for i in range(len(us) - 3)}
    assert not any(t.startswith("#44") for t in phone_terms("0123 4567"))


def test_an_empty_query_has_no_tokens() -> None:
    assert query_tokens("   ") == []
    assert query_tokens(" - ") == []


class TestFold:
    @pytest.mark.parametrize(
        "text, folded",
        [
            ("Zoë", "zoe"),
            ("Łukasz", "lukasz"),
            ("Nguyễn", "nguyen"),
            ("O'Brien", "obrien"),
            ("O’Brien", "obrien"),
            ("Anne-Marie  SMITH", "annemarie smith"),
            ("Müller, Jürgen", "muller jurgen"),
            ("Søren Ærø", "soren aero"),
            ("王小明", "王小明"),
            ("王小明 (Zoë)", "王小明 zoe"),
            ("ｚｏｅ", "zoe"),
            ("김민준", "김민준"),
            ("", ""),
        ],
    )
    def test_fold(self, text: str, folded: str) -> None:
        assert fold(text) == folded

    @given(st.text(max_size=40))
    def test_folding_twice_changes_nothing(self, text: str) -> None:
        assert fold(fold(text)) == fold(text)


class TestTokens:
    @pytest.mark.parametrize(
        "typed, tokens",
        [
            ("wang xiaoming", ["wang", "xiaoming"]),
            ("王 小明", ["王", "小明"]),
            ("+1 (415) 555-0134", ["#14155550134"]),
            ("smith 555 0134", ["smith", "#5550134"]),
            # a UK number from abroad: its start while typing, its national digits when whole
            ("+44 77", ["#4477"]),
            ("0044 77", ["#4477"]),
            ("+44 (0)7700 9", ["#4477009"]),
            ("+44 7700 900123", ["#7700900123"]),
            ("447700900123", ["#7700900123"]),
            ("4477", ["#4477"]),  # too short to say it is not part of another number
            ("004", ["#4"]),  # the start of a country code, like "+4"
            ("+48 601 234 567", ["#48601234567"]),  # other countries as written
            ("14.03.1956", ["@19560314"]),
            ("3/14/1956", ["@19560314"]),  # only month-first makes sense
            ("04/03/2001", ["@20010304"]),  # otherwise day first
            ("03.1956", ["@195603"]),
            ("@1956", ["@1956"]),
            ("1956", ["#1956"]),
            ("31.02.1956", ["#31021956"]),  # no such date: read as digits
            ("A-10234", ["!a10234"]),
            ("zoe zoe", ["zoe"]),
            ("smith, zoe", ["smith", "zoe"]),
        ],
    )
    def test_query_tokens(self, typed: str, tokens: list[str]) -> None:
        assert query_tokens(typed) == tokens

    def test_terms_of_each_kind_are_kept_apart(self) -> None:
        terms = index_terms(
            names=["王小明"],
            phone="+1 (415) 555-0134",
            date_of_birth=date(1956, 3, 14),
            chart_number="A-10234",
            email=None,
        )

        def starts_a_term(token: str) -> bool:
            return any(term.startswith(token) for term in terms)

        for token in ("王小明", "小明", "明", "wang", "xiaoming", "wangxiaoming"):
            assert starts_a_term(token)
        for token in ("#14155550134", "#5550134", "#0134", "@19560314", "#1956", "!a10234"):
            assert starts_a_term(token)
        assert starts_a_term("#10234")
        assert not starts_a_term("#134")  # phone endings have at least four digits
        assert not starts_a_term("a10234") and not starts_a_term("19560314")  # kinds apart
        assert all(term for term in terms)

    def test_no_term_repeats_the_start_of_a_longer_one(self) -> None:
        # whatever starts "wang" starts "wangxiaoming": the shorter term would only make a
        # search meet the same patient twice
        terms = index_terms(
            names=["Wang Xiaoming", "David", "王小明"],
            phone="07700 900123",
            date_of_birth=date(1956, 3, 14),
            chart_number="000123",
            email="wang.xiaoming@example.com",
        )
        ordered = sorted(terms)
        assert not any(b.startswith(a) for a, b in pairwise(ordered))
        assert "wang" not in terms and any(term.startswith("wangxiaoming") for term in terms)


class TestUpperBound:
    def test_simple(self) -> None:
        assert prefix_upper_bound("zoe") == "zof"
        assert prefix_upper_bound("#555") == "#556"
        assert prefix_upper_bound("王小") == "王尐"

    def test_skips_surrogates_and_the_last_code_point(self) -> None:
        assert prefix_upper_bound("a\ud7ff") == "a\ue000"
        assert prefix_upper_bound("a\U0010ffff") == "b"
        with pytest.raises(ValueError):
            prefix_upper_bound("")

    @given(st.text(min_size=1, max_size=6), st.text(max_size=6))
    def test_every_extension_is_inside_the_range(self, token: str, rest: str) -> None:
        if all(char == "\U0010ffff" for char in token):
            return
        upper = prefix_upper_bound(token)
        assert token <= token + rest < upper

    @given(st.text(min_size=1, max_size=6), st.text(min_size=1, max_size=8))
    def test_strings_in_the_range_start_with_the_token(self, token: str, other: str) -> None:
        if all(char == "\U0010ffff" for char in token):
            return
        if token <= other < prefix_upper_bound(token):
            assert other.startswith(token)


def test_indexing_stays_fast() -> None:
    # 100,000 patients must index well under 20 s; a 5,000 sample guards against regressions
    names = [
        ["Zoë", "O'Brien-Smith"],
        ["Łukasz", "Kowalski"],
        ["王小明"],
        ["小红", "李"],
        ["Nguyễn Văn", "An"],
    ]
    index_terms(names=["预热"], phone=None, date_of_birth=None, chart_number=None, email=None)
    started = time.perf_counter()
    for number in range(5_000):
        index_terms(
            names=[*names[number % 5][:-1], names[number % 5][-1] + chr(0x4E00 + number % 500)],
            phone=f"+44 7700 {number:06d}",
            date_of_birth=date(1950 + number % 50, 1 + number % 12, 1 + number % 28),
            chart_number=f"A-{number:05d}",
            email=f"patient{number}@example.com",
        )
    assert time.perf_counter() - started < 3.0


def test_pinyin_dictionaries_load_only_when_a_chinese_name_needs_them() -> None:
    script = (
        "import sys\n"
        "from frontdesk.domain.search_text import index_terms, query_tokens\n"
        "index_terms(names=['Zoë Smith'], phone='555 0134', date_of_birth=None,"
        " chart_number=None, email=None)\n"
        "query_tokens('zoe 王小明')\n"
        "assert 'pypinyin' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
