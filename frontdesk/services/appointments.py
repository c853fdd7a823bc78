"""The appointment book: booking, moving, status changes and cancellations.

Overlaps are checked here first, for a message that names the clash, and again by the
database itself (see ``frontdesk.db.guards``) so two workstations can never both win.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, joinedload

from frontdesk.db import guards
from frontdesk.db.models import (
    Appointment,
    ClinicProfile,
    Patient,
    Practitioner,
    Room,
    Service,
    User,
)
from frontdesk.domain.enums import FREEING_STATUSES, AppointmentStatus, ServiceKind
from frontdesk.domain.errors import ConflictError, NotFoundError, ValidationError
from frontdesk.services import audit
from frontdesk.services.base import ServiceBase
from frontdesk.services.records import AppointmentRecord, display_name

#: the allowed next statuses; anything else is refused with a readable message
TRANSITIONS: dict[AppointmentStatus, set[AppointmentStatus]] = {
    AppointmentStatus.BOOKED: {
        AppointmentStatus.ARRIVED,
        AppointmentStatus.CANCELLED,
        AppointmentStatus.NO_SHOW,
        AppointmentStatus.IN_TREATMENT,
    },
    AppointmentStatus.ARRIVED: {
        AppointmentStatus.IN_TREATMENT,
        AppointmentStatus.BOOKED,
        AppointmentStatus.CANCELLED,
        AppointmentStatus.COMPLETED,
    },
    AppointmentStatus.IN_TREATMENT: {AppointmentStatus.COMPLETED, AppointmentStatus.ARRIVED},
    AppointmentStatus.COMPLETED: {AppointmentStatus.IN_TREATMENT},
    AppointmentStatus.CANCELLED: {AppointmentStatus.BOOKED},
    AppointmentStatus.NO_SHOW: {AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED},
}


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


def _with_relations(q: Select[tuple[Appointment]]) -> Select[tuple[Appointment]]:
    return q.options(
        joinedload(Appointment.patient),
        joinedload(Appointment.practitioner),
        joinedload(Appointment.service),
        joinedload(Appointment.room),
    )


def translate_overlap(error: DBAPIError) -> ConflictError | None:
    """Turn the database's overlap refusal into a sentence for the receptionist."""
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
    return None


