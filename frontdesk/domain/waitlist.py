"""The waiting list: who to call first when a slot comes free.

An entry records what the patient can accept (a practitioner or anyone, weekdays, a time
window, a length) and how pressing it is. When an appointment is cancelled,
:func:`rank_matches` keeps the entries that fit the freed slot and puts the best first:
most urgent, then those who asked for this very practitioner, then those waiting longest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.scheduling import DAY_NAMES, Interval, local_datetime

__all__ = [
    "URGENCY_LABELS",
    "FreedSlot",
    "Match",
    "WaitlistEntry",
    "rank_matches",
]

#: 1 is the least pressing, 3 the most
URGENCY_LABELS = {1: "Routine", 2: "Soon", 3: "Urgent"}

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _short_day(day: date) -> str:
    return f"{DAY_NAMES[day.weekday()][:3]} {day.day} {_MONTHS[day.month - 1]}"


def _require_aware(value: datetime | None, what: str) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError(f"{what} must be a time-zone-aware datetime, got {value!r}")


@dataclass(frozen=True)
class WaitlistEntry:
    """A patient waiting for an appointment, and what they can accept.

    ``practitioner_id`` ``None`` means anyone; ``weekdays`` (0 = Monday) ``None`` means any
    day; ``earliest``/``latest`` bound the whole appointment in local time (either may be
    ``None``). ``urgency`` is 1 (routine), 2 (soon) or 3 (urgent). The entry counts until
    the end of ``expires_on``. ``wants_earlier_than`` is set when the patient already has
    an appointment at that time and would like to come sooner: only earlier slots fit.
    ``duration_minutes`` is the length needed; ``None`` takes the freed slot as it is.
    """

    id: int
    patient_id: int
    practitioner_id: int | None
    weekdays: frozenset[int] | None
    earliest: time | None
    latest: time | None
    urgency: int
    expires_on: date | None
    created_at: datetime
    wants_earlier_than: datetime | None = None
    duration_minutes: int | None = None

    def __post_init__(self) -> None:
        if self.urgency not in URGENCY_LABELS:
            raise ValidationError(
                "Urgency must be 1 (routine), 2 (soon) or 3 (urgent).", field="urgency"
            )
        if self.weekdays is not None:
            days = frozenset(self.weekdays)
            if not days:
                raise ValidationError(
                    "Choose at least one weekday, or leave the days open.", field="weekdays"
                )
            if not days <= frozenset(range(7)):
                raise ValueError(f"weekdays must be 0 (Monday) to 6 (Sunday), got {set(days)}")
            object.__setattr__(self, "weekdays", days)
        if self.earliest is not None and self.latest is not None and self.latest <= self.earliest:
            raise ValidationError(
                "The latest time must be after the earliest time.", field="latest"
            )
        if self.duration_minutes is not None and self.duration_minutes <= 0:
            raise ValidationError(
                "The length needed must be at least one minute.", field="duration_minutes"
            )
        _require_aware(self.created_at, "created_at")
        _require_aware(self.wants_earlier_than, "wants_earlier_than")

    def is_expired(self, today: date) -> bool:
        """Whether the entry no longer counts on ``today``."""
        return self.expires_on is not None and self.expires_on < today


@dataclass(frozen=True)
class FreedSlot:
    """Time that has just come free with a practitioner; ``tz`` is the clinic's zone."""

    practitioner_id: int
    interval: Interval
    tz: tzinfo


@dataclass(frozen=True)
class Match:
    """An entry that fits the freed slot.

    ``offer`` is the part of the slot to propose (the slot itself, or its earliest part
    that suits the patient's times and length). A higher ``score`` ranks first; ``reasons``
    are short phrases for the desk explaining the place in the list.
    """

    entry: WaitlistEntry
    score: int
    reasons: tuple[str, ...]
    offer: Interval


def _offer(entry: WaitlistEntry, freed: FreedSlot) -> Interval | None:
    """The earliest part of the freed slot the entry accepts, or ``None``."""
    slot = freed.interval
    need = (
        timedelta(minutes=entry.duration_minutes)
        if entry.duration_minutes is not None
        else slot.duration
    )
    day = slot.start.astimezone(freed.tz).date()
    start = slot.start
    end = slot.end
    if entry.earliest is not None:
        start = max(start, local_datetime(day, entry.earliest, freed.tz))
    if entry.latest is not None:
        end = min(end, local_datetime(day, entry.latest, freed.tz))
    if start + need > end:
        return None
    offer = Interval.starting(start, need)
    if entry.weekdays is not None and offer.start.astimezone(freed.tz).weekday() not in (
        entry.weekdays
    ):
        return None
    if entry.wants_earlier_than is not None and offer.start >= entry.wants_earlier_than:
        return None
    return offer


def _waited_days(entry: WaitlistEntry, today: date, tz: tzinfo) -> int:
    return max(0, (today - entry.created_at.astimezone(tz).date()).days)


def _reasons(entry: WaitlistEntry, freed: FreedSlot, today: date) -> tuple[str, ...]:
    reasons = [URGENCY_LABELS[entry.urgency]]
    if entry.practitioner_id is None:
        reasons.append("Any practitioner")
    else:
        reasons.append("Asked for this practitioner")
    waited = _waited_days(entry, today, freed.tz)
    if waited == 0:
        reasons.append("Added today")
    else:
        reasons.append(f"Waiting {waited} day{'s' if waited != 1 else ''}")
    if entry.wants_earlier_than is not None:
        booked = entry.wants_earlier_than.astimezone(freed.tz)
        reasons.append(f"Would come sooner than {_short_day(booked.date())} {booked:%H:%M}")
    if entry.expires_on is not None and (entry.expires_on - today).days <= 3:
        reasons.append(f"On the list until {_short_day(entry.expires_on)}")
    return tuple(reasons)


def rank_matches(entries: Iterable[WaitlistEntry], freed: FreedSlot, today: date) -> list[Match]:
    """The entries that fit ``freed``, best first.

    Expired entries, entries for another practitioner and entries whose days, times,
    length or "sooner than" wish the slot does not meet are left out. The order is
    urgency, then an explicit wish for this practitioner, then the longest wait (oldest
    ``created_at``); ``score`` follows the same order.
    """
    ranked: list[tuple[tuple[int, int, datetime, int], Match]] = []
    for entry in entries:
        if entry.is_expired(today):
            continue
        if entry.practitioner_id is not None and entry.practitioner_id != freed.practitioner_id:
            continue
        offer = _offer(entry, freed)
        if offer is None:
            continue
        asked = 1 if entry.practitioner_id is not None else 0
        score = (
            entry.urgency * 100_000
            + asked * 10_000
            + min(_waited_days(entry, today, freed.tz), 9_999)
        )
        match = Match(entry, score, _reasons(entry, freed, today), offer)
        ranked.append(((-entry.urgency, -asked, entry.created_at, entry.id), match))
    ranked.sort(key=lambda pair: pair[0])
    return [match for _, match in ranked]
