"""The progress report: how a patient's pain and MNSI score moved over a course of treatment.

Written for a reader outside the clinic (a referring doctor, the patient): charts first,
then the visits with the points used, then what changed in the intake over time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from reportlab.platypus import KeepTogether, Spacer, Table

from frontdesk.documents import styles as st
from frontdesk.documents.charts import pain_chart, score_chart
from frontdesk.documents.data import ClinicHeader, PrintOptions, ProgressInput, VisitSummary
from frontdesk.documents.formatting import long_date, medium_date
from frontdesk.documents.layout import PageChrome, build_pdf, frame_width, heading_before_table
from frontdesk.documents.styles import Styles, make_styles
from frontdesk.domain import mnsi

#: a change in pain of this many points or more is clinically meaningful
MEANINGFUL_PAIN_CHANGE = 2


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _signed(value: float) -> str:
    return f"{value:+.1f}".replace("+0.0", "0.0").replace("-0.0", "0.0")


def pain_findings(visits: Sequence[VisitSummary]) -> list[str]:
    """Plain sentences on the pain scores: the course's change and the average visit's effect."""
    befores = [(v, v.pain_before) for v in visits if v.pain_before is not None]
    pairs = [(v.pain_before, v.pain_after) for v in visits if v.pain_before is not None]
    pairs_done = [(b, a) for b, a in pairs if a is not None]
    lines: list[str] = []
    if len(befores) >= 2:
        first_visit, first = befores[0]
        last_visit, last = befores[-1]
        assert first is not None and last is not None
        change = last - first
        verdict = (
            "a clinically meaningful change (2 points or more)"
            if abs(change) >= MEANINGFUL_PAIN_CHANGE
            else "less than the 2 points that count as a meaningful change"
        )
        direction = "fell" if change < 0 else ("rose" if change > 0 else "did not change")
        since, until = medium_date(_day(first_visit.when)), medium_date(_day(last_visit.when))
        lines.append(
            f"Pain before treatment {direction} from {first} on {since} to {last} on {until}: "
            f"{verdict}."
            if change
            else f"Pain before treatment was {first} at the first and at the latest visit."
        )
    if pairs_done:
        mean = sum(a - b for b, a in pairs_done) / len(pairs_done)
        lines.append(
            f"Within a visit, pain changed by {_signed(mean)} points on average "
            f"({len(pairs_done)} visit{'s' if len(pairs_done) != 1 else ''} with both scores)."
        )
    return lines


def _info_table(data: ProgressInput, styles: Styles, width: float) -> Table:
    patient = data.patient
    visits = sorted(data.visits, key=lambda v: _day(v.when))
    rows: list[tuple[str, str]] = [("Patient", patient.name)]
    if patient.date_of_birth:
        rows.append(("Date of birth", long_date(patient.date_of_birth, weekday=False)))
    if patient.chart_number:
        rows.append(("Chart number", patient.chart_number))
    if visits:
        first, last = _day(visits[0].when), _day(visits[-1].when)
        span = (
            medium_date(first) if first == last else f"{medium_date(first)} to {medium_date(last)}"
        )
        rows.append(("Visits", f"{len(visits)} ({span})"))
    if data.course:
        rows.append(("Course", data.course))
    if data.addressed_to:
        rows.append(("For", data.addressed_to))
    prepared = ", ".join(
        p for p in (data.prepared_by, long_date(data.prepared_on) if data.prepared_on else "") if p
    )
    if prepared:
        rows.append(("Prepared by", prepared))
    table = st.new_table(
        [[styles.para(k, styles.muted), styles.para(v, styles.body_bold)] for k, v in rows],
        colWidths=[width * 0.22, width * 0.78],
    )
    table.setStyle(st.key_value_table_style())
    return table


def _visits_table(visits: Sequence[VisitSummary], styles: Styles, width: float) -> Table:
    header = ["Date", "Treatment", "Pain before → after", "Points used", "Notes"]
    shares = (0.12, 0.24, 0.14, 0.22, 0.28)
    body: list[list[Any]] = []
    for visit in visits:
        before = "–" if visit.pain_before is None else str(visit.pain_before)
        after = "–" if visit.pain_after is None else str(visit.pain_after)
        treatment = ", ".join(visit.services)
        if visit.practitioner:
            treatment += f"\n{visit.practitioner}" if treatment else visit.practitioner
        treatment_markup = "<br/>".join(styles.text(line) for line in treatment.split("\n"))
        body.append(
            [
                styles.para(medium_date(_day(visit.when)), styles.cell),
                styles.rich(treatment_markup, styles.cell),
                styles.para(f"{before} → {after}", styles.cell_bold),
                styles.para(" ".join(visit.points) or "–", styles.cell),
                styles.para(visit.note, styles.cell_small),
            ]
        )
    table = st.new_table(
        [[styles.para(h, styles.head_cell) for h in header], *body],
        colWidths=[width * s for s in shares],
        repeatRows=1,
    )
    table.setStyle(st.grid_table_style())
    return table


def build_story(data: ProgressInput, styles: Styles, width: float) -> list[Any]:
    """The progress report's flowables (without page decoration)."""
    visits = sorted(data.visits, key=lambda v: _day(v.when))
    story: list[Any] = [
        styles.para("Progress report", styles.title),
        _info_table(data, styles, width),
        Spacer(1, 4),
    ]
    if data.summary.strip():
        story.append(styles.para("Summary", styles.h1))
        story += [styles.para(line) for line in data.summary.strip().splitlines() if line.strip()]

    story.append(styles.para("Pain (0 to 10) before and after each visit", styles.h1))
    scored = [v for v in visits if v.pain_before is not None or v.pain_after is not None]
    if scored:
        points = [(_day(v.when), v.pain_before, v.pain_after) for v in scored]
        story.append(pain_chart(styles.fonts, width, 150, points))
        story += [styles.para(line) for line in pain_findings(scored)]
        story.append(
            styles.para(
                "0 is no pain, 1-3 mild, 4-6 moderate, 7-10 severe (Numeric Rating Scale).",
                styles.muted,
            )
        )
    else:
        story.append(styles.para("No pain scores were recorded.", styles.muted))

    story.append(styles.para("MNSI questionnaire score", styles.h1))
    scores = sorted(data.mnsi, key=lambda p: p.when)
    if scores:
        chart = score_chart(
            styles.fonts,
            width,
            130,
            [(p.when, p.score) for p in scores],
            top=mnsi.MAX_SCORE,
            cutoff=mnsi.DEFAULT_CUTOFF,
        )
        first, last = scores[0], scores[-1]
        if len(scores) > 1:
            trend = (
                f"The score went from {first.score} on {medium_date(first.when)} to {last.score} "
                f"on {medium_date(last.when)} (of {mnsi.MAX_SCORE}; {mnsi.DEFAULT_CUTOFF} or more "
                "is a positive screen)."
            )
        else:
            trend = (
                f"The score was {first.score} of {mnsi.MAX_SCORE} on {medium_date(first.when)} "
                f"({mnsi.DEFAULT_CUTOFF} or more is a positive screen)."
            )
        story.append(
            KeepTogether(
                [chart, styles.para(trend), styles.para(mnsi.SOURCE_CITATION, styles.muted)]
            )
        )
    else:
        story.append(styles.para("The questionnaire was not filled in.", styles.muted))

    if visits:
        story += heading_before_table(styles.para("Visits", styles.h1))
        story.append(_visits_table(visits, styles, width))
    else:
        story += [styles.para("Visits", styles.h1), styles.para("No visits yet.", styles.muted)]

    changes = sorted(data.intake_changes, key=lambda c: (c.when, c.version or 0))
    if changes:
        story.append(styles.para("Changes in the health history", styles.h1))
        for change in changes:
            title = medium_date(change.when)
            if change.version is not None:
                title += f" (version {change.version})"
            block: list[Any] = [styles.para(title, styles.h2)]
            for line in change.changes:
                para = styles.para(line, styles.bullet)
                para.bulletText = "•"
                block.append(para)
            story.append(KeepTogether(block))
    return story


def render_progress_report(
    data: ProgressInput, clinic: ClinicHeader, *, options: PrintOptions | None = None
) -> bytes:
    """A patient's progress report as PDF bytes."""
    styles = make_styles()
    story = build_story(data, styles, frame_width(options))
    chrome = PageChrome(
        clinic=clinic,
        running_title="Progress report",
        running_subject=data.patient.name,
        footer_note="Confidential medical information.",
    )
    return build_pdf(
        story,
        fonts=styles.fonts,
        chrome=chrome,
        options=options,
        title=f"Progress report - {data.patient.name}",
    )
