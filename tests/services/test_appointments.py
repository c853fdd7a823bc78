"""The appointment book's rules, on SQLite and PostgreSQL: overlaps refused with the clash
named, working hours asked about, the status life cycle with its steps back (undo), late
cancellations, no-show counts on the patient, the audit trail, free slots and busy days."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from frontdesk.db.models import AuditEntry
from frontdesk.domain.enums import AppointmentStatus, Role
from frontdesk.domain.errors import ConflictError, NotFoundError, PermissionDenied, ValidationError
from frontdesk.domain.scheduling import Interval
from frontdesk.services.appointments import TRANSITIONS, AppointmentService, BookingRequest
from frontdesk.services.context import Actor
from frontdesk.services.hub import OutsideWorkingHours, Services
from frontdesk.services.patients import PatientInput
from frontdesk.services.records import AppointmentRecord

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 3, 2)  # winter time: London is on UTC
MEI, TOMASZ, AISHA = 1, 2, 3
ROOM_1, ROOM_2, ROOM_3 = 1, 2, 3

S = AppointmentStatus


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def desk(clinic: Services, clock: Any) -> Services:
    """The clinic at 08:00 on a Monday morning."""
    clock.now = at(MONDAY, 8)
    return clinic


def patient(services: Services, name: str = "Ann Lee") -> int:
    return services.patients.create(PatientInput(legal_name=name)).id


def service_id(services: Services, code: str) -> int:
    return services.clinic.service_by_code(code).id


def book(
    services: Services,
    patient_id: int,
    start: datetime,
    *,
    practitioner: int = MEI,
    room: int | None = ROOM_1,
    code: str = "ACU",
    **kwargs: Any,
) -> AppointmentRecord:
    return services.appointments.book(
        BookingRequest(
            patient_id=patient_id,
            service_id=service_id(services, code),
            practitioner_id=practitioner,
            starts_at=start,
            room_id=room,
            acknowledged_warnings=True,
            **kwargs,
        )
    )


def audit_actions(services: Services, appointment_id: int) -> list[str]:
    with services.db.read() as s:
        return list(
            s.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.entity == "appointment", AuditEntry.entity_id == appointment_id)
                .order_by(AuditEntry.id)
            )
        )


# -- booking rules ----------------------------------------------------------------------


def test_a_booking_takes_the_service_length_and_shows_names(desk: Services) -> None:
    record = book(desk, patient(desk), at(MONDAY, 10))
    assert record.ends_at - record.starts_at == timedelta(minutes=60)
    assert (record.practitioner_name, record.room_name) == ("Mei Chen", "Room 1")
    assert record.status is S.BOOKED
    assert audit_actions(desk, record.id) == ["book"]


def test_the_same_practitioner_cannot_be_booked_twice_and_the_clash_is_named(
    desk: Services,
) -> None:
    book(desk, patient(desk), at(MONDAY, 10))
    with pytest.raises(ConflictError) as refused:
        book(desk, patient(desk, "Bo Chan"), at(MONDAY, 10, 30), room=ROOM_2)
    assert "Mei Chen is already booked from 10:00 to 11:00" in refused.value.message
    assert "Acupuncture follow-up" in refused.value.message
    assert len(desk.appointments.on_day(MONDAY)) == 1


def test_the_same_room_cannot_be_used_twice_and_the_clash_is_named(desk: Services) -> None:
    book(desk, patient(desk), at(MONDAY, 10))
    with pytest.raises(ConflictError) as refused:
        book(desk, patient(desk, "Bo Chan"), at(MONDAY, 10, 45), practitioner=TOMASZ)
    assert "Room 1 is in use from 10:00 to 11:00" in refused.value.message


def test_back_to_back_appointments_do_not_clash(desk: Services) -> None:
    book(desk, patient(desk), at(MONDAY, 10))
    after = book(desk, patient(desk, "Bo Chan"), at(MONDAY, 11))
    assert after.starts_at == at(MONDAY, 11)


def test_a_service_without_a_room_clashes_only_with_the_practitioner(desk: Services) -> None:
    book(desk, patient(desk), at(MONDAY, 10), room=ROOM_1)
    consult = book(
        desk, patient(desk, "Bo Chan"), at(MONDAY, 10), practitioner=TOMASZ, room=None, code="CONS"
    )
    assert consult.room_id is None
    with pytest.raises(ValidationError, match="needs a room"):
        book(desk, patient(desk, "Cy Dee"), at(MONDAY, 12), room=None)


def test_outside_working_hours_is_asked_about_and_can_be_confirmed(desk: Services) -> None:
    sunday = MONDAY - timedelta(days=1) + timedelta(days=7)
    person = patient(desk)
    with pytest.raises(OutsideWorkingHours, match="does not normally work at 10:00 on Sunday"):
        book(desk, person, at(sunday, 10))
    with pytest.raises(OutsideWorkingHours):
        book(desk, person, at(MONDAY, 17, 30))  # ends 18:30, after closing
    record = book(desk, person, at(sunday, 10), allow_outside_hours=True)
    assert record.starts_at == at(sunday, 10)


def test_an_end_before_the_start_is_refused(desk: Services) -> None:
    with pytest.raises(ValidationError) as refused:
        book(desk, patient(desk), at(MONDAY, 10), ends_at=at(MONDAY, 9))
    assert refused.value.field == "end"
    with pytest.raises(ValidationError, match="timezone"):
        book(desk, patient(desk), datetime(2026, 3, 2, 10))


def test_unknown_and_archived_patients_are_refused(desk: Services) -> None:
    with pytest.raises(NotFoundError):
        book(desk, 999, at(MONDAY, 10))
    person = patient(desk)
    desk.patients.set_archived(person, True)
    with pytest.raises(ValidationError, match="archived"):
        book(desk, person, at(MONDAY, 10))


@pytest.mark.parametrize("freeing", [S.CANCELLED, S.NO_SHOW])
def test_cancelled_and_no_show_appointments_free_their_slot(
    desk: Services, freeing: AppointmentStatus
) -> None:
    first = book(desk, patient(desk), at(MONDAY, 10))
    desk.appointments.set_status(first.id, freeing, reason="Unwell")
    second = book(desk, patient(desk, "Bo Chan"), at(MONDAY, 10))
    assert second.status is S.BOOKED
    day = desk.appointments.on_day(MONDAY, include_freed=False)
    assert [r.id for r in day] == [second.id]


def test_the_database_refuses_an_overlap_the_service_did_not_see(
    desk: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a second workstation meets when it books between another's check and write."""
    book(desk, patient(desk), at(MONDAY, 10))
    monkeypatch.setattr(AppointmentService, "_check_free", lambda *args, **kwargs: None)
    with pytest.raises(ConflictError, match="practitioner is already booked"):
        book(desk, patient(desk, "Bo Chan"), at(MONDAY, 10, 30), room=ROOM_2)
    with pytest.raises(ConflictError, match="room is already in use"):
        book(desk, patient(desk, "Bo Chan"), at(MONDAY, 10, 30), practitioner=TOMASZ)
    assert len(desk.appointments.on_day(MONDAY)) == 1


