"""Minimal rows for the database tests, inserted through the ORM or with plain SQL."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, bindparam, text
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    AuditEntry,
    ClinicProfile,
    Intake,
    Patient,
    Practitioner,
    Room,
    Service,
    Visit,
)
from frontdesk.db.types import UTCDateTime

#: a Monday in March, before the clocks change
DAY = datetime(2026, 3, 2, tzinfo=UTC)


@dataclass(frozen=True)
class Basics:
    """Ids of the rows an appointment needs: two practitioners, two rooms, one of the rest."""

    patient: int
    practitioner: int
    other_practitioner: int
    room: int
    other_room: int
    service: int


class Make:
    """Builds valid rows with as few fields as the schema allows; keywords override them."""

    def __init__(self) -> None:
        self._numbers = itertools.count(1)

    def _add(self, s: Session, row: Any) -> Any:
        s.add(row)
        s.flush()
        return row

    def clinic(self, s: Session, **fields: Any) -> ClinicProfile:
        values = dict(
            id=1, name="Riverside Acupuncture", timezone="Europe/London", created_at=DAY,
            updated_at=DAY,
        )  # fmt: skip
        return self._add(s, ClinicProfile(**(values | fields)))

    def practitioner(self, s: Session, **fields: Any) -> Practitioner:
        values = dict(name=f"Practitioner {next(self._numbers)}", colour="#2E7D9A")
        return self._add(s, Practitioner(**(values | fields)))

    def room(self, s: Session, **fields: Any) -> Room:
        return self._add(s, Room(**({"name": f"Room {next(self._numbers)}"} | fields)))

    def service(self, s: Session, **fields: Any) -> Service:
        values = dict(
            code=f"S{next(self._numbers)}", name="Acupuncture follow-up", kind="acupuncture",
            default_minutes=60, colour="#4C9F70",
        )  # fmt: skip
        return self._add(s, Service(**(values | fields)))

    def patient(self, s: Session, **fields: Any) -> Patient:
        number = next(self._numbers)
        values = dict(
            legal_name=f"Patient {number}", chart_number=f"{number:06d}", created_at=DAY,
            updated_at=DAY,
        )  # fmt: skip
        return self._add(s, Patient(**(values | fields)))

    def intake(self, s: Session, patient: Patient, **fields: Any) -> Intake:
        values = dict(patient_id=patient.id, version_no=1, data={}, created_at=DAY)
        return self._add(s, Intake(**(values | fields)))

    def visit(self, s: Session, appointment: Any, **fields: Any) -> Visit:
        values = dict(
            appointment_id=appointment.id, patient_id=appointment.patient_id,
            practitioner_id=appointment.practitioner_id, data={}, created_at=DAY, updated_at=DAY,
        )  # fmt: skip
        return self._add(s, Visit(**(values | fields)))

    def basics(self, s: Session) -> Basics:
        return Basics(
            patient=self.patient(s).id,
            practitioner=self.practitioner(s).id,
            other_practitioner=self.practitioner(s).id,
            room=self.room(s).id,
            other_room=self.room(s).id,
            service=self.service(s).id,
        )

    def audit(self, s: Session, **fields: Any) -> AuditEntry:
        values = dict(at=DAY, username="reception", action="create", entity="patient")
        return self._add(s, AuditEntry(**(values | fields)))


@pytest.fixture
def make() -> Make:
    return Make()


@pytest.fixture
def basics(database: Database, make: Make) -> Basics:
    """A patient, two practitioners, two rooms and a service, committed."""
    with database.write() as s:
        return make.basics(s)


_DEFAULT_ROOM = object()

_INSERT_APPOINTMENT = text(
    """
    INSERT INTO appointments (
        patient_id, practitioner_id, room_id, service_id, starts_at, ends_at, status,
        walk_in, notes, cancel_reason, late_cancel, booked_at, updated_at, version
    ) VALUES (
        :patient_id, :practitioner_id, :room_id, :service_id, :starts_at, :ends_at, :status,
        :walk_in, '', '', :late_cancel, :booked_at, :booked_at, 1
    )
    """
).bindparams(
    bindparam("starts_at", type_=UTCDateTime()),
    bindparam("ends_at", type_=UTCDateTime()),
    bindparam("booked_at", type_=UTCDateTime()),
)


def _insert_appointment(
    conn: Connection | Session,
    basics: Basics,
    starts_at: datetime,
    minutes: int = 60,
    *,
    practitioner: int | None = None,
    room: Any = _DEFAULT_ROOM,
    status: str = "booked",
) -> None:
    """Insert an appointment with plain SQL, past the ORM and the services.

    The times go through the same column type as the ORM's, so they are stored exactly as
    a second workstation's program would store them.
    """
    conn.execute(
        _INSERT_APPOINTMENT,
        {
            "patient_id": basics.patient,
            "practitioner_id": practitioner or basics.practitioner,
            "room_id": basics.room if room is _DEFAULT_ROOM else room,
            "service_id": basics.service,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(minutes=minutes),
            "status": status,
            "walk_in": False,
            "late_cancel": False,
            "booked_at": DAY,
        },
    )


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    ids=["sqlite", "pg"],
)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (no tables at all) on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
        return
    server = request.getfixturevalue("pg_server")
    name = f"empty_{next(_empty_numbers)}"
    server.admin().execute(f"CREATE DATABASE {name}")
    try:
        yield server.url(name)
    finally:
        server.admin().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


_empty_numbers = itertools.count(1)


@pytest.fixture
def insert_appointment() -> Any:
    """``insert_appointment(session, basics, starts_at, minutes=60, practitioner=, room=,
    status=)``: one appointment written with plain SQL."""
    return _insert_appointment
