"""No silent overwrite: when two people edit the same record, the second save is refused
with who changed it and when, nothing is lost, and reloading then saving again works."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from frontdesk.db.engine import Database
from frontdesk.domain.enums import AppointmentStatus, Role
from frontdesk.domain.errors import ConflictError
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.context import Actor
from frontdesk.services.hub import Services
from frontdesk.services.patients import PATIENT_FIELDS, PatientInput

# 09:30 UTC in June is 10:30 in London: the message uses the clinic's time
MORNING = datetime(2025, 6, 10, 9, 30, tzinfo=UTC)


def as_input(record) -> PatientInput:
    return PatientInput(**{name: getattr(record, name) for name in PATIENT_FIELDS})


@pytest.fixture
def desks(clinic: Services, db_url: str, clock):
    """Two workstations on one database: Mei at the front desk, Tom in a treatment room."""
    clock.now = MORNING
    mei = clinic.as_user(Actor(user_id=None, username="mei", role=Role.RECEPTIONIST))
    other_db = Database(db_url)
    tom = Services(other_db, Actor(user_id=None, username="tom", role=Role.RECEPTIONIST), clock)
    yield mei, tom
    other_db.dispose()


def test_the_second_save_of_a_patient_is_refused_and_nothing_is_lost(desks) -> None:
    mei, tom = desks
    created = mei.patients.create(
        PatientInput(legal_name="Grace Hopper", phone="07700 900123", email="")
    )
    # both open the same patient
    seen_by_mei = mei.patients.get(created.id)
    seen_by_tom = tom.patients.get(created.id)

    mei.patients.update(
        created.id, seen_by_mei.version, replace(as_input(seen_by_mei), phone="07700 900999")
    )
    with pytest.raises(ConflictError, match="changed by mei at 10:30") as refused:
        tom.patients.update(
            created.id,
            seen_by_tom.version,
            replace(as_input(seen_by_tom), email="grace@example.org"),
        )
    assert "Reload" in refused.value.message
    # Mei's change is there, Tom's did not overwrite it
    now = tom.patients.get(created.id)
    assert (now.phone, now.email) == ("07700 900999", "")

    # reload and apply again: both changes are kept
    saved = tom.patients.update(
        created.id, now.version, replace(as_input(now), email="grace@example.org")
    )
    assert (saved.phone, saved.email) == ("07700 900999", "grace@example.org")
    assert saved.version == now.version + 1


def test_a_stale_appointment_change_names_who_changed_it(desks) -> None:
    mei, tom = desks
    patient = mei.patients.create(PatientInput(legal_name="Ada Lovelace"))
    booked = mei.appointments.book(
        BookingRequest(
            patient_id=patient.id,
            service_id=mei.clinic.service_by_code("ACU").id,
            practitioner_id=mei.clinic.practitioners()[0].id,
            room_id=mei.clinic.rooms()[0].id,
            starts_at=datetime(2025, 6, 11, 13, 0, tzinfo=UTC),
        )
    )
    seen_by_tom = tom.appointments.get(booked.id)
    moved = mei.appointments.move(
        booked.id, datetime(2025, 6, 11, 14, 0, tzinfo=UTC), expected_version=booked.version
    )
    with pytest.raises(ConflictError, match=r"changed by mei at 10:30"):
        tom.appointments.move(
            booked.id,
            datetime(2025, 6, 11, 15, 0, tzinfo=UTC),
            expected_version=seen_by_tom.version,
        )
    with pytest.raises(ConflictError, match=r"changed by mei at 10:30"):
        tom.appointments.set_status(
            booked.id,
            AppointmentStatus.CANCELLED,
            reason="Unwell",
            expected_version=seen_by_tom.version,
        )
    assert tom.appointments.get(booked.id).starts_at == moved.starts_at
    # after reloading, Tom's change goes through
    fresh = tom.appointments.get(booked.id)
    again = tom.appointments.move(
        booked.id, datetime(2025, 6, 11, 15, 0, tzinfo=UTC), expected_version=fresh.version
    )
    assert again.starts_at == datetime(2025, 6, 11, 15, 0, tzinfo=UTC)
