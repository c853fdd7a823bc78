"""The filled intake as a clean summary a referring doctor can read.

Warning signs and safety flags come first, then the scores (pain, MNSI), then the history
section by section with only the answers that were given. Each section lists its fields
through the intake's own labels and value wording, so new intake fields appear here
without changes to this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import Any

from reportlab.platypus import KeepTogether, Spacer, Table

from frontdesk.documents import styles as st
from frontdesk.documents.body_figures import BodyMapFigure
from frontdesk.documents.data import ClinicHeader, IntakeFormContext, PrintOptions
from frontdesk.documents.formatting import long_date
from frontdesk.documents.layout import PageChrome, build_pdf, frame_width
from frontdesk.documents.styles import Styles, make_styles
from frontdesk.domain import mnsi
from frontdesk.domain import safety as safety_rules
from frontdesk.domain.enums import ServiceKind
from frontdesk.domain.intake import (
    CONSENT_RISKS,
    INTAKE_SECTIONS,
    PRACTITIONER_ONLY_SECTIONS,
    SYMPTOMS,
    IntakeData,
    nrs_category,
)

#: sections printed with their own layout rather than the generic "label: answer" list
_OWN_LAYOUT = frozenset(
    {"symptoms", "body_map", "pain", "mnsi", "medications", "safety", "red_flags", "consent"}
)


def _text_of(f: Any, value: Any) -> str:
    codec = f.metadata.get("codec")
    try:
        return str(codec.text(value)) if codec is not None else str(value)
    except Exception:  # a value the codec cannot word: print it plainly
        return str(value)


def _is_empty(value: Any) -> bool:
    if value is None or value is False or value == "" or value == () or value == frozenset():
        return True
    if is_dataclass(value) and not isinstance(value, type):
        return value == type(value)()
    empty = getattr(value, "is_empty", None)
    return bool(empty) if isinstance(empty, bool) else False


def answered_lines(section: Any, prefix: str = "") -> list[tuple[str, str]]:
    """(label, answer) pairs of a section dataclass, leaving out unanswered fields."""
    lines: list[tuple[str, str]] = []
    for f in fields(section):
        value = getattr(section, f.name)
        label = f.metadata.get("label", f.name.replace("_", " ").capitalize())
        if _is_empty(value):
            continue
        if is_dataclass(value) and not isinstance(value, type) and not hasattr(value, "to_dict"):
            lines += [
                # "Chemotherapy drug" needs no "Chemotherapy:" in front; "HbA1c" does
                (sub if label.lower() in sub.lower() else f"{label}: {sub}", answer)
                for sub, answer in answered_lines(value)
            ]
            continue
        lines.append((prefix + label, _text_of(f, value)))
    return lines


def _multiline(text: str, styles: Styles) -> Any:
    """A paragraph that keeps the line breaks the patient typed."""
    return styles.rich("<br/>".join(styles.text(line) for line in text.splitlines()), styles.body)


def _kv_table(pairs: list[tuple[str, str]], styles: Styles, width: float) -> Table:
    table = st.new_table(
        [[styles.fixed(k, styles.muted), _multiline(v, styles)] for k, v in pairs],
        colWidths=[width * 0.3, width * 0.7],
    )
    table.setStyle(st.key_value_table_style())
    return table


def _boxed(flowables: list[Any], width: float, border: Any, fill: Any) -> Table:
    table = st.new_table([[flowables]], colWidths=[width])
    table.setStyle(
        [
            ("BOX", (0, 0), (-1, -1), 0.8, border),
            ("BACKGROUND", (0, 0), (-1, -1), fill),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]
    )
    return table


def _severity_words(flag: safety_rules.SafetyFlag) -> str:
    parts = []
    for kind in ServiceKind:
        severity = flag.severity_for(kind)
        if severity is safety_rules.Severity.NONE:
            continue
        note = flag.note_for(kind)
        parts.append(f"{kind.label}: {severity.label}" + (f" ({note})" if note else ""))
    return "; ".join(parts)


def _safety_block(intake: IntakeData, styles: Styles, width: float) -> list[Any]:
    assessment = safety_rules.assess(intake)
    story: list[Any] = []
    if assessment.red_flags:
        lines: list[Any] = [styles.fixed("Warning signs: advise medical care first", styles.h2)]
        for red in assessment.red_flags:
            para = styles.fixed_rich(
                f"<b>{styles.text(red.label)}.</b> {styles.text(red.advice)}", styles.bullet
            )
            para.bulletText = "•"
            lines.append(para)
        story += [_boxed(lines, width, st.STOP, st.STOP_LIGHT), Spacer(1, 6)]
    story.append(styles.fixed("Safety flags", styles.h1))
    if not assessment.flags:
        story.append(styles.fixed("No safety flags: nothing in the screen restricts treatment."))
        return story
    story.append(styles.para(assessment.summary_line(), styles.body_bold))
    rows: list[list[Any]] = [
        [
            styles.fixed("Flag", styles.head_cell),
            styles.fixed("Why", styles.head_cell),
            styles.fixed("What it means per service", styles.head_cell),
        ]
    ]
    for flag in assessment.flags:
        why = "; ".join(flag.sources)
        if flag.detail:
            why += f" (where: {flag.detail})"
        rows.append(
            [
                styles.fixed(flag.label, styles.cell_bold),
                styles.para(why, styles.cell),
                styles.fixed(_severity_words(flag), styles.cell_small),
            ]
        )
    table = st.new_table(rows, colWidths=[width * 0.18, width * 0.32, width * 0.5], repeatRows=1)
    table.setStyle(st.grid_table_style())
    story.append(table)
    return story


def _scores_block(intake: IntakeData, styles: Styles, width: float) -> list[Any]:
    story: list[Any] = [styles.fixed("Scores", styles.h1)]
    pain = intake.pain
    pain_pairs = []
    for f in fields(pain):
        value = getattr(pain, f.name)
        words = "not recorded" if value is None else f"{value} of 10 ({nrs_category(value)})"
        pain_pairs.append((f.metadata.get("label", f.name), words))
    story.append(_kv_table(pain_pairs, styles, width))
    result = intake.mnsi_result
    if result.answered:
        story.append(Spacer(1, 4))
        story.append(styles.para(result.describe(), styles.body_bold))
        scored = [
            f"{n} {mnsi.item(n).short_label} ({mnsi.answer_text(intake.mnsi.get(n))})"
            for n in result.scored_items
        ]
        if scored:
            story.append(styles.para("Points for: " + "; ".join(scored) + ".", styles.small))
        unscored = [
            mnsi.item(n).short_label for n in (4, 10) if mnsi.is_abnormal(n, intake.mnsi.get(n))
        ]
        if unscored:
            story.append(
                styles.para(
                    "Also reported (not scored): " + ", ".join(unscored) + ".", styles.small
                )
            )
        story.append(styles.fixed(mnsi.SOURCE_CITATION, styles.muted))
    else:
        story.append(styles.fixed("MNSI questionnaire not answered.", styles.muted))
    exam = intake.findings.exam
    if not exam.is_empty:
        story.append(styles.para(mnsi.score_mnsi_exam(exam).describe(), styles.body_bold))
    return story


def _symptoms_block(intake: IntakeData, styles: Styles, width: float) -> list[Any]:
    pairs = []
    for group, catalogue in SYMPTOMS.items():
        chosen = intake.symptoms.in_group(group)
        if chosen:
            pairs.append(
                (group.label, ", ".join(label for k, label in catalogue.items() if k in chosen))
            )
    if intake.symptoms.notes:
        pairs.append(("Other symptoms", intake.symptoms.notes))
    story: list[Any] = [styles.fixed("Symptoms", styles.h1)]
    story.append(
        _kv_table(pairs, styles, width) if pairs else styles.fixed("None ticked.", styles.muted)
    )
    story.append(styles.para("Where: " + intake.body_map.summary(), styles.body_bold))
    if intake.body_map:
        story.append(
            BodyMapFigure(styles.fonts, width, marks=intake.body_map.to_dict(), figure_height=92)
        )
        story.append(
            styles.fixed(
                "Letters on the map: N numbness, T tingling, B burning, P pain.", styles.muted
            )
        )
    return story


def _medicines_block(intake: IntakeData, styles: Styles, width: float) -> list[Any]:
    story: list[Any] = [styles.fixed("Medicines and supplements", styles.h1)]
    if intake.medications:
        rows: list[list[Any]] = [
            [
                styles.fixed("Medicine", styles.head_cell),
                styles.fixed("Dose", styles.head_cell),
                styles.fixed("Blood thinner", styles.head_cell),
            ]
        ]
        for med in intake.medications:
            rows.append(
                [
                    styles.para(med.name, styles.cell_bold),
                    styles.para(med.dose, styles.cell),
                    styles.fixed("yes" if med.is_blood_thinner else "", styles.cell_bold),
                ]
            )
        table = st.new_table(
            rows, colWidths=[width * 0.4, width * 0.42, width * 0.18], repeatRows=1
        )
        table.setStyle(st.grid_table_style())
        story.append(table)
    else:
        story.append(styles.fixed("No medicines listed.", styles.muted))
    if intake.supplements:
        story.append(styles.para("Supplements: " + ", ".join(intake.supplements)))
    return story


def _consent_block(intake: IntakeData, styles: Styles, width: float) -> list[Any]:
    consent = intake.consent
    state = "signed" if consent.is_signed else "not signed"
    pairs = [("Consent", state)]
    if consent.signer_name:
        pairs.append(("Signed by", consent.signer_name))
    if consent.signed_on:
        pairs.append(("Date", long_date(consent.signed_on, weekday=False)))
    if consent.risks_acknowledged:
        texts = [r.text for r in CONSENT_RISKS if r.id in consent.risks_acknowledged]
        pairs.append(("Risks acknowledged", "\n".join(texts)))
    pairs.append(
        (
            "May stop at any time",
            "acknowledged" if consent.may_stop_acknowledged else "not acknowledged",
        )
    )
    return [styles.fixed("Consent", styles.h1), _kv_table(pairs, styles, width)]


def build_story(
    intake: IntakeData,
    context: IntakeFormContext | None,
    styles: Styles,
    width: float,
    *,
    include_practitioner_findings: bool,
) -> list[Any]:
    """The summary's flowables (without page decoration)."""
    story: list[Any] = [styles.fixed("Intake summary", styles.title)]
    pairs: list[tuple[str, str]] = []
    if context and context.patient:
        patient = context.patient
        pairs.append(("Patient", patient.name))
        if patient.date_of_birth:
            pairs.append(("Date of birth", long_date(patient.date_of_birth, weekday=False)))
        if patient.chart_number:
            pairs.append(("Chart number", patient.chart_number))
    if context and context.completed_on:
        when = long_date(context.completed_on, weekday=False)
        if context.version is not None:
            when += f" (version {context.version})"
        pairs.append(("Completed", when))
    if context and context.recorded_by:
        pairs.append(("Recorded by", context.recorded_by))
    if pairs:
        table = st.new_table(
            [[styles.fixed(k, styles.muted), styles.para(v, styles.body_bold)] for k, v in pairs],
            colWidths=[width * 0.22, width * 0.78],
        )
        table.setStyle(st.key_value_table_style())
        story += [table, Spacer(1, 4)]

    story += _safety_block(intake, styles, width)
    story += _scores_block(intake, styles, width)
    complaint = answered_lines(intake.chief_complaint)
    if complaint:
        story.append(
            KeepTogether(
                [styles.fixed("Main complaint", styles.h1), _kv_table(complaint, styles, width)]
            )
        )
    story += _symptoms_block(intake, styles, width)

    labels = {s.key: s.label for s in INTAKE_SECTIONS}
    for section in INTAKE_SECTIONS:
        key = section.key
        if key in _OWN_LAYOUT or key == "chief_complaint":
            continue
        if key in PRACTITIONER_ONLY_SECTIONS and not include_practitioner_findings:
            continue
        if key == "supplements":
            continue  # printed with the medicines
        value = getattr(intake, key)
        if key == "causes":
            story += _medicines_block(intake, styles, width)  # medicines read best beside causes
        lines = answered_lines(value) if is_dataclass(value) else []
        if key == "findings":
            # the foot exam is scored with the MNSI above
            lines = [(k, v) for k, v in lines if not k.startswith("MNSI foot examination")]
        if lines:
            story.append(
                KeepTogether(
                    [styles.fixed(labels[key], styles.h1), _kv_table(lines, styles, width)]
                )
            )
    story += _consent_block(intake, styles, width)
    if context and context.notes:
        story.append(styles.fixed("Notes", styles.h1))
        story += [styles.para(line) for line in context.notes]
    return story


def render_filled_intake(
    intake: IntakeData | Mapping[str, Any],
    clinic: ClinicHeader,
    *,
    context: IntakeFormContext | None = None,
    options: PrintOptions | None = None,
    include_practitioner_findings: bool = True,
) -> bytes:
    """A saved intake as a summary for a referring doctor, as PDF bytes.

    ``intake`` is an IntakeData or its JSON form. Safety flags and warning signs come from
    :func:`frontdesk.domain.safety.assess`. Set ``include_practitioner_findings`` to False
    for a copy given to the patient (no pulse, tongue, pattern or plan).
    """
    data = intake if isinstance(intake, IntakeData) else IntakeData.from_dict(intake)
    if not include_practitioner_findings:
        data = data.patient_part()
    styles = make_styles()
    width = frame_width(options)
    story = build_story(
        data, context, styles, width, include_practitioner_findings=include_practitioner_findings
    )
    chrome = PageChrome(
        clinic=clinic,
        running_title="Intake summary",
        running_subject=context.patient.name if context and context.patient else "",
        footer_note="Confidential medical information.",
    )
    return build_pdf(
        story, fonts=styles.fonts, chrome=chrome, options=options, title="Intake summary"
    )
