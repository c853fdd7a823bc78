"""Time rules of the calendar: intervals, weekly opening hours, free slots.

Every instant handled here is a time-zone-aware ``datetime``; :class:`Interval` stores its
ends in UTC. Arithmetic on UTC datetimes is elapsed time, whereas adding an hour to a local
``ZoneInfo`` datetime moves the wall clock, which is wrong across a daylight-saving change.
Local wall-clock rules (opening hours, "10:00 on Tuesday") are turned into UTC intervals for
one date at a time with the clinic's zone, so the local 10:00 on the day after clocks change
lands on a different UTC hour, as it should.

Wall-clock times that do not exist (skipped when clocks go forward) are read with the offset
in force before the change, i.e. they move forward by the size of the jump; times that occur
twice (clocks go back) mean the first occurrence.

Slots start on a grid of ``step_minutes``; with a zone given the grid follows the local clock
(so 09:05, 09:10 ... even in a zone whose offset is not a whole hour).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import pairwise
from typing import Any

from frontdesk.domain.errors import ValidationError

__all__ = [
    "DAY_KEYS",
    "DAY_NAMES",
    "Candidate",
    "Interval",
    "Proposal",
    "WeeklyHours",
    "day_bounds",
    "earliest_free_slot",
    "find_free_slots",
    "free_time",
    "local_datetime",
    "merge_intervals",
    "snap",
]

#: JSON keys of :class:`WeeklyHours`, index 0 = Monday as in ``date.weekday()``
DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _require_aware(value: datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be a time-zone-aware datetime, got {value!r}")


@dataclass(frozen=True, order=True)
class Interval:
    """A half-open stretch of time ``[start, end)``, ends stored in UTC.

    Back-to-back intervals (one ends when the next starts) do not overlap.
    """

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        _require_aware(self.start, "start")
        _require_aware(self.end, "end")
        start = self.start.astimezone(UTC)
        end = self.end.astimezone(UTC)
        if end <= start:
            raise ValidationError("The end time must be after the start time.", field="end")
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    @classmethod
    def starting(cls, start: datetime, duration: timedelta) -> Interval:
        """Return the interval of ``duration`` elapsed time from ``start``."""
        _require_aware(start, "start")
        utc_start = start.astimezone(UTC)
        return cls(utc_start, utc_start + duration)

    @property
    def duration(self) -> timedelta:
        """Elapsed time from start to end."""
        return self.end - self.start

    def overlaps(self, other: Interval) -> bool:
        """Whether the two intervals share any moment (touching ends do not count)."""
        return self.start < other.end and other.start < self.end

    def contains(self, other: Interval | datetime) -> bool:
        """Whether ``other`` (an interval or an instant) lies entirely inside this interval."""
        if isinstance(other, Interval):
            return self.start <= other.start and other.end <= self.end
        _require_aware(other, "instant")
        return self.start <= other < self.end

    def intersection(self, other: Interval) -> Interval | None:
        """The common part of both intervals, or ``None`` when they do not overlap."""
        start = max(self.start, other.start)
        end = min(self.end, other.end)
        return Interval(start, end) if start < end else None

    def local(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """Both ends as wall-clock datetimes in ``tz``, for display."""
        return self.start.astimezone(tz), self.end.astimezone(tz)


def local_datetime(day: date, wall_time: time, tz: tzinfo) -> datetime:
    """Return the UTC instant of ``wall_time`` on ``day`` in zone ``tz``.

    A wall time skipped by a clock change moves forward by the jump; a repeated one means
    its first occurrence (see the module notes).
    """
    return datetime.combine(day, wall_time.replace(tzinfo=None, fold=0), tzinfo=tz).astimezone(UTC)


def day_bounds(day: date, tz: tzinfo) -> Interval:
    """The local calendar day ``day`` in ``tz`` as a UTC interval (23 or 25 h on DST days)."""
    return Interval(
        local_datetime(day, time(0), tz), local_datetime(day + timedelta(days=1), time(0), tz)
    )


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort the intervals and join those that overlap or touch."""
    merged: list[Interval] = []
    for interval in sorted(intervals):
        if merged and interval.start <= merged[-1].end:
            if interval.end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, interval.end)
        else:
            merged.append(interval)
    return merged


def free_time(working: Iterable[Interval], busy: Iterable[Interval]) -> list[Interval]:
    """The parts of the working time not covered by any busy interval, sorted."""
    blocked = merge_intervals(busy)
    free: list[Interval] = []
    index = 0
    for shift in merge_intervals(working):
        cursor = shift.start
        # busy intervals are sorted; skip those that ended before this shift starts
        while index < len(blocked) and blocked[index].end <= shift.start:
            index += 1
        scan = index
        while scan < len(blocked) and blocked[scan].start < shift.end:
            if blocked[scan].start > cursor:
                free.append(Interval(cursor, blocked[scan].start))
            cursor = max(cursor, blocked[scan].end)
            scan += 1
        if cursor < shift.end:
            free.append(Interval(cursor, shift.end))
    return free


