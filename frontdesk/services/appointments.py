"""The appointment book: booking, moving, status changes and cancellations.

Overlaps are checked here first, for a message that names the clash, and again by the
database itself (see ``frontdesk.db.guards``) so two workstations can never both win.

Undo and redo (for the calendar's undo stack): every change returns the new record, and
the record the screen held before the change has the previous values. To undo a move,
call :meth:`AppointmentService.move` with the old start, end, practitioner and room (and
``allow_outside_hours=True``: the old place was accepted once); to undo a status change,
call :meth:`AppointmentService.set_status` with the old status. Every step back is an
allowed transition (see ``TRANSITIONS``) and is audited like any other change.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, String, and_, bindparam, select, type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, aliased, joinedload

from frontdesk.db import guards
from frontdesk.db.models import (
    Appointment,
    AuditEntry,
    ClinicProfile,
    Intake,
    Patient,
    Practitioner,
    Room,
    Service,
    User,
)
from frontdesk.domain.enums import FREEING_STATUSES, AppointmentStatus, ServiceKind
from frontdesk.domain.errors import ConflictError, NotFoundError, ValidationError
from frontdesk.domain.permissions import Permission
from frontdesk.domain.scheduling import Interval, WeeklyHours, day_bounds, find_free_slots
from frontdesk.services import audit, safety_checks
from frontdesk.services.base import ServiceBase
from frontdesk.services.records import AppointmentRecord, display_name

if TYPE_CHECKING:
    from frontdesk.services.hub import Services

_B = AppointmentStatus.BOOKED
_A = AppointmentStatus.ARRIVED
_T = AppointmentStatus.IN_TREATMENT
_D = AppointmentStatus.COMPLETED
_C = AppointmentStatus.CANCELLED
_N = AppointmentStatus.NO_SHOW

#: the life cycle forwards: booked -> arrived -> in treatment -> completed, or cancelled /
#: no-show; a patient marked as a no-show who turns up late can still be checked in
FORWARD: dict[AppointmentStatus, set[AppointmentStatus]] = {
    _B: {_A, _T, _C, _N},
    _A: {_T, _D, _C},
    _T: {_D},
    _D: set(),
    _C: set(),
    _N: {_A},
}

#: the allowed next statuses: each step forwards, and each step back (undo, or a correction
#: at the desk); anything else is refused with a readable message
TRANSITIONS: dict[AppointmentStatus, set[AppointmentStatus]] = {
    status: set(FORWARD[status]) | {before for before, after in FORWARD.items() if status in after}
    for status in AppointmentStatus
}

#: statuses whose appointment blocks its practitioner and room
OCCUPYING = tuple(s for s in AppointmentStatus if s.occupies_time)
_FREEING_VALUES = [s.value for s in FREEING_STATUSES]

#: one free place: (practitioner id, room id or None, the time)
SlotOption = tuple[int, int | None, Interval]

#: no appointment is longer (the database refuses it), so one that overlaps a stretch of
#: time started at most this long before it: the start-time indexes can then be used
#: instead of scanning every earlier appointment
LONGEST = timedelta(hours=guards.MAX_HOURS)


def overlapping(start: datetime, end: datetime) -> ColumnElement[bool]:
    """The condition "the appointment overlaps [start, end)", bounded for the indexes."""
    return and_(
        Appointment.starts_at < end,
        Appointment.starts_at > start - LONGEST,
        Appointment.ends_at > start,
    )


@dataclass(frozen=True)
class BookingRequest:
    patient_id: int
    service_id: int
    practitioner_id: int
    starts_at: datetime
    ends_at: datetime | None = None  # the service's default length when not given
    room_id: int | None = None
    walk_in: bool = False
    notes: str = ""
    course_id: int | None = None
    #: the person booking has seen the safety warnings for this patient and service
    acknowledged_warnings: bool = False
    #: a practitioner's reason for going ahead despite a STOP rule
    override_reason: str | None = None
    #: book outside the practitioner's working hours (the screen asked first)
    allow_outside_hours: bool = False


def _record(row: Appointment) -> AppointmentRecord:
    p = row.patient
    return AppointmentRecord(
        id=row.id,
        patient_id=row.patient_id,
        patient_name=display_name(p.legal_name, p.preferred_name, p.other_script_name),
        practitioner_id=row.practitioner_id,
        practitioner_name=row.practitioner.name,
        room_id=row.room_id,
        room_name=row.room.name if row.room else "",
        service_id=row.service_id,
        service_code=row.service.code,
        service_name=row.service.name,
        service_kind=ServiceKind(row.service.kind),
        service_colour=row.service.colour,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        status=AppointmentStatus(row.status),
        walk_in=row.walk_in,
        course_id=row.course_id,
        notes=row.notes,
        cancel_reason=row.cancel_reason,
        late_cancel=row.late_cancel,
        arrived_at=row.arrived_at,
        booked_by="",
        booked_at=row.booked_at,
        version=row.version,
    )


#: the instants of an appointment row; on SQLite they are read as their stored text and
#: parsed here, several times quicker than the column type's conversion (a day has dozens);
#: the latest intake's time saved is only compared, so it stays text
_INSTANTS = frozenset({"starts_at", "ends_at", "arrived_at", "booked_at", "created_at"})
_STATUS_BY_VALUE = {status.value: status for status in AppointmentStatus}
_KIND_BY_VALUE = {kind.value: kind for kind in ServiceKind}
_NO_FLAGS: tuple[tuple[str, ...], str] = ((), "")
#: where the latest intake's id (then its time saved) comes in a calendar row
_INTAKE_COLUMN = 26


def _calendar_query(instants_as_text: bool = False) -> Select[Any]:
    columns: list[Any] = [
        Appointment.id,
        Appointment.patient_id,
        Patient.legal_name,
        Patient.preferred_name,
        Patient.other_script_name,
        Appointment.practitioner_id,
        Practitioner.name,
        Appointment.room_id,
        Room.name,
        Appointment.service_id,
        Service.code,
        Service.name,
        Service.kind,
        Service.colour,
        Appointment.starts_at,
        Appointment.ends_at,
        Appointment.status,
        Appointment.walk_in,
        Appointment.course_id,
        Appointment.notes,
        Appointment.cancel_reason,
        Appointment.late_cancel,
        Appointment.arrived_at,
        User.display_name,
        Appointment.booked_at,
        Appointment.version,
    ]
    # the patient's latest intake (its id and when it was saved), whose safety flags the
    # block shows: the flags of an intake never change, so they are kept by intake
    latest_id = (
        select(Intake.id)
        .where(Intake.patient_id == Appointment.patient_id)
        .order_by(Intake.version_no.desc())
        .limit(1)
        .correlate(Appointment)
        .scalar_subquery()
    )
    latest = aliased(Intake, name="latest_intake")
    columns += [latest.id, latest.created_at]
    if instants_as_text:
        columns = [
            type_coerce(c, String).label(c.key) if c.key in _INSTANTS else c for c in columns
        ]
    return (
        select(*columns)
        .join(Patient, Patient.id == Appointment.patient_id)
        .join(Practitioner, Practitioner.id == Appointment.practitioner_id)
        .join(Service, Service.id == Appointment.service_id)
        .outerjoin(Room, Room.id == Appointment.room_id)
        .outerjoin(User, User.id == Appointment.booked_by_id)
        .outerjoin(latest, latest.id == latest_id)
    )


@cache
def _calendar_statement(
    instants_as_text: bool, by_practitioner: bool, include_freed: bool
) -> Select[Any]:
    """The calendar's read, built once: the times (and practitioners) are parameters, so
    each call skips building and compiling it (which cost more than the read itself)."""
    q = _calendar_query(instants_as_text).where(
        # overlapping(start, end), with the bound for the index as a parameter too
        Appointment.starts_at < bindparam("end"),
        Appointment.starts_at > bindparam("earliest"),
        Appointment.ends_at > bindparam("start"),
    )
    if by_practitioner:
        q = q.where(Appointment.practitioner_id.in_(bindparam("practitioner_ids", expanding=True)))
    if not include_freed:
        q = q.where(Appointment.status.not_in(_FREEING_VALUES))
    return q.order_by(Appointment.starts_at, Appointment.id)


@cache
def _compiled_calendar(
    dialect: Dialect, practitioner_count: int | None, include_freed: bool
) -> tuple[str, tuple[str, ...], dict[str, Any]]:
    """The calendar's read as SQLite's driver takes it: the SQL text, the order of its
    positional parameters and their fixed values (the freed statuses)."""
    q = _calendar_query(instants_as_text=True).where(
        Appointment.starts_at < bindparam("end"),
        Appointment.starts_at > bindparam("earliest"),
        Appointment.ends_at > bindparam("start"),
    )
    if practitioner_count is not None:
        q = q.where(
            Appointment.practitioner_id.in_(
                [bindparam(f"practitioner{i}") for i in range(practitioner_count)]
            )
        )
    if not include_freed:
        q = q.where(
            Appointment.status.not_in(
                [bindparam(f"freed{i}", value) for i, value in enumerate(_FREEING_VALUES)]
            )
        )
    compiled = q.order_by(Appointment.starts_at, Appointment.id).compile(dialect=dialect)
    return compiled.string, tuple(compiled.positiontup or ()), dict(compiled.params)


@cache
def _compiled_timezone(dialect: Dialect) -> str:
    return _TIMEZONE.compile(dialect=dialect, compile_kwargs={"literal_binds": True}).string


def _sqlite_instant(moment: datetime) -> str:
    """An instant as SQLite stores it (UTC text, see ``UTCDateTime``), for comparing."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _utc_text(text: str) -> datetime:
    """An instant stored as text on SQLite (always UTC, see ``UTCDateTime``)."""
    try:
        return datetime.fromisoformat(text + "+00:00")
    except ValueError:  # written with an offset after all: read it as it says
        value = datetime.fromisoformat(text)
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _utc_from_text(text: str | None) -> datetime | None:
    return None if text is None else _utc_text(text)


