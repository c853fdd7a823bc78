"""Treatment courses: a series of sessions planned, previewed, then booked all at once.

1. :meth:`CourseService.preview` places each session near the wanted time with the chosen
   practitioner (and a free room), using ``frontdesk.domain.courses.plan_course``, and lists
   the sessions that cannot be placed with the reason. Nothing is saved.
2. :meth:`CourseService.book` saves the course and every placed session in one unit of
   work: if a slot was taken since the preview, nothing is booked and the clash is named.
3. :meth:`CourseService.change_session` moves one session, or it and every later one by
   the same amount; :meth:`CourseService.cancel_course` cancels the sessions still to come.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.models import Appointment, Patient, Practitioner, Room, TreatmentCourse
from frontdesk.domain.courses import CoursePlan, CourseRequest, UnplacedSession, plan_course
from frontdesk.domain.enums import AppointmentStatus
from frontdesk.domain.errors import ConflictError, NotFoundError, ValidationError
from frontdesk.domain.permissions import Permission
from frontdesk.domain.scheduling import Interval, WeeklyHours, day_bounds, local_datetime
from frontdesk.services import audit
from frontdesk.services.appointments import (
    BookingRequest,
    active_practitioners,
    active_room_ids,
    active_service,
    clinic_timezone,
    overlapping,
)
from frontdesk.services.base import ServiceBase
from frontdesk.services.records import AppointmentRecord, display_name

Scope = Literal["this", "following"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class CourseParams:
    """The shape of the course the receptionist asks for.

    ``weekdays`` (0 = Monday), exactly ``per_week`` of them, or ``None`` to spread the
    sessions over the practitioner's working days. ``around`` is the preferred local start
    time; a session may move up to ``flexibility_minutes`` either way. ``weeks`` stretches
    the course (12 sessions over 8 weeks); ``duration_minutes`` defaults to the service's
    length.
    """

    first_day: date
    sessions: int
    per_week: int
    around: time
    weekdays: tuple[int, ...] | None = None
    flexibility_minutes: int = 120
    weeks: int | None = None
    duration_minutes: int | None = None


@dataclass(frozen=True)
class PreviewSession:
    """A session the preview found a place for. ``index`` counts from 1."""

    index: int
    interval: Interval
    practitioner_id: int
    room_id: int | None
    room_name: str = ""

    @property
    def starts_at(self) -> datetime:
        return self.interval.start

    @property
    def ends_at(self) -> datetime:
        return self.interval.end


@dataclass(frozen=True)
class CoursePreview:
    """What :meth:`CourseService.preview` proposes; hand it to :meth:`CourseService.book`.

    ``unplaced`` holds the sessions with no free place on their wanted day, each with a
    reason such as "Fri 12 Dec: no free time near 10:00".
    """

    patient_id: int
    patient_name: str
    service_id: int
    service_name: str
    practitioner_id: int
    practitioner_name: str
    room_id: int | None
    params: CourseParams
    placed: tuple[PreviewSession, ...]
    unplaced: tuple[UnplacedSession, ...]

    @property
    def complete(self) -> bool:
        """Whether every session found a place."""
        return not self.unplaced


@dataclass(frozen=True)
class CourseRecord:
    """A booked course and how far it has got."""

    id: int
    patient_id: int
    practitioner_id: int
    service_id: int
    title: str
    sessions_planned: int
    per_week: int
    cancelled: bool
    created_at: datetime
    #: sessions that still hold a place (booked, arrived, in treatment or completed)
    sessions_booked: int
    sessions_completed: int


def _short(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]} {local:%H:%M}"


def _course_record(s: Session, row: TreatmentCourse) -> CourseRecord:
    counts = dict(
        s.execute(
            select(Appointment.status, func.count())
            .where(Appointment.course_id == row.id)
            .group_by(Appointment.status)
        )
        .tuples()
        .all()
    )
    occupying = sum(n for status, n in counts.items() if AppointmentStatus(status).occupies_time)
    return CourseRecord(
        id=row.id,
        patient_id=row.patient_id,
        practitioner_id=row.practitioner_id,
        service_id=row.service_id,
        title=row.title,
        sessions_planned=row.sessions_planned,
        per_week=row.per_week,
        cancelled=row.cancelled,
        created_at=row.created_at,
        sessions_booked=occupying,
        sessions_completed=counts.get(AppointmentStatus.COMPLETED.value, 0),
    )


def _busy_by_day(intervals: Sequence[Interval], tz: ZoneInfo) -> Callable[[date], list[Interval]]:
    def busy(day: date) -> list[Interval]:
        bounds = day_bounds(day, tz)
        return [i for i in intervals if i.overlaps(bounds)]

    return busy


class CourseService(ServiceBase):
    """Planning, booking, changing and cancelling treatment courses."""

    # -- reading -----------------------------------------------------------------------

    def get(self, course_id: int) -> CourseRecord:
        """One course with its counts; NotFoundError when there is none."""
        with self.db.read() as s:
            row = s.get(TreatmentCourse, course_id)
            if row is None:
                raise NotFoundError(f"There is no treatment course number {course_id}.")
            return _course_record(s, row)

    def for_patient(self, patient_id: int) -> list[CourseRecord]:
        """A patient's courses, newest first."""
        with self.db.read() as s:
            rows = s.scalars(
                select(TreatmentCourse)
                .where(TreatmentCourse.patient_id == patient_id)
                .order_by(TreatmentCourse.created_at.desc(), TreatmentCourse.id.desc())
            )
            return [_course_record(s, r) for r in rows]

    def sessions(self, course_id: int) -> list[AppointmentRecord]:
        """Every session of the course (cancelled ones too), in time order."""
        with self.db.read() as s:
            if s.get(TreatmentCourse, course_id) is None:
                raise NotFoundError(f"There is no treatment course number {course_id}.")
            ids = s.scalars(select(Appointment.id).where(Appointment.course_id == course_id))
            return self.hub.appointments.records(s, list(ids))

    # -- planning ----------------------------------------------------------------------

    def preview(
        self,
        patient_id: int,
        service_id: int,
        practitioner_id: int,
        params: CourseParams,
        room_id: int | None = None,
    ) -> CoursePreview:
        """Place every session of the course; nothing is saved.

        Each session goes on its wanted day as near ``params.around`` as the practitioner's
        working hours and bookings (and the patient's own appointments) allow, in
        ``room_id`` or, when the service needs a room and none is given, the free room
        nearest the wanted time (the clinic's first room on a tie). Sessions never start
        before now. Raises ValidationError for an impossible shape (e.g. three weekdays
        for two a week).
        """
        now = self.now()
        with self.db.read() as s:
            service = active_service(s, service_id)
            patient = s.get(Patient, patient_id)
            if patient is None:
                raise NotFoundError(f"There is no patient number {patient_id}.")
            practitioner = active_practitioners(s, practitioner_id)[0]
            tz = clinic_timezone(s)
            if room_id is not None:
                room = s.get(Room, room_id)
                if room is None or not room.active:
                    raise NotFoundError("That room does not exist or is no longer in use.")
                rooms: list[int | None] = [room_id]
            elif service.needs_room:
                rooms = list(active_room_ids(s))
                if not rooms:
                    raise ValidationError(f"{service.name} needs a room, and none is in use.")
            else:
                rooms = [None]
            step = int(self.hub.settings(s).get("grid_minutes", 15))
            request = CourseRequest(
                first_day=params.first_day,
                sessions=params.sessions,
                per_week=params.per_week,
                weekdays=params.weekdays,
                around=params.around,
                duration_minutes=params.duration_minutes or service.default_minutes,
                tz=tz,
                flexibility_minutes=params.flexibility_minutes,
                weeks=params.weeks,
                step_minutes=step,
                not_before=now,
            )
            span_weeks = params.weeks or -(-params.sessions // params.per_week)
            start = day_bounds(params.first_day, tz).start
            end = day_bounds(params.first_day + timedelta(weeks=span_weeks + 1), tz).end
            busy_rows = s.execute(
                select(
                    Appointment.practitioner_id,
                    Appointment.room_id,
                    Appointment.patient_id,
                    Appointment.starts_at,
                    Appointment.ends_at,
                ).where(
                    overlapping(start, end),
                    Appointment.status.not_in(
                        [st.value for st in AppointmentStatus if not st.occupies_time]
                    ),
                )
            ).tuples()
            own: list[Interval] = []
            by_room: dict[int, list[Interval]] = {}
            for p_id, r_id, pat_id, starts_at, ends_at in busy_rows:
                interval = Interval(starts_at, ends_at)
                if p_id == practitioner_id or pat_id == patient_id:
                    own.append(interval)
                if r_id is not None:
                    by_room.setdefault(r_id, []).append(interval)
            room_names = {r.id: r.name for r in s.scalars(select(Room))}
            hours = WeeklyHours.from_json(practitioner.working_hours)
            preview_head = (
                display_name(patient.legal_name, patient.preferred_name, patient.other_script_name),
                service.name,
                practitioner.name,
            )

        def working(day: date) -> list[Interval]:
            return hours.intervals_on(day, tz)

        plans = [
            plan_course(
                request,
                working,
                _busy_by_day([*own, *(by_room.get(r, []) if r is not None else [])], tz),
            )
            for r in rooms
        ]
        placed, unplaced = self._merge_plans(plans, rooms, request, room_names, practitioner_id)
        return CoursePreview(
            patient_id=patient_id,
            patient_name=preview_head[0],
            service_id=service_id,
            service_name=preview_head[1],
            practitioner_id=practitioner_id,
            practitioner_name=preview_head[2],
            room_id=room_id,
            params=params,
            placed=placed,
            unplaced=unplaced,
        )

    @staticmethod
    def _merge_plans(
        plans: list[CoursePlan],
        rooms: list[int | None],
        request: CourseRequest,
        room_names: dict[int, str],
        practitioner_id: int,
    ) -> tuple[tuple[PreviewSession, ...], tuple[UnplacedSession, ...]]:
        """Per session, the room whose plan put it nearest the wanted time."""
        best: dict[int, tuple[timedelta, PreviewSession]] = {}
        unplaced: dict[int, UnplacedSession] = {}
        for plan, room in zip(plans, rooms, strict=True):
            for session in plan.placed:
                day = session.interval.start.astimezone(request.tz).date()
                wanted = local_datetime(day, request.around, request.tz)
                distance = abs(session.interval.start - wanted)
                current = best.get(session.index)
                if current is None or distance < current[0]:
                    best[session.index] = (
                        distance,
                        PreviewSession(
                            session.index,
                            session.interval,
                            practitioner_id,
                            room,
                            room_names.get(room, "") if room is not None else "",
                        ),
                    )
            for missing in plan.unplaced:
                unplaced.setdefault(missing.index, missing)
        placed = tuple(best[i][1] for i in sorted(best))
        still = tuple(unplaced[i] for i in sorted(unplaced) if i not in best)
        return placed, still

    # -- booking -----------------------------------------------------------------------

    def book(
        self,
        preview: CoursePreview,
        title: str = "",
        *,
        notes: str = "",
        acknowledged_warnings: bool = False,
        override_reason: str | None = None,
    ) -> int:
        """Save the course and every placed session in one unit of work; returns its id.

        All or nothing: when any session's place has been taken since the preview (or the
        safety rules refuse), nothing is saved and the error names the session and the
        clash. ``title`` defaults to e.g. "Electro-acupuncture: 16 sessions, 2 a week".
        The course counts every session asked for, placed or not.
        """
        self.hub.require(Permission.BOOK)
        if not preview.placed:
            raise ValidationError("No session of this course has a place. Nothing to book.")
        now = self.now()
        params = preview.params
        title = " ".join(title.split()) or (
            f"{preview.service_name}: {params.sessions} sessions, {params.per_week} a week"
        )
        appointments = self.hub.appointments
        with self.db.write() as s:
            tz = clinic_timezone(s)
            if s.get(Practitioner, preview.practitioner_id) is None:
                raise NotFoundError("That practitioner does not exist or is no longer active.")
            course = TreatmentCourse(
                patient_id=preview.patient_id,
                practitioner_id=preview.practitioner_id,
                service_id=preview.service_id,
                title=title[:200],
                sessions_planned=params.sessions,
                per_week=params.per_week,
                cancelled=False,
                created_at=now,
                created_by_id=self.actor.user_id,
            )
            s.add(course)
            s.flush()
            for session in preview.placed:
                request = BookingRequest(
                    patient_id=preview.patient_id,
                    service_id=preview.service_id,
                    practitioner_id=session.practitioner_id,
                    starts_at=session.interval.start,
                    ends_at=session.interval.end,
                    room_id=session.room_id,
                    notes=notes,
                    course_id=course.id,
                    acknowledged_warnings=acknowledged_warnings,
                    override_reason=override_reason,
                )
                try:
                    appointments.book_in(s, request, now)
                except ConflictError as error:
                    raise ConflictError(
                        f"Session {session.index} ({_short(session.interval.start, tz)}): "
                        f"{error.message} Nothing was booked: preview the course again.",
                        field=error.field,
                    ) from None
            audit.record(
                s,
                self.actor,
                now,
                "create",
                "course",
                course.id,
                patient_id=preview.patient_id,
                changes={
                    "title": [None, course.title],
                    "sessions_planned": [None, params.sessions],
                    "per_week": [None, params.per_week],
                    "sessions_booked": [None, len(preview.placed)],
                },
            )
            return course.id

    # -- changing ----------------------------------------------------------------------

    def change_session(
        self,
        appointment_id: int,
        new_start: datetime,
        scope: Scope = "this",
        *,
        practitioner_id: int | None = None,
        room_id: int | bool | None = False,
        allow_outside_hours: bool = False,
        expected_version: int | None = None,
    ) -> list[AppointmentRecord]:
        """Move one session (``scope="this"``), or it and every later booked session of its
        course by the same amount of time (``scope="following"``); all or nothing.

        A new practitioner or room (``room_id=False`` keeps each session's room) applies to
        every session moved. Returns the moved sessions in time order. Refused, with the
        session and the clash named, when any of them would overlap or fall outside
        working hours (unless ``allow_outside_hours``). To undo, call again on the same
        appointment with its old start, the same scope and the old practitioner and room.
        """
        self.hub.require(Permission.BOOK)
        if scope not in ("this", "following"):
            raise ValidationError("Choose this session only, or this and the following ones.")
        now = self.now()
        appointments = self.hub.appointments
        with self.db.write() as s:
            tz = clinic_timezone(s)
            first = appointments.load_for_change(s, appointment_id, expected_version)
            offset = new_start - first.starts_at
            rows = [first]
            if scope == "following" and first.course_id is not None:
                later = s.scalars(
                    select(Appointment.id).where(
                        Appointment.course_id == first.course_id,
                        Appointment.starts_at > first.starts_at,
                        Appointment.status == AppointmentStatus.BOOKED.value,
                    )
                )
                rows += [appointments.load_for_change(s, i, None) for i in later]
            # moving later sessions first (or earlier ones first when moving back) never
            # puts one session on top of another that has not moved yet
            rows.sort(key=lambda r: r.starts_at, reverse=offset > timedelta(0))
            for row in rows:
                start = row.starts_at + offset
                try:
                    appointments.move_in(
                        s,
                        row,
                        start,
                        ends_at=start + (row.ends_at - row.starts_at),
                        practitioner_id=practitioner_id,
                        room_id=room_id,
                        allow_outside_hours=allow_outside_hours,
                        now=now,
                    )
                except ConflictError as error:
                    if len(rows) == 1:
                        raise
                    raise type(error)(
                        f"The session of {_short(row.starts_at, tz)} cannot move to "
                        f"{_short(start, tz)}: {error.message} Nothing was moved.",
                        field=error.field,
                    ) from None
            ids = [r.id for r in rows]
            if first.course_id is not None and len(rows) > 1:
                audit.record(
                    s,
                    self.actor,
                    now,
                    "move_sessions",
                    "course",
                    first.course_id,
                    patient_id=first.patient_id,
                    changes={"sessions": len(rows), "offset_minutes": offset.total_seconds() / 60},
                )
        with self.db.read() as s:
            return appointments.records(s, ids)

    def cancel_course(self, course_id: int, reason: str) -> list[AppointmentRecord]:
        """Cancel the sessions still to come (booked, starting after now) and mark the
        course cancelled; past and attended sessions are kept. Returns the cancelled
        sessions. A reason is required; late cancellations are marked as for any
        cancellation."""
        self.hub.require(Permission.BOOK)
        reason = reason.strip()
        if not reason:
            raise ValidationError("Please give a reason for the cancellation.", field="reason")
        now = self.now()
        appointments = self.hub.appointments
        with self.db.write() as s:
            course = s.get(TreatmentCourse, course_id)
            if course is None:
                raise NotFoundError(f"There is no treatment course number {course_id}.")
            if course.cancelled:
                raise ValidationError("This course is already cancelled.")
            future = s.scalars(
                select(Appointment.id)
                .where(
                    Appointment.course_id == course_id,
                    Appointment.starts_at > now,
                    Appointment.status == AppointmentStatus.BOOKED.value,
                )
                .order_by(Appointment.starts_at)
            ).all()
            for appointment_id in future:
                row = appointments.load_for_change(s, appointment_id, None)
                appointments.set_status_in(
                    s, row, AppointmentStatus.CANCELLED, reason=reason, now=now
                )
            course.cancelled = True
            audit.record(
                s,
                self.actor,
                now,
                "cancel",
                "course",
                course.id,
                patient_id=course.patient_id,
                changes={
                    "cancelled": [False, True],
                    "reason": [None, reason],
                    "sessions_cancelled": [None, len(future)],
                },
            )
        with self.db.read() as s:
            return appointments.records(s, future)
