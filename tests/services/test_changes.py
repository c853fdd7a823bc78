"""Live updates: a booking on one workstation is noticed by another within 2 seconds."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from frontdesk.db.engine import Database
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.changes import ChangeWatcher
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput


def book(services: Services, hour: int) -> int:
    patient = services.patients.create(
        PatientInput(legal_name="Patient " + "ABCDEFGHIJKLMNOPQRSTUVWX"[hour])
    )
    return services.appointments.book(
        BookingRequest(
            patient_id=patient.id,
            service_id=services.clinic.service_by_code("ACU").id,
            practitioner_id=services.clinic.practitioners()[0].id,
            room_id=services.clinic.rooms()[0].id,
            starts_at=datetime(2025, 6, 10, hour, 0, tzinfo=UTC),
            allow_outside_hours=True,
        )
    ).id


def seen_within(watcher: ChangeWatcher, seconds: float) -> float | None:
    """How long the watcher took to notice a change (None: not within ``seconds``)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if watcher.poll():
            return time.monotonic() - started
    return None


@pytest.fixture
def second_desk(clinic: Services, db_url: str):
    other = Services(Database(db_url))
    yield other
    other.db.dispose()


def test_a_booking_on_one_desk_is_seen_by_the_other(clinic: Services, second_desk) -> None:
    watcher = ChangeWatcher(second_desk)
    try:
        assert watcher.connected
        assert watcher.poll() is False  # the first look only notes where things stand
        assert watcher.poll() is False
        book(clinic, 10)
        assert seen_within(watcher, 2.0) is not None
        assert watcher.poll() is False  # told once
        # a cancellation moves it too
        record = clinic.appointments.between(
            datetime(2025, 6, 10, tzinfo=UTC), datetime(2025, 6, 11, tzinfo=UTC)
        )[0]
        clinic.appointments.cancel(record.id, "Unwell")
        assert seen_within(watcher, 2.0) is not None
    finally:
        watcher.close()


def test_changes_to_patients_alone_do_not_disturb_the_calendar(
    clinic: Services, second_desk
) -> None:
    watcher = ChangeWatcher(second_desk)
    try:
        watcher.poll()
        clinic.patients.create(PatientInput(legal_name="No Booking"))
        assert watcher.poll() is False
    finally:
        watcher.close()


@pytest.mark.pg_only
def test_a_lost_server_connection_refreshes_once_it_is_back(clinic: Services, second_desk) -> None:
    watcher = ChangeWatcher(second_desk)
    try:
        watcher.poll()
        # the server ends the listening connection (as on a restart)
        with clinic.db.engine.connect() as conn:
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE query LIKE 'LISTEN%%' AND datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
        # it cannot know what it missed meanwhile, so it asks for a refresh once back
        assert seen_within(watcher, 2.0) is not None
        assert watcher.connected
        book(clinic, 11)
        assert seen_within(watcher, 2.0) is not None
    finally:
        watcher.close()
