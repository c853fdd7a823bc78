"""Walk-ins: the earliest free slot from now, booked and checked in in one step.

The desk types a few letters, picks the patient and the service; :meth:`WalkInService.propose`
offers the earliest place today across the active practitioners (and the rooms, when the
service needs one), within working hours; :meth:`WalkInService.book_walk_in` books it as a
walk-in and checks the patient in at once, in one unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from frontdesk.db.models import Practitioner, Room
from frontdesk.domain.enums import AppointmentStatus
from frontdesk.domain.errors import ConflictError
from frontdesk.domain.permissions import Permission
from frontdesk.domain.scheduling import (
    Candidate,
    Interval,
    Proposal,
    WeeklyHours,
    day_bounds,
    earliest_free_slot,
)
from frontdesk.services.appointments import (
    BookingRequest,
    active_practitioners,
    active_room_ids,
    active_service,
    clinic_timezone,
    occupied,
)
from frontdesk.services.base import ServiceBase
from frontdesk.services.records import AppointmentRecord

#: the setting that holds the walk-in grid, and its value when the clinic has not set it
STEP_SETTING = "walk_in_step_minutes"
DEFAULT_STEP_MINUTES = 5


@dataclass(frozen=True)
class WalkInProposal:
    """The place offered to a walk-in: who, where and when, with names for the screen.

    Has the same ``practitioner_id``, ``room_id`` and ``interval`` as
    ``frontdesk.domain.scheduling.Proposal``; either can be passed to ``book_walk_in``.
    """

    service_id: int
    service_name: str
    practitioner_id: int
    practitioner_name: str
    room_id: int | None
    room_name: str
    interval: Interval
    #: minutes from "now" (as asked) to the start, for "in 10 minutes"
    wait_minutes: int

    @property
    def starts_at(self) -> datetime:
        return self.interval.start

    @property
    def ends_at(self) -> datetime:
        return self.interval.end


class WalkInService(ServiceBase):
    """Proposing and booking walk-ins."""

    def propose(
        self,
        service_id: int,
        *,
        now: datetime | None = None,
        practitioner_id: int | None = None,
        duration_minutes: int | None = None,
    ) -> WalkInProposal | None:
        """The earliest free place for ``service_id`` from ``now`` (default: the clock).

        The start is rounded up to the walk-in grid (the clinic's ``walk_in_step_minutes``
        setting, 5 minutes unless set). Every active practitioner (or only
        ``practitioner_id``) is tried, with every active room when the service needs one;
        the slot must be inside the practitioner's working hours today and free for both.
        Equal starts go to the clinic's first practitioner and room. ``None`` when nothing
        is free for the rest of today.
        """
        moment = now or self.now()
        with self.db.read() as s:
            service = active_service(s, service_id)
            tz = clinic_timezone(s)
            today = day_bounds(moment.astimezone(tz).date(), tz)
            if moment >= today.end:
                return None
            practitioners = active_practitioners(s, practitioner_id)
            rooms: list[int | None] = list(active_room_ids(s)) if service.needs_room else [None]
            practitioner_busy, room_busy = occupied(s, moment, today.end)
            candidates = [
                Candidate(
                    practitioner_id=p.id,
                    room_id=room_id,
                    working=WeeklyHours.from_json(p.working_hours).intervals_on(
                        today.start.astimezone(tz).date(), tz
                    ),
                    practitioner_busy=practitioner_busy.get(p.id, []),
                    room_busy=room_busy.get(room_id, []) if room_id is not None else [],
                )
                for p in practitioners
                for room_id in rooms
            ]
            step = int(self.hub.settings(s).get(STEP_SETTING, DEFAULT_STEP_MINUTES))
            minutes = duration_minutes or service.default_minutes
            found = earliest_free_slot(
                moment, timedelta(minutes=minutes), candidates, step_minutes=step, tz=tz
            )
            if found is None:
                return None
            return self._describe(s, service_id, service.name, found, moment)

    @staticmethod
    def _describe(
        s: Session, service_id: int, service_name: str, found: Proposal, moment: datetime
    ) -> WalkInProposal:
        practitioner = s.get(Practitioner, found.practitioner_id)
        room = s.get(Room, found.room_id) if found.room_id is not None else None
        wait = max(0, int((found.interval.start - moment).total_seconds() // 60))
        return WalkInProposal(
            service_id=service_id,
            service_name=service_name,
            practitioner_id=found.practitioner_id,
            practitioner_name=practitioner.name if practitioner else "",
            room_id=found.room_id,
            room_name=room.name if room else "",
            interval=found.interval,
            wait_minutes=wait,
        )

    def book_walk_in(
        self,
        patient_id: int,
        service_id: int,
        proposal: WalkInProposal | Proposal,
        acknowledged_warnings: bool = False,
        override_reason: str | None = None,
        *,
        notes: str = "",
        allow_outside_hours: bool = False,
    ) -> AppointmentRecord:
        """Book the proposed place as a walk-in and check the patient in (status arrived,
        arrived now), both or neither.

        The booking rules apply as for any booking: the safety rules
        (SafetyAcknowledgementRequired: retry with ``acknowledged_warnings=True``;
        SafetyError: a practitioner's ``override_reason``), and a ConflictError naming the
        clash when another workstation took the place meanwhile (propose again).
        ``allow_outside_hours`` books a place outside working hours (the screen asked).
        """
        self.hub.require(Permission.BOOK)
        now = self.now()
        if proposal.interval.end <= now:
            raise ConflictError("That time has already passed. Ask for a new proposal.")
        request = BookingRequest(
            patient_id=patient_id,
            service_id=service_id,
            practitioner_id=proposal.practitioner_id,
            starts_at=proposal.interval.start,
            ends_at=proposal.interval.end,
            room_id=proposal.room_id,
            walk_in=True,
            notes=notes,
            acknowledged_warnings=acknowledged_warnings,
            override_reason=override_reason,
            allow_outside_hours=allow_outside_hours,
        )
        appointments = self.hub.appointments
        with self.db.write() as s:
            row = appointments.book_in(s, request, now, status=AppointmentStatus.ARRIVED)
            appointment_id = row.id
        return appointments.get(appointment_id)
