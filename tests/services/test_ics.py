"""A patient's upcoming appointments as an iCalendar file (read back with the icalendar
parser), and the day sheet built from the appointment book."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from frontdesk.db.models import Intake
from frontdesk.domain.enums import AppointmentStatus
from frontdesk.domain.errors import NotFoundError
from frontdesk.domain.intake import IntakeData, RedFlags, SafetyScreen
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput
from frontdesk.services.records import AppointmentRecord

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 6, 1)  # summer time: 10:00 in London is 09:00 UTC
MEI, TOMASZ = 1, 2


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def desk(clinic: Services, clock: Any) -> Services:
    clock.now = at(MONDAY, 8)
    clinic.clinic.update_profile(address="12 River Street\nLondon SE1 9AA", phone="020 7946 0000")
    return clinic


def patient(services: Services, name: str = "Ann Lee") -> int:
    return services.patients.create(PatientInput(legal_name=name)).id


def book(
    services: Services,
    person: int,
    start: datetime,
    code: str = "ACU",
    practitioner: int = MEI,
    room: int | None = 1,
) -> AppointmentRecord:
    return services.appointments.book(
        BookingRequest(
            patient_id=person,
            service_id=services.clinic.service_by_code(code).id,
            practitioner_id=practitioner,
            starts_at=start,
            room_id=room,
            acknowledged_warnings=True,
            override_reason="Checked with the patient's doctor",
        )
    )


def events(ics: bytes) -> list[Any]:
    calendar = Calendar.from_ical(ics)
    assert calendar.name == "VCALENDAR"
    return list(calendar.walk("VEVENT"))


# -- iCalendar -------------------------------------------------------------------------------


def test_the_file_is_a_valid_calendar_with_one_event_per_upcoming_appointment(
    desk: Services, clock: Any
) -> None:
    person = patient(desk)
    book(desk, person, at(MONDAY - timedelta(days=7), 10))  # already past
    first = book(desk, person, at(MONDAY, 10))
    book(desk, person, at(MONDAY + timedelta(days=3), 14), practitioner=TOMASZ, room=2)
    gone = book(desk, person, at(MONDAY + timedelta(days=5), 10))
    desk.appointments.cancel(gone.id, "Away")
    book(desk, patient(desk, "Bo Chan"), at(MONDAY, 12))  # someone else's

    ics = desk.calendar_export.patient_ics(person)
    calendar = Calendar.from_ical(ics)
    assert str(calendar["PRODID"]).startswith("-//Frontdesk//")
    assert str(calendar["VERSION"]) == "2.0"
    found = events(ics)
    assert len(found) == 2
    one, two = found
    assert one.decoded("DTSTART") == datetime(2026, 6, 1, 9, tzinfo=UTC)
    assert one.decoded("DTEND") == datetime(2026, 6, 1, 10, tzinfo=UTC)
    assert b"DTSTART:20260601T090000Z" in ics  # written in UTC
    assert str(one["SUMMARY"]) == "Acupuncture follow-up at Riverside Acupuncture"
    assert str(one["LOCATION"]) == "12 River Street, London SE1 9AA"
    assert "Mei Chen" in str(one["DESCRIPTION"])
    assert "020 7946 0000" in str(one["DESCRIPTION"])
    assert "Tomasz Nowak" in str(two["DESCRIPTION"])
    assert len({str(one["UID"]), str(two["UID"])}) == 2
    assert str(one["UID"]).startswith(f"appointment-{first.id}-")


def test_the_uid_stays_the_same_when_an_appointment_moves(desk: Services) -> None:
    person = patient(desk)
    record = book(desk, person, at(MONDAY, 10))
    before = events(desk.calendar_export.patient_ics(person))[0]
    desk.appointments.move(record.id, at(MONDAY, 15))
    after = events(desk.calendar_export.patient_ics(person))[0]
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART") == datetime(2026, 6, 1, 14, tzinfo=UTC)


def test_a_patient_with_nothing_booked_gets_an_empty_calendar(desk: Services) -> None:
    ics = desk.calendar_export.patient_ics(patient(desk))
    assert events(ics) == []
    with pytest.raises(NotFoundError):
        desk.calendar_export.patient_ics(999)


# -- day sheet ---------------------------------------------------------------------------


def add_intake(services: Services, person: int, intake: IntakeData) -> None:
    with services.db.write() as s:
        s.add(
            Intake(
                patient_id=person,
                version_no=1,
                data=intake.to_dict(),
                created_at=services.clock(),
            )
        )


def test_the_day_sheet_lists_the_day_in_local_time_for_everyone(desk: Services) -> None:
    ann, bo, cy = patient(desk), patient(desk, "Bo Chan"), patient(desk, "Cy Dee")
    book(desk, ann, at(MONDAY, 10))
    book(desk, bo, at(MONDAY, 9), practitioner=TOMASZ, room=2)
    gone = book(desk, cy, at(MONDAY, 14))
    desk.appointments.cancel(gone.id, "Child ill")
    book(desk, ann, at(MONDAY + timedelta(days=1), 10))  # another day

    sheet = desk.calendar_export.day_sheet_input(MONDAY)
    assert sheet.day == MONDAY and sheet.practitioner is None
    assert sheet.practitioner_order == ("Mei Chen", "Tomasz Nowak", "Aisha Rahman")
    rows = [(r.start.strftime("%H:%M"), r.patient, r.practitioner, r.room) for r in sheet.rows]
    assert rows == [
        ("09:00", "Bo Chan", "Tomasz Nowak", "Room 2"),
        ("10:00", "Ann Lee", "Mei Chen", "Room 1"),
        ("14:00", "Cy Dee", "Mei Chen", "Room 1"),
    ]
    cancelled = sheet.rows[2]
    assert (cancelled.status, cancelled.notes) == (AppointmentStatus.CANCELLED, "Child ill")

    mei = desk.calendar_export.day_sheet_input(MONDAY, MEI)
    assert mei.practitioner == "Mei Chen"
    assert {r.practitioner for r in mei.rows} == {"Mei Chen"}


def test_the_day_sheet_marks_patients_with_a_stop_or_warning_signs(desk: Services) -> None:
    device, referral, plain = patient(desk), patient(desk, "Bo Chan"), patient(desk, "Cy Dee")
    add_intake(desk, device, IntakeData(safety=SafetyScreen(implanted_device=True)))
    add_intake(desk, referral, IntakeData(red_flags=RedFlags(hot_swollen_foot=True)))
    add_intake(desk, plain, IntakeData())
    book(desk, device, at(MONDAY, 9), code="EA")  # electro-acupuncture stops for a device
    book(desk, device, at(MONDAY, 11))  # plain acupuncture only warns
    book(desk, referral, at(MONDAY, 9), practitioner=TOMASZ, room=2)
    book(desk, plain, at(MONDAY, 13))
    rows = {(r.patient, r.start.hour): r for r in desk.calendar_export.day_sheet_input(MONDAY).rows}
    assert rows[("Ann Lee", 9)].urgent is True
    assert rows[("Ann Lee", 11)].urgent is False
    assert rows[("Ann Lee", 11)].flags  # the safety summary still prints
    assert rows[("Bo Chan", 9)].urgent is True
    assert rows[("Cy Dee", 13)].urgent is False


def test_the_day_sheet_prints_as_a_pdf(desk: Services) -> None:
    book(desk, patient(desk), at(MONDAY, 10))
    pdf = desk.calendar_export.day_sheet_pdf(MONDAY, page_per_practitioner=True)
    assert pdf.startswith(b"%PDF")