# -- the life cycle -----------------------------------------------------------------------


def test_the_life_cycle_from_booked_to_completed(desk: Services, clock: Any) -> None:
    record = book(desk, patient(desk), at(MONDAY, 10))
    clock.now = at(MONDAY, 9, 52)
    arrived = desk.appointments.check_in(record.id)
    assert arrived.status is S.ARRIVED
    assert arrived.arrived_at == at(MONDAY, 9, 52)
    assert [r.id for r in desk.appointments.waiting()] == [record.id]
    treated = desk.appointments.set_status(record.id, S.IN_TREATMENT)
    done = desk.appointments.set_status(record.id, S.COMPLETED)
    assert (treated.status, done.status) == (S.IN_TREATMENT, S.COMPLETED)
    assert desk.appointments.waiting() == []
    assert audit_actions(desk, record.id) == ["book", "arrived", "in_treatment", "completed"]


def test_steps_the_life_cycle_does_not_allow_are_refused_in_words(desk: Services) -> None:
    record = book(desk, patient(desk), at(MONDAY, 10))
    with pytest.raises(ValidationError, match="booked cannot be marked completed"):
        desk.appointments.set_status(record.id, S.COMPLETED)
    desk.appointments.set_status(record.id, S.NO_SHOW)
    with pytest.raises(ValidationError, match="a no-show cannot be marked cancelled"):
        desk.appointments.set_status(record.id, S.CANCELLED, reason="x")


