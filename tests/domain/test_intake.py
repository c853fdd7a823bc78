"""The intake record: JSON in and out, checks, "what changed", and derived facts."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from frontdesk.domain.body_map import BodyMap
from frontdesk.domain.enums import Role, ServiceKind
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.intake import (
    INTAKE_SECTIONS,
    PRACTITIONER_ONLY_SECTIONS,
    Causes,
    Consent,
    Diabetes,
    IntakeData,
    Medication,
    PainScores,
    SafetyScreen,
    Symptoms,
    TcmFindings,
    can_see_section,
    diff,
    nrs_category,
    required_risks,
)

SCHEMA_DOC = Path(__file__).resolve().parents[2] / "docs" / "intake-schema.md"


def documented_example() -> dict[str, Any]:
    match = re.search(r"```json\n(.*?)```", SCHEMA_DOC.read_text(encoding="utf-8"), re.S)
    assert match, "docs/intake-schema.md must hold a JSON example"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def error_for(data: dict[str, Any]) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        IntakeData.from_dict({"schema": 1, **data})
    return caught.value


def test_the_documented_example_reads_and_round_trips() -> None:
    intake = IntakeData.from_dict(documented_example())
    assert intake.pain.now == 5
    assert intake.causes.diabetes.hba1c_percent == 7.4
    assert intake.consent.signed_on == date(2026, 3, 2)
    assert intake.consent.is_signed
    again = IntakeData.from_dict(json.loads(json.dumps(intake.to_dict())))
    assert again == intake
    assert intake.to_dict()["schema"] == 1


def test_an_empty_intake_is_valid_and_round_trips() -> None:
    empty = IntakeData()
    empty.validate()
    assert IntakeData.from_dict({"schema": 1}) == empty
    assert IntakeData.from_dict(empty.to_dict()) == empty


def test_out_of_range_pain_names_the_field() -> None:
    error = error_for({"pain": {"now": 11}})
    assert error.message == "Pain now must be a whole number from 0 to 10."
    assert error.field == "pain.now"
    assert "Worst pain" in error_for({"pain": {"worst": "7"}}).message
    assert IntakeData.from_dict({"schema": 1, "pain": {"now": 4.0}}).pain.now == 4


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"pian": {}}, "Unknown field 'pian'"),
        ({"pain": {"today": 3}}, "Unknown field 'today'"),
        ({"causes": {"diabetes": {"type": "3"}}}, "Diabetes type must be one of"),
        ({"causes": {"diabetes": {"hba1c_percent": 45}}}, "HbA1c must be a number from 3 to 20"),
        ({"consent": {"signed_on": "02/03/2026"}}, "Date signed must be a date"),
        ({"symptoms": {"sensory": ["dizzy_on_standing"]}}, "'dizzy_on_standing' is not one of"),
        ({"mnsi": {"7": "no"}}, "MNSI question 7 must be answered"),
        ({"mnsi": {"16": True}}, "questions 1 to 15"),
        ({"medications": [{"dose": "5 mg"}]}, "Medicine 1 on the list has no name"),
        ({"body_map": {"left.knee": ["pain"]}}, "'left.knee' is not a body-map area"),
        ({"consent": {"signature": [[[0.2, 1.4]]]}}, "points between 0 and 1"),
        ({"findings": {"weeks": 0}}, "Number of weeks must be a whole number from 1 to 52"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_it(data: dict[str, Any], words: str) -> None:
    assert words in error_for(data).message


def test_the_schema_version_is_required() -> None:
    with pytest.raises(ValidationError, match='"schema": 1'):
        IntakeData.from_dict({"pain": {"now": 3}})
    with pytest.raises(ValidationError, match="format 2"):
        IntakeData.from_dict({"schema": 2})


def test_chemotherapy_cannot_end_before_it_started() -> None:
    error = error_for(
        {"causes": {"chemotherapy": {"started": "2024-05-01", "ended": "2024-01-01"}}}
    )
    assert "end date is before its start date" in error.message
    assert error.field == "causes.chemotherapy.ended"


def test_validate_checks_values_built_in_code() -> None:
    with pytest.raises(ValidationError, match="Average pain in the last week must be"):
        IntakeData(pain=PainScores(average=-1)).validate()
    IntakeData(pain=PainScores(now=0, worst=10)).validate()


def test_diff_lists_what_changed_in_words() -> None:
    old = IntakeData(
        pain=PainScores(now=6),
        medications=(Medication("Warfarin", "5 mg"), Medication("Metformin")),
        body_map=BodyMap({"left.toes": ["tingling"]}),
        mnsi={7: True},
    )
    new = replace(
        old,
        pain=PainScores(now=4),
        medications=(Medication("Warfarin", "3 mg"),),
        body_map=BodyMap({"left.toes": ["tingling", "numbness"]}),
        mnsi={7: False},
    )
    lines = [str(change) for change in diff(old, new)]
    assert "Pain (0-10) · Pain now: 6 → 4" in lines
    assert (
        "Medicines · Warfarin: Warfarin 5 mg (blood thinner) → Warfarin 3 mg (blood thinner)"
    ) in lines
    assert "Medicines · Metformin: Metformin → no longer listed" in lines
    assert "Where the symptoms are · Left toes: tingling → numbness, tingling" in lines
    assert "MNSI questionnaire · Question 7: can tell hot from cold water: yes → no" in lines
    assert any(line.startswith("MNSI questionnaire · Score: MNSI 0 of 13") for line in lines)
    assert diff(new, new) == []


def test_diff_names_nested_fields_with_their_parent() -> None:
    old = IntakeData()
    new = IntakeData(causes=Causes(diabetes=Diabetes(present=True, hba1c_percent=8.1)))
    changes = diff(old, new)
    assert [(c.field, c.old, c.new, c.path) for c in changes] == [
        ("Diabetes: Has diabetes", "no", "yes", "causes.diabetes.present"),
        ("Diabetes: HbA1c", "not recorded", "8.1 %", "causes.diabetes.hba1c_percent"),
    ]


def test_mnsi_result_and_neuropathy_symptoms() -> None:
    intake = IntakeData(mnsi=dict.fromkeys(range(1, 16), True))
    assert intake.mnsi_result.score == 11
    assert not intake.has_neuropathy_symptoms
    assert IntakeData(symptoms=Symptoms(sensory=frozenset({"burning"}))).has_neuropathy_symptoms
    assert IntakeData(body_map=BodyMap({"right.sole": ["pain"]})).has_neuropathy_symptoms
    assert not IntakeData(
        symptoms=Symptoms(autonomic=frozenset({"bladder"}))
    ).has_neuropathy_symptoms


def test_other_answers_imply_safety_answers() -> None:
    intake = IntakeData(medications=(Medication("clopidogrel 75mg"),), mnsi={13: False})
    reasons = intake.safety_reasons()
    assert reasons["anticoagulant"] == ("clopidogrel 75mg is on the medicine list",)
    assert "MNSI question 13" in reasons["numbness"][0]
    screen = intake.effective_safety
    assert screen.anticoagulant and screen.numbness and not screen.pregnant
    assert IntakeData(causes=Causes(diabetes=Diabetes(present=True))).effective_safety.numbness
    assert IntakeData(mnsi={7: True, 1: False}).safety_reasons() == {}
    assert IntakeData(safety=SafetyScreen(pregnant=True)).safety_reasons() == {
        "pregnant": ("answered yes on the safety screen",)
    }


def test_practitioner_findings_stay_off_patient_copies() -> None:
    assert {"findings"} == PRACTITIONER_ONLY_SECTIONS
    intake = IntakeData(findings=TcmFindings(pattern="Blood stasis", sessions_per_week=2, weeks=6))
    assert intake.findings.planned_sessions == 12
    assert intake.patient_part().findings == TcmFindings()
    assert can_see_section(Role.PRACTITIONER, "findings")
    assert not any(can_see_section(Role.RECEPTIONIST, s.key) for s in INTAKE_SECTIONS)


def test_desk_sees_only_whether_consent_is_signed() -> None:
    signed = Consent(
        may_stop_acknowledged=True,
        signature=(((0.1, 0.1), (0.5, 0.5)),),
        signed_on=date(2026, 1, 5),
        signer_name="Ann Lee",
    )
    part = IntakeData(consent=signed, pain=PainScores(now=9)).desk_part()
    assert part.consent_signed and part.consent_signed_on == date(2026, 1, 5)
    assert not IntakeData().desk_part().consent_signed


def test_consent_lists_the_risks_each_service_needs() -> None:
    cupping_only = {risk.id for risk in required_risks([ServiceKind.CUPPING])}
    assert "cupping_marks" in cupping_only and "serious_events" not in cupping_only
    assert required_risks([ServiceKind.CONSULTATION]) == []
    missing = Consent().missing_for([ServiceKind.MOXIBUSTION])
    assert any("burn" in line for line in missing)
    assert any("not signed" in line for line in missing)


def test_pain_words() -> None:
    assert [nrs_category(n) for n in (0, 3, 4, 6, 7, None)] == [
        "none",
        "mild",
        "moderate",
        "moderate",
        "severe",
        "not recorded",
    ]
