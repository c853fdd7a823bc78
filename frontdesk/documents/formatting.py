"""Dates and numbers written out in English for clinic documents, without the system locale.

strftime's month and weekday names follow the computer's regional settings, which would make
the same input print differently on two machines; these helpers never do.
"""

from __future__ import annotations

from datetime import date

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
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


def long_date(day: date, *, weekday: bool = True) -> str:
    """E.g. "Tuesday 4 March 2025", or "4 March 2025" without the weekday."""
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def medium_date(day: date) -> str:
    """E.g. "4 Mar 2025"."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def short_date(day: date) -> str:
    """E.g. "4 Mar"."""
    return f"{day.day} {MONTHS[day.month - 1][:3]}"
