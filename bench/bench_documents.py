"""Printed documents against bare ReportLab: the same paragraphs laid out with no templates.

Floors: a SimpleDocTemplate holding the very paragraphs (same fonts, same text) the
document's story holds, so the ratio shows what the page templates, tables, boxes, charts
and font switching cost on top of ReportLab itself. The day's run prints a handout for each
of 100 visits (20 in quick mode) the way the front desk would at closing time.

A document and its floor are timed turn about (document, floor, document, floor...), so
a burst of load from another program on the machine slows both alike instead of one.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from bench.harness import Row
from frontdesk.documents import aftercare, intake_summary
from frontdesk.documents.data import (
    AftercareInput,
    ClinicHeader,
    IntakeFormContext,
    NextAppointment,
    PatientLine,
)
from frontdesk.documents.handout_texts import load_handout_texts
from frontdesk.documents.layout import frame_width
from frontdesk.documents.styles import make_styles
from frontdesk.domain.body_map import BodyMap
from frontdesk.domain.enums import ServiceKind
from frontdesk.domain.intake import (
    Causes,
    ChiefComplaint,
    Diabetes,
    DiabetesType,
    IntakeData,
    Medication,
    PainScores,
    SafetyScreen,
    Symptoms,
)

CLINIC = ClinicHeader(
    "Harbour Acupuncture & TCM", ("12 Quay Street", "Harbourtown"), "+44 20 7946 0000"
)
NAMES = (
    "Zoë Łukasz-Nguyễn 王小明",
    "Anna Kowalska",
    "Nguyễn Văn An",
    "Ελένη Παπαδοπούλου",
    "Иван Петров",
    "Li Wei 李伟",
    "John Smith",
)
SERVICE_MIXES = (
    (ServiceKind.ACUPUNCTURE,),
    (ServiceKind.ELECTRO_ACUPUNCTURE, ServiceKind.MOXIBUSTION),
    (ServiceKind.CUPPING, ServiceKind.MASSAGE),
    (ServiceKind.ACUPUNCTURE, ServiceKind.CUPPING),
)


def handout(index: int) -> AftercareInput:
    """The handout of the index-th visit of a busy day."""
    start = datetime(2025, 3, 4, 8) + timedelta(minutes=15 * index)
    return AftercareInput(
        patient=PatientLine(
            NAMES[index % len(NAMES)], preferred_language="zh" if index % 5 == 0 else "en"
        ),
        visit_date=start.date(),
        practitioner=("Mei Chen", "Tomasz Nowak", "Aisha Rahman")[index % 3],
        services=SERVICE_MIXES[index % len(SERVICE_MIXES)],
        neuropathy_symptoms=index % 3 != 2,
        cautions=("numb_skin", "anticoagulant") if index % 4 == 0 else (),
        practitioner_note="Walk 20 minutes every day and keep a pain diary." if index % 2 else "",
        next_appointments=(
            NextAppointment(start + timedelta(days=3), "acupuncture", "Mei Chen", 45),
            NextAppointment(start + timedelta(days=7), "acupuncture", "Mei Chen", 45),
        ),
    )


def sample_intake() -> IntakeData:
    return IntakeData(
        chief_complaint=ChiefComplaint(
            what="Burning, numb feet worse at night", since="2021", better="walking", worse="cold"
        ),
        causes=Causes(diabetes=Diabetes(present=True, type=DiabetesType.TYPE_2, hba1c_percent=7.4)),
        symptoms=Symptoms(sensory=frozenset({"burning", "numbness"}), notes="cold feet"),
        body_map=BodyMap({"left.toes": ["numbness"], "right.sole": ["burning", "pain"]}),
        pain=PainScores(now=6, worst=8, average=5),
        mnsi={n: n in (1, 2, 5, 11, 12) for n in range(1, 16)},
        medications=(Medication("Metformin", "1 g"), Medication("Apixaban", "5 mg")),
        safety=SafetyScreen(anticoagulant=True, numbness=True),
    )


def _paragraph_texts(flowables: Iterable[Any]) -> list[tuple[str, Any]]:
    """(markup, style) of every Paragraph in a story, looking inside tables and groups."""
    from reportlab.platypus import Paragraph

    found: list[tuple[str, Any]] = []
    for item in flowables:
        if isinstance(item, Paragraph):
            found.append((item.text, item.style))
        elif hasattr(item, "_cellvalues"):
            for row in item._cellvalues:
                for cell in row:
                    cells = cell if isinstance(cell, list | tuple) else [cell]
                    found += _paragraph_texts(cells)
        elif hasattr(item, "_content"):
            found += _paragraph_texts(item._content)
    return found


def bare_document(paragraphs: list[tuple[str, Any]]) -> bytes:
    """The floor: the same paragraphs in a plain SimpleDocTemplate, no page decoration."""
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, invariant=1)
    doc.build([Paragraph(text, style) for text, style in paragraphs])
    return buffer.getvalue()


def time_pair(
    fn: Callable[[], object], floor: Callable[[], object], repeat: int, warmup: int = 1
) -> tuple[float, float, float]:
    """Time ``fn`` and ``floor`` alternately; (median, p95, floor median) in milliseconds."""
    for _ in range(warmup):
        fn()
        floor()
    samples: list[float] = []
    floor_samples: list[float] = []
    for _ in range(repeat):
        for target, into in ((fn, samples), (floor, floor_samples)):
            t0 = time.perf_counter()
            target()
            into.append((time.perf_counter() - t0) * 1000.0)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, statistics.median(floor_samples)


def measure(quick: bool) -> list[Row]:
    repeat = 5 if quick else 30
    styles = make_styles()
    width = frame_width()
    rows: list[Row] = []

    visit = handout(0)
    texts = load_handout_texts("en")
    visit_en = replace(visit, language="en")
    same = _paragraph_texts(aftercare.build_story(visit_en, CLINIC, texts, styles, width))
    med, p95, floor = time_pair(
        lambda: aftercare.render_aftercare(visit_en, CLINIC), lambda: bare_document(same), repeat
    )
    rows.append(
        Row("documents", "aftercare handout (3 services, cautions)", med, p95,
            "bare ReportLab, same paragraphs", floor, 1.5)
    )  # fmt: skip

    intake = sample_intake()
    context = IntakeFormContext(PatientLine(NAMES[0], date(1958, 4, 2)), date(2025, 3, 4), 2)
    same = _paragraph_texts(
        intake_summary.build_story(
            intake, context, styles, width, include_practitioner_findings=True
        )
    )
    med, p95, floor = time_pair(
        lambda: intake_summary.render_filled_intake(intake, CLINIC, context=context),
        lambda: bare_document(same),
        repeat,
    )
    rows.append(
        Row("documents", "filled intake summary", med, p95,
            "bare ReportLab, same paragraphs", floor, 1.5)
    )  # fmt: skip

    count = 20 if quick else 100
    visits = [handout(i) for i in range(count)]
    day_floor_paragraphs = [
        _paragraph_texts(
            aftercare.build_story(
                v, CLINIC, load_handout_texts(v.language or v.patient.preferred_language),
                styles, width,
            )
        )
        for v in visits
    ]  # fmt: skip

    def whole_day() -> None:
        for v in visits:
            aftercare.render_aftercare(v, CLINIC)

    def whole_day_floor() -> None:
        for paragraphs in day_floor_paragraphs:
            bare_document(paragraphs)

    day_repeat = 2 if quick else 5
    med, p95, floor = time_pair(whole_day, whole_day_floor, day_repeat)
    rows.append(
        Row("documents", f"{count} handouts for a day (total)", med, p95,
            f"{count} bare ReportLab documents", floor)
    )  # fmt: skip
    return rows


if __name__ == "__main__":
    for row in measure(quick=True):
        print(row, f"ratio {row.ratio:.2f}")
