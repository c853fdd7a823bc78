from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.validation import (
    clean_chart_number,
    clean_colour,
    clean_date_of_birth,
    clean_email,
    clean_minutes,
    clean_name,
    clean_optional_text,
    clean_phone,
    clean_timezone,
    phone_digits,
    require_interval,
)

TODAY = date(2026, 5, 20)
LEGAL_NAME = "the patient's legal name"


class TestName:
    def test_spaces_are_tidied(self) -> None:
        assert clean_name("  Anne-Marie   O'Brien ", "legal_name", LEGAL_NAME) == (
            "Anne-Marie O'Brien"
        )

    @pytest.mark.parametrize("name", ["Zoë Łukasz", "Nguyễn Văn An", "王小明", "José María"])
    def test_names_in_every_script_are_accepted(self, name: str) -> None:
        assert clean_name(name, "legal_name", LEGAL_NAME) == name

    @pytest.mark.parametrize("empty", [None, "", "   "])
    def test_missing_name_asks_for_it(self, empty: str | None) -> None:
        with pytest.raises(ValidationError) as caught:
            clean_name(empty, "legal_name", LEGAL_NAME)
        assert str(caught.value) == "Please enter the patient's legal name."
        assert caught.value.field == "legal_name"

    def test_digits_suggest_the_wrong_box(self) -> None:
        with pytest.raises(ValidationError, match="cannot contain digits"):
            clean_name("0161 555 0134", "legal_name", LEGAL_NAME)

    def test_symbols_are_refused_and_named(self) -> None:
        with pytest.raises(ValidationError, match='cannot contain "@"'):
            clean_name("zoe@example.com", "legal_name", LEGAL_NAME)

    def test_punctuation_alone_is_not_a_name(self) -> None:
        with pytest.raises(ValidationError, match="at least one letter"):
            clean_name("--", "legal_name", LEGAL_NAME)

    def test_overlong_name(self) -> None:
        with pytest.raises(ValidationError, match="too long"):
            clean_name("a" * 101, "legal_name", LEGAL_NAME)


class TestOptionalText:
    def test_empty_becomes_none(self) -> None:
        assert clean_optional_text("  \n ") is None
        assert clean_optional_text(None) is None

    def test_line_breaks_are_kept_and_trailing_spaces_dropped(self) -> None:
        assert clean_optional_text(" first line  \r\nsecond  \n") == "first line\nsecond"

    def test_too_long(self) -> None:
        with pytest.raises(ValidationError, match="too long") as caught:
            clean_optional_text("x" * 11, field="how_heard", label="the answer", max_length=10)
        assert caught.value.field == "how_heard"


class TestPhone:
    @pytest.mark.parametrize(
        "typed, kept",
        [
            ("  +1 (415) 555-0134 ", "+1 (415) 555-0134"),
            ("0161.555.0134", "0161.555.0134"),
            ("07700   900123", "07700 900123"),
            ("＋４４ ７７００ ９００１２３", "+44 7700 900123"),
        ],
    )
    def test_typed_format_is_kept(self, typed: str, kept: str) -> None:
        assert clean_phone(typed) == kept

    def test_empty_is_none(self) -> None:
        assert clean_phone("  ") is None
        assert clean_phone(None) is None

    def test_too_few_digits(self) -> None:
        with pytest.raises(ValidationError) as caught:
            clean_phone("555 013")
        assert str(caught.value) == ("That phone number looks incomplete: enter at least 7 digits.")
        assert caught.value.field == "phone"

    def test_too_many_digits(self) -> None:
        with pytest.raises(ValidationError, match="at most 15"):
            clean_phone("+44 7700 900123 4567 8")

    def test_letters_are_refused(self) -> None:
        with pytest.raises(ValidationError, match='not "e"'):
            clean_phone("555 0134 ext 2")

    def test_plus_only_at_the_start(self) -> None:
        with pytest.raises(ValidationError, match="only at the very start"):
            clean_phone("0044 +7700 900123")

    def test_digits(self) -> None:
        assert phone_digits("+1 (415) 555-0134") == "14155550134"
        assert phone_digits("０１２３") == "0123"
        assert phone_digits(None) == ""


class TestEmail:
    def test_domain_is_lower_cased_and_local_part_kept(self) -> None:
        assert clean_email(" Zoe.Smith+clinic@Example.COM ") == "Zoe.Smith+clinic@example.com"

    def test_empty_is_none(self) -> None:
        assert clean_email("") is None

    @pytest.mark.parametrize(
        "typed, message",
        [
            ("zoe smith@example.com", "cannot contain spaces"),
            ("zoe.example.com", "exactly one @"),
            ("zoe@@example.com", "exactly one @"),
            ("@example.com", "before the @"),
            ("zoe@example", "example.com"),
            ("zoe@example.", "example.com"),
        ],
    )
    def test_malformed(self, typed: str, message: str) -> None:
        with pytest.raises(ValidationError, match=message):
            clean_email(typed)


