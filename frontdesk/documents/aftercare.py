"""The aftercare handout a patient takes home after a visit.

It prints only what concerns this visit: the sections of the services received, home care
for neuropathy when the patient has symptoms, the patient's own cautions, the
practitioner's note, the next appointments, and when to call the clinic or get urgent help.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.platypus import KeepTogether, Spacer, Table

from frontdesk.documents import styles as st
from frontdesk.documents.data import AftercareInput, ClinicHeader, NextAppointment, PrintOptions
from frontdesk.documents.handout_texts import (
    SECTION_KEYS,
    SERVICE_SECTIONS,
    HandoutTexts,
    Section,
    load_handout_texts,
)
from frontdesk.documents.layout import PageChrome, build_pdf, frame_width
from frontdesk.documents.styles import Styles, make_styles
from frontdesk.domain.enums import ServiceKind

log = logging.getLogger(__name__)


def service_key(service: ServiceKind | str) -> str | None:
    """The ServiceKind value for a service given as enum, value or English label."""
    if isinstance(service, ServiceKind):
        return service.value
    text = service.strip().lower()
    for kind in ServiceKind:
        if text in (kind.value, kind.label.lower(), kind.value.replace("_", "-")):
            return kind.value
    return None


@dataclass(frozen=True)
class HandoutPlan:
    """What a handout will print, decided before any drawing (and testable without a PDF)."""

    language: str
    service_labels: tuple[str, ...]
    sections: tuple[Section, ...]
    #: texts of the patient's cautions, in the order given
    cautions: tuple[str, ...]
    #: the conditions bracketed bullets are matched against
    conditions: frozenset[str]


def plan_handout(data: AftercareInput, texts: HandoutTexts) -> HandoutPlan:
    """Choose the sections and cautions for ``data`` from ``texts``."""
    keys = [k for k in (service_key(s) for s in data.services) if k is not None]
    conditions = set(keys)
    if data.neuropathy_symptoms:
        conditions.add("neuropathy")
    wanted = {section for k in keys for section in SERVICE_SECTIONS.get(k, ())}
    if data.neuropathy_symptoms:
        wanted.add("neuropathy_home_care")
    # the fixed order of SECTION_KEYS keeps acupuncture before electro-acupuncture, etc.
    sections = [texts.sections[k] for k in SECTION_KEYS if k in wanted]

    labels = []
    for service in data.services:
        key = service_key(service)
        labels.append(texts.label(f"service.{key}") if key else str(service))

    cautions: list[str] = []
    for key in dict.fromkeys(data.cautions):
        section = texts.cautions.get(key)
        if section is None:
            log.warning("aftercare: no text for caution %r, not printed", key)
            continue
        cautions.extend(block.text for block in section.blocks)
    cautions.extend(text for text in data.extra_cautions if text.strip())
    return HandoutPlan(
        texts.language,
        tuple(dict.fromkeys(labels)),
        tuple(sections),
        tuple(dict.fromkeys(cautions)),
        frozenset(conditions),
    )


def format_date(texts: HandoutTexts, day: date, *, weekday: bool = True) -> str:
    """A date in the handout's language, without the system locale (same bytes everywhere)."""
    weekdays = texts.label("weekdays").split(",")
    months = texts.label("months").split(",")
    if len(weekdays) != 7 or len(months) != 12:
        return day.isoformat()
    return texts.label(
        "date_format" if weekday else "date_format_no_weekday",
        weekday=weekdays[day.weekday()].strip(),
        day=day.day,
        month=months[day.month - 1].strip(),
        year=day.year,
    )


def format_appointment(texts: HandoutTexts, appointment: NextAppointment) -> str:
    """One next-appointment line: date, time, service, practitioner, duration."""
    key = service_key(appointment.service)
    service = texts.label(f"service.{key}") if key else appointment.service
    parts = [
        f"{format_date(texts, appointment.start.date())} {appointment.start:%H:%M}",
        service,
    ]
    if appointment.practitioner:
        parts.append(texts.label("with_practitioner", name=appointment.practitioner))
    if appointment.duration_minutes:
        parts.append(texts.label("minutes", minutes=appointment.duration_minutes))
    return " · ".join(p for p in parts if p)


def _section_flowables(
    section: Section, styles: Styles, conditions: frozenset[str], heading_style: Any = None
) -> list[Any]:
    blocks = [b for b in section.blocks if b.applies(conditions)]
    if not blocks:
        return []
    flow: list[Any] = [styles.fixed(section.heading, heading_style or styles.h1)]
    for block in blocks:
        if block.bullet:
            flow.append(styles.fixed(block.text, styles.bullet))
            flow[-1].bulletText = "•"
        else:
            flow.append(styles.fixed(block.text))
    return flow