def _as_read(value: Any) -> Any:
    return value


#: AppointmentRecord's fields in the order the calendar's rows give them
_RECORD_FIELDS = (
    "id",
    "patient_id",
    "patient_name",
    "practitioner_id",
    "practitioner_name",
    "room_id",
    "room_name",
    "service_id",
    "service_code",
    "service_name",
    "service_kind",
    "service_colour",
    "starts_at",
    "ends_at",
    "status",
    "walk_in",
    "course_id",
    "notes",
    "cancel_reason",
    "late_cancel",
    "arrived_at",
    "booked_by",
    "booked_at",
    "version",
    "flags",
    "flag_summary",
)
#: whether records can be filled in at once: a frozen dataclass's ``__init__`` sets its
#: 26 fields one by one through ``object.__setattr__``, a quarter of a calendar read; the
#: object made is the same (equality, hash and repr are the dataclass's). Should the
#: record gain a field, or checks on creation, the plain constructor is used again.
_FILL_RECORDS = tuple(f.name for f in fields(AppointmentRecord)) == _RECORD_FIELDS and not (
    hasattr(AppointmentRecord, "__post_init__")
)
_new_record = object.__new__


def _records_from_rows(
    rows: Iterable[Any],
    flags: dict[int, tuple[tuple[str, ...], str]] | None = None,
    instant: Callable[[Any], Any] = _as_read,
) -> list[AppointmentRecord]:
    """Records from the calendar's rows (one loop for all: a day has dozens of rows)."""
    flags = flags or {}
    # start and end times recur across a day's rows: each is read once per call
    seen: dict[Any, Any] = {}
    seen_get = seen.get
    records: list[AppointmentRecord] = []
    for (
        aid,
        pid,
        legal,
        preferred,
        other,
        prid,
        prname,
        rid,
        rname,
        sid,
        scode,
        sname,
        skind,
        scolour,
        starts,
        ends,
        status,
        walk_in,
        course,
        notes,
        reason,
        late,
        arrived,
        booker,
        booked_at,
        version,
        _intake,
        _saved,
    ) in rows:
        starts_at = seen_get(starts)
        if starts_at is None:
            starts_at = seen[starts] = instant(starts)
        ends_at = seen_get(ends)
        if ends_at is None:
            ends_at = seen[ends] = instant(ends)
        badges, summary = flags.get(pid, _NO_FLAGS)
        values = (
            aid,
            pid,
            display_name(legal, preferred, other),
            prid,
            prname,
            rid,
            rname or "",
            sid,
            scode,
            sname,
            _KIND_BY_VALUE.get(skind) or ServiceKind(skind),
            scolour,
            starts_at,
            ends_at,
            _STATUS_BY_VALUE.get(status) or AppointmentStatus(status),
            bool(walk_in),  # SQLite's driver gives 0 or 1
            course,
            notes,
            reason,
            bool(late),
            None if arrived is None else instant(arrived),
            booker or "",
            instant(booked_at),
            version,
            badges,
            summary,
        )
        if _FILL_RECORDS:
            record: AppointmentRecord = _new_record(AppointmentRecord)
            record.__dict__.update(zip(_RECORD_FIELDS, values, strict=True))
        else:
            record = AppointmentRecord(**dict(zip(_RECORD_FIELDS, values, strict=True)))
        records.append(record)
    return records