class AppointmentService(ServiceBase):
    """Booking and changing appointments."""

    # -- reading -----------------------------------------------------------------------

    def clinic_timezone(self) -> ZoneInfo:
        with self.db.read() as s:
            return self._tz(s)

    @staticmethod
    def _tz(s: Session) -> ZoneInfo:
        profile = s.get(ClinicProfile, 1)
        return ZoneInfo(profile.timezone if profile else "UTC")

    def get(self, appointment_id: int) -> AppointmentRecord:
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
        q = select(Appointment).where(Appointment.starts_at < end, Appointment.ends_at > start)
        if practitioner_ids is not None:
            q = q.where(Appointment.practitioner_id.in_(list(practitioner_ids)))
        if not include_freed:
            q = q.where(Appointment.status.not_in([s.value for s in FREEING_STATUSES]))
        q = _with_relations(q.order_by(Appointment.starts_at, Appointment.id))
        with self.db.read() as s:
            return self._decorate(s, [_record(r) for r in s.scalars(q).unique()])

    def on_day(self, day: date, **kwargs: Any) -> list[AppointmentRecord]:
        """Appointments of one local day in the clinic's timezone (23 or 25 hours on DST days)."""
        tz = self.clinic_timezone()
        start = datetime.combine(day, datetime.min.time(), tz)
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tz)
        return self.between(start, end, **kwargs)

    def for_patient(self, patient_id: int) -> list[AppointmentRecord]:
        q = _with_relations(
            select(Appointment)
            .where(Appointment.patient_id == patient_id)
            .order_by(Appointment.starts_at)
        )
        with self.db.read() as s:
            return self._decorate(s, [_record(r) for r in s.scalars(q).unique()])

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
            ).tuples()
        )
        flags = self.hub.flag_lookup(s, {r.patient_id for r in records})
        out = []
        for r in records:
            badges, summary = flags.get(r.patient_id, ((), ""))
            out.append(
                _replace(r, booked_by=names.get(r.id, ""), flags=badges, flag_summary=summary)
            )
        return out

    # -- booking -----------------------------------------------------------------------

    def book(self, request: BookingRequest) -> AppointmentRecord:
        """Book an appointment, refusing overlaps, unsafe treatments and bad times."""
        now = self.now()
        with self.db.write() as s:
            service = s.get(Service, request.service_id)
            if service is None or not service.active:
                raise NotFoundError("That service does not exist or is no longer offered.")
            patient = s.get(Patient, request.patient_id)
            if patient is None:
                raise NotFoundError(f"There is no patient number {request.patient_id}.")
            if patient.archived:
                raise ValidationError(
                    "This patient's record is archived. Restore it before booking."
                )
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
            self.hub.check_safety(
                s,
                patient_id=patient.id,
                kinds=_kinds(service),
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
                status=AppointmentStatus.BOOKED.value,
                walk_in=request.walk_in,
                course_id=request.course_id,
                notes=request.notes.strip(),
                booked_by_id=self.actor.user_id,
                booked_at=now,
                updated_at=now,
            )
            s.add(row)
            self._flush(s)
            self.hub.record_override(
                s, patient.id, row.id, _kinds(service), request.override_reason
            )
            audit.record(
                s,
                self.actor,
                now,
                "book",
                "appointment",
                row.id,
                patient_id=patient.id,
                changes={
                    "starts_at": [None, starts_at],
                    "service": [None, service.code],
                    "practitioner": [None, practitioner.name],
                    "walk_in": [None, request.walk_in],
                },
            )
            appointment_id = row.id
        return self.get(appointment_id)

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
        appointment_id: int | None,
        practitioner_id: int,
        room_id: int | None,
        starts_at: datetime,
        ends_at: datetime,
    ) -> None:
        busy = select(Appointment).where(
            Appointment.starts_at < ends_at,
            Appointment.ends_at > starts_at,
            Appointment.status.not_in([st.value for st in FREEING_STATUSES]),
        )
        if appointment_id is not None:
            busy = busy.where(Appointment.id != appointment_id)
        tz = self._tz(s)
        clash = s.scalars(
            _with_relations(busy.where(Appointment.practitioner_id == practitioner_id))
        ).first()
        if clash is not None:
            raise ConflictError(
                f"{clash.practitioner.name} is already booked from "
                f"{_hm(clash.starts_at, tz)} to {_hm(clash.ends_at, tz)} "
                f"({clash.service.name}). Choose another time or practitioner."
            )
        if room_id is not None:
            clash = s.scalars(_with_relations(busy.where(Appointment.room_id == room_id))).first()
            if clash is not None and clash.room is not None:
                raise ConflictError(
                    f"{clash.room.name} is in use from {_hm(clash.starts_at, tz)} to "
                    f"{_hm(clash.ends_at, tz)}. Choose another room or time."
                )

    @staticmethod
    def _flush(s: Session) -> None:
        try:
            s.flush()
        except (IntegrityError, DBAPIError) as error:
            translated = translate_overlap(error)
            if translated is not None:
                raise translated from None
            raise

    def _load(self, s: Session, appointment_id: int, expected_version: int | None) -> Appointment:
        row = s.scalars(
            _with_relations(select(Appointment).where(Appointment.id == appointment_id))
        ).first()
        if row is None:
            raise NotFoundError(f"There is no appointment number {appointment_id}.")
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(
                "This appointment was changed on another workstation while you were looking "
                "at it. The calendar has been refreshed: check it and try again."
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
        optionally another practitioner or room (``room_id=False`` keeps the room)."""
        now = self.now()
        with self.db.write() as s:
            row = self._load(s, appointment_id, expected_version)
            if AppointmentStatus(row.status) in (AppointmentStatus.COMPLETED,):
                raise ValidationError("A completed appointment cannot be moved.")
            length = row.ends_at - row.starts_at
            new_end = ends_at or starts_at + length
            new_start, new_end = self._times(starts_at, new_end, row.service)
            new_practitioner = practitioner_id or row.practitioner_id
            new_room: int | None = row.room_id if room_id is False else room_id
            practitioner = s.get(Practitioner, new_practitioner)
            if practitioner is None or not practitioner.active:
                raise NotFoundError("That practitioner does not exist or is no longer active.")
            self._check_free(s, row.id, new_practitioner, new_room, new_start, new_end)
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
        return self.get(appointment_id)

    def set_status(
        self,
        appointment_id: int,
        status: AppointmentStatus,
        *,
        reason: str = "",
        expected_version: int | None = None,
    ) -> AppointmentRecord:
        """Move an appointment along its life cycle (arrived, in treatment, completed,
        cancelled with a reason, no-show); each change is audited."""
        now = self.now()
        with self.db.write() as s:
            row = self._load(s, appointment_id, expected_version)
            current = AppointmentStatus(row.status)
            if status == current:
                return self.get(appointment_id)
            if status not in TRANSITIONS[current]:
                raise ValidationError(
                    f"An appointment that is {current.label.lower()} cannot be marked "
                    f"{status.label.lower()}."
                )
            changes: dict[str, Any] = {"status": [current.value, status.value]}
            if status == AppointmentStatus.CANCELLED:
                reason = reason.strip()
                if not reason:
                    raise ValidationError(
                        "Please give a reason for the cancellation.", field="reason"
                    )
                hours = self.hub.settings(s).get("late_cancel_hours", 24)
                row.cancel_reason = reason
                row.late_cancel = row.starts_at - now < timedelta(hours=hours)
                changes["reason"] = [None, reason]
                changes["late_cancel"] = [None, row.late_cancel]
            elif current == AppointmentStatus.CANCELLED:
                row.cancel_reason = ""
                row.late_cancel = False
            if status == AppointmentStatus.ARRIVED and row.arrived_at is None:
                row.arrived_at = now
            if status == AppointmentStatus.BOOKED:
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
        return self.get(appointment_id)

    def check_in(self, appointment_id: int) -> AppointmentRecord:
        return self.set_status(appointment_id, AppointmentStatus.ARRIVED)

    def cancel(self, appointment_id: int, reason: str) -> AppointmentRecord:
        return self.set_status(appointment_id, AppointmentStatus.CANCELLED, reason=reason)

    def waiting(self) -> list[AppointmentRecord]:
        """Patients who have arrived today and not yet been taken in, longest wait first."""
        tz = self.clinic_timezone()
        today = self.now().astimezone(tz).date()
        rows = [
            r
            for r in self.on_day(today)
            if r.status in (AppointmentStatus.ARRIVED, AppointmentStatus.IN_TREATMENT)
        ]
        return sorted(
            rows, key=lambda r: (r.status != AppointmentStatus.ARRIVED, r.arrived_at or r.starts_at)
        )


def _kinds(service: Service) -> tuple[ServiceKind, ...]:
    return (
        ServiceKind(service.kind),
        *(ServiceKind(k) for k in service.extra_kinds.get("kinds", [])),
    )


def _hm(dt: datetime, tz: ZoneInfo) -> str:
    return dt.astimezone(tz).strftime("%H:%M")


def _replace(record: AppointmentRecord, **changes: Any) -> AppointmentRecord:
    from dataclasses import replace

    return replace(record, **changes)