def test_every_step_forward_can_be_stepped_back_for_undo() -> None:
    for before, afters in TRANSITIONS.items():
        for after in afters:
            assert before in TRANSITIONS[after], f"{after} cannot go back to {before}"


def test_a_cancellation_needs_a_reason(desk: Services) -> None:
    record = book(desk, patient(desk), at(MONDAY, 10))
    with pytest.raises(ValidationError) as refused:
        desk.appointments.cancel(record.id, "   ")
    assert refused.value.field == "reason"
    assert desk.appointments.get(record.id).status is S.BOOKED


def test_a_cancellation_within_the_late_cancel_window_is_marked_late(desk: Services) -> None:
    person = patient(desk)
    today = book(desk, person, at(MONDAY, 10))
    thursday = book(desk, person, at(MONDAY + timedelta(days=3), 10))
    late = desk.appointments.cancel(today.id, "Car broke down")
    early = desk.appointments.cancel(thursday.id, "Holiday")
    assert (late.late_cancel, late.cancel_reason) == (True, "Car broke down")
    assert early.late_cancel is False
    assert desk.patients.get(person).late_cancel_count == 1


def test_the_late_cancel_window_follows_the_clinic_setting(desk: Services) -> None:
    desk.clinic.update_profile(settings={"late_cancel_hours": 96})
    record = book(desk, patient(desk), at(MONDAY + timedelta(days=3), 10))
    assert desk.appointments.cancel(record.id, "Holiday").late_cancel is True


def test_no_shows_and_late_cancellations_are_counted_on_the_patient(desk: Services) -> None:
    person = patient(desk)
    first = book(desk, person, at(MONDAY, 9))
    second = book(desk, person, at(MONDAY, 11))
    third = book(desk, person, at(MONDAY, 13))
    desk.appointments.no_show(first.id)
    desk.appointments.no_show(second.id)
    desk.appointments.cancel(third.id, "Forgot")
    found = desk.patients.get(person)
    assert (found.no_show_count, found.late_cancel_count) == (2, 1)


def test_undoing_a_cancellation_restores_the_appointment(desk: Services) -> None:
    person = patient(desk)
    record = book(desk, person, at(MONDAY, 10))
    cancelled = desk.appointments.cancel(record.id, "Unwell")
    restored = desk.appointments.set_status(
        record.id, record.status, expected_version=cancelled.version
    )
    assert restored.status is S.BOOKED
    assert (restored.cancel_reason, restored.late_cancel) == ("", False)
    assert desk.patients.get(person).late_cancel_count == 0
    assert audit_actions(desk, record.id) == ["book", "cancelled", "booked"]


def test_undoing_a_cancellation_of_an_arrived_patient_keeps_the_arrival_time(
    desk: Services, clock: Any
) -> None:
    record = book(desk, patient(desk), at(MONDAY, 10))
    clock.now = at(MONDAY, 9, 55)
    arrived = desk.appointments.check_in(record.id)
    desk.appointments.cancel(record.id, "Felt unwell in the waiting room")
    back = desk.appointments.set_status(record.id, arrived.status)
    assert (back.status, back.arrived_at) == (S.ARRIVED, at(MONDAY, 9, 55))


def test_undoing_a_check_in_forgets_the_arrival(desk: Services) -> None:
    record = book(desk, patient(desk), at(MONDAY, 10))
    desk.appointments.check_in(record.id)
    back = desk.appointments.set_status(record.id, S.BOOKED)
    assert (back.status, back.arrived_at) == (S.BOOKED, None)


def test_a_no_show_can_be_undone_or_can_arrive_late(desk: Services) -> None:
    record = book(desk, patient(desk), at(MONDAY, 10))
    desk.appointments.no_show(record.id)
    assert desk.appointments.set_status(record.id, S.BOOKED).status is S.BOOKED
    desk.appointments.no_show(record.id)
    assert desk.appointments.check_in(record.id).status is S.ARRIVED