def _with_relations(q: Select[tuple[Appointment]]) -> Select[tuple[Appointment]]:
    return q.options(
        joinedload(Appointment.patient),
        joinedload(Appointment.practitioner),
        joinedload(Appointment.service),
        joinedload(Appointment.room),
    )


def translate_overlap(error: DBAPIError) -> ConflictError | None:
    """Turn the database's overlap refusal into a sentence for the receptionist.

    SQLite's triggers raise their tag as the message; PostgreSQL's exclusion constraints
    name the constraint (``... violates exclusion constraint "frontdesk_overlap_room"``).
    """
    text = str(error.orig)
    if guards.OVERLAP_PRACTITIONER in text:
        return ConflictError(
            "The practitioner is already booked at that time (another workstation may "
            "have just taken the slot). Choose another time."
        )
    if guards.OVERLAP_ROOM in text:
        return ConflictError(
            "The room is already in use at that time (another workstation may have just "
            "taken it). Choose another room or time."
        )
    if guards.TOO_LONG in text:
        return ConflictError(
            f"An appointment cannot last more than {guards.MAX_HOURS} hours.", field="end"
        )
    # PostgreSQL checks the practitioner and the room constraints one after the other;
    # two workstations booking the same practitioner and room at the same instant can
    # each wait on the other, and the server then stops one of them (deadlock).
    if getattr(error.orig, "sqlstate", None) in _LOST_RACE_STATES:
        return ConflictError(
            "The same time was booked on another workstation at the same moment, and that "
            "booking came first. Nothing was saved here: check the calendar and choose a "
            "free time."
        )
    return None


#: deadlock detected, serialization failure
_LOST_RACE_STATES = ("40P01", "40001")


def occupied(
    s: Session, start: datetime, end: datetime
) -> tuple[dict[int, list[Interval]], dict[int, list[Interval]]]:
    """Busy time per practitioner and per room between ``start`` and ``end`` (one query).

    Only appointments that occupy time count (cancelled and no-show ones free their slot).
    """
    rows = s.execute(
        select(
            Appointment.practitioner_id,
            Appointment.room_id,
            Appointment.starts_at,
            Appointment.ends_at,
        ).where(overlapping(start, end), Appointment.status.not_in(_FREEING_VALUES))
    ).tuples()
    by_practitioner: dict[int, list[Interval]] = defaultdict(list)
    by_room: dict[int, list[Interval]] = defaultdict(list)
    for practitioner_id, room_id, starts_at, ends_at in rows:
        interval = Interval(starts_at, ends_at)
        by_practitioner[practitioner_id].append(interval)
        if room_id is not None:
            by_room[room_id].append(interval)
    return dict(by_practitioner), dict(by_room)


def first_free_room(
    rooms: Iterable[int], room_busy: dict[int, list[Interval]], slot: Interval
) -> int | None:
    """The first of ``rooms`` (in the order given) free for the whole ``slot``."""
    for room_id in rooms:
        if not any(busy.overlaps(slot) for busy in room_busy.get(room_id, ())):
            return room_id
    return None


def service_kinds(service: Service) -> tuple[ServiceKind, ...]:
    """Every kind of treatment a service row includes (for the safety rules)."""
    return (
        ServiceKind(service.kind),
        *(ServiceKind(k) for k in service.extra_kinds.get("kinds", [])),
    )


def clinic_timezone(s: Session) -> ZoneInfo:
    """The clinic's zone (UTC before the clinic is set up)."""
    profile = s.get(ClinicProfile, 1)
    return ZoneInfo(profile.timezone if profile else "UTC")


_TIMEZONE = select(ClinicProfile.timezone).where(ClinicProfile.id == 1)


def _read_timezone(s: Session) -> ZoneInfo:
    """The clinic's zone as :func:`clinic_timezone` gives it, read as one plain column
    (the calendar's reads need nothing else of the profile)."""
    name = s.connection().execute(_TIMEZONE).scalar()
    return ZoneInfo(name or "UTC")


def active_service(s: Session, service_id: int) -> Service:
    """The service row, refused when it does not exist or is no longer offered."""
    service = s.get(Service, service_id)
    if service is None or not service.active:
        raise NotFoundError("That service does not exist or is no longer offered.")
    return service


def active_practitioners(s: Session, practitioner_id: int | None = None) -> list[Practitioner]:
    """Active practitioners in the clinic's order, or just the one asked for."""
    q = select(Practitioner).where(Practitioner.active.is_(True))
    if practitioner_id is not None:
        q = q.where(Practitioner.id == practitioner_id)
    found = list(s.scalars(q.order_by(Practitioner.sort_order, Practitioner.id)))
    if practitioner_id is not None and not found:
        raise NotFoundError("That practitioner does not exist or is no longer active.")
    return found


