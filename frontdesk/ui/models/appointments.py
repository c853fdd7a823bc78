"""Appointment data for the calendar views, fetched once per day or week and laid out.

The calendar paints often (every scroll, hover and minute tick) and must never wait on the
database while painting. :class:`AppointmentBook` asks the services once when the date
changes (one call for a day, one for a practitioner's week), keeps the records, and turns
them into a :class:`CalendarLayout`: columns with their working hours, and blocks placed in
side-by-side lanes so that appointments sharing time in one column never cover each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import Enum
from itertools import pairwise
from typing import TYPE_CHECKING, Any, NamedTuple
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal

from frontdesk.domain.enums import AppointmentStatus
from frontdesk.domain.scheduling import WeeklyHours, local_datetime
from frontdesk.services.records import (
    AppointmentRecord,
    PractitionerRecord,
    RoomRecord,
    ServiceRecord,
)

if TYPE_CHECKING:
    from frontdesk.services.hub import Services

MINUTES_PER_DAY = 24 * 60
#: the calendar shows at least this stretch of the day, even on a short Saturday
DEFAULT_FIRST_MINUTE = 8 * 60
DEFAULT_LAST_MINUTE = 19 * 60
#: an hour of greyed time before opening and after closing, to book just outside hours
MARGIN_MINUTES = 60
#: a cancelled or no-show block takes half the width of a live one beside it
FREED_WEIGHT = 0.5

NO_ROOM_TITLE = "No room"


class ColumnMode(Enum):
    """What the columns of the day view stand for."""

    PRACTITIONERS = "practitioners"
    ROOMS = "rooms"


@dataclass(frozen=True)
class Column:
    """One column of a calendar view: a practitioner, a room, or a day of the week."""

    index: int
    day: date
    title: str
    colour: str
    practitioner_id: int | None = None
    room_id: int | None = None
    is_room: bool = False
    #: working time as local wall-clock minutes since midnight, (start, end) pairs
    working: tuple[tuple[int, int], ...] = ()

    def is_working(self, minute: int) -> bool:
        """Whether the local minute lies inside the column's working hours."""
        return any(start <= minute < end for start, end in self.working)


class Block(NamedTuple):
    """An appointment placed in a column: minutes since local midnight and its lane.

    (A named tuple: a full week lays out dozens of blocks on every change of date.)"""

    record: AppointmentRecord
    column: int
    start: int
    end: int
    #: horizontal place within the column, as fractions of its width
    left: float = 0.0
    width: float = 1.0

    @property
    def freed(self) -> bool:
        """Cancelled or no-show: the time is free again."""
        return self.record.status not in _OCCUPYING


