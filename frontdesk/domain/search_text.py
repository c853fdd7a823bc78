"""Text normalisation for the instant patient search.

The search keeps, per patient, a set of short *terms* in an indexed table, and looks up
each token of the query as a prefix range ``term >= token AND term < prefix_upper_bound(token)``.
A patient matches when every token of the query is the prefix of at least one of the
patient's terms. :func:`index_terms` makes the terms, :func:`query_tokens` turns what the
receptionist types into tokens of the same vocabulary.

Vocabulary (the first character keeps the kinds apart, so digits never meet names):

``zoe``, ``obrien``, ``brien``, ``zoesmith``
    Name words, lower case, accents removed, other Latin-based letters transliterated
    (Łukasz -> lukasz, Nguyễn -> nguyen). Apostrophes and hyphens inside a word are dropped
    (O'Brien -> obrien, Anne-Marie -> annemarie) and the parts are indexed too (brien,
    marie). Each name field without spaces, and all fields run together in the order
    given and in reverse, are indexed as well, so "vanderberg" and "wangxiaoming" work.
``王小明``, ``小明``, ``明``, ``wang``, ``xiaoming``, ``wangxiaoming``, ``xiao``, ``ming``
    Chinese, Japanese and Korean text is kept as written. Every suffix of such a run is a
    term, so a query that is any part of the name is the prefix of one of them (小明 finds
    王小明). Chinese characters are also indexed in tone-less pinyin: the whole name,
    the first syllable (or a two-character family name such as 欧阳), the rest, and each
    syllable; ü is indexed both as v and as u; family names read differently from the
    everyday reading (曾 zeng, 单 shan, ...) get that reading too. Korean and Japanese
    kana are indexed in their romanisation as well.
``#4155550134``
    Digits: every ending of at least 4 digits of the phone number (so the last four digits,
    or the number without its country code, are prefixes of a term); a number of the
    clinic's country (:class:`PhoneNumbering`, the UK's) also written the other way, at
    home and from abroad (07700 900123 adds #447700900123, +44 7700 900123 adds
    #07700900123), so either start typed finds it; the digits of the chart number; the
    year of birth (#1956), so typing a bare year shows both the phones and the births
    that fit.
``@19560314``
    The date of birth. A query in a date form becomes ``@YYYYMMDD``; a month and year
    (1956-03, 03.1956) becomes ``@YYYYMM``.
``!a10234``
    The chart number, lower case, letters and digits only.
Email
    The local part (before the @, without any +tag) as words and run together.

A term that is the start of another term of the same patient is left out ("wang" when
"wangxiaoming" is there): every query it would match matches the longer one too, and a
search then meets each patient once where it used to meet them several times.

A query chunk is read, in this order, as: a date; an e-mail address (its local part);
digits with phone punctuation (neighbouring chunks join up, so "(415) 555-0134" is one
token; with 7 digits or more leading zeros are dropped, so a number typed with its
trunk or international prefix still finds the stored one; a number of the clinic's
country typed from abroad, "+44 7700 9", is looked up as such, and once it has 7 national
digits by those alone, an ending of the number however it is stored); letters mixed with digits
(a chart number); otherwise words folded as names are.

Database note: the prefix range relies on code-point order; SQLite's default collation
has it, PostgreSQL needs ``COLLATE "C"`` on the term column (or ``text_pattern_ops``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import pairwise
from typing import Any

from anyascii import anyascii

__all__ = [
    "UK_NUMBERING",
    "PhoneNumbering",
    "fold",
    "index_terms",
    "patient_terms",
    "prefix_upper_bound",
    "query_tokens",
]

_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_KANA = "\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\u3005"
_HANGUL = "\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3"
_CJK_RUN = re.compile(f"[{_HAN}{_KANA}{_HANGUL}]+")
_ALL_HAN = re.compile(f"[{_HAN}]+")
_HAS_HANGUL = re.compile(f"[{_HANGUL}]")
_JOINER_INSIDE_WORD = re.compile(r"(?<=[a-z0-9])['\-]+(?=[a-z0-9])")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_ROMAN_SYLLABLE = re.compile(r"[A-Z][a-z]*")
_NOT_DIGIT = re.compile(r"[^0-9]+")

_MIN_PHONE_SUFFIX = 4
_STRIP_ZEROS_FROM = 7  # digits; a query this long is a whole number, not a fragment


@dataclass(frozen=True)
class PhoneNumbering:
    """How the clinic's own country writes phone numbers, so that a number written one way
    is found when typed the other: ``07700 900123`` at home, ``+44 7700 900123`` (or
    ``0044 7700 900123``, ``+44 (0)7700 900123``) from abroad."""

    #: the country calling code, dialled after the international prefix ("44")
    country_code: str
    #: dialled before a national number at home and left out from abroad ("0")
    trunk_prefix: str
    #: dialled before a country calling code ("00"; "+" means the same)
    international_prefix: str
    #: how many digits a whole national number has after the trunk prefix
    national_lengths: tuple[int, ...]

    def national_digits(self, digits: str, plus: bool) -> str | None:
        """The number without country code and trunk prefix ("7700900123") when ``digits``
        are one of this country's numbers written for dialling from abroad; None otherwise.

        ``plus``: the number was written with a leading "+". Without it, the digits must
        start with the international prefix, or with the country code followed by a whole
        national number (447700900123: no national number starts with the code).
        """
        abroad = self.after_international_prefix(digits, plus)
        international = abroad is not None
        rest = digits if abroad is None else abroad
        if not rest.startswith(self.country_code):
            return None
        national = rest[len(self.country_code) :]
        if not international:
            return national if len(national) in self.national_lengths else None
        # +44 (0)7700 900123: the trunk prefix kept in brackets is not dialled from abroad
        return national.removeprefix(self.trunk_prefix) if self.trunk_prefix else national

    def after_international_prefix(self, digits: str, plus: bool) -> str | None:
        """The digits after "+" or the international prefix; None when there is neither."""
        if plus:
            return digits
        if digits.startswith(self.international_prefix):
            return digits[len(self.international_prefix) :]
        return None

    def home_national_digits(self, digits: str) -> str | None:
        """The digits after the trunk prefix when ``digits`` are a whole number written for
        dialling at home ("07700900123" -> "7700900123"); None otherwise."""
        if not self.trunk_prefix or digits.startswith(self.international_prefix):
            return None
        if not digits.startswith(self.trunk_prefix):
            return None
        national = digits[len(self.trunk_prefix) :]
        return national if len(national) in self.national_lengths else None


#: The United Kingdom's numbering, the clinic's. Search terms are written by several paths
#: (registration, import, restore, the demo) that do not read the clinic profile, so the
#: country is fixed here rather than taken from the clinic's time zone; another country
#: needs its numbering passed to both ``index_terms`` and ``query_tokens`` and the terms
#: rewritten.
UK_NUMBERING = PhoneNumbering(
    country_code="44", trunk_prefix="0", international_prefix="00", national_lengths=(9, 10)
)

# Two-character family names, so that 欧阳娜娜 reads ouyang + nana rather than ou + yangnana.
_COMPOUND_SURNAMES = frozenset(
    (
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "夏侯",
        "令狐",
        "端木",
        "司徒",
        "宇文",
        "澹台",
        "西门",
        "轩辕",
        "呼延",
        "南宫",
        "独孤",
        "申屠",
        "歐陽",
        "諸葛",
        "長孫",
    )
)
# Characters whose reading as a family name differs from the everyday reading that the
# dictionary gives first.
_SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "單": "shan",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "區": "ou",
    "查": "zha",
    "朴": "piao",
    "乐": "yue",
    "樂": "yue",
    "覃": "qin",
    "盖": "ge",
    "蓋": "ge",
    "缪": "miao",
    "繆": "miao",
    "翟": "zhai",
    "种": "chong",
    "種": "chong",
    "秘": "bi",
    "员": "yun",
    "員": "yun",
}


def _fold_latin(run: str, join_inside: bool) -> list[str]:
    """Lower-case ASCII words of a run of non-CJK text."""
    text = (run if run.isascii() else anyascii(run)).lower()
    text = _JOINER_INSIDE_WORD.sub("" if join_inside else " ", text)
    return _ASCII_WORD.findall(text)


def _fold_words(text: str, join_inside: bool = True) -> list[str]:
    """The folded words of ``text``: ASCII words and CJK runs, in order."""
    if text.isascii():
        return _fold_latin(text, join_inside)
    text = unicodedata.normalize("NFKC", text)
    words: list[str] = []
    position = 0
    for run in _CJK_RUN.finditer(text):
        words.extend(_fold_latin(text[position : run.start()], join_inside))
        words.append(run.group())
        position = run.end()
    words.extend(_fold_latin(text[position:], join_inside))
    return words


def fold(text: str) -> str:
    """Lower case, accent-free, transliterated text with single spaces between words.

    "Zoë" -> "zoe", "Łukasz" -> "lukasz", "Nguyễn" -> "nguyen", "O'Brien" -> "obrien";
    Chinese, Japanese and Korean characters are kept as they are.
    """
    return " ".join(_fold_words(text))


@lru_cache(maxsize=65_536)
def _han_syllables(text: str) -> tuple[str, ...]:
    # pypinyin loads its dictionaries on import (a third of a second): only when needed
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(text, style=Style.NORMAL))


def _syllables(text: str) -> tuple[str, ...] | None:
    """Romanised syllables of a CJK run, or ``None`` when it mixes scripts oddly."""
    if _ALL_HAN.fullmatch(text):
        return _han_syllables(text)
    if _HAS_HANGUL.search(text):
        roman = anyascii(text)
        return tuple(syllable.lower() for syllable in _ROMAN_SYLLABLE.findall(roman)) or None
    roman = anyascii(text).lower()
    return (roman,) if roman.isalnum() else None


def _romanised_terms(text: str, syllables: tuple[str, ...]) -> set[str]:
    terms = {"".join(syllables), *syllables}
    if len(syllables) > 1:
        family = 2 if text[:2] in _COMPOUND_SURNAMES and len(syllables) > 2 else 1
        given = "".join(syllables[family:])
        terms.add("".join(syllables[:family]))
        terms.add(given)
        if family == 1 and text[0] in _SURNAME_READINGS:
            reading = _SURNAME_READINGS[text[0]]
            terms.update((reading, reading + given))
    # ü is written v by pinyin tools and u by most people
    terms.update([term.replace("v", "u") for term in terms if "v" in term])
    return terms


def _cjk_terms(text: str, syllables: tuple[str, ...] | None) -> set[str]:
    terms = {text[start:] for start in range(len(text))}
    if syllables:
        terms |= _romanised_terms(text, syllables)
    return terms


def index_terms(
    *,
    names: Sequence[str],
    phone: str | None,
    date_of_birth: date | None,
    chart_number: str | None,
    email: str | None,
    numbering: PhoneNumbering = UK_NUMBERING,
) -> set[str]:
    """Every search term of one patient (see the module notes for the vocabulary).

    ``names`` are the name fields in any order (legal names, preferred name, a name in
    another script); empty ones are skipped. ``numbering``: the clinic country's phone
    numbers, indexed both as dialled at home and from abroad.
    """
    terms: set[str] = set()
    name_words: list[list[str]] = []
    for name in names:
        if not name:
            continue
        words = _fold_words(name)
        if not words:
            continue
        name_words.append(words)
        terms.update(words)
        if "'" in name or "-" in name or not name.isascii():
            terms.update(_fold_words(name, join_inside=False))
        if len(words) > 1:
            terms.add("".join(words))
    if len(name_words) > 1:
        terms.add("".join(word for words in name_words for word in words))
        terms.add("".join(word for words in reversed(name_words) for word in words))
    _add_cjk_name_terms(terms, name_words)
    if phone:
        terms |= _phone_terms(phone, numbering)
    if date_of_birth is not None:
        terms.add(f"@{date_of_birth:%Y%m%d}")
        terms.add(f"#{date_of_birth:%Y}")
    if chart_number:
        chart = "".join(_ASCII_WORD.findall(anyascii(chart_number).lower()))
        if chart:
            terms.add("!" + chart)
        digits = _ascii_digits(chart_number)
        if digits:
            terms.add("#" + digits)
            if digits.lstrip("0"):
                terms.add("#" + digits.lstrip("0"))
    if email and "@" in email:
        local = email.split("@", 1)[0].split("+", 1)[0]
        words = _fold_words(local, join_inside=False)
        terms.update(words)
        if len(words) > 1:
            terms.add("".join(words))
    terms.discard("")
    return _without_inner_prefixes(terms)


def patient_terms(get: Callable[[str], Any]) -> set[str]:
    """The search words of one patient, ``get(field)`` reading its stored fields
    (``legal_name``, ``preferred_name``, ``other_script_name``, ``phone``,
    ``date_of_birth``, ``chart_number``, ``email``); the one place that says which fields
    a patient is found by."""
    born = get("date_of_birth")
    return index_terms(
        names=[get("legal_name"), get("preferred_name") or "", get("other_script_name") or ""],
        phone=get("phone") or None,
        date_of_birth=born if isinstance(born, date) else None,
        chart_number=get("chart_number") or None,
        email=get("email") or None,
    )


def _phone_terms(phone: str, numbering: PhoneNumbering) -> set[str]:
    """Every ending of at least four digits, and a home number written both ways."""
    digits = _ascii_digits(phone)
    terms = {"#" + digits[start:] for start in range(len(digits) - _MIN_PHONE_SUFFIX + 1)}
    national = numbering.national_digits(digits, phone.lstrip().startswith("+"))
    if national is None:
        national = numbering.home_national_digits(digits)
    if national:
        # "0770" and "+44 770", typed from the start, find it however it was written
        terms.add(f"#{numbering.trunk_prefix}{national}")
        terms.add(f"#{numbering.country_code}{national}")
    return terms


def _without_inner_prefixes(terms: set[str]) -> set[str]:
    """The terms less those that begin another of the same patient's terms.

    Whatever starts "wang" also starts "wangxiaoming", so dropping "wang" finds exactly
    the same patients. A search then meets each patient fewer times as it reads the index
    (Chinese names have up to four terms that start alike), and lists them by the longer
    term, which is their whole name rather than a shared first word.
    """
    ordered = sorted(terms)
    # a term that starts any later term starts the very next one in sorted order
    return {term for term, following in pairwise([*ordered, ""]) if not following.startswith(term)}


def _add_cjk_name_terms(terms: set[str], name_words: list[list[str]]) -> None:
    """Suffixes and romanisations of the CJK words and of whole CJK names."""
    cjk_words = [[word for word in words if not word.isascii()] for words in name_words]
    if not any(cjk_words):
        return
    seen: set[str] = set()
    for words in cjk_words:
        for word in words:
            if word not in seen:
                seen.add(word)
                terms |= _cjk_terms(word, _syllables(word))
    # family and given names kept in separate fields: index the whole name both ways round
    fields = [words for words in cjk_words if words]
    if len(fields) > 1:
        for ordered in (fields, fields[::-1]):
            whole = "".join(word for words in ordered for word in words)
            if whole in seen:
                continue
            seen.add(whole)
            parts = [_syllables(word) for words in ordered for word in words]
            syllables = (
                tuple(syllable for part in parts if part for syllable in part)
                if all(parts)
                else None
            )
            terms |= _cjk_terms(whole, syllables)


def _ascii_digits(text: str) -> str:
    if text.isascii():
        return _NOT_DIGIT.sub("", text)
    return "".join(str(unicodedata.digit(char)) for char in text if char.isdecimal())


_FULL_DATES = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), "ymd"),
    (re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"), "ymd"),
    (re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"), "ymd"),
    (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})"), "dmy"),
    (re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})"), "dmy"),
    (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), "dmy/mdy"),
)
_MONTH_YEARS = (
    (re.compile(r"(\d{4})-(\d{1,2})"), "ym"),
    (re.compile(r"(\d{4})/(\d{1,2})"), "ym"),
    (re.compile(r"(\d{1,2})[./](\d{4})"), "my"),
)
_TYPED_DATE_TERM = re.compile(r"@(\d{1,8})")
#: what every date form above has in common; a chunk without it needs no closer look
_DATE_SHAPE = re.compile(r"@\d{1,8}|\d{1,4}[-/.]\d{1,4}(?:[-/.]\d{1,4})?")
_PHONE_CHUNK = re.compile(r"\+?[\d\-.()]*\d[\d\-.()]*")
_CHART_CHUNK = re.compile(r"[a-z0-9][a-z0-9\-./]*")


def _date_term(year: int, month: int, day: int) -> str | None:
    try:
        return f"@{date(year, month, day):%Y%m%d}"
    except ValueError:
        return None


def _date_token(chunk: str) -> str | None:
    """``@YYYYMMDD`` or ``@YYYYMM`` when the chunk is written as a date."""
    typed = _TYPED_DATE_TERM.fullmatch(chunk)
    if typed:
        return chunk
    for pattern, order in _FULL_DATES:
        found = pattern.fullmatch(chunk)
        if not found:
            continue
        first, second, third = (int(group) for group in found.groups())
        if order == "ymd":
            return _date_term(first, second, third)
        term = _date_term(third, second, first)
        if term is None and order == "dmy/mdy":
            # day-first is the rule; 3/14/1956 can only be month-first, so read it so
            term = _date_term(third, first, second)
        return term
    for pattern, order in _MONTH_YEARS:
        found = pattern.fullmatch(chunk)
        if not found:
            continue
        first, second = (int(group) for group in found.groups())
        year, month = (first, second) if order == "ym" else (second, first)
        if 1 <= month <= 12:
            return f"@{year:04d}{month:02d}"
    return None


def _phone_token(digits: str, plus: bool, numbering: PhoneNumbering) -> str | None:
    national = numbering.national_digits(digits, plus)
    if national is not None:
        if len(national) >= _STRIP_ZEROS_FROM:
            # A whole number from abroad: its national digits end it however it is stored,
            # also in terms written before both forms were indexed.
            return "#" + national
        return f"#{numbering.country_code}{national}"  # typed so far: the start of it
    abroad = numbering.after_international_prefix(digits, plus)
    if abroad is not None and numbering.country_code.startswith(abroad):
        # "004" is "+4": the start of a country code, maybe the clinic's own
        return "#" + abroad if abroad else None
    if len(digits) >= _STRIP_ZEROS_FROM:
        digits = digits.lstrip("0")
    return "#" + digits if digits else None


def query_tokens(text: str, numbering: PhoneNumbering = UK_NUMBERING) -> list[str]:
    """The tokens to look up for what was typed in the search box, without repeats.

    "Zoë" -> ["zoe"]; "wang xiaoming" -> ["wang", "xiaoming"]; "王小" -> ["王小"];
    "+1 (415) 555-0134" -> ["#14155550134"]; "14.03.1956" -> ["@19560314"];
    "A-10234" -> ["!a10234"]; "zoe.smith@example.com" -> ["zoesmith"];
    "+44 7700 900123" -> ["#7700900123"] (``numbering``: the clinic's country).
    """
    tokens: list[str] = []
    phone_digits = ""
    phone_plus = False  # the number being read began with "+"

    def flush_phone() -> None:
        nonlocal phone_digits, phone_plus
        if phone_digits:
            token = _phone_token(phone_digits, phone_plus, numbering)
            if token:
                tokens.append(token)
        phone_digits = ""
        phone_plus = False

    for raw_chunk in unicodedata.normalize("NFKC", text).split():
        chunk = raw_chunk.strip(",;")
        if not chunk:
            continue
        # Most keystrokes are a name being typed: letters only can be nothing else (dates,
        # phones, charts and e-mail addresses all need a digit or an @), so the checks
        # below, a dozen patterns, are skipped for them.
        if chunk.isalpha():
            flush_phone()
            tokens.extend(_fold_words(chunk))
            continue
        if chunk.isdecimal():
            phone_digits += _ascii_digits(chunk)  # no date is written without separators
            continue
        date_token = _date_token(chunk) if _DATE_SHAPE.fullmatch(chunk) else None
        if date_token:
            flush_phone()
            tokens.append(date_token)
            continue
        if _PHONE_CHUNK.fullmatch(chunk):
            if not phone_digits and chunk.startswith("+"):
                phone_plus = True
            phone_digits += _ascii_digits(chunk)
            continue
        if chunk in {"+", "-", "(", ")"}:
            if chunk == "+" and not phone_digits:
                phone_plus = True  # "+ 44 7700..."
            continue  # punctuation between the parts of a phone number
        flush_phone()
        if "@" in chunk:
            local = chunk.split("@", 1)[0].split("+", 1)[0]
            joined = "".join(_fold_words(local, join_inside=False))
            if joined:
                tokens.append(joined)
            continue
        lowered = chunk.lower()
        if (
            lowered.isascii()
            and _CHART_CHUNK.fullmatch(lowered)
            and any(char.isdigit() for char in lowered)
            and any(char.isalpha() for char in lowered)
        ):
            tokens.append("!" + "".join(_ASCII_WORD.findall(lowered)))
            continue
        tokens.extend(_fold_words(chunk))
    flush_phone()
    return list(dict.fromkeys(tokens))


def prefix_upper_bound(token: str) -> str:
    """The smallest string greater than every string that starts with ``token``.

    With it, "starts with ``token``" is the index-friendly range
    ``term >= token AND term < prefix_upper_bound(token)`` (code-point order).
    """
    if token:
        # the usual case, at every keystroke: the last character has a plain successor
        code = ord(token[-1]) + 1
        if code < 0xD800 or 0xE000 <= code <= 0x10FFFF:
            return token[:-1] + chr(code)
    chars = list(token)
    while chars:
        code = ord(chars[-1]) + 1
        if 0xD800 <= code <= 0xDFFF:
            code = 0xE000  # surrogates cannot be stored; the next real character follows them
        if code <= 0x10FFFF:
            chars[-1] = chr(code)
            return "".join(chars)
        chars.pop()
    raise ValueError(f"no string is greater than every string starting with {token!r}")
