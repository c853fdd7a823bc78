"""Turning domain records into document inputs: cautions, intake changes, MNSI trends.

Plain Python (no ReportLab), so services can prepare document data without paying for the
PDF library until they print.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from frontdesk.documents.data import IntakeChange, MnsiPoint
from frontdesk.domain import safety as safety_rules
from frontdesk.domain.intake import IntakeData, diff

#: the aftercare caution printed for each safety flag (``safety.SAFETY_RULES`` codes)
CAUTION_FOR_FLAG: dict[str, str] = {
    "implanted_device": "implanted_device",
    "bleeding_disorder": "bleeding_disorder",
    "anticoagulant": "anticoagulant",
    "pregnant": "pregnancy",
    "epilepsy": "epilepsy",
    "numbness": "numb_skin",
    "open_wound": "open_wound",
    "dvt": "blood_clot",
    "active_cancer": "cancer",
    "lymphoedema": "lymphoedema",
    "fainting_history": "fainting",
    "fasting_today": "fainting",
}


def aftercare_cautions(intake: IntakeData | None) -> tuple[str, ...]:
    """The caution keys of an aftercare handout for this patient's intake, in table order.

    Numb skin (however it was found: screen, MNSI, body map, diabetes) gives "numb_skin";
    a blood thinner on the medicine list gives "anticoagulant"; diabetes adds "diabetes".
    """
    if intake is None:
        return ()
    assessment = safety_rules.assess(intake)
    keys = [CAUTION_FOR_FLAG[f.code] for f in assessment.flags if f.code in CAUTION_FOR_FLAG]
    if intake.causes.diabetes.present:
        keys.append("diabetes")
    return tuple(dict.fromkeys(keys))


def intake_changes(
    versions: Sequence[tuple[date, IntakeData]], *, first_version: int = 1
) -> tuple[IntakeChange, ...]:
    """What changed from each intake version to the next, for a progress report.

    ``versions`` are (date saved, intake) in the order they were saved; version numbers
    count from ``first_version``. Versions that changed nothing are left out.
    """
    found = []
    for index in range(1, len(versions)):
        (_, before), (when, after) = versions[index - 1], versions[index]
        lines = tuple(str(change) for change in diff(before, after))
        if lines:
            found.append(IntakeChange(when, lines, first_version + index))
    return tuple(found)


def mnsi_trend(versions: Iterable[tuple[date, IntakeData]]) -> tuple[MnsiPoint, ...]:
    """The MNSI questionnaire score of every intake version that has answers."""
    return tuple(
        MnsiPoint(when, intake.mnsi_result.score)
        for when, intake in versions
        if intake.mnsi_result.answered
    )
