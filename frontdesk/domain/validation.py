"""Validators for what people type at the desk.

Each function takes the raw input, returns the cleaned value, or raises
:class:`~frontdesk.domain.errors.ValidationError` whose message the receptionist can act on
and whose ``field`` names the input so a form can put the focus back there.

Optional inputs come back as ``None`` when left empty; required ones refuse an empty value.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from frontdesk.domain.errors import ValidationError

__all__ = [
    "MAX_AGE_YEARS",
    "clean_chart_number",
    "clean_colour",
    "clean_date_of_birth",
    "clean_email",
    "clean_minutes",
    "clean_name",
    "clean_optional_text",
    "clean_phone",
    "clean_timezone",
    "phone_digits",
    "require_interval",
]

#: the oldest age the desk accepts; anything older is almost surely a typing slip in the year
MAX_AGE_YEARS = 120

_MAX_NAME_LENGTH = 100
_MIN_PHONE_DIGITS = 7
_MAX_PHONE_DIGITS = 15  # the longest number the international numbering plan allows
_MAX_EMAIL_LENGTH = 254
_MAX_CHART_LENGTH = 20

_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Punctuation a real name can carry besides letters and spaces: O'Brien, Anne-Marie,
# "Jr.", "Smith, Jr", a nickname in brackets. Anything else is likely a slip of the finger.
_NAME_PUNCTUATION = frozenset("'’ʼ‘-‐.,()·")
_PHONE_SEPARATORS = frozenset(" -.()")
_WHITESPACE_RUN = re.compile(r"\s+")


def _collapse_spaces(text: str) -> str:
    return _WHITESPACE_RUN.sub(" ", text).strip()


def _capitalised(label: str) -> str:
    return label[:1].upper() + label[1:]


def clean_name(text: str | None, field: str, label: str) -> str:
    """Return a required name with surrounding and repeated spaces removed.

    ``label`` is the noun phrase used in messages, with its article, e.g.
    ``"the patient's legal name"`` gives "Please enter the patient's legal name.".
    Letters of every script are accepted, with the punctuation names really carry
    (apostrophes, hyphens, dots, commas, brackets); digits and symbols are refused.
    """
    cleaned = _collapse_spaces(unicodedata.normalize("NFC", text or ""))
    if not cleaned:
        raise ValidationError(f"Please enter {label}.", field=field)
    if len(cleaned) > _MAX_NAME_LENGTH:
        raise ValidationError(
            f"{_capitalised(label)} is too long: keep it under {_MAX_NAME_LENGTH} characters.",
            field=field,
        )
    has_letter = False
    for char in cleaned:
        category = unicodedata.category(char)
        if category[0] == "L":
            has_letter = True
        elif category[0] == "M" or char == " " or char in _NAME_PUNCTUATION:
            continue
        elif category == "Nd":
            raise ValidationError(
                f"{_capitalised(label)} cannot contain digits. Is this the right box?",
                field=field,
            )
        else:
            raise ValidationError(
                f'{_capitalised(label)} cannot contain "{char}".',
                field=field,
            )
    if not has_letter:
        raise ValidationError(f"Please enter {label}: it needs at least one letter.", field=field)
    return cleaned


def clean_optional_text(
    text: str | None,
    field: str = "notes",
    label: str = "the note",
    max_length: int = 4000,
) -> str | None:
    """Return free text trimmed (line breaks kept, trailing spaces dropped) or ``None`` if empty."""
    if text is None:
        return None
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    cleaned = "\n".join(lines).strip()
    if not cleaned:
        return None
    if len(cleaned) > max_length:
        raise ValidationError(
            f"{_capitalised(label)} is too long: keep it under {max_length} characters "
            f"(it has {len(cleaned)}).",
            field=field,
        )
    return cleaned


def phone_digits(text: str | None) -> str:
    """Return only the digits of a phone number, as ASCII (full-width digits included)."""
    if not text:
        return ""
    return "".join(str(unicodedata.digit(char)) for char in text if char.isdecimal())


def clean_phone(text: str | None, field: str = "phone") -> str | None:
    """Return the phone number as typed (trimmed, single spaces) or ``None`` if empty.

    Digits, spaces, ``- . ( ) /`` and a leading ``+`` are accepted; the number must have
    7 to 15 digits.
    """
    if text is None:
        return None
    # NFKC turns full-width digits and brackets typed through an input method into ASCII.
    cleaned = _collapse_spaces(unicodedata.normalize("NFKC", text))
    if not cleaned:
        return None
    for position, char in enumerate(cleaned):
        if char.isdecimal() or char in _PHONE_SEPARATORS:
            continue
        if char == "+" and position == 0:
            continue
        if char == "+":
            raise ValidationError(
                "A phone number can have a + only at the very start.", field=field
            )
        raise ValidationError(
            f'A phone number can contain only digits, spaces and + - . ( ), not "{char}".',
            field=field,
        )
    count = len(phone_digits(cleaned))
    if count < _MIN_PHONE_DIGITS:
        raise ValidationError(
            f"That phone number looks incomplete: enter at least {_MIN_PHONE_DIGITS} digits.",
            field=field,
        )
    if count > _MAX_PHONE_DIGITS:
        raise ValidationError(
            f"That phone number has {count} digits; a phone number has at most "
            f"{_MAX_PHONE_DIGITS}. Please check it.",
            field=field,
        )
    return cleaned


def clean_email(text: str | None, field: str = "email") -> str | None:
    """Return the e-mail address trimmed, domain in lower case, or ``None`` if empty.

    The check is deliberately forgiving: one ``@``, something before it, a dot inside the
    part after it, no spaces. Whether the mailbox exists only a sent message can tell.
    """
    if text is None:
        return None
    cleaned = text.strip()
    if not cleaned:
        return None
    if any(char.isspace() for char in cleaned):
        raise ValidationError("An e-mail address cannot contain spaces.", field=field)
    if cleaned.count("@") != 1:
        raise ValidationError(
            "An e-mail address has exactly one @, like name@example.com.", field=field
        )
    local, domain = cleaned.split("@")
    if not local:
        raise ValidationError("Part of the e-mail address is missing before the @.", field=field)
    labels = domain.split(".")
    if len(labels) < 2 or any(not part for part in labels):
        raise ValidationError(
            "The part after the @ should look like example.com. Please check the address.",
            field=field,
        )
    if len(cleaned) > _MAX_EMAIL_LENGTH:
        raise ValidationError("That e-mail address is too long to be real.", field=field)
    return f"{local}@{domain.lower()}"


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASHED_YEAR_FIRST = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_DOTTED_DAY_FIRST = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_SLASHED_DAY_OR_MONTH_FIRST = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}")
_SHORT_YEAR = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2}")


def _date_from_parts(year: int, month: int, day: int, field: str) -> date:
    if not 1 <= month <= 12:
        raise ValidationError(f"There is no month {month}: months go from 1 to 12.", field=field)
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(
            f"There is no {day} {_MONTH_NAMES[month - 1]} {year}. Please check the day.",
            field=field,
        ) from None


def _parse_date(text: str, field: str) -> date:
    """Read the three unambiguous written forms of a date."""
    for pattern, order in (
        (_ISO_DATE, "ymd"),
        (_SLASHED_YEAR_FIRST, "ymd"),
        (_DOTTED_DAY_FIRST, "dmy"),
    ):
        found = pattern.fullmatch(text)
        if found:
            first, second, third = (int(group) for group in found.groups())
            if order == "ymd":
                return _date_from_parts(first, second, third, field)
            return _date_from_parts(third, second, first, field)
    if _SLASHED_DAY_OR_MONTH_FIRST.fullmatch(text):
        # 04/03/2001 is 4 March in most of the world and April 3rd in the USA.
        raise ValidationError(
            "Dates with slashes can be read two ways. Please write the date as "
            "2001-03-04 or 04.03.2001 (day.month.year).",
            field=field,
        )
    if _SHORT_YEAR.fullmatch(text):
        raise ValidationError("Please write the year with four digits.", field=field)
    raise ValidationError(
        "Please write the date as 2001-03-04 or 04.03.2001 (day.month.year).", field=field
    )


def _years_between(born: date, today: date) -> int:
    years = today.year - born.year
    if (today.month, today.day) < (born.month, born.day):
        years -= 1
    return years


def clean_date_of_birth(
    value: date | str | None, today: date, field: str = "date_of_birth"
) -> date | None:
    """Return the date of birth, or ``None`` if left empty.

    Text is accepted as ``2001-03-04``, ``2001/03/04`` or ``04.03.2001`` (day first).
    ``04/03/2001`` is refused because the day and month could be either way round.
    A date in the future or an age over 120 years is refused.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        born = value.date()
    elif isinstance(value, date):
        born = value
    else:
        text = unicodedata.normalize("NFKC", value).strip()
        if not text:
            return None
        born = _parse_date(text, field)
    if born > today:
        raise ValidationError("The date of birth cannot be in the future.", field=field)
    if _years_between(born, today) > MAX_AGE_YEARS:
        raise ValidationError(
            f"That date of birth makes the patient older than {MAX_AGE_YEARS}. "
            "Please check the year.",
            field=field,
        )
    return born