class TestDateOfBirth:
    @pytest.mark.parametrize("typed", ["1956-03-14", "1956/03/14", "14.03.1956", "14.3.1956"])
    def test_unambiguous_forms(self, typed: str) -> None:
        assert clean_date_of_birth(typed, TODAY) == date(1956, 3, 14)

    def test_date_objects_pass_through(self) -> None:
        assert clean_date_of_birth(date(2001, 3, 4), TODAY) == date(2001, 3, 4)
        assert clean_date_of_birth(datetime(2001, 3, 4, 12, tzinfo=UTC), TODAY) == date(2001, 3, 4)

    def test_empty_is_none(self) -> None:
        assert clean_date_of_birth(" ", TODAY) is None
        assert clean_date_of_birth(None, TODAY) is None

    def test_slashes_are_ambiguous(self) -> None:
        with pytest.raises(ValidationError, match="can be read two ways"):
            clean_date_of_birth("04/03/2001", TODAY)

    def test_two_digit_year(self) -> None:
        with pytest.raises(ValidationError, match="four digits"):
            clean_date_of_birth("14.03.56", TODAY)

    def test_day_that_does_not_exist(self) -> None:
        with pytest.raises(ValidationError, match="There is no 30 February 2001"):
            clean_date_of_birth("30.02.2001", TODAY)

    def test_month_that_does_not_exist(self) -> None:
        with pytest.raises(ValidationError, match="no month 13"):
            clean_date_of_birth("2001-13-01", TODAY)

    def test_future(self) -> None:
        with pytest.raises(ValidationError) as caught:
            clean_date_of_birth("2026-05-21", TODAY)
        assert str(caught.value) == "The date of birth cannot be in the future."
        assert caught.value.field == "date_of_birth"

    def test_born_today_is_allowed(self) -> None:
        assert clean_date_of_birth(TODAY, TODAY) == TODAY

    def test_age_limit(self) -> None:
        # 120 years old is accepted up to the day before the 121st birthday
        assert clean_date_of_birth("1905-05-21", TODAY) == date(1905, 5, 21)
        with pytest.raises(ValidationError, match="older than 120"):
            clean_date_of_birth("1905-05-20", TODAY)

    def test_unreadable(self) -> None:
        with pytest.raises(ValidationError, match="Please write the date"):
            clean_date_of_birth("March 14", TODAY)


class TestSmallFields:
    @pytest.mark.parametrize(
        "typed, colour", [("#3a7bd5", "#3A7BD5"), ("3A7BD5", "#3A7BD5"), ("#abc", "#AABBCC")]
    )
    def test_colour(self, typed: str, colour: str) -> None:
        assert clean_colour(typed) == colour

    @pytest.mark.parametrize("typed", ["", "red", "#12345", "#GGGGGG"])
    def test_bad_colour(self, typed: str) -> None:
        with pytest.raises(ValidationError, match="#3A7BD5"):
            clean_colour(typed)

    def test_timezone(self) -> None:
        assert clean_timezone(" Europe/London ") == "Europe/London"
        with pytest.raises(ValidationError, match="not a known time zone"):
            clean_timezone("Europe/Atlantis")
        with pytest.raises(ValidationError, match="not a known time zone"):
            clean_timezone("../etc/passwd")
        with pytest.raises(ValidationError, match="time zone"):
            clean_timezone("")

    def test_minutes(self) -> None:
        label = "the appointment length"
        assert clean_minutes(" 45 ", label, min=5, max=240) == 45
        assert clean_minutes(240, label, min=5, max=240) == 240
        with pytest.raises(ValidationError) as caught:
            clean_minutes(300, label, min=5, max=240, field="duration")
        assert str(caught.value) == "The appointment length must be between 5 and 240 minutes."
        assert caught.value.field == "duration"
        with pytest.raises(ValidationError, match="whole number"):
            clean_minutes("4.5", label, min=5, max=240)
        with pytest.raises(ValidationError, match="Please enter the appointment length"):
            clean_minutes("", label, min=5, max=240)

    def test_interval(self) -> None:
        start = datetime(2026, 5, 20, 9, tzinfo=UTC)
        end = datetime(2026, 5, 20, 10, tzinfo=UTC)
        assert require_interval(start, end) == (start, end)
        with pytest.raises(ValidationError) as caught:
            require_interval(end, start)
        assert str(caught.value) == "The end time must be after the start time."
        with pytest.raises(ValidationError):
            require_interval(start, start)

    def test_chart_number(self) -> None:
        assert clean_chart_number(" a-10234 ") == "A-10234"
        assert clean_chart_number("") is None
        with pytest.raises(ValidationError, match="only letters"):
            clean_chart_number("A#1")
        with pytest.raises(ValidationError, match="at most 20"):
            clean_chart_number("1" * 21)
