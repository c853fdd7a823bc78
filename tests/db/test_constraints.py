"""The database itself refuses rows that break the clinic's rules, on both backends.

Each case writes one bad row through the ORM (past the services' own checks, as a bug or
an older program on another computer might) and expects the named constraint to stop it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Appointment,
    ClinicProfile,
    Patient,
    Room,
    SafetyOverride,
    Service,
    TreatmentCourse,
    User,
    WaitlistEntry,
)

DAY = datetime(2026, 3, 2, tzinfo=UTC)


def _appointment(make: Any, s: Session, **fields: Any) -> Appointment:
    ids = make.basics(s)
    starts = DAY + timedelta(hours=9)
    values = dict(
        patient_id=ids.patient,
        practitioner_id=ids.practitioner,
        room_id=ids.room,
        service_id=ids.service,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        booked_at=starts,
        updated_at=starts,
    )
    row = Appointment(**(values | fields))
    s.add(row)
    s.flush()
    return row


def _check(table: str, name: str) -> str:
    """What both backends name in the error for a CHECK constraint."""
    return f"ck_{table}_{name}"


def _unique(table: str, column: str, constraint: str | None = None) -> str:
    """SQLite names the column (table.column), PostgreSQL the constraint."""
    return rf"{table}\.{column}|{constraint or f'uq_{table}_{column}'}"


Case = tuple[Callable[[Any, Session], object], str]

CASES: dict[str, Case] = {
    "empty legal name": (
        lambda make, s: make.patient(s, legal_name=""),
        _check("patients", "legal_name_present"),
    ),
    "blank legal name": (
        lambda make, s: make.patient(s, legal_name="   "),
        _check("patients", "legal_name_present"),
    ),
    "unknown sex": (lambda make, s: make.patient(s, sex="x"), _check("patients", "sex")),
    "duplicate chart number": (
        lambda make, s: [make.patient(s, chart_number="000042") for _ in range(2)],
        _unique("patients", "chart_number"),
    ),
    "appointment ending before it starts": (
        lambda make, s: _appointment(make, s, ends_at=DAY + timedelta(hours=8, minutes=30)),
        _check("appointments", "ends_after_start"),
    ),
    "appointment ending as it starts": (
        lambda make, s: _appointment(make, s, ends_at=DAY + timedelta(hours=9)),
        _check("appointments", "ends_after_start"),
    ),
    "unknown appointment status": (
        lambda make, s: _appointment(make, s, status="maybe"),
        _check("appointments", "status"),
    ),
    "paper size": (
        lambda make, s: make.clinic(s, paper_size="A5"),
        _check("clinic_profile", "paper_size"),
    ),
    "second clinic profile": (
        lambda make, s: [make.clinic(s), make.clinic(s, id=2)],
        _check("clinic_profile", "single_row"),
    ),
    "empty clinic name": (
        lambda make, s: make.clinic(s, name=" "),
        _check("clinic_profile", "name_present"),
    ),
    "unknown service kind": (
        lambda make, s: make.service(s, kind="reiki"),
        _check("services", "kind"),
    ),
    "service shorter than 5 minutes": (
        lambda make, s: make.service(s, default_minutes=4),
        _check("services", "minutes_range"),
    ),
    "service longer than 8 hours": (
        lambda make, s: make.service(s, default_minutes=481),
        _check("services", "minutes_range"),
    ),
    "duplicate service code": (
        lambda make, s: [make.service(s, code="ACU") for _ in range(2)],
        _unique("services", "code"),
    ),
    "practitioner colour not #RRGGBB": (
        lambda make, s: make.practitioner(s, colour="red"),
        _check("practitioners", "colour_hex"),
    ),
    "empty practitioner name": (
        lambda make, s: make.practitioner(s, name=""),
        _check("practitioners", "name_present"),
    ),
    "duplicate room name": (
        lambda make, s: [s.add(Room(name="Room 1")) or s.flush() for _ in range(2)],
        _unique("rooms", "name"),
    ),
    "intake version saved twice": (
        lambda make, s: [make.intake(s, p, version_no=1) for p in [make.patient(s)] * 2],
        _unique("intakes", "patient_id", "uq_intakes_patient_version"),
    ),
    "intake pain above 10": (
        lambda make, s: make.intake(s, make.patient(s), pain_now=11),
        _check("intakes", "pain_range"),
    ),
    "intake pain below 0": (
        lambda make, s: make.intake(s, make.patient(s), pain_now=-1),
        _check("intakes", "pain_range"),
    ),
    "MNSI score above 13": (
        lambda make, s: make.intake(s, make.patient(s), mnsi_score=14),
        _check("intakes", "mnsi_range"),
    ),
    "visit pain before above 10": (
        lambda make, s: make.visit(s, _appointment(make, s), pain_before=11),
        _check("visits", "pain_b"),
    ),
    "visit pain after below 0": (
        lambda make, s: make.visit(s, _appointment(make, s), pain_after=-1),
        _check("visits", "pain_a"),
    ),
    "second visit for one appointment": (
        lambda make, s: [make.visit(s, a) for a in [_appointment(make, s)] * 2],
        _unique("visits", "appointment_id"),
    ),
    "course of 0 sessions": (
        lambda make, s: _course(make, s, sessions_planned=0),
        _check("treatment_courses", "sessions_range"),
    ),
    "course 8 times a week": (
        lambda make, s: _course(make, s, per_week=8),
        _check("treatment_courses", "per_week_range"),
    ),
    "waitlist urgency 4": (
        lambda make, s: _add(s, WaitlistEntry(patient_id=make.patient(s).id, urgency=4)),
        _check("waitlist_entries", "urgency_range"),
    ),
    "safety override without a reason": (
        lambda make, s: _add(
            s, SafetyOverride(patient_id=make.patient(s).id, rules="bleeding", reason=" ok ")
        ),
        _check("safety_overrides", "reason_present"),
    ),
    "unknown user role": (
        lambda make, s: _add(s, User(username="amy", display_name="Amy", role="boss")),
        _check("users", "role"),
    ),
    "appointment for a patient who does not exist": (
        lambda make, s: _appointment(make, s, patient_id=999_999),
        r"FOREIGN KEY|foreign key",
    ),
}


def _add(s: Session, row: Any) -> Any:
    if hasattr(row, "created_at") and row.created_at is None:
        row.created_at = DAY
    s.add(row)
    s.flush()
    return row


def _course(make: Any, s: Session, **fields: Any) -> TreatmentCourse:
    ids = make.basics(s)
    values = dict(
        patient_id=ids.patient,
        practitioner_id=ids.practitioner,
        service_id=ids.service,
        title="Neuropathy course",
        sessions_planned=10,
        per_week=2,
        created_at=DAY,
    )
    return _add(s, TreatmentCourse(**(values | fields)))


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_database_refuses(case: str, database: Database, make: Any) -> None:
    build, error = CASES[case]
    with pytest.raises(IntegrityError, match=error), database.write() as s:
        build(make, s)


def test_a_refused_row_leaves_nothing_half_saved(database: Database, make: Any) -> None:
    with pytest.raises(IntegrityError), database.write() as s:
        make.patient(s, chart_number="000001")
        make.patient(s, chart_number="000001")
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(Patient)) == 0


def test_valid_rows_are_accepted(database: Database, make: Any) -> None:
    with database.write() as s:
        make.clinic(s, paper_size="Letter")
        make.service(s, default_minutes=5)
        make.service(s, default_minutes=480, kind="moxibustion")
        make.intake(s, make.patient(s), pain_now=10, mnsi_score=13)
        make.visit(s, _appointment(make, s), pain_before=0, pain_after=10)
    with database.read() as s:
        assert s.scalar(select(ClinicProfile.paper_size)) == "Letter"
        assert s.scalar(select(func.count()).select_from(Service)) == 3
