"""The waiting list: patients who want an earlier (or any) slot, offered freed time first.

Right after a cancellation, a no-show or a move, the calendar calls
:meth:`WaitlistService.matches_for_freed_slot` with the appointment as it was; the entries
that fit the time that came free are ranked by ``frontdesk.domain.waitlist.rank_matches``
(urgency, then a wish for this practitioner, then the longest wait), and
:meth:`WaitlistService.book_from_match` books one and takes it off the list in one step.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.models import Patient, Practitioner, Service
from frontdesk.db.models import WaitlistEntry as WaitlistRow
from frontdesk.domain.errors import ConflictError, NotFoundError, ValidationError
from frontdesk.domain.permissions import Permission
from frontdesk.domain.scheduling import DAY_NAMES, Interval, free_time, snap
from frontdesk.domain.waitlist import URGENCY_LABELS, FreedSlot, WaitlistEntry, rank_matches
from frontdesk.services import audit
from frontdesk.services.appointments import (
    BookingRequest,
    active_room_ids,
    active_service,
    clinic_timezone,
    first_free_room,
    occupied,
)
from frontdesk.services.base import ServiceBase
from frontdesk.services.records import AppointmentRecord, display_name


@dataclass(frozen=True)
class WaitlistRecord:
    """One entry of the waiting list, with names for the screen.

    ``practitioner_id`` ``None``: anyone. ``weekdays`` (0 = Monday) ``None``: any day.
    ``earliest``/``latest``: local times the whole appointment must lie between.
    ``urgency`` 1 routine, 2 soon, 3 urgent. The entry counts until the end of
    ``expires_on``. ``wants_earlier_than``: the patient's current booking, when they would
    like to come sooner than it.
    """

    id: int
    patient_id: int
    patient_name: str
    patient_phone: str
    practitioner_id: int | None
    practitioner_name: str
    service_id: int | None
    service_name: str
    weekdays: tuple[int, ...] | None
    earliest: time | None
    latest: time | None
    urgency: int
    expires_on: date | None
    notes: str
    active: bool
    created_at: datetime
    wants_earlier_than: datetime | None = None
    duration_minutes: int | None = None

    @property
    def urgency_label(self) -> str:
        return URGENCY_LABELS.get(self.urgency, str(self.urgency))

    @property
    def days_text(self) -> str:
        """E.g. "Mon, Thu" or "Any day"."""
        if self.weekdays is None:
            return "Any day"
        return ", ".join(DAY_NAMES[d][:3] for d in self.weekdays)

    @property
    def times_text(self) -> str:
        """E.g. "09:00-12:00", "from 14:00", "until 11:00" or "Any time"."""
        if self.earliest and self.latest:
            return f"{self.earliest:%H:%M}-{self.latest:%H:%M}"
        if self.earliest:
            return f"from {self.earliest:%H:%M}"
        if self.latest:
            return f"until {self.latest:%H:%M}"
        return "Any time"


@dataclass(frozen=True)
class WaitlistMatch:
    """An entry that fits a freed slot: who, why they rank there, and the time to offer."""

    entry: WaitlistRecord
    patient_name: str
    score: int
    reasons: tuple[str, ...]
    offer: Interval
    #: the practitioner whose time came free (the booking goes to them)
    practitioner_id: int

    @property
    def patient_phone(self) -> str:
        return self.entry.patient_phone


def _parse_time(text: Any) -> time | None:
    return time.fromisoformat(text) if isinstance(text, str) and text else None


def _record(
    row: WaitlistRow,
    patient: Patient,
    practitioner: Practitioner | None,
    service: Service | None,
) -> WaitlistRecord:
    prefs = row.preferences or {}
    weekdays = prefs.get("weekdays")
    duration = prefs.get("duration_minutes")
    return WaitlistRecord(
        id=row.id,
        patient_id=row.patient_id,
        patient_name=display_name(
            patient.legal_name, patient.preferred_name, patient.other_script_name
        ),
        patient_phone=patient.phone,
        practitioner_id=row.practitioner_id,
        practitioner_name=practitioner.name if practitioner else "",
        service_id=row.service_id,
        service_name=service.name if service else "",
        weekdays=tuple(sorted(int(d) for d in weekdays)) if weekdays is not None else None,
        earliest=_parse_time(prefs.get("earliest")),
        latest=_parse_time(prefs.get("latest")),
        urgency=row.urgency,
        expires_on=row.expires_on,
        notes=row.notes,
        active=row.active,
        created_at=row.created_at,
        wants_earlier_than=row.wants_earlier_than,
        duration_minutes=int(duration) if duration else None,
    )


def _domain_entry(record: WaitlistRecord) -> WaitlistEntry:
    return WaitlistEntry(
        id=record.id,
        patient_id=record.patient_id,
        practitioner_id=record.practitioner_id,
        weekdays=frozenset(record.weekdays) if record.weekdays is not None else None,
        earliest=record.earliest,
        latest=record.latest,
        urgency=record.urgency,
        expires_on=record.expires_on,
        created_at=record.created_at,
        wants_earlier_than=record.wants_earlier_than,
        duration_minutes=record.duration_minutes,
    )


class WaitlistService(ServiceBase):
    """Adding to, reading, matching and booking from the waiting list."""

    def _records(
        self, s: Session, rows: builtins.list[WaitlistRow]
    ) -> builtins.list[WaitlistRecord]:
        patients = {
            p.id: p
            for p in s.scalars(select(Patient).where(Patient.id.in_({r.patient_id for r in rows})))
        }
        practitioners = {p.id: p for p in s.scalars(select(Practitioner))}
        services = {sv.id: sv for sv in s.scalars(select(Service))}
        return [
            _record(
                r,
                patients[r.patient_id],
                practitioners.get(r.practitioner_id) if r.practitioner_id else None,
                services.get(r.service_id) if r.service_id else None,
            )
            for r in rows
        ]

    def add(
        self,
        patient_id: int,
        practitioner_id: int | None,
        weekdays: tuple[int, ...] | builtins.list[int] | None,
        earliest: time | None,
        latest: time | None,
        urgency: int = 2,
        expires_on: date | None = None,
        notes: str = "",
        service_id: int | None = None,
        *,
        wants_earlier_than: datetime | None = None,
        duration_minutes: int | None = None,
    ) -> WaitlistRecord:
        """Put a patient on the waiting list (see :class:`WaitlistRecord` for the fields).

        ``duration_minutes`` defaults to the service's length when a service is given.
        Raises ValidationError for impossible wishes (latest before earliest, no weekday,
        urgency outside 1-3, an expiry date already past) and NotFoundError for unknown
        patients, practitioners or services.
        """
        self.hub.require(Permission.BOOK)
        now = self.now()
        with self.db.write() as s:
            tz = clinic_timezone(s)
            patient = s.get(Patient, patient_id)
            if patient is None:
                raise NotFoundError(f"There is no patient number {patient_id}.")
            if patient.archived:
                raise ValidationError("This patient's record is archived. Restore it first.")
            if practitioner_id is not None:
                practitioner = s.get(Practitioner, practitioner_id)
                if practitioner is None or not practitioner.active:
                    raise NotFoundError("That practitioner does not exist or is no longer active.")
            if service_id is not None:
                service = active_service(s, service_id)
                duration_minutes = duration_minutes or service.default_minutes
            if expires_on is not None and expires_on < now.astimezone(tz).date():
                raise ValidationError(
                    "The date the entry runs out has already passed.", field="expires_on"
                )
            days = tuple(sorted(set(weekdays))) if weekdays is not None else None
            # the domain entry validates the wishes with messages for the desk
            _domain_entry(
                WaitlistRecord(
                    id=0,
                    patient_id=patient_id,
                    patient_name="",
                    patient_phone="",
                    practitioner_id=practitioner_id,
                    practitioner_name="",
                    service_id=service_id,
                    service_name="",
                    weekdays=days,
                    earliest=earliest,
                    latest=latest,
                    urgency=urgency,
                    expires_on=expires_on,
                    notes=notes,
                    active=True,
                    created_at=now,
                    wants_earlier_than=wants_earlier_than,
                    duration_minutes=duration_minutes,
                )
            )
            row = WaitlistRow(
                patient_id=patient_id,
                practitioner_id=practitioner_id,
                service_id=service_id,
                preferences={
                    "weekdays": list(days) if days is not None else None,
                    "earliest": earliest.strftime("%H:%M") if earliest else None,
                    "latest": latest.strftime("%H:%M") if latest else None,
                    "duration_minutes": duration_minutes,
                },
                urgency=urgency,
                expires_on=expires_on,
                wants_earlier_than=wants_earlier_than,
                notes=notes.strip(),
                active=True,
                created_at=now,
            )
            s.add(row)
            s.flush()
            audit.record(
                s,
                self.actor,
                now,
                "create",
                "waitlist",
                row.id,
                patient_id=patient_id,
                changes={
                    "practitioner_id": [None, practitioner_id],
                    "preferences": [None, row.preferences],
                    "urgency": [None, urgency],
                    "expires_on": [None, expires_on.isoformat() if expires_on else None],
                },
            )
            return self._records(s, [row])[0]

    def get(self, entry_id: int) -> WaitlistRecord:
        """One entry (active or not)."""
        with self.db.read() as s:
            row = s.get(WaitlistRow, entry_id)
            if row is None:
                raise NotFoundError(f"There is no waiting-list entry number {entry_id}.")
            return self._records(s, [row])[0]

    def list(self, active_only: bool = True) -> builtins.list[WaitlistRecord]:
        """The waiting list, most urgent first, then the longest waiting.

        ``active_only`` leaves out entries taken off the list and entries past their date.
        """
        now = self.now()
        with self.db.read() as s:
            q = select(WaitlistRow).order_by(
                WaitlistRow.urgency.desc(), WaitlistRow.created_at, WaitlistRow.id
            )
            if active_only:
                today = now.astimezone(clinic_timezone(s)).date()
                q = q.where(
                    WaitlistRow.active.is_(True),
                    (WaitlistRow.expires_on.is_(None)) | (WaitlistRow.expires_on >= today),
                )
            return self._records(s, builtins.list(s.scalars(q)))

    def remove(self, entry_id: int) -> None:
        """Take an entry off the list (it is kept, inactive, for the record)."""
        self.hub.require(Permission.BOOK)
        with self.db.write() as s:
            row = s.get(WaitlistRow, entry_id)
            if row is None:
                raise NotFoundError(f"There is no waiting-list entry number {entry_id}.")
            if not row.active:
                return
            row.active = False
            audit.record(
                s,
                self.actor,
                self.now(),
                "remove",
                "waitlist",
                row.id,
                patient_id=row.patient_id,
                changes={"active": [True, False]},
            )

    def matches_for_freed_slot(
        self,
        slot: AppointmentRecord | Interval,
        practitioner_id: int | None = None,
        *,
        limit: int | None = None,
    ) -> builtins.list[WaitlistMatch]:
        """Waiting-list entries that fit time that has just come free, best first.

        Pass the appointment as it was before the cancel, no-show or move (its patient is
        left out), or an interval with ``practitioner_id``. Only the part of that time
        that is actually free now and not yet past is offered (after a small move, the
        rest); entries that are inactive, past their date, or for a service that needs a
        room when none is free are left out.
        """
        if isinstance(slot, Interval):
            if practitioner_id is None:
                raise ValueError("practitioner_id is needed with an interval")
            interval, owner, skip_patient = slot, practitioner_id, None
        else:
            interval = Interval(slot.starts_at, slot.ends_at)
            owner, skip_patient = practitioner_id or slot.practitioner_id, slot.patient_id
        now = self.now()
        records = [r for r in self.list(active_only=True) if r.patient_id != skip_patient]
        if not records:
            return []
        with self.db.read() as s:
            tz = clinic_timezone(s)
            start = max(interval.start, snap(now, 5, tz))
            if start >= interval.end:
                return []
            window = Interval(start, interval.end)
            practitioner_busy, room_busy = occupied(s, window.start, window.end)
            rooms = active_room_ids(s)
            needs_room = {
                sv.id for sv in s.scalars(select(Service).where(Service.needs_room.is_(True)))
            }
        gaps = free_time([window], practitioner_busy.get(owner, []))
        by_id = {r.id: r for r in records}
        entries = [_domain_entry(r) for r in records]
        today = now.astimezone(tz).date()
        best: dict[int, tuple[int, datetime, WaitlistMatch]] = {}
        for order, gap in enumerate(gaps):
            for match in rank_matches(entries, FreedSlot(owner, gap, tz), today):
                record = by_id[match.entry.id]
                if record.service_id in needs_room and (
                    first_free_room(rooms, room_busy, match.offer) is None
                ):
                    continue
                if match.entry.id not in best:
                    best[match.entry.id] = (
                        order,
                        match.offer.start,
                        WaitlistMatch(
                            entry=record,
                            patient_name=record.patient_name,
                            score=match.score,
                            reasons=match.reasons,
                            offer=match.offer,
                            practitioner_id=owner,
                        ),
                    )
        found = sorted(
            best.values(), key=lambda item: (-item[2].score, item[2].entry.created_at, item[1])
        )
        matches = [m for _, _, m in found]
        return matches[:limit] if limit is not None else matches

    def book_from_match(
        self,
        match: WaitlistMatch,
        service_id: int | None = None,
        *,
        room_id: int | None = None,
        acknowledged_warnings: bool = False,
        override_reason: str | None = None,
        notes: str = "",
    ) -> AppointmentRecord:
        """Book the offered time and take the entry off the list, both or neither.

        ``service_id`` defaults to the entry's service (one of the two is needed); the
        appointment lasts the entry's length (or the service's) from the offer's start.
        The room is ``room_id`` or, when the service needs one, the first free room.
        The booking rules apply as for any booking (overlaps, working hours, safety).
        """
        self.hub.require(Permission.BOOK)
        now = self.now()
        appointments = self.hub.appointments
        with self.db.write() as s:
            row = s.get(WaitlistRow, match.entry.id)
            if row is None:
                raise NotFoundError(f"There is no waiting-list entry number {match.entry.id}.")
            if not row.active:
                raise ConflictError("This patient has already been taken off the waiting list.")
            chosen = service_id or row.service_id
            if chosen is None:
                raise ValidationError("Choose the service to book.", field="service")
            service = active_service(s, chosen)
            minutes = match.entry.duration_minutes or service.default_minutes
            slot = Interval.starting(match.offer.start, timedelta(minutes=minutes))
            if room_id is None and service.needs_room:
                _, room_busy = occupied(s, slot.start, slot.end)
                room_id = first_free_room(active_room_ids(s), room_busy, slot)
                if room_id is None:
                    raise ConflictError("Every room is in use at that time.")
            request = BookingRequest(
                patient_id=row.patient_id,
                service_id=service.id,
                practitioner_id=match.practitioner_id,
                starts_at=slot.start,
                ends_at=slot.end,
                room_id=room_id,
                notes=notes,
                acknowledged_warnings=acknowledged_warnings,
                override_reason=override_reason,
            )
            booked = appointments.book_in(s, request, now)
            row.active = False
            audit.record(
                s,
                self.actor,
                now,
                "booked",
                "waitlist",
                row.id,
                patient_id=row.patient_id,
                changes={"active": [True, False], "appointment_id": [None, booked.id]},
            )
            appointment_id = booked.id
        return appointments.get(appointment_id)
