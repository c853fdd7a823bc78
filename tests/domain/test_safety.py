"""Safety rules: what an intake answer stops, restricts or warns about, per service."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.domain.enums import ServiceKind
from frontdesk.domain.errors import SafetyAcknowledgementRequired, SafetyError
from frontdesk.domain.intake import (
    SAFETY_QUESTIONS,
    Causes,
    Diabetes,
    IntakeData,
    Medication,
    RedFlags,
    SafetyScreen,
)
from frontdesk.domain.safety import (
    SAFETY_RULES,
    DecisionLevel,
    Severity,
    assess,
    check_allowed,
    pregnancy_flagged_points,
    rule,
)

EA = ServiceKind.ELECTRO_ACUPUNCTURE
ACU = ServiceKind.ACUPUNCTURE
MOXA = ServiceKind.MOXIBUSTION

screens = st.builds(SafetyScreen, **{name: st.booleans() for name in SAFETY_QUESTIONS})
red_flags = st.builds(
    RedFlags,
    spreading_weakness=st.booleans(),
    foot_ulcer_infection=st.booleans(),
    hot_swollen_foot=st.booleans(),
)
intakes = st.builds(
    IntakeData,
    safety=screens,
    red_flags=red_flags,
    mnsi=st.dictionaries(st.integers(1, 15), st.none() | st.booleans()),
)
kind_sets = st.lists(st.sampled_from(list(ServiceKind)), min_size=1, max_size=4)
practitioner = st.booleans()
reasons = st.none() | st.text(max_size=20)


def try_allowed(decision: object, **kwargs: object) -> bool:
    try:
        check_allowed(decision, **kwargs)  # type: ignore[arg-type]
    except (SafetyError, SafetyAcknowledgementRequired):
        return False
    return True


def screen(**answers: bool | str) -> IntakeData:
    return IntakeData(safety=SafetyScreen(**answers))  # type: ignore[arg-type]


def test_the_table_has_one_row_per_screen_question_and_never_limits_a_consultation() -> None:
    assert [r.code for r in SAFETY_RULES] == list(SAFETY_QUESTIONS)
    assert all(
        r.effect_for(ServiceKind.CONSULTATION).severity is Severity.NONE for r in SAFETY_RULES
    )


@pytest.mark.parametrize(
    ("code", "kind", "severity"),
    [
        ("implanted_device", EA, Severity.STOP),
        ("implanted_device", ACU, Severity.WARN),
        ("implanted_device", ServiceKind.MASSAGE, Severity.NONE),
        ("bleeding_disorder", ACU, Severity.STOP),
        ("bleeding_disorder", ServiceKind.MASSAGE, Severity.WARN),
        ("anticoagulant", ServiceKind.MASSAGE, Severity.WARN),
        ("pregnant", EA, Severity.STOP),
        ("pregnant", MOXA, Severity.WARN),
        ("numbness", MOXA, Severity.HOLD),
        ("open_wound", ServiceKind.CUPPING, Severity.AREA),
        ("dvt", ServiceKind.CUPPING, Severity.STOP),
        ("dvt", ACU, Severity.NONE),
        ("active_cancer", ServiceKind.CUPPING, Severity.STOP),
        ("lymphoedema", ACU, Severity.AREA),
        ("fasting_today", EA, Severity.WARN),
    ],
)
def test_table_cells_follow_the_clinic_policy(
    code: str, kind: ServiceKind, severity: Severity
) -> None:
    assert rule(code).effect_for(kind).severity is severity


def test_pacemaker_stops_electro_acupuncture_until_a_practitioner_overrides() -> None:
    assessment = assess(screen(implanted_device=True, implanted_device_location="left chest"))
    decision = assessment.decision_for([ACU, EA])
    assert decision.level is DecisionLevel.OVERRIDE
    assert "Implanted device: left chest" in decision.areas_to_avoid
    with pytest.raises(SafetyError, match="A practitioner can override this by giving a reason"):
        check_allowed(
            decision, acknowledged=True, override_reason=None, overrider_is_practitioner=True
        )
    with pytest.raises(SafetyError, match="Electro-acupuncture: Implanted device"):
        check_allowed(
            decision,
            acknowledged=True,
            override_reason="limbs only",
            overrider_is_practitioner=False,
        )
    check_allowed(
        decision, acknowledged=False, override_reason="limbs only", overrider_is_practitioner=True
    )


def test_warnings_need_an_acknowledgement() -> None:
    decision = assess(screen(anticoagulant=True)).decision_for([ServiceKind.MASSAGE])
    assert decision.level is DecisionLevel.ACKNOWLEDGE
    assert "light pressure only" in decision.lines()[0]
    with pytest.raises(SafetyAcknowledgementRequired, match="Blood thinner"):
        check_allowed(
            decision, acknowledged=False, override_reason=None, overrider_is_practitioner=False
        )
    check_allowed(
        decision, acknowledged=True, override_reason=None, overrider_is_practitioner=False
    )


def test_moxa_on_numb_skin_waits_for_a_practitioner() -> None:
    diabetic = IntakeData(causes=Causes(diabetes=Diabetes(present=True)))
    decision = assess(diabetic).decision_for([MOXA])
    assert decision.level is DecisionLevel.ACKNOWLEDGE and decision.needs_practitioner
    with pytest.raises(SafetyError, match="no heat on numb skin: burn risk"):
        check_allowed(
            decision, acknowledged=True, override_reason=None, overrider_is_practitioner=False
        )
    with pytest.raises(SafetyAcknowledgementRequired):
        check_allowed(
            decision, acknowledged=False, override_reason=None, overrider_is_practitioner=True
        )
    check_allowed(decision, acknowledged=True, override_reason=None, overrider_is_practitioner=True)


def test_flags_come_from_other_answers_too() -> None:
    intake = IntakeData(medications=(Medication("Xarelto", "20 mg"),), mnsi={7: False})
    assessment = assess(intake)
    assert [f.code for f in assessment.flags] == ["anticoagulant", "numbness"]
    assert assessment.flag("anticoagulant").sources == ("Xarelto is on the medicine list",)  # type: ignore[union-attr]


def test_summary_and_badges_for_the_desk() -> None:
    assessment = assess(screen(implanted_device=True, anticoagulant=True, pregnant=True))
    assert assessment.summary_line() == "Implanted device · Blood thinner · Pregnant"
    assert assessment.badges() == ["PM", "AC", "PREG"]
    assert assess(IntakeData()).is_clear
    assert assess(IntakeData()).summary_line() == ""


def test_red_flags_advise_medical_care() -> None:
    assessment = assess(IntakeData(red_flags=RedFlags(hot_swollen_foot=True)))
    assert assessment.badges() == ["REFER"]
    assert "Charcot" in assessment.red_flags[0].advice
    decision = assessment.decision_for([ServiceKind.MASSAGE])
    assert decision.level is DecisionLevel.ACKNOWLEDGE
    assert any(line.startswith("Advise medical care") for line in decision.lines())
    assert assessment.decision_for([ServiceKind.CONSULTATION]).level is DecisionLevel.CLEAR


def test_no_intake_means_the_questions_are_still_to_ask() -> None:
    assessment = assess(None)
    assert assessment.badges() == ["SCREEN?"]
    assert assessment.decision_for([ACU]).level is DecisionLevel.ACKNOWLEDGE
    assert assessment.decision_for([ServiceKind.CONSULTATION]).level is DecisionLevel.CLEAR


def test_pregnancy_warning_names_the_points_and_flags_them() -> None:
    decision = assess(screen(pregnant=True)).decision_for([ACU])
    note = decision.reasons[0].note
    for code in ("LI4", "SP6", "BL60", "BL67"):
        assert code in note
    assert pregnancy_flagged_points(["st36", "li 4", "SP-6", "LIV3", "LI4"]) == [
        "LI4",
        "SP6",
        "LR3",
    ]
    assert pregnancy_flagged_points(["LR3", "BL67"], include_traditional=False) == ["BL67"]


@settings(max_examples=150)
@given(intakes, kind_sets, practitioner, reasons, st.booleans())
def test_a_pacemaker_never_allows_electro_acupuncture_without_an_override(
    intake: IntakeData,
    kinds: list[ServiceKind],
    is_practitioner: bool,
    reason: str | None,
    acknowledged: bool,
) -> None:
    intake = replace(intake, safety=replace(intake.safety, implanted_device=True))
    decision = assess(intake).decision_for([*kinds, EA])
    allowed = try_allowed(
        decision,
        acknowledged=acknowledged,
        override_reason=reason,
        overrider_is_practitioner=is_practitioner,
    )
    assert not allowed or (is_practitioner and reason and reason.strip())


@settings(max_examples=150)
@given(intakes, kind_sets, practitioner, st.booleans())
def test_a_bleeding_disorder_blocks_needles_without_an_override(
    intake: IntakeData, kinds: list[ServiceKind], is_practitioner: bool, acknowledged: bool
) -> None:
    intake = replace(intake, safety=replace(intake.safety, bleeding_disorder=True))
    decision = assess(intake).decision_for([*kinds, ACU])
    assert decision.level is DecisionLevel.OVERRIDE
    assert not try_allowed(
        decision,
        acknowledged=acknowledged,
        override_reason=None,
        overrider_is_practitioner=is_practitioner,
    )


@settings(max_examples=150)
@given(st.none() | intakes)
def test_a_consultation_is_always_allowed(intake: IntakeData | None) -> None:
    decision = assess(intake).decision_for([ServiceKind.CONSULTATION])
    assert decision.level is DecisionLevel.CLEAR
    check_allowed(
        decision, acknowledged=False, override_reason=None, overrider_is_practitioner=False
    )


@settings(max_examples=100)
@given(intakes, kind_sets)
def test_adding_a_service_never_makes_the_decision_milder(
    intake: IntakeData, kinds: list[ServiceKind]
) -> None:
    assessment = assess(intake)
    base = assessment.decision_for(kinds[:1]).level
    assert assessment.decision_for(kinds).level.rank >= base.rank