def snap(dt: datetime, step_minutes: int = 5, tz: tzinfo | None = None) -> datetime:
    """Round ``dt`` up to the next grid point (or keep it when it is on one); returns UTC.

    The grid is every ``step_minutes`` of the wall clock in ``tz`` (UTC when not given).
    """
    _require_aware(dt, "dt")
    if step_minutes < 1:
        raise ValueError("step_minutes must be at least 1")
    step = step_minutes * 60_000_000
    offset = dt.astimezone(tz).utcoffset() if tz is not None else None
    offset_us = offset // _MICROSECOND if offset is not None else 0
    local_us = (dt - _EPOCH) // _MICROSECOND + offset_us
    rounded = -(-local_us // step) * step
    return _EPOCH + timedelta(microseconds=rounded - offset_us)


def _check_slot_arguments(duration: timedelta, step_minutes: int) -> None:
    if duration <= timedelta(0):
        raise ValueError("duration must be positive")
    if step_minutes < 1:
        raise ValueError("step_minutes must be at least 1")


def find_free_slots(
    day_or_range: date | Interval,
    duration: timedelta,
    working: Sequence[Interval],
    busy: Sequence[Interval],
    step_minutes: int = 5,
    not_before: datetime | None = None,
    *,
    tz: tzinfo | None = None,
) -> list[Interval]:
    """Every slot of ``duration`` inside working time and outside busy time, in order.

    ``day_or_range`` limits the search: an :class:`Interval`, or a local ``date`` (then
    ``tz`` is required). Slots start on the grid (see :func:`snap`), not before
    ``not_before``, and step by ``step_minutes``; consecutive slots therefore overlap
    each other when the duration is longer than the step, they are alternatives.
    """
    _check_slot_arguments(duration, step_minutes)
    if isinstance(day_or_range, Interval):
        window = day_or_range
    else:
        if tz is None:
            raise ValueError("a time zone is needed to search a calendar date")
        window = day_bounds(day_or_range, tz)
    earliest = window.start if not_before is None else max(window.start, not_before)
    step = timedelta(minutes=step_minutes)
    slots: list[Interval] = []
    for gap in free_time(working, busy):
        piece = gap.intersection(window)
        if piece is None or piece.end <= earliest:
            continue
        start = snap(max(piece.start, earliest), step_minutes, tz)
        while start + duration <= piece.end:
            slots.append(Interval(start, start + duration))
            start += step
    return slots


@dataclass(frozen=True)
class Candidate:
    """One practitioner (with a room, or none needed) who could take the appointment."""

    practitioner_id: int
    room_id: int | None
    working: Sequence[Interval]
    practitioner_busy: Sequence[Interval] = ()
    room_busy: Sequence[Interval] = ()


@dataclass(frozen=True)
class Proposal:
    """The slot offered: who, where and when."""

    practitioner_id: int
    room_id: int | None
    interval: Interval


def _first_fit(
    gaps: Sequence[Interval], earliest: datetime, duration: timedelta, step: int, tz: tzinfo | None
) -> datetime | None:
    for gap in gaps:
        if gap.end <= earliest:
            continue
        start = snap(max(gap.start, earliest), step, tz)
        if start + duration <= gap.end:
            return start
    return None


def earliest_free_slot(
    now: datetime,
    duration: timedelta,
    candidates: Sequence[Candidate],
    *,
    step_minutes: int = 5,
    tz: tzinfo | None = None,
) -> Proposal | None:
    """The earliest slot of ``duration`` from ``now`` (rounded up to the grid) over all candidates.

    A slot must lie in the candidate's working time and be free for both the practitioner
    and the room. Equal start times go to the candidate listed first, so the caller's order
    expresses preference (the patient's usual practitioner first, say). ``None`` when no
    candidate has room within the working time given.
    """
    _check_slot_arguments(duration, step_minutes)
    _require_aware(now, "now")
    best: Proposal | None = None
    for candidate in candidates:
        gaps = free_time(candidate.working, [*candidate.practitioner_busy, *candidate.room_busy])
        start = _first_fit(gaps, now, duration, step_minutes, tz)
        if start is not None and (best is None or start < best.interval.start):
            best = Proposal(
                candidate.practitioner_id, candidate.room_id, Interval.starting(start, duration)
            )
    return best


LocalSpan = tuple[time, time]
_TIME_TEXT = re.compile(r"(\d{1,2}):(\d{2})")


def _format_time(value: time) -> str:
    if value.second or value.microsecond:
        return value.isoformat()
    return f"{value.hour:02d}:{value.minute:02d}"


def _parse_time(text: object, day_key: str) -> time:
    found = _TIME_TEXT.fullmatch(text.strip()) if isinstance(text, str) else None
    if found:
        hour, minute = int(found.group(1)), int(found.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
    day = DAY_NAMES[DAY_KEYS.index(day_key)]
    raise ValidationError(
        f"{day}: opening hours are written as HH:MM, e.g. 09:00 (not {text!r}).",
        field="working_hours",
    )


@dataclass(frozen=True)
class WeeklyHours:
    """Repeating weekly working hours as local wall-clock spans, per weekday (0 = Monday).

    ``days`` has seven entries; each is a sorted tuple of non-overlapping
    ``(start, end)`` local times within one day. An empty entry is a day off.
    Build one with :meth:`of` or :meth:`from_json`.
    """

    days: tuple[tuple[LocalSpan, ...], ...]

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise ValueError("WeeklyHours needs exactly seven days, Monday first")
        normalised: list[tuple[LocalSpan, ...]] = []
        for weekday, spans in enumerate(self.days):
            ordered = tuple(sorted((start, end) for start, end in spans))
            for start, end in ordered:
                if end <= start:
                    raise ValidationError(
                        f"{DAY_NAMES[weekday]}: the hours {_format_time(start)}-"
                        f"{_format_time(end)} end before they start.",
                        field="working_hours",
                    )
            for (_, first_end), (second_start, _) in pairwise(ordered):
                if second_start < first_end:
                    raise ValidationError(
                        f"{DAY_NAMES[weekday]}: two stretches of hours overlap around "
                        f"{_format_time(second_start)}.",
                        field="working_hours",
                    )
            normalised.append(ordered)
        object.__setattr__(self, "days", tuple(normalised))

    @classmethod
    def of(cls, hours: Mapping[int, Iterable[LocalSpan]]) -> WeeklyHours:
        """Build from ``{weekday: [(start, end), ...]}``; missing weekdays are days off."""
        for weekday in hours:
            if weekday not in range(7):
                raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {weekday}")
        return cls(tuple(tuple(hours.get(weekday, ())) for weekday in range(7)))

    @classmethod
    def closed(cls) -> WeeklyHours:
        """No working hours on any day."""
        return cls(((),) * 7)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WeeklyHours:
        """Read ``{"mon": [["09:00", "12:30"], ["13:30", "18:00"]], ...}``.

        Missing days are days off. Raises ``ValidationError`` for unknown keys or
        malformed times.
        """
        unknown = sorted(set(data) - set(DAY_KEYS))
        if unknown:
            raise ValidationError(
                f"Unknown day in the working hours: {', '.join(map(str, unknown))}.",
                field="working_hours",
            )
        days: list[tuple[LocalSpan, ...]] = []
        for key in DAY_KEYS:
            spans: list[LocalSpan] = []
            for pair in data.get(key) or ():
                if isinstance(pair, str) or not isinstance(pair, Sequence) or len(pair) != 2:
                    raise ValidationError(
                        f"{DAY_NAMES[DAY_KEYS.index(key)]}: each stretch of hours needs a "
                        "start and an end.",
                        field="working_hours",
                    )
                spans.append((_parse_time(pair[0], key), _parse_time(pair[1], key)))
            days.append(tuple(spans))
        return cls(tuple(days))

    def to_json(self) -> dict[str, list[list[str]]]:
        """All seven days as ``{"mon": [["09:00", "12:30"], ...], ..., "sun": []}``."""
        return {
            key: [[_format_time(start), _format_time(end)] for start, end in spans]
            for key, spans in zip(DAY_KEYS, self.days, strict=True)
        }

    def spans_on(self, weekday: int) -> tuple[LocalSpan, ...]:
        """The local spans of one weekday (0 = Monday)."""
        return self.days[weekday]

    @property
    def working_weekdays(self) -> frozenset[int]:
        """The weekdays that have any hours."""
        return frozenset(weekday for weekday, spans in enumerate(self.days) if spans)

    def intervals_on(self, day: date, tz: tzinfo) -> list[Interval]:
        """The working hours of the local date ``day`` as UTC intervals.

        Each wall-clock span is placed with the offset in force on that date, so the same
        09:00 is a different UTC hour before and after a daylight-saving change.
        """
        intervals: list[Interval] = []
        for start, end in self.days[day.weekday()]:
            utc_start = local_datetime(day, start, tz)
            utc_end = local_datetime(day, end, tz)
            # a span lying wholly inside a skipped hour has no real time left
            if utc_end > utc_start:
                intervals.append(Interval(utc_start, utc_end))
        return intervals

    def intervals_between(self, first_day: date, last_day: date, tz: tzinfo) -> list[Interval]:
        """The working hours of every local date from ``first_day`` to ``last_day`` inclusive."""
        intervals: list[Interval] = []
        day = first_day
        while day <= last_day:
            intervals.extend(self.intervals_on(day, tz))
            day += timedelta(days=1)
        return intervals

    def contains(self, interval: Interval, tz: tzinfo) -> bool:
        """Whether ``interval`` falls entirely within the working hours (local zone ``tz``)."""
        first_day = interval.start.astimezone(tz).date()
        last_day = (interval.end - _MICROSECOND).astimezone(tz).date()
        hours = merge_intervals(self.intervals_between(first_day, last_day, tz))
        return any(shift.contains(interval) for shift in hours)
