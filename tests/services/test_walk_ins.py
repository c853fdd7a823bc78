"""Walk-ins: the earliest free place from now, booked and checked in as one step."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from frontdesk.db.models import Appointment, AuditEntry, Intake, SafetyOverride
from frontdesk.domain.enums import AppointmentStatus, Role
from frontdesk.domain.errors import ConflictError, SafetyAcknowledgementRequired, SafetyError
from frontdesk.domain.intake import IntakeData, SafetyScreen
from frontdesk.domain.scheduling import Interval, Proposal
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.context import Actor
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 3, 2)
MEI, TOMASZ, AISHA = 1, 2, 3
ROOM_1, ROOM_2, ROOM_3 = 1, 2, 3


def at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def desk(clinic: Services, clock: Any) -> Services:
    clock.now = at(9, 3)
    return clinic


def patient(services: Services, name: str = "Ann Lee", **screen: bool) -> int:
    """A patient; with ``screen`` answers, an intake on file with those safety answers."""
    patient_id = services.patients.create(PatientInput(legal_name=name)).id
    if screen:
        with services.db.write() as s:
            s.add(
                Intake(
                    patient_id=patient_id,
                    version_no=1,
                    data=IntakeData(safety=SafetyScreen(**screen)).to_dict(),  # type: ignore[arg-type]
                    created_at=services.clock(),
                )
            )
    return patient_id


def code(services: Services, text: str) -> int:
    return services.clinic.service_by_code(text).id


def occupy(services: Services, practitioner: int, room: int | None, start: datetime) -> None:
    services.appointments.book(
        BookingRequest(
            patient_id=patient(services, "Busy Bee"),
            service_id=code(services, "ACU" if room else "CONS"),
            practitioner_id=practitioner,
            starts_at=start,
            room_id=room,
            acknowledged_warnings=True,
        )
    )


def count_appointments(services: Services) -> int:
    with services.db.read() as s:
        return s.scalar(select(func.count()).select_from(Appointment)) or 0


# -- proposing -----------------------------------------------------------------------------


def test_the_proposal_is_the_next_grid_point_with_the_first_practitioner_and_room(
    desk: Services,
) -> None:
    proposal = desk.walk_ins.propose(code(desk, "ACU"))
    assert proposal is not None
    assert proposal.interval == Interval(at(9, 5), at(10, 5))
    assert (proposal.practitioner_name, proposal.room_name) == ("Mei Chen", "Room 1")
    assert proposal.wait_minutes == 2
    assert proposal.service_name == "Acupuncture follow-up"


def test_busy_practitioners_and_rooms_are_passed_over(desk: Services) -> None:
    occupy(desk, MEI, ROOM_1, at(9, 30))
    proposal = desk.walk_ins.propose(code(desk, "ACU"))
    assert proposal is not None
    assert (proposal.practitioner_id, proposal.room_id) == (TOMASZ, ROOM_2)
    assert proposal.starts_at == at(9, 5)


def test_when_everyone_is_busy_the_earliest_end_wins(desk: Services) -> None:
    occupy(desk, MEI, ROOM_1, at(9))
    occupy(desk, TOMASZ, ROOM_2, at(9))
    occupy(desk, AISHA, None, at(9))
    desk.appointments.move(
        desk.appointments.on_day(MONDAY)[2].id, at(9), ends_at=at(9, 40)
    )  # Aisha's consultation ends at 09:40, Room 3 is free
    proposal = desk.walk_ins.propose(code(desk, "ACU"))
    assert proposal is not None
    assert (proposal.practitioner_id, proposal.room_id, proposal.starts_at) == (
        AISHA,
        ROOM_3,
        at(9, 40),
    )
    assert proposal.wait_minutes == 37


def test_a_service_without_a_room_needs_none(desk: Services) -> None:
    occupy(desk, MEI, ROOM_1, at(9))
    occupy(desk, TOMASZ, ROOM_2, at(9))
    occupy(desk, MEI, ROOM_3, at(10))
    # Aisha is free, but no room is free for an hour from now
    consult = desk.walk_ins.propose(code(desk, "CONS"))
    assert consult is not None
    assert (consult.practitioner_id, consult.room_id, consult.starts_at) == (AISHA, None, at(9, 5))
    needle = desk.walk_ins.propose(code(desk, "ACU"))
    assert needle is not None
    assert (needle.practitioner_id, needle.room_id, needle.starts_at) == (TOMASZ, ROOM_1, at(10))


def test_before_opening_the_first_slot_of_the_day_is_offered(desk: Services) -> None:
    proposal = desk.walk_ins.propose(code(desk, "ACU"), now=at(7, 12))
    assert proposal is not None
    assert proposal.starts_at == at(9)


def test_nothing_is_proposed_when_the_day_has_no_room_left(desk: Services) -> None:
    assert desk.walk_ins.propose(code(desk, "ACU"), now=at(17, 10)) is None
    short = desk.walk_ins.propose(code(desk, "CUP"), now=at(17, 10))
    assert short is not None and short.interval == Interval(at(17, 10), at(17, 40))
    assert desk.walk_ins.propose(code(desk, "CUP"), now=at(20)) is None
    sunday = date(2026, 3, 8)
    assert desk.walk_ins.propose(code(desk, "CUP"), now=at(10, day=sunday)) is None


def test_one_practitioner_can_be_asked_for(desk: Services) -> None:
    proposal = desk.walk_ins.propose(code(desk, "ACU"), practitioner_id=AISHA)
    assert proposal is not None and proposal.practitioner_id == AISHA


def test_the_walk_in_grid_follows_the_clinic_setting(desk: Services) -> None:
    desk.clinic.update_profile(settings={"walk_in_step_minutes": 15})
    proposal = desk.walk_ins.propose(code(desk, "ACU"))
    assert proposal is not None and proposal.starts_at == at(9, 15)


# -- booking -------------------------------------------------------------------------------


def test_booking_a_walk_in_checks_the_patient_in_at_once(desk: Services) -> None:
    acu = code(desk, "ACU")
    person = patient(desk, implanted_device=False)
    proposal = desk.walk_ins.propose(acu)
    assert proposal is not None
    record = desk.walk_ins.book_walk_in(person, acu, proposal)
    assert record.walk_in is True
    assert record.status is AppointmentStatus.ARRIVED
    assert record.arrived_at == at(9, 3)
    assert (record.starts_at, record.practitioner_id, record.room_id) == (at(9, 5), MEI, ROOM_1)
    assert [r.id for r in desk.appointments.waiting()] == [record.id]
    with desk.db.read() as s:
        actions = list(
            s.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.entity == "appointment", AuditEntry.entity_id == record.id)
                .order_by(AuditEntry.id)
            )
        )
    assert actions == ["book", "arrived"]


def test_a_plain_domain_proposal_can_be_booked_too(desk: Services) -> None:
    acu = code(desk, "ACU")
    proposal = Proposal(TOMASZ, ROOM_2, Interval(at(9, 30), at(10, 30)))
    record = desk.walk_ins.book_walk_in(patient(desk), acu, proposal, acknowledged_warnings=True)
    assert (record.practitioner_name, record.status) == ("Tomasz Nowak", AppointmentStatus.ARRIVED)


def test_a_place_taken_meanwhile_is_refused_and_nothing_is_saved(desk: Services) -> None:
    acu = code(desk, "ACU")
    proposal = desk.walk_ins.propose(acu)
    assert proposal is not None
    occupy(desk, MEI, ROOM_1, at(9, 5))  # another workstation was quicker
    before = count_appointments(desk)
    with pytest.raises(ConflictError, match="Mei Chen is already booked from 09:05"):
        desk.walk_ins.book_walk_in(patient(desk), acu, proposal, acknowledged_warnings=True)
    assert count_appointments(desk) == before
    again = desk.walk_ins.propose(acu)
    assert again is not None and again.practitioner_id == TOMASZ


def test_the_safety_rules_apply_to_walk_ins(desk: Services) -> None:
    acu, ea = code(desk, "ACU"), code(desk, "EA")
    person = patient(desk, implanted_device=True)
    receptionist = desk.as_user(Actor(None, "desk", Role.RECEPTIONIST))
    proposal = desk.walk_ins.propose(ea)
    assert proposal is not None
    with pytest.raises(SafetyError):
        receptionist.walk_ins.book_walk_in(person, ea, proposal, acknowledged_warnings=True)
    with pytest.raises(SafetyAcknowledgementRequired):
        receptionist.walk_ins.book_walk_in(person, acu, proposal)
    assert count_appointments(desk) == 0
    record = receptionist.walk_ins.book_walk_in(person, acu, proposal, acknowledged_warnings=True)
    assert record.status is AppointmentStatus.ARRIVED


def test_a_practitioner_can_override_a_stop_with_a_reason(desk: Services) -> None:
    ea = code(desk, "EA")
    person = patient(desk, implanted_device=True)
    practitioner = desk.as_user(Actor(None, "mei", Role.PRACTITIONER, practitioner_id=MEI))
    proposal = desk.walk_ins.propose(ea)
    assert proposal is not None
    record = practitioner.walk_ins.book_walk_in(
        person, ea, proposal, override_reason="Cardiologist cleared low-level stimulation"
    )
    with desk.db.read() as s:
        override = s.scalars(select(SafetyOverride)).one()
    assert (override.appointment_id, override.patient_id) == (record.id, person)


def test_a_proposal_already_over_is_refused(desk: Services, clock: Any) -> None:
    acu = code(desk, "ACU")
    proposal = desk.walk_ins.propose(acu)
    assert proposal is not None
    clock.now = at(11)
    with pytest.raises(ConflictError, match="already passed"):
        desk.walk_ins.book_walk_in(patient(desk), acu, proposal, acknowledged_warnings=True)