def active_room_ids(s: Session) -> list[int]:
    """Active rooms in the clinic's order."""
    return list(
        s.scalars(select(Room.id).where(Room.active.is_(True)).order_by(Room.sort_order, Room.id))
    )


class AppointmentService(ServiceBase):
    """Booking and changing appointments."""

    def __init__(self, hub: Services) -> None:
        super().__init__(hub)
        #: the database's name in the safety flags kept by intake
        self._database = str(self.db.engine.url)

    # -- reading -----------------------------------------------------------------------

    def clinic_timezone(self) -> ZoneInfo:
        """The clinic's time zone: local days and times are read in it."""
        with self.db.read() as s:
            return self._tz(s)

    @staticmethod
    def _tz(s: Session) -> ZoneInfo:
        return clinic_timezone(s)

    def get(self, appointment_id: int) -> AppointmentRecord:
        """One appointment; NotFoundError when there is no such appointment."""
        with self.db.read() as s:
            row = s.scalars(
                _with_relations(select(Appointment).where(Appointment.id == appointment_id))
            ).first()
            if row is None:
                raise NotFoundError(f"There is no appointment number {appointment_id}.")
            return self._decorate(s, [_record(row)])[0]

    def between(
        self,
        start: datetime,
        end: datetime,
        *,
        practitioner_ids: Iterable[int] | None = None,
        include_freed: bool = True,
    ) -> list[AppointmentRecord]:
        """Appointments that overlap [start, end), in time order."""
        if self.db.is_sqlite:
            with self._driver_cursor() as cursor:
                rows = self._calendar_rows_sqlite(
                    cursor, start, end, practitioner_ids, include_freed
                )
            return self._calendar_records(rows, None, _utc_from_text)
        with self.db.read() as s:
            return self._between(
                s, start, end, practitioner_ids=practitioner_ids, include_freed=include_freed
            )

    def _between(
        self,
        s: Session,
        start: datetime,
        end: datetime,
        *,
        practitioner_ids: Iterable[int] | None = None,
        include_freed: bool = True,
    ) -> list[AppointmentRecord]:
        # The calendar asks this on every change of date: a statement built once, plain
        # columns on the Core connection (no ORM objects, no ORM execution), then the
        # patients' flags (kept per intake) put in as each record is made.
        as_text = self.db.is_sqlite
        q = _calendar_statement(as_text, practitioner_ids is not None, include_freed)
        params: dict[str, Any] = {"start": start, "end": end, "earliest": start - LONGEST}
        if practitioner_ids is not None:
            params["practitioner_ids"] = list(practitioner_ids)
        rows = s.connection().execute(q, params).all()
        return self._calendar_records(rows, s, _utc_from_text if as_text else _as_read)

    @contextmanager
    def _driver_cursor(self) -> Iterator[Any]:
        """A cursor of SQLite's driver, for the calendar's reads.

        A session costs more than the day's read itself (taking a connection, BEGIN,
        the ORM's bookkeeping, the rollback). The driver connection from the pool runs in
        autocommit (see ``frontdesk.db.engine``): each statement reads the newest commit,
        nothing is held open, and writers at other desks are neither blocked nor missed.
        """
        connection = self.db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                yield cursor
            finally:
                cursor.close()
        finally:
            connection.close()  # back to the pool

    def _calendar_rows_sqlite(
        self,
        cursor: Any,
        start: datetime,
        end: datetime,
        practitioner_ids: Iterable[int] | None,
        include_freed: bool,
    ) -> list[Any]:
        wanted = None if practitioner_ids is None else list(practitioner_ids)
        if wanted == []:
            return []
        sql, order, fixed = _compiled_calendar(
            self.db.engine.dialect, None if wanted is None else len(wanted), include_freed
        )
        params = {
            **fixed,
            "start": _sqlite_instant(start),
            "end": _sqlite_instant(end),
            "earliest": _sqlite_instant(start - LONGEST),
        }
        for index, practitioner_id in enumerate(wanted or ()):
            params[f"practitioner{index}"] = practitioner_id
        cursor.execute(sql, [params[name] for name in order])
        rows: list[Any] = cursor.fetchall()
        return rows

    def _calendar_records(
        self, rows: Sequence[Any], s: Session | None, instant: Callable[[Any], Any]
    ) -> list[AppointmentRecord]:
        if not rows:
            return []
        return _records_from_rows(rows, self._flags_of_rows(s, rows), instant)

    def _flags_of_rows(
        self, s: Session | None, rows: Sequence[Any]
    ) -> dict[int, tuple[tuple[str, ...], str]]:
        """The safety flags of the rows' patients, by patient id, from the latest intake
        each row names: kept by intake (id and time saved, so a restored backup cannot
        mix them up) in ``safety_checks``, so a day whose intakes were seen before needs
        no further query."""
        intakes = {
            row[1]: (row[_INTAKE_COLUMN], row[_INTAKE_COLUMN + 1])
            for row in rows
            if row[_INTAKE_COLUMN] is not None
        }
        if not intakes:
            return {}
        database = self._database
        found = safety_checks.kept_intake_flags(database, intakes.values())
        if len(found) < len(intakes):
            if s is None:
                with self.db.read() as session:
                    found = safety_checks.flags_for_intakes(session, database, intakes.values())
            else:
                found = safety_checks.flags_for_intakes(s, database, intakes.values())
        return {pid: found.get(key[0], _NO_FLAGS) for pid, key in intakes.items()}

    def on_day(self, day: date, **kwargs: Any) -> list[AppointmentRecord]:
        """Appointments of one local day in the clinic's timezone (23 or 25 hours on DST days)."""
        if self.db.is_sqlite:
            practitioner_ids = kwargs.pop("practitioner_ids", None)
            include_freed = kwargs.pop("include_freed", True)
            if kwargs:
                raise TypeError(f"on_day() got unexpected arguments {sorted(kwargs)}")
            with self._driver_cursor() as cursor:
                cursor.execute(_compiled_timezone(self.db.engine.dialect))
                found = cursor.fetchone()
                bounds = day_bounds(day, ZoneInfo(found[0] if found else "UTC"))
                rows = self._calendar_rows_sqlite(
                    cursor, bounds.start, bounds.end, practitioner_ids, include_freed
                )
            return self._calendar_records(rows, None, _utc_from_text)
        with self.db.read() as s:
            bounds = day_bounds(day, _read_timezone(s))
            return self._between(s, bounds.start, bounds.end, **kwargs)

    def for_patient(self, patient_id: int) -> list[AppointmentRecord]:
        """Every appointment of a patient, oldest first."""
        q = _with_relations(
            select(Appointment)
            .where(Appointment.patient_id == patient_id)
            .order_by(Appointment.starts_at)
        )
        with self.db.read() as s:
            return self._decorate(s, [_record(r) for r in s.scalars(q).unique()])

    def day_summary(
        self,
        first_day: date,
        last_day: date,
        *,
        practitioner_ids: Iterable[int] | None = None,
    ) -> dict[date, int]:
        """How many appointments occupy each local day from ``first_day`` to ``last_day``.

        For the month navigator's busy-day marks: one query reading start times only;
        cancelled and no-show appointments are not counted, days without any are left out.
        """
        if last_day < first_day:
            return {}
        with self.db.read() as s:
            tz = _read_timezone(s)
            start = day_bounds(first_day, tz).start
            end = day_bounds(last_day, tz).end
            as_text = self.db.is_sqlite
            starts = (
                type_coerce(Appointment.starts_at, String) if as_text else Appointment.starts_at
            )
            q = select(starts).where(
                Appointment.starts_at >= start,
                Appointment.starts_at < end,
                Appointment.status.not_in(_FREEING_VALUES),
            )
            if practitioner_ids is not None:
                q = q.where(Appointment.practitioner_id.in_(list(practitioner_ids)))
            read: Callable[[Any], datetime] = _utc_text if as_text else _as_read
            counts = Counter(
                read(value).astimezone(tz).date() for value in s.connection().scalars(q)
            )
        return dict(sorted(counts.items()))

    def free_slots(
        self,
        day: date,
        service_id: int,
        practitioner_id: int | None = None,
        *,
        duration_minutes: int | None = None,
        step_minutes: int | None = None,
        not_before: datetime | None = None,
    ) -> list[SlotOption]:
        """Every free place for ``service_id`` on the local ``day``, for the booking dialog.

        Returns ``(practitioner_id, room_id, interval)`` tuples in time order (then in the
        clinic's practitioner order): the slot lies in the practitioner's working hours and
        is free for the practitioner and, when the service needs a room, for the room
        given (the first free room in the clinic's order; ``None`` when no room is needed).
        Slots start on the calendar grid (the clinic's ``grid_minutes`` setting unless
        ``step_minutes`` is given) and are alternatives: consecutive ones overlap when the
        appointment is longer than the step. ``not_before`` (e.g. now) drops earlier slots;
        ``duration_minutes`` defaults to the service's length.
        """
        with self.db.read() as s:
            service = active_service(s, service_id)
            tz = self._tz(s)
            window = day_bounds(day, tz)
            practitioners = [
                (p.id, WeeklyHours.from_json(p.working_hours).intervals_on(day, tz))
                for p in active_practitioners(s, practitioner_id)
            ]
            rooms = active_room_ids(s) if service.needs_room else []
            practitioner_busy, room_busy = occupied(s, window.start, window.end)
            step = step_minutes or int(self.hub.settings(s).get("grid_minutes", 15))
            minutes = duration_minutes or service.default_minutes
            needs_room = service.needs_room
        duration = timedelta(minutes=minutes)
        found: list[tuple[datetime, int, SlotOption]] = []
        for order, (p_id, working) in enumerate(practitioners):
            slots = find_free_slots(
                window, duration, working, practitioner_busy.get(p_id, []), step, not_before, tz=tz
            )
            for slot in slots:
                room_id = first_free_room(rooms, room_busy, slot) if needs_room else None
                if needs_room and room_id is None:
                    continue
                found.append((slot.start, order, (p_id, room_id, slot)))
        found.sort(key=lambda item: (item[0], item[1]))
        return [option for _, _, option in found]

    def suggest_place(
        self,
        service_id: int,
        starts_at: datetime,
        ends_at: datetime | None = None,
        *,
        practitioner_id: int | None = None,
        room_id: int | None = None,
        allow_outside_hours: bool = False,
    ) -> tuple[int, int | None]:
        """A practitioner and room free at the given time: ``(practitioner_id, room_id)``.

        The practitioner asked for (or the first free, working one in the clinic's order)
        and the room asked for (or, when the service needs one, the first free room;
        ``None`` when it needs none). Raises ConflictError naming what is missing.
        """
        with self.db.read() as s:
            service = active_service(s, service_id)
            start, end = self._times(starts_at, ends_at, service)
            slot = Interval(start, end)
            tz = self._tz(s)
            practitioner_busy, room_busy = occupied(s, start, end)
            if practitioner_id is not None:
                # booking with that practitioner gives the precise reason if it fails
                chosen = active_practitioners(s, practitioner_id)[0].id
            else:
                chosen = self._first_free_practitioner(
                    s, slot, practitioner_busy, tz, allow_outside_hours
                )
            if room_id is not None or not service.needs_room:
                return chosen, room_id
            room = first_free_room(active_room_ids(s), room_busy, slot)
            if room is None:
                raise ConflictError(
                    f"Every room is in use from {_hm(start, tz)} to {_hm(end, tz)}. "
                    "Choose another time."
                )
            return chosen, room

    @staticmethod
    def _first_free_practitioner(
        s: Session,
        slot: Interval,
        practitioner_busy: dict[int, list[Interval]],
        tz: ZoneInfo,
        allow_outside_hours: bool,
    ) -> int:
        for candidate in active_practitioners(s):
            if practitioner_busy.get(candidate.id):
                continue
            hours = WeeklyHours.from_json(candidate.working_hours)
            if allow_outside_hours or hours.contains(slot, tz):
                return candidate.id
        raise ConflictError(
            f"No practitioner is free and working from {_hm(slot.start, tz)} to "
            f"{_hm(slot.end, tz)}. Choose another time."
        )

    def _decorate(self, s: Session, records: list[AppointmentRecord]) -> list[AppointmentRecord]:
        """Add who booked and the patients' safety flags (hook for the intake records)."""
        user_ids = {r.id for r in records}
        if not user_ids:
            return records
        names: dict[int, str] = dict(
            s.execute(
                select(Appointment.id, User.display_name)
                .join(User, User.id == Appointment.booked_by_id)
                .where(Appointment.id.in_(user_ids))
            )
            .tuples()
            .all()
        )
        flags = self.hub.flag_lookup(s, {r.patient_id for r in records})
        out = []
        for r in records:
            badges, summary = flags.get(r.patient_id, ((), ""))
            out.append(
                replace(r, booked_by=names.get(r.id, ""), flags=badges, flag_summary=summary)
            )
        return out

    def records(self, s: Session, ids: Iterable[int]) -> list[AppointmentRecord]:
        """Records of the appointments ``ids`` read in an open session, in time order."""
        wanted = list(ids)
        if not wanted:
            return []
        q = _with_relations(
            select(Appointment)
            .where(Appointment.id.in_(wanted))
            .order_by(Appointment.starts_at, Appointment.id)
        )
        return self._decorate(s, [_record(r) for r in s.scalars(q).unique()])

    # -- booking -----------------------------------------------------------------------

    def book(self, request: BookingRequest) -> AppointmentRecord:
        """Book an appointment, refusing overlaps, unsafe treatments and bad times.

        Raises ConflictError naming the clash (the same practitioner or room is busy),
        OutsideWorkingHours (a ConflictError: ask, then retry with ``allow_outside_hours``),
        ValidationError (times, archived patient, a room missing), NotFoundError, and the
        safety errors (SafetyAcknowledgementRequired: retry with ``acknowledged_warnings``;
        SafetyError: a practitioner's ``override_reason`` is needed).
        """
        self.hub.require(Permission.BOOK)
        with self.db.write() as s:
            row = self.book_in(s, request, self.now())
            appointment_id = row.id
        return self.get(appointment_id)

    def book_in(
        self,
        s: Session,
        request: BookingRequest,
        now: datetime,
        *,
        status: AppointmentStatus = AppointmentStatus.BOOKED,
        check_safety: bool = True,
    ) -> Appointment:
        """Book inside an open unit of work (for walk-ins, courses and the wait list, which
        save more in the same unit); ``status`` ARRIVED checks the patient in at ``now``."""
        service = active_service(s, request.service_id)
        patient = s.get(Patient, request.patient_id)
        if patient is None:
            raise NotFoundError(f"There is no patient number {request.patient_id}.")
        if patient.archived:
            raise ValidationError("This patient's record is archived. Restore it before booking.")
        practitioner = s.get(Practitioner, request.practitioner_id)
        if practitioner is None or not practitioner.active:
            raise NotFoundError("That practitioner does not exist or is no longer active.")
        starts_at, ends_at = self._times(request.starts_at, request.ends_at, service)
        room_id = request.room_id
        if room_id is not None:
            room = s.get(Room, room_id)
            if room is None or not room.active:
                raise NotFoundError("That room does not exist or is no longer in use.")
        elif service.needs_room:
            raise ValidationError(f"{service.name} needs a room. Choose one.", field="room")
        self._check_free(s, None, request.practitioner_id, room_id, starts_at, ends_at)
        if not request.allow_outside_hours:
            self.hub.check_working_hours(s, practitioner, starts_at, ends_at)
        kinds = service_kinds(service)
        if check_safety:
            self.hub.check_safety(
                s,
                patient_id=patient.id,
                kinds=kinds,
                acknowledged=request.acknowledged_warnings,
                override_reason=request.override_reason,
            )
        row = Appointment(
            patient_id=patient.id,
            practitioner_id=practitioner.id,
            room_id=room_id,
            service_id=service.id,
            starts_at=starts_at,
            ends_at=ends_at,
            status=status.value,
            walk_in=request.walk_in,
            course_id=request.course_id,
            notes=request.notes.strip(),
            arrived_at=now if status is AppointmentStatus.ARRIVED else None,
            booked_by_id=self.actor.user_id,
            booked_at=now,
            updated_at=now,
        )
        s.add(row)
        self._flush(s)
        if check_safety:
            self.hub.record_override(s, patient.id, row.id, kinds, request.override_reason)
        changes: dict[str, Any] = {
            "starts_at": [None, starts_at.isoformat()],
            "ends_at": [None, ends_at.isoformat()],
            "service": [None, service.code],
            "practitioner": [None, practitioner.name],
            "room_id": [None, room_id],
            "walk_in": [None, request.walk_in],
        }
        if request.course_id is not None:
            changes["course_id"] = [None, request.course_id]
        audit.record(
            s,
            self.actor,
            now,
            "book",
            "appointment",
            row.id,
            patient_id=patient.id,
            changes=changes,
        )
        if status is not AppointmentStatus.BOOKED:
            audit.record(
                s,
                self.actor,
                now,
                status.value,
                "appointment",
                row.id,
                patient_id=patient.id,
                changes={"status": [AppointmentStatus.BOOKED.value, status.value]},
            )
        return row

    @staticmethod
    def _times(
        starts_at: datetime, ends_at: datetime | None, service: Service
    ) -> tuple[datetime, datetime]:
        if starts_at.tzinfo is None:
            raise ValidationError("The start time must include a timezone.", field="start")
        if ends_at is None:
            ends_at = starts_at + timedelta(minutes=service.default_minutes)
        if ends_at.tzinfo is None:
            raise ValidationError("The end time must include a timezone.", field="end")
        if ends_at <= starts_at:
            raise ValidationError("The end time must be after the start time.", field="end")
        if ends_at - starts_at > timedelta(hours=8):
            raise ValidationError("An appointment cannot last more than 8 hours.", field="end")
        return starts_at, ends_at

    def _check_free(
        self,
        s: Session,
        appointment_id: int | Iterable[int] | None,
        practitioner_id: int,
        room_id: int | None,
        starts_at: datetime,
        ends_at: datetime,
    ) -> None:
        """Refuse the time when the practitioner or the room is taken, naming the clash.

        ``appointment_id`` (one id or several) is left out of the search: the appointment
        being moved does not clash with itself.
        """
        busy = select(Appointment).where(
            overlapping(starts_at, ends_at), Appointment.status.not_in(_FREEING_VALUES)
        )
        if isinstance(appointment_id, int):
            busy = busy.where(Appointment.id != appointment_id)
        elif appointment_id is not None:
            busy = busy.where(Appointment.id.not_in(list(appointment_id)))
        tz = self._tz(s)
        clash = s.scalars(
            _with_relations(
                busy.where(Appointment.practitioner_id == practitioner_id).order_by(
                    Appointment.starts_at
                )
            )
        ).first()
        if clash is not None:
            raise ConflictError(
                f"{clash.practitioner.name} is already booked from "
                f"{_hm(clash.starts_at, tz)} to {_hm(clash.ends_at, tz)} "
                f"({clash.service.name}). Choose another time or practitioner."
            )
        if room_id is not None:
            clash = s.scalars(
                _with_relations(
                    busy.where(Appointment.room_id == room_id).order_by(Appointment.starts_at)
                )
            ).first()
            if clash is not None and clash.room is not None:
                raise ConflictError(
                    f"{clash.room.name} is in use from {_hm(clash.starts_at, tz)} to "
                    f"{_hm(clash.ends_at, tz)} ({clash.service.name} with "
                    f"{clash.practitioner.name}). Choose another room or time."
                )

    @staticmethod
    def _flush(s: Session) -> None:
        """Send the changes to the database, turning its overlap refusal into a message."""
        try:
            s.flush()
        except (IntegrityError, DBAPIError) as error:
            translated = translate_overlap(error)
            if translated is not None:
                raise translated from None
            raise

    def load_for_change(
        self, s: Session, appointment_id: int, expected_version: int | None
    ) -> Appointment:
        """The appointment to change inside an open unit of work; ConflictError when
        ``expected_version`` is given and another workstation changed it since."""
        row = s.scalars(
            _with_relations(select(Appointment).where(Appointment.id == appointment_id))
        ).first()
        if row is None:
            raise NotFoundError(f"There is no appointment number {appointment_id}.")
        if expected_version is not None and row.version != expected_version:
            last = s.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity == "appointment", AuditEntry.entity_id == row.id)
                .order_by(AuditEntry.id.desc())
                .limit(1)
            ).first()
            who = f" (changed by {last.username} at {_hm(last.at, self._tz(s))})" if last else ""
            raise ConflictError(
                "This appointment was changed on another workstation while you were looking "
                f"at it{who}. The calendar has been refreshed: check it and try again."
            )
        return row

    # -- changing ----------------------------------------------------------------------

    def move(
        self,
        appointment_id: int,
        starts_at: datetime,
        *,
        practitioner_id: int | None = None,
        room_id: int | bool | None = False,
        ends_at: datetime | None = None,
        expected_version: int | None = None,
        allow_outside_hours: bool = False,
    ) -> AppointmentRecord:
        """Reschedule: a new start (the length is kept unless ``ends_at`` is given), and
        optionally another practitioner or room (``room_id=False`` keeps the room,
        ``None`` takes the appointment out of any room). Returns the moved record.

        The same rules as booking apply (overlaps named, working hours asked). To undo,
        move back to the old record's start, end, practitioner and room with
        ``allow_outside_hours=True`` and ``expected_version`` of the returned record.
        """
        self.hub.require(Permission.BOOK)
        now = self.now()
        with self.db.write() as s:
            row = self.load_for_change(s, appointment_id, expected_version)
            self.move_in(
                s,
                row,
                starts_at,
                ends_at=ends_at,
                practitioner_id=practitioner_id,
                room_id=room_id,
                allow_outside_hours=allow_outside_hours,
                now=now,
            )
        return self.get(appointment_id)

    def move_in(
        self,
        s: Session,
        row: Appointment,
        starts_at: datetime,
        *,
        ends_at: datetime | None,
        practitioner_id: int | None,
        room_id: int | bool | None,
        allow_outside_hours: bool,
        now: datetime,
        ignore_ids: Iterable[int] = (),
    ) -> None:
        """Move one loaded row inside an open unit of work (checks, flush and audit)."""
        if AppointmentStatus(row.status) is AppointmentStatus.COMPLETED:
            raise ValidationError("A completed appointment cannot be moved.")
        length = row.ends_at - row.starts_at
        new_end = ends_at or starts_at + length
        new_start, new_end = self._times(starts_at, new_end, row.service)
        new_practitioner = practitioner_id or row.practitioner_id
        # False keeps the room (True is read the same way: it names no room)
        new_room = row.room_id if isinstance(room_id, bool) else room_id
        practitioner = s.get(Practitioner, new_practitioner)
        if practitioner is None or not practitioner.active:
            raise NotFoundError("That practitioner does not exist or is no longer active.")
        if new_room is not None and new_room != row.room_id:
            room = s.get(Room, new_room)
            if room is None or not room.active:
                raise NotFoundError("That room does not exist or is no longer in use.")
        if AppointmentStatus(row.status).occupies_time:
            self._check_free(
                s, {row.id, *ignore_ids}, new_practitioner, new_room, new_start, new_end
            )
        if not allow_outside_hours:
            self.hub.check_working_hours(s, practitioner, new_start, new_end)
        before = {
            "starts_at": row.starts_at,
            "ends_at": row.ends_at,
            "practitioner_id": row.practitioner_id,
            "room_id": row.room_id,
        }
        row.starts_at, row.ends_at = new_start, new_end
        row.practitioner_id = new_practitioner
        row.room_id = new_room
        row.updated_at = now
        self._flush(s)
        after = {
            "starts_at": new_start,
            "ends_at": new_end,
            "practitioner_id": new_practitioner,
            "room_id": new_room,
        }
        audit.record(
            s,
            self.actor,
            now,
            "move",
            "appointment",
            row.id,
            patient_id=row.patient_id,
            changes=audit.diff(before, after),
        )

    def set_status(
        self,
        appointment_id: int,
        status: AppointmentStatus,
        *,
        reason: str = "",
        expected_version: int | None = None,
    ) -> AppointmentRecord:
        """Move an appointment along its life cycle and return the changed record.

        booked -> arrived -> in treatment -> completed; cancelled (a reason is required;
        marked a late cancellation when it comes within the clinic's ``late_cancel_hours``
        of the start) and no-show. Each step back is allowed too, for undo and for
        corrections (a cancelled appointment back to booked or arrived, a no-show back to
        booked, arrived back to booked...); bringing back a cancelled or no-show
        appointment checks that its slot is still free. Each change is audited.
        """
        self.hub.require(Permission.BOOK)
        now = self.now()
        with self.db.write() as s:
            row = self.load_for_change(s, appointment_id, expected_version)
            self.set_status_in(s, row, status, reason=reason, now=now)
        return self.get(appointment_id)

    def set_status_in(
        self,
        s: Session,
        row: Appointment,
        status: AppointmentStatus,
        *,
        reason: str,
        now: datetime,
    ) -> None:
        """Change the status of one loaded row inside an open unit of work."""
        current = AppointmentStatus(row.status)
        if status == current:
            return
        if status not in TRANSITIONS[current]:
            raise ValidationError(
                f"An appointment that is {_status_text(current)} cannot be marked "
                f"{_status_text(status)}."
            )
        changes: dict[str, Any] = {"status": [current.value, status.value]}
        if status is AppointmentStatus.CANCELLED:
            reason = reason.strip()
            if not reason:
                raise ValidationError("Please give a reason for the cancellation.", field="reason")
            hours = float(self.hub.settings(s).get("late_cancel_hours", 24))
            row.cancel_reason = reason
            row.late_cancel = row.starts_at - now < timedelta(hours=hours)
            changes["reason"] = [None, reason]
            changes["late_cancel"] = [None, row.late_cancel]
        elif current is AppointmentStatus.CANCELLED:
            changes["reason"] = [row.cancel_reason, None]
            changes["late_cancel"] = [row.late_cancel, False]
            row.cancel_reason = ""
            row.late_cancel = False
        if status.occupies_time and not current.occupies_time:
            # the slot may have been given to someone else since
            self._check_free(
                s, row.id, row.practitioner_id, row.room_id, row.starts_at, row.ends_at
            )
        if status is AppointmentStatus.ARRIVED and row.arrived_at is None:
            row.arrived_at = now
            changes["arrived_at"] = [None, now.isoformat()]
        if status in (AppointmentStatus.BOOKED, AppointmentStatus.NO_SHOW) and row.arrived_at:
            changes["arrived_at"] = [row.arrived_at.isoformat(), None]
            row.arrived_at = None
        row.status = status.value
        row.updated_at = now
        self._flush(s)
        audit.record(
            s,
            self.actor,
            now,
            status.value,
            "appointment",
            row.id,
            patient_id=row.patient_id,
            changes=changes,
        )

    def check_in(self, appointment_id: int) -> AppointmentRecord:
        """The patient has arrived (the waiting panel lists them from now)."""
        return self.set_status(appointment_id, AppointmentStatus.ARRIVED)

    def cancel(self, appointment_id: int, reason: str) -> AppointmentRecord:
        """Cancel with a reason; the slot is free again at once."""
        return self.set_status(appointment_id, AppointmentStatus.CANCELLED, reason=reason)

    def no_show(self, appointment_id: int) -> AppointmentRecord:
        """The patient did not come; the slot is free again and the patient's count goes up."""
        return self.set_status(appointment_id, AppointmentStatus.NO_SHOW)

    def waiting(self) -> list[AppointmentRecord]:
        """Patients who have arrived today and not yet been taken in, longest wait first."""
        tz = self.clinic_timezone()
        today = self.now().astimezone(tz).date()
        return waiting_among(self.on_day(today))


def waiting_among(records: Iterable[AppointmentRecord]) -> list[AppointmentRecord]:
    """Of a day's appointments, the patients who have arrived and are waiting (longest wait
    first), then those in treatment: :meth:`AppointmentService.waiting` from records read
    already (the calendar's, when it shows today)."""
    rows = [
        r
        for r in records
        if r.status in (AppointmentStatus.ARRIVED, AppointmentStatus.IN_TREATMENT)
    ]
    return sorted(
        rows, key=lambda r: (r.status != AppointmentStatus.ARRIVED, r.arrived_at or r.starts_at)
    )


def _kinds(service: Service) -> tuple[ServiceKind, ...]:
    return service_kinds(service)


def _status_text(status: AppointmentStatus) -> str:
    return {
        AppointmentStatus.BOOKED: "booked",
        AppointmentStatus.ARRIVED: "arrived",
        AppointmentStatus.IN_TREATMENT: "in treatment",
        AppointmentStatus.COMPLETED: "completed",
        AppointmentStatus.CANCELLED: "cancelled",
        AppointmentStatus.NO_SHOW: "a no-show",
    }[status]


def _hm(dt: datetime, tz: ZoneInfo) -> str:
    return dt.astimezone(tz).strftime("%H:%M")
