"""The progress report shows pain and MNSI trends, the visits and intake changes."""

from __future__ import annotations

from datetime import date, datetime

from frontdesk.documents.data import IntakeChange, MnsiPoint, ProgressInput, VisitSummary
from frontdesk.documents.progress import pain_findings, render_progress_report

HARD_NAME = "Zoë Łukasz-Nguyễn 王小明"


def visits() -> tuple[VisitSummary, ...]:
    return (
        VisitSummary(datetime(2025, 1, 6, 10), ("Acupuncture",), "Mei Chen", 7, 5, ("ST36", "SP6")),
        VisitSummary(date(2025, 1, 9), ("Electro-acupuncture",), "Mei Chen", 6, 4, ("EX-LE10",)),
        VisitSummary(date(2025, 1, 13), ("Acupuncture",), "Mei Chen", 4, None, (), "Sleeps better"),
    )


def test_report_has_trends_visits_and_changes(header, patient, pdf_text):
    data = ProgressInput(
        patient,
        visits(),
        mnsi=(MnsiPoint(date(2025, 1, 6), 9), MnsiPoint(date(2025, 1, 13), 6)),
        intake_changes=(
            IntakeChange(date(2025, 1, 13), ("Medicines · Metformin: 500 mg → 1000 mg",), 2),
        ),
        course="12 sessions, 2 per week",
        summary="Burning has eased.",
    )
    text = pdf_text(render_progress_report(data, header))
    assert HARD_NAME in text
    assert "Before treatment" in text and "After treatment" in text  # chart legend
    assert "fell from 7 on 6 Jan 2025 to 4 on 13 Jan 2025" in text
    assert "clinically meaningful" in text
    assert "The score went from 9 on 6 Jan 2025 to 6 on 13 Jan 2025" in text
    assert "ST36 SP6" in text and "EX-LE10" in text and "Sleeps better" in text
    assert "7 → 5" in text and "4 → –" in text
    assert "Metformin: 500 mg → 1000 mg" in text and "version 2" in text
    assert "12 sessions, 2 per week" in text and "Burning has eased." in text


def test_report_without_scores_says_so(header, patient, pdf_text):
    text = pdf_text(render_progress_report(ProgressInput(patient, ()), header))
    assert "No pain scores were recorded." in text
    assert "The questionnaire was not filled in." in text
    assert "No visits yet." in text


def test_small_change_is_not_called_meaningful():
    lines = pain_findings(
        (
            VisitSummary(date(2025, 1, 6), pain_before=5, pain_after=4),
            VisitSummary(date(2025, 1, 9), pain_before=4, pain_after=4),
        )
    )
    assert "less than the 2 points" in lines[0]
    assert "-0.5 points on average" in lines[1]
