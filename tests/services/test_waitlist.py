"""The waiting list: entries kept with their wishes, offered freed time best match first,
and booked from a match in one step."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from frontdesk.db.models import Room
from frontdesk.domain.enums import AppointmentStatus
from frontdesk.domain.errors import ConflictError, ValidationError
from frontdesk.domain.scheduling import Interval
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput
from frontdesk.services.records import AppointmentRecord

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 3, 9)
MEI, TOMASZ = 1, 2
ROOM_1, ROOM_2, ROOM_3 = 1, 2, 3
MON, TUE = 0, 1


def at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def desk(clinic: Services, clock: Any) -> Services:
    clock.now = at(8) - timedelta(days=7)  # entries are added a week ahead
    return clinic


def patient(services: Services, name: str) -> int:
    return services.patients.create(PatientInput(legal_name=name, phone="07700 900123")).id


def code(services: Services, text: str) -> int:
    return services.clinic.service_by_code(text).id


def book(
    services: Services, person: int, start: datetime, room: int | None = ROOM_1
) -> AppointmentRecord:
    return services.appointments.book(
        BookingRequest(
            patient_id=person,
            service_id=code(services, "ACU"),
            practitioner_id=MEI,
            starts_at=start,
            room_id=room,
            acknowledged_warnings=True,
        )
    )


def test_entries_keep_their_wishes_and_list_most_urgent_first(desk: Services, clock: Any) -> None:
    routine = desk.waitlist.add(patient(desk, "Ann Lee"), None, None, None, None, urgency=1)
    clock.advance(minutes=5)
    urgent = desk.waitlist.add(
        patient(desk, "Bo Chan"),
        MEI,
        [TUE, MON],
        time(9),
        time(12),
        urgency=3,
        expires_on=MONDAY + timedelta(days=30),
        notes="Prefers mornings",
        service_id=code(desk, "EA"),
    )
    assert (urgent.practitioner_name, urgent.service_name, urgent.weekdays) == (
        "Mei Chen",
        "Electro-acupuncture",
        (MON, TUE),
    )
    assert (urgent.days_text, urgent.times_text, urgent.urgency_label) == (
        "Mon, Tue",
        "09:00-12:00",
        "Urgent",
    )
    assert urgent.duration_minutes == 60  # the service's length
    assert (routine.days_text, routine.times_text) == ("Any day", "Any time")
    assert [e.id for e in desk.waitlist.list()] == [urgent.id, routine.id]
    desk.waitlist.remove(urgent.id)
    assert [e.id for e in desk.waitlist.list()] == [routine.id]
    assert {e.id for e in desk.waitlist.list(active_only=False)} == {urgent.id, routine.id}


def test_expired_entries_drop_off_the_list(desk: Services, clock: Any) -> None:
    entry = desk.waitlist.add(
        patient(desk, "Ann Lee"), None, None, None, None, expires_on=MONDAY - timedelta(days=3)
    )
    clock.now = at(8)
    assert desk.waitlist.list() == []
    assert desk.waitlist.get(entry.id).active is True


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"earliest": time(12), "latest": time(9)}, "latest"),
        ({"urgency": 4}, "urgency"),
        ({"weekdays": []}, "weekdays"),
        ({"expires_on": date(2026, 1, 1)}, "expires_on"),
    ],
)
def test_impossible_wishes_are_refused(desk: Services, changes: dict[str, Any], field: str) -> None:
    values: dict[str, Any] = {
        "practitioner_id": None,
        "weekdays": None,
        "earliest": None,
        "latest": None,
    }
    values.update(changes)
    with pytest.raises(ValidationError) as refused:
        desk.waitlist.add(patient(desk, "Ann Lee"), **values)
    assert refused.value.field == field
    assert desk.waitlist.list(active_only=False) == []


def test_a_cancelled_slot_is_offered_to_the_best_matches_first(desk: Services, clock: Any) -> None:
    leaving = patient(desk, "Ann Lee")
    anyone = desk.waitlist.add(patient(desk, "Bo Chan"), None, None, None, None, urgency=1)
    mondays = desk.waitlist.add(patient(desk, "Cy Dee"), MEI, [MON], time(9), time(12), urgency=3)
    desk.waitlist.add(patient(desk, "Di Eng"), TOMASZ, None, None, None, urgency=3)
    desk.waitlist.add(patient(desk, "Ed Fox"), None, [TUE], None, None, urgency=3)
    desk.waitlist.add(patient(desk, "Flo Gee"), None, None, time(14), None, urgency=3)
    desk.waitlist.add(leaving, None, None, None, None, urgency=3)  # the one who cancels
    appointment = book(desk, leaving, at(10))
    clock.now = at(8)
    desk.appointments.cancel(appointment.id, "Unwell")
    matches = desk.waitlist.matches_for_freed_slot(appointment)
    assert [m.entry.id for m in matches] == [mondays.id, anyone.id]
    best = matches[0]
    assert best.patient_name == "Cy Dee" and best.patient_phone
    assert best.offer == Interval(at(10), at(11))
    assert best.practitioner_id == MEI
    assert "Urgent" in best.reasons and "Asked for this practitioner" in best.reasons
    assert matches[1].score < best.score


def test_the_offer_respects_the_patients_times_and_length(desk: Services, clock: Any) -> None:
    late_short = desk.waitlist.add(
        patient(desk, "Bo Chan"),
        None,
        None,
        time(10, 30),
        None,
        service_id=code(desk, "CUP"),
    )
    desk.waitlist.add(
        patient(desk, "Cy Dee"), None, None, time(10, 30), None, service_id=code(desk, "ACU")
    )
    clock.now = at(8)
    matches = desk.waitlist.matches_for_freed_slot(Interval(at(10), at(11)), MEI)
    assert [(m.entry.id, m.offer) for m in matches] == [
        (late_short.id, Interval(at(10, 30), at(11)))
    ]


def test_after_a_small_move_only_the_time_still_free_is_offered(desk: Services, clock: Any) -> None:
    short = desk.waitlist.add(
        patient(desk, "Bo Chan"), None, None, None, None, service_id=code(desk, "CUP")
    )
    desk.waitlist.add(patient(desk, "Cy Dee"), None, None, None, None, service_id=code(desk, "ACU"))
    before = book(desk, patient(desk, "Ann Lee"), at(10))
    clock.now = at(8)
    desk.appointments.move(before.id, at(10, 30))
    matches = desk.waitlist.matches_for_freed_slot(before)
    assert [(m.entry.id, m.offer) for m in matches] == [(short.id, Interval(at(10), at(10, 30)))]


def test_time_already_past_is_not_offered(desk: Services, clock: Any) -> None:
    desk.waitlist.add(patient(desk, "Bo Chan"), None, None, None, None)
    clock.now = at(10, 40)
    matches = desk.waitlist.matches_for_freed_slot(Interval(at(10), at(11)), MEI)
    assert [m.offer for m in matches] == [Interval(at(10, 40), at(11))]
    clock.now = at(11, 30)
    assert desk.waitlist.matches_for_freed_slot(Interval(at(10), at(11)), MEI) == []


def test_no_match_needing_a_room_when_every_room_is_taken(desk: Services, clock: Any) -> None:
    desk.waitlist.add(
        patient(desk, "Bo Chan"), None, None, None, None, service_id=code(desk, "ACU")
    )
    consult = desk.waitlist.add(
        patient(desk, "Cy Dee"), None, None, None, None, service_id=code(desk, "CONS")
    )
    for practitioner, room in ((TOMASZ, ROOM_1), (3, ROOM_2)):
        desk.appointments.book(
            BookingRequest(
                patient_id=patient(desk, "Busy Bee"),
                service_id=code(desk, "ACU"),
                practitioner_id=practitioner,
                starts_at=at(10),
                room_id=room,
                acknowledged_warnings=True,
            )
        )
    clock.now = at(8)
    with desk.db.write() as s:  # Room 3 is out of use: no room is left at 10:00
        room3 = s.get(Room, ROOM_3)
        assert room3 is not None
        room3.active = False
    matches = desk.waitlist.matches_for_freed_slot(Interval(at(10), at(11)), MEI)
    assert [m.entry.id for m in matches] == [consult.id]


def test_booking_from_a_match_books_the_offer_and_takes_the_entry_off(
    desk: Services, clock: Any
) -> None:
    entry = desk.waitlist.add(
        patient(desk, "Bo Chan"), MEI, None, None, None, service_id=code(desk, "CUP")
    )
    freed = book(desk, patient(desk, "Ann Lee"), at(10))
    clock.now = at(8)
    desk.appointments.cancel(freed.id, "Unwell")
    match = desk.waitlist.matches_for_freed_slot(freed)[0]
    record = desk.waitlist.book_from_match(match, acknowledged_warnings=True)
    assert (record.patient_id, record.service_code) == (entry.patient_id, "CUP")
    assert (record.starts_at, record.ends_at) == (at(10), at(10, 30))
    assert (record.practitioner_id, record.room_id) == (MEI, ROOM_1)
    assert record.status is AppointmentStatus.BOOKED
    assert desk.waitlist.list() == []
    with pytest.raises(ConflictError, match="already been taken off"):
        desk.waitlist.book_from_match(match, acknowledged_warnings=True)


def test_a_failed_booking_leaves_the_entry_on_the_list(desk: Services, clock: Any) -> None:
    entry = desk.waitlist.add(patient(desk, "Bo Chan"), None, None, None, None)
    freed = book(desk, patient(desk, "Ann Lee"), at(10))
    clock.now = at(8)
    desk.appointments.cancel(freed.id, "Unwell")
    match = desk.waitlist.matches_for_freed_slot(freed)[0]
    with pytest.raises(ValidationError, match="Choose the service"):
        desk.waitlist.book_from_match(match)
    book(desk, patient(desk, "Cy Dee"), at(10))  # someone else was quicker
    with pytest.raises(ConflictError, match="already booked"):
        desk.waitlist.book_from_match(match, code(desk, "ACU"), acknowledged_warnings=True)
    assert [e.id for e in desk.waitlist.list()] == [entry.id]