def test_a_freed_slot_taken_meanwhile_cannot_be_restored(desk: Services) -> None:
    record = book(desk, patient(desk), at(MONDAY, 10))
    desk.appointments.cancel(record.id, "Unwell")
    book(desk, patient(desk, "Bo Chan"), at(MONDAY, 10, 30))
    with pytest.raises(ConflictError, match="Mei Chen is already booked from 10:30"):
        desk.appointments.set_status(record.id, S.BOOKED)
    assert desk.appointments.get(record.id).status is S.CANCELLED


def test_a_stale_screen_cannot_overwrite_a_newer_change(desk: Services) -> None:
    record = book(desk, patient(desk), at(MONDAY, 10))
    desk.appointments.check_in(record.id)
    with pytest.raises(ConflictError, match="changed on another workstation"):
        desk.appointments.set_status(
            record.id, S.CANCELLED, reason="x", expected_version=record.version
        )


# -- moving ------------------------------------------------------------------------------


def test_a_move_keeps_the_length_and_can_be_undone(desk: Services) -> None:
    before = book(desk, patient(desk), at(MONDAY, 10))
    moved = desk.appointments.move(
        before.id, at(MONDAY, 14), practitioner_id=TOMASZ, room_id=ROOM_2
    )
    assert (moved.starts_at, moved.ends_at) == (at(MONDAY, 14), at(MONDAY, 15))
    assert (moved.practitioner_name, moved.room_name) == ("Tomasz Nowak", "Room 2")
    back = desk.appointments.move(
        moved.id,
        before.starts_at,
        ends_at=before.ends_at,
        practitioner_id=before.practitioner_id,
        room_id=before.room_id,
        expected_version=moved.version,
        allow_outside_hours=True,
    )
    assert (back.starts_at, back.practitioner_id, back.room_id) == (
        before.starts_at,
        MEI,
        ROOM_1,
    )
    assert audit_actions(desk, before.id) == ["book", "move", "move"]


def test_a_move_onto_a_busy_time_is_refused_and_nothing_changes(desk: Services) -> None:
    first = book(desk, patient(desk), at(MONDAY, 10))
    book(desk, patient(desk, "Bo Chan"), at(MONDAY, 12))
    with pytest.raises(ConflictError, match="already booked from 12:00 to 13:00"):
        desk.appointments.move(first.id, at(MONDAY, 11, 30))
    assert desk.appointments.get(first.id).starts_at == at(MONDAY, 10)


def test_a_move_may_overlap_its_own_old_place(desk: Services) -> None:
    record = book(desk, patient(desk), at(MONDAY, 10))
    assert desk.appointments.move(record.id, at(MONDAY, 10, 15)).starts_at == at(MONDAY, 10, 15)


def test_a_move_out_of_hours_is_asked_about(desk: Services) -> None:
    record = book(desk, patient(desk), at(MONDAY, 10))
    with pytest.raises(OutsideWorkingHours):
        desk.appointments.move(record.id, at(MONDAY, 7))
    moved = desk.appointments.move(record.id, at(MONDAY, 7), allow_outside_hours=True)
    assert moved.starts_at == at(MONDAY, 7)


# -- free slots and busy days ------------------------------------------------------------


def test_free_slots_leave_out_busy_practitioners_and_rooms(desk: Services) -> None:
    acu = service_id(desk, "ACU")
    book(desk, patient(desk), at(MONDAY, 10), practitioner=MEI, room=ROOM_1)
    slots = desk.appointments.free_slots(MONDAY, acu, MEI)
    starts = [slot.start for _p, _r, slot in slots]
    assert at(MONDAY, 9) in starts
    assert at(MONDAY, 9, 15) not in starts  # would run into the 10:00 booking
    assert at(MONDAY, 10, 30) not in starts
    assert at(MONDAY, 11) in starts
    assert starts[-1] == at(MONDAY, 17)  # the last hour before 18:00
    assert all(p == MEI and r is not None for p, r, _slot in slots)
    # Tomasz is free at 10:00, but not in Room 1
    others = desk.appointments.free_slots(MONDAY, acu, TOMASZ)
    assert (TOMASZ, ROOM_2, Interval(at(MONDAY, 10), at(MONDAY, 11))) in others
    assert all(not (r == ROOM_1 and slot.start == at(MONDAY, 10)) for _p, r, slot in others)


