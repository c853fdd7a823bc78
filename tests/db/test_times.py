"""Times are stored as instants: UTC in, UTC out, the same on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, Patient

LONDON = ZoneInfo("Europe/London")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _book(make: Any, s: Any, ids: Any, starts_at: datetime, ends_at: datetime) -> Appointment:
    row = Appointment(
        patient_id=ids.patient,
        practitioner_id=ids.practitioner,
        room_id=None,
        service_id=ids.service,
        starts_at=starts_at,
        ends_at=ends_at,
        booked_at=starts_at,
        updated_at=starts_at,
    )
    s.add(row)
    s.flush()
    return row


def test_times_come_back_as_utc_instants(database: Database, make: Any) -> None:
    registered = datetime(2026, 6, 1, 17, 45, 12, 345678, tzinfo=SHANGHAI)
    with database.write() as s:
        make.patient(s, created_at=registered, updated_at=registered)
    with database.read() as s:
        stored = s.scalars(select(Patient.created_at)).one()
    assert stored == registered
    assert stored.utcoffset() == timedelta(0)
    assert stored == datetime(2026, 6, 1, 9, 45, 12, 345678, tzinfo=UTC)


def test_a_time_without_a_zone_is_refused(database: Database, make: Any) -> None:
    with pytest.raises(StatementError, match="timezone-aware"), database.write() as s:
        make.patient(s, created_at=datetime(2026, 6, 1, 9, 0))


def test_times_compare_in_time_order_across_zones(database: Database, make: Any) -> None:
    # 08:00 in London (BST, 07:00 UTC) is after 14:30 in Shanghai (06:30 UTC)
    london = datetime(2026, 6, 1, 8, 0, tzinfo=LONDON)
    shanghai = datetime(2026, 6, 1, 14, 30, tzinfo=SHANGHAI)
    with database.write() as s:
        make.patient(s, legal_name="London", created_at=london, updated_at=london)
        make.patient(s, legal_name="Shanghai", created_at=shanghai, updated_at=shanghai)
    with database.read() as s:
        order = list(s.scalars(select(Patient.legal_name).order_by(Patient.created_at)))
        later = s.scalars(
            select(Patient.legal_name).where(
                Patient.created_at > datetime(2026, 6, 1, 6, 45, tzinfo=UTC)
            )
        ).all()
    assert order == ["Shanghai", "London"]
    assert later == ["London"]


def test_an_appointment_across_the_spring_change_keeps_its_length(
    database: Database, make: Any
) -> None:
    # 2026-03-29: at 01:00 GMT London's clocks jump to 02:00 BST
    starts = datetime(2026, 3, 29, 0, 30, tzinfo=LONDON)
    ends = datetime(2026, 3, 29, 2, 30, tzinfo=LONDON)
    with database.write() as s:
        _book(make, s, make.basics(s), starts, ends)
    with database.read() as s:
        row = s.scalars(select(Appointment)).one()
    assert row.ends_at - row.starts_at == timedelta(hours=1)
    assert row.starts_at.astimezone(LONDON).strftime("%H:%M %Z") == "00:30 GMT"
    assert row.ends_at.astimezone(LONDON).strftime("%H:%M %Z") == "02:30 BST"


def test_the_repeated_hour_in_autumn_holds_two_bookings(database: Database, make: Any) -> None:
    # 2026-10-25: London's clocks go back at 02:00 BST, so 01:30 happens twice
    first = datetime(2026, 10, 25, 1, 30, fold=0, tzinfo=LONDON)
    second = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    with database.write() as s:
        ids = make.basics(s)
        # the same practitioner twice at "01:30": an hour apart, so no overlap (lengths are
        # added in UTC: Python adds them to the wall clock within one zone)
        for start in (second, first):
            _book(make, s, ids, start, start.astimezone(UTC) + timedelta(minutes=45))
    with database.read() as s:
        starts = list(s.scalars(select(Appointment.starts_at).order_by(Appointment.starts_at)))
    assert starts == [
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    ]
    assert [t.astimezone(LONDON).strftime("%H:%M %Z") for t in starts] == [
        "01:30 BST",
        "01:30 GMT",
    ]
