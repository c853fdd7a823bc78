"""Intake versions on SQLite and PostgreSQL: every save is a new version and the old ones
stay exactly as they were; changes between versions, the flags of the latest version, field-
named validation errors, the audit trail of looks and saves, and who may open them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from frontdesk.db.models import AuditEntry, Intake
from frontdesk.domain.enums import Role, ServiceKind
from frontdesk.domain.errors import NotFoundError, PermissionDenied, ValidationError
from frontdesk.domain.intake import IntakeData
from frontdesk.domain.safety import DecisionLevel
from frontdesk.services.context import Actor
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput

NOW = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
RECEPTIONIST = Actor(user_id=None, username="desk", role=Role.RECEPTIONIST)
PRACTITIONER = Actor(user_id=None, username="mei", role=Role.PRACTITIONER)

FIRST: dict[str, Any] = {
    "schema": 1,
    "chief_complaint": {"what": "Burning feet, worse at night", "since": "2 years"},
    "causes": {"diabetes": {"present": True, "type": "type_2", "hba1c_percent": 7.9}},
    "pain": {"now": 6, "worst": 8, "average": 5},
    "mnsi": {str(n): True for n in range(1, 16)},
    "body_map": {"left.toes": ["burning", "numbness"], "right.toes": ["burning"]},
    "safety": {"implanted_device": True, "implanted_device_location": "left chest"},
    "medications": [{"name": "Metformin", "dose": "500 mg"}],
}


def second() -> dict[str, Any]:
    data = {**FIRST, "pain": {"now": 4, "worst": 6, "average": 4}}
    data["safety"] = {}
    data["mnsi"] = {**FIRST["mnsi"], "2": False, "3": False}
    return data


@pytest.fixture
def desk(clinic: Services, clock: Any) -> Services:
    clock.now = NOW
    return clinic


def new_patient(services: Services, name: str = "Zoë Adams") -> int:
    return services.patients.create(PatientInput(legal_name=name)).id


def audit_rows(services: Services, entity: str, action: str) -> list[AuditEntry]:
    with services.db.read() as s:
        return list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity == entity, AuditEntry.action == action)
                .order_by(AuditEntry.id)
            )
        )


def test_two_saves_give_two_versions_and_the_first_is_kept_as_it_was(desk: Services) -> None:
    pid = new_patient(desk)
    v1 = desk.intakes.save(pid, FIRST)
    v2 = desk.intakes.save(pid, second())

    assert (v1.version_no, v2.version_no) == (1, 2)
    listed = desk.intakes.versions(pid)
    assert [v.version_no for v in listed] == [2, 1]
    assert [v.pain_now for v in listed] == [4, 6]
    # MNSI all "yes": 11 yes-scored items, items 7 and 13 score for "no" only
    assert listed[1].mnsi_score == 11
    assert listed[0].mnsi_score == 9
    assert "Implanted device" in listed[1].flags_summary
    assert "Implanted device" not in listed[0].flags_summary

    old = desk.intakes.get(v1.id)
    assert old.data == IntakeData.from_dict(FIRST)
    assert old.data.pain.now == 6
    assert desk.intakes.latest(pid) == desk.intakes.get(v2.id)


def test_the_database_refuses_to_change_a_saved_version(desk: Services) -> None:
    pid = new_patient(desk)
    version = desk.intakes.save(pid, FIRST)
    with pytest.raises(DBAPIError), desk.db.write() as s:
        s.execute(text("UPDATE intakes SET pain_now = 1 WHERE id = :id"), {"id": version.id})
    assert desk.intakes.get(version.id).pain_now == 6


def test_compare_lists_what_changed_in_form_order(desk: Services) -> None:
    pid = new_patient(desk)
    v1 = desk.intakes.save(pid, FIRST)
    v2 = desk.intakes.save(pid, second())

    changes = desk.intakes.compare(v1.id, v2.id)
    lines = [str(c) for c in changes]
    assert "Pain (0-10) · Pain now: 6 → 4" in lines
    assert any(c.path == "mnsi.2" and c.old == "yes" and c.new == "no" for c in changes)
    assert any(c.path == "safety.implanted_device" for c in changes)
    score_line = next(c for c in changes if c.path == "mnsi" and c.field == "Score")
    assert "11 of 13" in score_line.old and "9 of 13" in score_line.new
    assert desk.intakes.compare(v1.id, v1.id) == []


def test_versions_of_two_patients_cannot_be_compared(desk: Services) -> None:
    a = desk.intakes.save(new_patient(desk), FIRST)
    b = desk.intakes.save(new_patient(desk, "Łukasz Nowak"), FIRST)
    with pytest.raises(ValidationError, match="same patient"):
        desk.intakes.compare(a.id, b.id)


def test_flags_follow_the_latest_version(desk: Services) -> None:
    pid = new_patient(desk)
    nothing = desk.intakes.flags(pid)
    assert not nothing.has_intake
    assert nothing.summary_line == "No safety screen yet"

    desk.intakes.save(pid, FIRST)
    flags = desk.intakes.flags(pid)
    assert flags.has_intake and flags.intake_version == 1
    assert "PM" in flags.badges and "NUMB" in flags.badges
    assert flags.decision_for([ServiceKind.ELECTRO_ACUPUNCTURE]).level is DecisionLevel.OVERRIDE
    assert any(
        "Electro-acupuncture" in line for line in flags.lines_for([ServiceKind.ELECTRO_ACUPUNCTURE])
    )

    desk.intakes.save(pid, second())
    flags = desk.intakes.flags(pid)
    assert flags.intake_version == 2
    assert "PM" not in flags.badges
    assert flags.decision_for([ServiceKind.ELECTRO_ACUPUNCTURE]).level is not DecisionLevel.OVERRIDE
    assert desk.intakes.flags_for([pid])[pid].badges == flags.badges


def test_red_flags_come_with_advice(desk: Services) -> None:
    pid = new_patient(desk)
    desk.intakes.save(pid, {"schema": 1, "red_flags": {"spreading_weakness": True}})
    flags = desk.intakes.flags(pid)
    assert flags.advise_medical_care
    assert "REFER" in flags.badges
    assert "Guillain-Barré" in flags.red_flags[0]


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"pain": {"now": 11}}, "pain.now", "Pain now must be a whole number from 0 to 10"),
        ({"mnsi": {"16": True}}, "mnsi", "questions 1 to 15"),
        ({"safety": {"pacemaker": True}}, "safety", "Unknown field 'pacemaker'"),
        (
            {"causes": {"diabetes": {"hba1c_percent": "high"}}},
            "causes.diabetes.hba1c_percent",
            "HbA1c",
        ),
    ],
)
def test_a_bad_answer_is_refused_naming_the_field(
    desk: Services, data: dict[str, Any], field: str, words: str
) -> None:
    pid = new_patient(desk)
    with pytest.raises(ValidationError, match=words) as caught:
        desk.intakes.save(pid, {"schema": 1, **data})
    assert caught.value.field == field
    assert desk.intakes.version_count(pid) == 0


def test_saving_for_a_patient_who_does_not_exist_is_refused(desk: Services) -> None:
    with pytest.raises(NotFoundError, match="no patient number 999"):
        desk.intakes.save(999, FIRST)


def test_saves_and_looks_are_audited(desk: Services) -> None:
    pid = new_patient(desk)
    v1 = desk.intakes.save(pid, FIRST)
    v2 = desk.intakes.save(pid, second())
    created = audit_rows(desk, "intake", "create")
    assert [row.entity_id for row in created] == [v1.id, v2.id]
    assert any("pain.now" in key for key in created[1].changes)

    assert audit_rows(desk, "intake", "view") == []
    desk.intakes.get(v1.id)
    desk.intakes.versions(pid)
    desk.intakes.compare(v1.id, v2.id)
    views = audit_rows(desk, "intake", "view")
    assert len(views) == 3
    assert all(row.patient_id == pid for row in views)
    desk.intakes.flags(pid)  # the flags are for the desk: not a look at the record
    assert len(audit_rows(desk, "intake", "view")) == 3


def test_a_receptionist_sees_flags_but_not_the_intake(desk: Services) -> None:
    pid = new_patient(desk)
    version = desk.intakes.save(pid, FIRST)
    desk_user = desk.as_user(RECEPTIONIST)
    assert "PM" in desk_user.intakes.flags(pid).badges
    with pytest.raises(PermissionDenied, match="practitioner"):
        desk_user.intakes.get(version.id)
    with pytest.raises(PermissionDenied):
        desk_user.intakes.versions(pid)
    with pytest.raises(PermissionDenied):
        desk_user.intakes.save(pid, FIRST)
    assert desk.as_user(PRACTITIONER).intakes.get(version.id).version_no == 1


@pytest.mark.sqlite_only
def test_a_filled_pdf_is_previewed_then_saved_as_a_new_version(desk: Services) -> None:
    from frontdesk.documents import ClinicHeader, render_fillable_intake

    pid = new_patient(desk)
    desk.intakes.save(pid, FIRST)
    answers = {**FIRST, "pain": {"now": 3, "worst": 5, "average": 3}}
    pdf = render_fillable_intake(ClinicHeader("Riverside Acupuncture"), intake=answers)

    preview = desk.intakes.import_fillable_pdf(pid, pdf)
    assert preview.saved is None
    assert preview.data.pain.now == 3
    assert any(c.path == "pain.now" and c.new == "3" for c in preview.changes)
    assert any(c.path == "pain.now" for c in preview.filled)
    assert desk.intakes.version_count(pid) == 1

    saved = desk.intakes.import_fillable_pdf(pid, pdf, preview_only=False)
    assert saved.saved is not None
    assert saved.saved.version_no == 2 and saved.saved.source == "pdf"
    assert desk.intakes.latest(pid).pain_now == 3  # type: ignore[union-attr]


@pytest.mark.sqlite_only
def test_a_file_that_is_not_an_intake_form_is_refused(desk: Services) -> None:
    pid = new_patient(desk)
    with pytest.raises(ValidationError, match="could not be read"):
        desk.intakes.import_fillable_pdf(pid, b"not a pdf at all")


def test_the_stored_row_keeps_answers_and_score_together(desk: Services) -> None:
    pid = new_patient(desk)
    version = desk.intakes.save(pid, FIRST)
    with desk.db.read() as s:
        row = s.get(Intake, version.id)
        assert row is not None
        assert row.data["mnsi"]["7"] is True
        assert row.mnsi_score == 11
        assert row.source == "form"