_HEX_COLOUR = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def clean_colour(text: str | None, field: str = "colour") -> str:
    """Return a colour as ``#RRGGBB`` in capitals; ``#abc`` and ``abc123`` are accepted too."""
    found = _HEX_COLOUR.fullmatch((text or "").strip())
    if not found:
        raise ValidationError(
            "Please choose a colour written as # and six hex digits, for example #3A7BD5.",
            field=field,
        )
    digits = found.group(1).upper()
    if len(digits) == 3:
        digits = "".join(char * 2 for char in digits)
    return f"#{digits}"


def clean_timezone(name: str | None, field: str = "timezone") -> str:
    """Return a time zone name that the zone database knows, e.g. ``Europe/London``."""
    cleaned = (name or "").strip()
    if not cleaned:
        raise ValidationError("Please choose the clinic's time zone.", field=field)
    try:
        ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            f'"{cleaned}" is not a known time zone. Use a name like Europe/London.',
            field=field,
        ) from None
    return cleaned


def clean_minutes(
    value: int | str | None,
    label: str,
    min: int,  # named as the call reads best: clean_minutes(v, label, min=10, max=240)
    max: int,
    field: str = "minutes",
) -> int:
    """Return a whole number of minutes between ``min`` and ``max`` inclusive.

    ``label`` is the noun phrase used in messages, e.g. ``"the appointment length"``.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(f"Please enter {label} in minutes.", field=field)
    if isinstance(value, bool):
        raise ValidationError(f"{_capitalised(label)} must be a number of minutes.", field=field)
    if isinstance(value, str):
        text = value.strip()
        if not text.isdecimal():
            raise ValidationError(
                f"{_capitalised(label)} must be a whole number of minutes.", field=field
            )
        minutes = int(text)
    else:
        minutes = value
    if not min <= minutes <= max:
        raise ValidationError(
            f"{_capitalised(label)} must be between {min} and {max} minutes.", field=field
        )
    return minutes


def require_interval(
    start: datetime, end: datetime, field: str = "end"
) -> tuple[datetime, datetime]:
    """Return ``(start, end)`` if the end comes after the start."""
    if end <= start:
        raise ValidationError("The end time must be after the start time.", field=field)
    return start, end


_CHART_ALLOWED = re.compile(r"[A-Z0-9][A-Z0-9 ./-]*")


def clean_chart_number(text: str | None, field: str = "chart_number") -> str | None:
    """Return a chart number in capitals (letters, digits, ``- . /`` and spaces) or ``None``."""
    if text is None:
        return None
    cleaned = _collapse_spaces(unicodedata.normalize("NFKC", text)).upper()
    if not cleaned:
        return None
    if len(cleaned) > _MAX_CHART_LENGTH:
        raise ValidationError(
            f"A chart number has at most {_MAX_CHART_LENGTH} characters.", field=field
        )
    if not cleaned.isascii() or not _CHART_ALLOWED.fullmatch(cleaned):
        raise ValidationError(
            "A chart number can contain only letters A-Z, digits and - . /", field=field
        )
    return cleaned
