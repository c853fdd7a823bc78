"""Document inputs prepared from domain records: cautions, intake changes, MNSI trend."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from frontdesk.documents.from_domain import aftercare_cautions, intake_changes, mnsi_trend
from frontdesk.domain.intake import IntakeData, Medication, PainScores, SafetyScreen


def test_cautions_follow_the_safety_flags(rich_intake):
    keys = aftercare_cautions(rich_intake)
    assert "anticoagulant" in keys and "numb_skin" in keys and "open_wound" in keys
    assert "diabetes" in keys
    assert aftercare_cautions(IntakeData()) == ()
    assert aftercare_cautions(None) == ()


def test_blood_thinner_on_the_medicine_list_is_enough():
    intake = IntakeData(medications=(Medication("Warfarin", "3 mg"),))
    assert aftercare_cautions(intake) == ("anticoagulant",)


def test_fasting_and_fainting_give_one_caution():
    intake = IntakeData(safety=SafetyScreen(fainting_history=True, fasting_today=True))
    assert aftercare_cautions(intake) == ("fainting",)


def test_intake_changes_between_versions():
    first = IntakeData(pain=PainScores(now=8))
    second = replace(first, pain=PainScores(now=5))
    third = second  # saved again without changes
    changes = intake_changes(
        [(date(2025, 1, 6), first), (date(2025, 2, 3), second), (date(2025, 3, 3), third)]
    )
    assert len(changes) == 1
    assert changes[0].when == date(2025, 2, 3) and changes[0].version == 2
    assert any("8" in line and "5" in line for line in changes[0].changes)


def test_mnsi_trend_skips_unanswered_versions():
    answered = IntakeData(mnsi={1: True, 2: True, 7: False})
    trend = mnsi_trend([(date(2025, 1, 6), answered), (date(2025, 2, 3), IntakeData())])
    assert [(p.when, p.score) for p in trend] == [(date(2025, 1, 6), 3)]