def _boxed(flowables: list[Any], width: float, border: Any, fill: Any) -> Table:
    table = st.new_table([[flowables]], colWidths=[width])
    table.setStyle(
        [
            ("BOX", (0, 0), (-1, -1), 0.8, border),
            ("BACKGROUND", (0, 0), (-1, -1), fill),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]
    )
    return table


def _bullets(
    items: Iterable[str], styles: Styles, *, fixed: frozenset[str] | set[str] = frozenset()
) -> list[Any]:
    """Bulleted paragraphs; those in ``fixed`` are the clinic's texts, which repeat."""
    flow = []
    for item in items:
        para = (styles.fixed if item in fixed else styles.para)(item, styles.bullet)
        para.bulletText = "•"
        flow.append(para)
    return flow


def build_story(
    data: AftercareInput, clinic: ClinicHeader, texts: HandoutTexts, styles: Styles, width: float
) -> list[Any]:
    """The handout's flowables (without page decoration)."""
    plan = plan_handout(data, texts)
    story: list[Any] = [styles.fixed(texts.label("title"), styles.title)]

    patient = data.patient.name
    if data.patient.date_of_birth:
        born = format_date(texts, data.patient.date_of_birth, weekday=False)
        patient += "  " + texts.label("born", date=born)
    rows = [
        (texts.label("patient"), patient),
        (texts.label("visit_date"), format_date(texts, data.visit_date)),
        (texts.label("practitioner"), data.practitioner),
        (texts.label("services"), texts.label("list_separator").join(plan.service_labels)),
    ]
    info = st.new_table(
        [[styles.fixed(k, styles.muted), styles.para(v, styles.body_bold)] for k, v in rows if v],
        colWidths=[width * 0.25, width * 0.75],
    )
    info.setStyle(st.key_value_table_style())
    story += [info, Spacer(1, 6)]

    if plan.cautions:
        typed = set(data.extra_cautions)
        shipped = {text for text in plan.cautions if text not in typed}
        box = [
            styles.fixed(texts.cautions_heading, styles.h2),
            *_bullets(plan.cautions, styles, fixed=shipped),
        ]
        story += [_boxed(box, width, st.WARN, st.WARN_LIGHT), Spacer(1, 4)]

    for section in plan.sections:
        flow = _section_flowables(section, styles, plan.conditions)
        if flow:
            story.append(KeepTogether(flow))

    if data.practitioner_note.strip():
        note = [styles.fixed(texts.label("note"), styles.h2)]
        note += [styles.para(line) for line in data.practitioner_note.strip().splitlines() if line]
        story += [Spacer(1, 6), _boxed(note, width, st.ACCENT, st.ACCENT_LIGHT)]

    next_flow: list[Any] = [styles.fixed(texts.label("next"), styles.h1)]
    upcoming = sorted(data.next_appointments, key=lambda a: a.start)
    if upcoming:
        next_flow += _bullets((format_appointment(texts, a) for a in upcoming), styles)
    else:
        next_flow.append(styles.fixed(texts.label("no_next")))
    story.append(KeepTogether(next_flow))

    call = _section_flowables(texts.sections["when_to_call"], styles, plan.conditions)
    if clinic.phone and call:
        call.insert(1, styles.fixed(texts.label("phone", phone=clinic.phone), styles.body_bold))
    story.append(KeepTogether(call))
    urgent = _section_flowables(texts.sections["urgent_care"], styles, plan.conditions, styles.h2)
    if urgent:
        story += [Spacer(1, 6), KeepTogether(_boxed(urgent, width, st.STOP, st.STOP_LIGHT))]
    return story


def render_aftercare(
    data: AftercareInput,
    clinic: ClinicHeader,
    *,
    options: PrintOptions | None = None,
    texts_dir: Path | str | None = None,
    texts: HandoutTexts | None = None,
) -> bytes:
    """The aftercare handout for one visit, as PDF bytes.

    The language is ``data.language`` or else the patient's preferred language, falling back
    to English. ``texts_dir`` is the clinic's override folder (``<dir>/<lang>/*.md``);
    pass ``texts`` instead to reuse texts loaded once for many handouts.
    """
    if texts is None:
        texts = load_handout_texts(data.language or data.patient.preferred_language, texts_dir)
    styles = make_styles()
    width = frame_width(options)
    story = build_story(data, clinic, texts, styles, width)
    chrome = PageChrome(
        clinic=clinic,
        running_title=texts.label("running_title"),
        running_subject=f"{data.patient.name} · {format_date(texts, data.visit_date)}",
        page_label=texts.label("page", page="{page}", total="{total}"),
    )
    return build_pdf(
        story,
        fonts=styles.fonts,
        chrome=chrome,
        options=options,
        title=f"{texts.label('title')} - {data.patient.name}",
        lang=texts.language,
    )