def test_free_slots_cover_every_practitioner_in_time_order(desk: Services) -> None:
    slots = desk.appointments.free_slots(MONDAY, service_id(desk, "CONS"), step_minutes=30)
    assert slots[:3] == [
        (MEI, None, Interval(at(MONDAY, 9), at(MONDAY, 9, 30))),
        (TOMASZ, None, Interval(at(MONDAY, 9), at(MONDAY, 9, 30))),
        (AISHA, None, Interval(at(MONDAY, 9), at(MONDAY, 9, 30))),
    ]
    later = desk.appointments.free_slots(
        MONDAY, service_id(desk, "CONS"), MEI, not_before=at(MONDAY, 16, 40)
    )
    assert later[0][2].start == at(MONDAY, 16, 45)


def test_free_slots_on_a_closed_day_are_none(desk: Services) -> None:
    sunday = MONDAY + timedelta(days=6)
    assert desk.appointments.free_slots(sunday, service_id(desk, "ACU")) == []


def test_suggest_place_picks_the_first_free_practitioner_and_room(desk: Services) -> None:
    acu = service_id(desk, "ACU")
    book(desk, patient(desk), at(MONDAY, 10))
    assert desk.appointments.suggest_place(acu, at(MONDAY, 10)) == (TOMASZ, ROOM_2)
    assert desk.appointments.suggest_place(acu, at(MONDAY, 12)) == (MEI, ROOM_1)
    cons = service_id(desk, "CONS")
    assert desk.appointments.suggest_place(cons, at(MONDAY, 12)) == (MEI, None)
    with pytest.raises(ConflictError, match="No practitioner is free"):
        desk.appointments.suggest_place(acu, at(MONDAY, 20))


def test_day_summary_counts_occupying_appointments_per_local_day(desk: Services) -> None:
    person = patient(desk)
    book(desk, person, at(MONDAY, 9))
    book(desk, person, at(MONDAY, 11))
    gone = book(desk, person, at(MONDAY, 13))
    desk.appointments.cancel(gone.id, "Unwell")
    book(desk, person, at(MONDAY + timedelta(days=2), 10))
    # 00:30 on 1 July in London is still 30 June in UTC: it counts on the local day
    summer = date(2026, 7, 1)
    book(desk, person, at(summer, 0, 30), allow_outside_hours=True)
    summary = desk.appointments.day_summary(MONDAY, summer)
    assert summary == {MONDAY: 2, MONDAY + timedelta(days=2): 1, summer: 1}
    assert desk.appointments.day_summary(MONDAY, MONDAY, practitioner_ids=[TOMASZ]) == {}


# -- who may book --------------------------------------------------------------------------


def test_receptionists_book_and_roles_without_booking_are_refused(desk: Services) -> None:
    person = patient(desk)
    desk_user = desk.as_user(Actor(None, "frontdesk", Role.RECEPTIONIST))
    record = book(desk_user, person, at(MONDAY, 10))
    administrator = desk.as_user(Actor(None, "admin", Role.ADMINISTRATOR))
    with pytest.raises(PermissionDenied):
        book(administrator, person, at(MONDAY, 12))
    with pytest.raises(PermissionDenied):
        administrator.appointments.cancel(record.id, "Unwell")
    assert administrator.appointments.get(record.id).status is S.BOOKED


def test_a_booking_that_loses_a_deadlock_is_refused_readably():
    """Two workstations booking the same practitioner and room at once on PostgreSQL can
    deadlock on the two overlap constraints; the one the server stops gets a message."""
    from sqlalchemy.exc import OperationalError

    from frontdesk.services.appointments import translate_overlap

    class Deadlock(Exception):
        sqlstate = "40P01"

    refusal = translate_overlap(OperationalError("INSERT ...", {}, Deadlock("deadlock")))
    assert refusal is not None
    assert "Nothing was saved" in refusal.message

    class Other(Exception):
        sqlstate = "42P01"

    assert translate_overlap(OperationalError("SELECT ...", {}, Other("no table"))) is None