_OCCUPYING = frozenset(status for status in AppointmentStatus if status.occupies_time)
_MINUTE = timedelta(minutes=1)
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class CalendarLayout:
    """Everything a calendar view paints, computed before painting."""

    columns: tuple[Column, ...]
    blocks: tuple[Block, ...]
    first_minute: int = DEFAULT_FIRST_MINUTE
    last_minute: int = DEFAULT_LAST_MINUTE
    days: tuple[date, ...] = ()
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))

    def blocks_in(self, column: int) -> list[Block]:
        """The blocks of one column in time order."""
        return [b for b in self.blocks if b.column == column]

    def block_for(self, appointment_id: int) -> Block | None:
        return next((b for b in self.blocks if b.record.id == appointment_id), None)

    def to_datetime(self, column: int, minute: int) -> datetime:
        """The aware instant of a local minute in a column's day."""
        day = self.columns[column].day
        day += timedelta(days=minute // MINUTES_PER_DAY)
        minute %= MINUTES_PER_DAY
        return local_datetime(day, time(minute // 60, minute % 60), self.tz).astimezone(self.tz)


def wall_minutes(moment: datetime, day: date, tz: ZoneInfo) -> int:
    """Minutes of wall-clock time from the local midnight starting ``day`` to ``moment``."""
    local = moment.astimezone(tz)
    return (local.date() - day).days * MINUTES_PER_DAY + local.hour * 60 + local.minute


def working_minutes(hours: WeeklyHours, day: date) -> tuple[tuple[int, int], ...]:
    """The wall-clock spans of one date as minutes since midnight."""
    return tuple(
        (start.hour * 60 + start.minute, end.hour * 60 + end.minute)
        for start, end in hours.spans_on(day.weekday())
    )


def lay_out_lanes(spans: Sequence[tuple[int, int, bool]]) -> list[tuple[float, float]]:
    """Place time spans ``(start, end, freed)`` of one column side by side where they overlap.

    Returns ``(left, width)`` fractions per span, in the order given. Spans that share time
    form a cluster; live appointments take the first lanes and freed ones (cancelled,
    no-show) the last, narrower lanes, so the live name stays readable.
    """
    order = sorted(range(len(spans)), key=lambda i: (spans[i][2], spans[i][0], spans[i][1], i))
    result: list[tuple[float, float]] = [(0.0, 1.0)] * len(spans)
    # clusters of spans linked by overlaps, found on start-time order
    by_start = sorted(range(len(spans)), key=lambda i: (spans[i][0], spans[i][1]))
    clusters: list[list[int]] = []
    cluster_end = -1
    for i in by_start:
        start, end, _freed = spans[i]
        if clusters and start < cluster_end:
            clusters[-1].append(i)
            cluster_end = max(cluster_end, end)
        else:
            clusters.append([i])
            cluster_end = end
    rank = {i: position for position, i in enumerate(order)}
    for cluster in clusters:
        if len(cluster) == 1:
            continue
        lanes: list[list[int]] = []  # each lane: indices without overlap
        lane_of: dict[int, int] = {}
        for i in sorted(cluster, key=lambda i: rank[i]):
            start, end, freed = spans[i]
            for number, lane in enumerate(lanes):
                if all(
                    spans[j][2] == freed and (end <= spans[j][0] or spans[j][1] <= start)
                    for j in lane
                ):
                    lane.append(i)
                    lane_of[i] = number
                    break
            else:
                lanes.append([i])
                lane_of[i] = len(lanes) - 1
        weights = [FREED_WEIGHT if spans[lane[0]][2] else 1.0 for lane in lanes]
        total = sum(weights)
        lefts = []
        running = 0.0
        for weight in weights:
            lefts.append(running / total)
            running += weight
        for i in cluster:
            lane = lane_of[i]
            result[i] = (lefts[lane], weights[lane] / total)
    return result


def place_blocks(
    records: Sequence[AppointmentRecord],
    columns: Sequence[Column],
    column_for: Callable[[AppointmentRecord], int | None] | None,
    tz: ZoneInfo,
) -> list[Block]:
    """Blocks for the records that belong to a column (``column_for(record) -> index``;
    ``None``: the column of the day the appointment starts on)."""
    if not records:
        return []
    per_column: dict[int, list[tuple[int, int, int, AppointmentRecord]]] = {}
    day_numbers = [column.day.toordinal() for column in columns]
    first = min(day_numbers, default=0)
    span = max(day_numbers, default=0) - first + 1
    column_of_day = {
        number - first: column.index for number, column in zip(day_numbers, columns, strict=True)
    }
    # The minutes of the wall clock from the first day's midnight: when no clock change
    # falls in the days shown (every day 24 hours long), they are the minutes elapsed since
    # that midnight, found without converting each time to the clinic's zone.
    midnights = [local_datetime(date.fromordinal(first + i), time(0), tz) for i in range(span + 1)]
    steady = all(later - earlier == _DAY for earlier, later in pairwise(midnights))
    origin = midnights[0]
    for record in records:
        if steady:
            start = (record.starts_at - origin) // _MINUTE
            end = (record.ends_at - origin) // _MINUTE
        else:
            local = record.starts_at.astimezone(tz)
            start = (local.toordinal() - first) * MINUTES_PER_DAY + local.hour * 60 + local.minute
            local = record.ends_at.astimezone(tz)
            end = (local.toordinal() - first) * MINUTES_PER_DAY + local.hour * 60 + local.minute
        if column_for is None:
            index = column_of_day.get(start // MINUTES_PER_DAY)
        else:
            index = column_for(record)
        if index is None:
            continue
        # from the midnight starting the column's own day, within that day
        base = (day_numbers[index] - first) * MINUTES_PER_DAY
        start, end = max(0, start - base), min(MINUTES_PER_DAY, end - base)
        if end <= start:
            end = start + 5
        per_column.setdefault(index, []).append((start, end, record.id, record))
    blocks: list[Block] = []
    for index, items in sorted(per_column.items()):
        items.sort()  # by start, end and appointment number (never on to the record)
        # most columns have no appointments sharing time: each takes the whole width
        reach = -1
        for start, end, _, _ in items:
            if start < reach:
                break
            reach = end
        else:
            blocks += [Block(record, index, start, end) for start, end, _, record in items]
            continue
        lanes = lay_out_lanes([(s, e, r.status not in _OCCUPYING) for s, e, _, r in items])
        for (start, end, _, record), (left, width) in zip(items, lanes, strict=True):
            blocks.append(Block(record, index, start, end, left, width))
    return blocks


def visible_range(columns: Sequence[Column], blocks: Sequence[Block]) -> tuple[int, int]:
    """The stretch of the day to show: working hours with a margin, and every block."""
    first, last = DEFAULT_FIRST_MINUTE + MARGIN_MINUTES, DEFAULT_LAST_MINUTE - MARGIN_MINUTES
    for column in columns:
        for start, end in column.working:
            first, last = min(first, start), max(last, end)
    first, last = first - MARGIN_MINUTES, last + MARGIN_MINUTES
    for block in blocks:
        first, last = min(first, block.start), max(last, block.end)
    first = max(0, first // 60 * 60)
    last = min(MINUTES_PER_DAY, -(-last // 60) * 60)
    return first, last


def week_start(day: date) -> date:
    """The Monday of the week holding ``day``."""
    return day - timedelta(days=day.weekday())


class AppointmentBook(QObject):
    """The calendar's cache of appointments and of the clinic's lists.

    ``day_layout`` and ``week_layout`` call the services at most once per day or week shown;
    :meth:`invalidate` (after any change) makes the next request fetch again, and
    ``changed`` tells the views to ask.
    """

    changed = Signal()

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._days: dict[date, list[AppointmentRecord]] = {}
        self._weeks: dict[tuple[date, int], list[AppointmentRecord]] = {}
        #: the records known before the last :meth:`invalidate`, by appointment id
        self._before: dict[int, AppointmentRecord] = {}
        #: layouts made, by (day, column mode) or (week's Monday, practitioner id), with
        #: the records they were made from (a layout holds while they are the ones kept)
        self._layouts: dict[tuple[date, Any], tuple[list[AppointmentRecord], CalendarLayout]] = {}
        self.fetch_count = 0
        self.reload_reference()

    # -- the clinic's lists ----------------------------------------------------------------

    def reload_reference(self) -> None:
        """Read the practitioners, rooms, services and opening hours again."""
        profile = self.services.clinic.profile()
        self.tz = ZoneInfo(profile.timezone)
        self.clinic_name = profile.name
        self.settings: dict[str, Any] = dict(profile.settings)
        self.opening_hours = WeeklyHours.from_json(profile.opening_hours)
        self.practitioners: list[PractitionerRecord] = self.services.clinic.practitioners()
        self.rooms: list[RoomRecord] = self.services.clinic.rooms()
        self.service_list: list[ServiceRecord] = self.services.clinic.services()
        self._hours = {p.id: WeeklyHours.from_json(p.working_hours) for p in self.practitioners}
        self._layouts = {}  # columns and hours may have changed

    def practitioner(self, practitioner_id: int) -> PractitionerRecord | None:
        return next((p for p in self.practitioners if p.id == practitioner_id), None)

    def service(self, service_id: int) -> ServiceRecord | None:
        return next((s for s in self.service_list if s.id == service_id), None)

    def hours_of(self, practitioner_id: int) -> WeeklyHours:
        return self._hours.get(practitioner_id, self.opening_hours)

    def today(self) -> date:
        return self.now().date()

    def now(self) -> datetime:
        """The services' clock in the clinic's zone (tests move it)."""
        return self.services.clock().astimezone(self.tz)

    # -- fetching --------------------------------------------------------------------------

    def records_on(self, day: date) -> list[AppointmentRecord]:
        """Every appointment of a local day: one services call, then kept."""
        cached = self._days.get(day)
        if cached is None:
            cached = self._same_as_before(self.services.appointments.on_day(day))
            self.fetch_count += 1
            self._days[day] = cached
        return cached

    def known_day(self, day: date) -> list[AppointmentRecord] | None:
        """The appointments of ``day`` when they have been read (and not forgotten since)."""
        return self._days.get(day)

    def records_of_week(self, first_day: date, practitioner_id: int) -> list[AppointmentRecord]:
        """One practitioner's appointments over seven days from ``first_day``."""
        key = (first_day, practitioner_id)
        cached = self._weeks.get(key)
        if cached is None:
            days = [first_day + timedelta(days=i) for i in range(7)]
            if all(d in self._days for d in days):
                cached = [
                    r for d in days for r in self._days[d] if r.practitioner_id == practitioner_id
                ]
            else:
                start = local_datetime(first_day, time(0), self.tz)
                end = local_datetime(first_day + timedelta(days=7), time(0), self.tz)
                cached = self._same_as_before(
                    self.services.appointments.between(
                        start, end, practitioner_ids=[practitioner_id]
                    )
                )
                self.fetch_count += 1
            self._weeks[key] = cached
        return cached

    def invalidate(self) -> None:
        """Forget every fetched day; the views fetch again when they next ask."""
        self._before = {
            record.id: record
            for records in (*self._days.values(), *self._weeks.values())
            for record in records
        }
        self._days.clear()
        self._weeks.clear()
        self._layouts.clear()
        self.changed.emit()

    def _same_as_before(self, records: list[AppointmentRecord]) -> list[AppointmentRecord]:
        """The records read again, each unchanged one replaced by the record held before:
        the views keep the pictures of blocks by record, so after the minute's reading
        (or another desk's change) only the blocks that changed are drawn again."""
        before = self._before
        if not before:
            return records
        kept = []
        for record in records:
            old = before.get(record.id)
            kept.append(old if old is not None and old == record else record)
        return kept

    def find(self, appointment_id: int) -> AppointmentRecord | None:
        """A record already fetched, without asking the database."""
        for records in (*self._days.values(), *self._weeks.values()):
            for record in records:
                if record.id == appointment_id:
                    return record
        return None

    # -- laying out ------------------------------------------------------------------------

    def day_columns(self, day: date, mode: ColumnMode) -> list[Column]:
        if mode is ColumnMode.PRACTITIONERS:
            return [
                Column(
                    index=i,
                    day=day,
                    title=p.name,
                    colour=p.colour,
                    practitioner_id=p.id,
                    working=working_minutes(self.hours_of(p.id), day),
                )
                for i, p in enumerate(self.practitioners)
            ]
        opening = working_minutes(self.opening_hours, day)
        return [
            Column(
                index=i,
                day=day,
                title=r.name,
                colour="#6B7785",
                room_id=r.id,
                is_room=True,
                working=opening,
            )
            for i, r in enumerate(self.rooms)
        ]

    def day_layout(self, day: date, mode: ColumnMode = ColumnMode.PRACTITIONERS) -> CalendarLayout:
        """The day view: one column per practitioner (or per room), laid out once for the
        records read (a date read ahead is laid out before it is shown)."""
        records = self.records_on(day)
        kept = self._layouts.get((day, mode))
        if kept is not None and kept[0] is records:
            return kept[1]
        layout = self._day_layout(day, mode, records)
        self._layouts[(day, mode)] = (records, layout)
        return layout

    def _day_layout(
        self, day: date, mode: ColumnMode, records: list[AppointmentRecord]
    ) -> CalendarLayout:
        columns = self.day_columns(day, mode)
        if mode is ColumnMode.PRACTITIONERS:
            index_of = {c.practitioner_id: c.index for c in columns}
            extra = sorted(
                {r.practitioner_id for r in records} - set(index_of),
            )
            for pid in extra:  # an inactive practitioner who still has bookings that day
                name = next(r.practitioner_name for r in records if r.practitioner_id == pid)
                columns.append(Column(len(columns), day, name, "#6B7785", practitioner_id=pid))
                index_of[pid] = len(columns) - 1
            key = "practitioner_id"
        else:
            index_of = {c.room_id: c.index for c in columns}
            if any(r.room_id is None or r.room_id not in index_of for r in records):
                columns.append(
                    Column(
                        len(columns),
                        day,
                        NO_ROOM_TITLE,
                        "#6B7785",
                        is_room=True,
                        working=working_minutes(self.opening_hours, day),
                    )
                )
                index_of[None] = len(columns) - 1
            key = "room_id"

        def column_for(record: AppointmentRecord) -> int | None:
            value = getattr(record, key)
            return index_of.get(value, index_of.get(None))

        blocks = place_blocks(records, columns, column_for, self.tz)
        first, last = visible_range(columns, blocks)
        return CalendarLayout(tuple(columns), tuple(blocks), first, last, (day,), self.tz)

    def week_layout(self, day: date, practitioner_id: int) -> CalendarLayout:
        """The week view: seven day columns (Monday first) for one practitioner."""
        first_day = week_start(day)
        records = self.records_of_week(first_day, practitioner_id)
        kept = self._layouts.get((first_day, practitioner_id))
        if kept is not None and kept[0] is records:
            return kept[1]
        layout = self._week_layout(first_day, practitioner_id, records)
        self._layouts[(first_day, practitioner_id)] = (records, layout)
        return layout

    def _week_layout(
        self, first_day: date, practitioner_id: int, records: list[AppointmentRecord]
    ) -> CalendarLayout:
        practitioner = self.practitioner(practitioner_id)
        hours = self.hours_of(practitioner_id)
        colour = practitioner.colour if practitioner else "#6B7785"
        columns = [
            Column(
                index=i,
                day=first_day + timedelta(days=i),
                title=_day_title(first_day + timedelta(days=i)),
                colour=colour,
                practitioner_id=practitioner_id,
                working=working_minutes(hours, first_day + timedelta(days=i)),
            )
            for i in range(7)
        ]
        blocks = place_blocks(records, columns, None, self.tz)
        first, last = visible_range(columns, blocks)
        days = tuple(c.day for c in columns)
        return CalendarLayout(tuple(columns), tuple(blocks), first, last, days, self.tz)


def _day_title(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def status_counts(records: Iterable[AppointmentRecord]) -> dict[AppointmentStatus, int]:
    """How many appointments of each status (for the page's summary line)."""
    counts: dict[AppointmentStatus, int] = {}
    for record in records:
        counts[record.status] = counts.get(record.status, 0) + 1
    return counts
