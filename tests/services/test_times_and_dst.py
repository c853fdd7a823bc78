"""Times stay unambiguous: stored in UTC, shown in the clinic's timezone, across DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from frontdesk.domain.errors import ValidationError
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.patients import PatientInput

LONDON = ZoneInfo("Europe/London")


def _ids(clinic):
    patient = clinic.patients.create(PatientInput(legal_name="Zoë Łukasz-Nguyễn"))
    acu = clinic.clinic.service_by_code("ACU")
    practitioner = clinic.clinic.practitioners()[0]
    room = clinic.clinic.rooms()[0]
    return patient.id, acu.id, practitioner.id, room.id


@pytest.mark.parametrize(
    ("before", "after"),
    [(date(2026, 3, 27), date(2026, 3, 30)), (date(2026, 10, 23), date(2026, 10, 26))],
    ids=["spring-forward", "fall-back"],
)
def test_booking_across_a_daylight_saving_change_keeps_the_wall_clock_time(
    clinic, clock, before, after
):
    clock.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    patient, acu, practitioner, room = _ids(clinic)
    first = clinic.appointments.book(
        BookingRequest(
            patient,
            acu,
            practitioner,
            datetime.combine(before, datetime.min.time(), LONDON).replace(hour=10),
            room_id=room,
        )
    )
    second = clinic.appointments.book(
        BookingRequest(
            patient,
            acu,
            practitioner,
            datetime.combine(after, datetime.min.time(), LONDON).replace(hour=10),
            room_id=room,
        )
    )
    # both are at 10:00 on the clinic's clock ...
    assert first.starts_at.astimezone(LONDON).hour == 10
    assert second.starts_at.astimezone(LONDON).hour == 10
    # ... but at different UTC hours, because the offset changed in between
    assert first.starts_at.utcoffset() == timedelta(0)
    assert first.starts_at.hour != second.starts_at.hour
    # and each day's list finds its own appointment
    assert [a.id for a in clinic.appointments.on_day(before)] == [first.id]
    assert [a.id for a in clinic.appointments.on_day(after)] == [second.id]


def test_the_short_spring_day_and_the_long_autumn_day(clinic, clock):
    """A day view of the clocks-change days covers 23 and 25 hours, no more, no less."""
    clock.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    patient, acu, practitioner, room = _ids(clinic)
    # 00:30 and 23:30 local on the autumn day are 25 hours apart minus one hour of day
    day = date(2026, 10, 25)
    late = datetime(2026, 10, 25, 23, 0, tzinfo=LONDON)
    early = datetime(2026, 10, 25, 0, 30, tzinfo=LONDON)
    for start in (early, late):
        clinic.appointments.book(
            BookingRequest(
                patient,
                acu,
                practitioner,
                start,
                start + timedelta(minutes=30),
                room_id=room,
                allow_outside_hours=True,
            )
        )
    found = clinic.appointments.on_day(day)
    assert len(found) == 2
    assert found[1].starts_at - found[0].starts_at == timedelta(hours=23, minutes=30)


def test_a_time_without_a_zone_is_refused(clinic):
    patient, acu, practitioner, room = _ids(clinic)
    with pytest.raises(ValidationError, match="timezone"):
        clinic.appointments.book(
            BookingRequest(patient, acu, practitioner, datetime(2030, 1, 7, 10, 0), room_id=room)
        )
