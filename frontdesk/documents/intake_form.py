"""The intake form three ways: blank for paper, fillable for a tablet, and a filled summary.

* :func:`render_blank_intake`: tick boxes, lines to write on, the body-map outlines, the 15
  MNSI questions, the safety questions and the consent with its risks and a signature box.
* :func:`render_fillable_intake`: the same form with AcroForm fields (text fields, check
  boxes, yes/no radio buttons), optionally prefilled from an earlier intake; read it back
  with :func:`read_fillable_intake` or :func:`read_fillable_form`.
* :func:`render_filled_intake` lives in :mod:`frontdesk.documents.intake_summary`.
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from frontdesk.documents import body_figures, form_spec
from frontdesk.documents import styles as st
from frontdesk.documents.body_figures import BodyMapFigure
from frontdesk.documents.data import ClinicHeader, IntakeFormContext, PrintOptions
from frontdesk.documents.form_spec import FilledForm, FormField, FormSection, Kind
from frontdesk.documents.form_texts import FormTexts, load_form_texts
from frontdesk.documents.form_widgets import SignatureBox, TickBox, WriteLine
from frontdesk.documents.layout import PageChrome, build_pdf, frame_width, heading_before_table
from frontdesk.documents.styles import Styles, make_styles
from frontdesk.domain.body_map import ALL_AREAS, SENSATION_ORDER, Side
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.intake import SYMPTOMS, IntakeData

log = logging.getLogger(__name__)

_TICK_KINDS = (Kind.FLAG, Kind.MEMBER)
_PLAIN = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
)


class _Builder:
    """Builds the form's story for one mode, with optional prefilled values."""

    def __init__(
        self,
        styles: Styles,
        width: float,
        *,
        fillable: bool,
        values: Mapping[str, Any],
        texts: FormTexts,
    ) -> None:
        self.styles = styles
        self.width = width
        self.fillable = fillable
        self.values = values
        self.texts = texts

    # -- widgets ------------------------------------------------------------------------------

    def tick(self, field: FormField, radio_value: str | None = None) -> TickBox:
        current = self.values.get(field.name)
        checked = current == radio_value if radio_value is not None else bool(current)
        return TickBox(
            field.name,
            fillable=self.fillable,
            radio_value=radio_value,
            checked=checked and self.fillable,
            tooltip=self.texts.field(field),
        )

    def line(self, field: FormField) -> WriteLine:
        return WriteLine(
            field.name, fillable=self.fillable, lines=field.lines, tooltip=self.texts.field(field)
        )

    def label(self, field: FormField, style: Any = None) -> Any:
        return self.styles.fixed(self.texts.label_with_hint(field), style or self.styles.cell)

    def options_row(self, field: FormField, options: Sequence[tuple[str, str]]) -> Table:
        available = self.width * 0.6
        rows: list[list[Any]] = [[]]
        widths: list[list[float]] = [[]]
        for value, english in options:
            text = self.texts.option(field, value, english)
            text_width = max(22.0, self.styles.fonts.string_width(text, 9) + 10)
            if rows[-1] and sum(widths[-1]) + 14 + text_width > available:
                rows.append([])  # too wide for one line: the options wrap
                widths.append([])
            rows[-1] += [self.tick(field, value), self.styles.fixed(text, self.styles.cell)]
            widths[-1] += [14, text_width]
        columns = max(len(row) for row in rows)
        col_widths = [
            max((w[i] for w in widths if i < len(w)), default=0.0) for i in range(columns)
        ]
        grid = [row + [""] * (columns - len(row)) for row in rows]
        table = st.new_table(grid, colWidths=col_widths, hAlign="LEFT")
        table.setStyle(_PLAIN)
        return table

    def scale_row(self, field: FormField) -> Table:
        numbers = [self.styles.fixed(str(n), self.styles.center) for n in range(11)]
        boxes = [self.tick(field, str(n)) for n in range(11)]
        table = st.new_table([numbers, boxes], colWidths=[19] * 11, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        return table

    def entry(self, field: FormField) -> Any:
        if field.kind is Kind.YES_NO:
            words = self.texts
            return self.options_row(field, (("yes", words.word("yes")), ("no", words.word("no"))))
        if field.kind is Kind.CHOICE:
            return self.options_row(field, field.options)
        if field.kind is Kind.SCALE:
            return self.scale_row(field)
        return self.line(field)

    # -- groups of fields ---------------------------------------------------------------------

    def tick_grid(self, fields: Sequence[FormField], columns: int | None = None) -> Table:
        if columns is None:
            longest = max(self.styles.fonts.string_width(self.texts.field(f), 9) for f in fields)
            columns = (
                1 if longest > self.width / 2 - 30 else (3 if longest < self.width / 3 - 30 else 2)
            )
        cell_w = self.width / columns
        rows: list[list[Any]] = []
        for start in range(0, len(fields), columns):
            row: list[Any] = []
            for field in fields[start : start + columns]:
                row += [self.tick(field), self.label(field)]
            row += [""] * (2 * columns - len(row))
            rows.append(row)
        table = st.new_table(rows, colWidths=[16, cell_w - 16] * columns, hAlign="LEFT")
        table.setStyle(_PLAIN)
        return table

    def question_table(self, fields: Sequence[FormField]) -> Table:
        label_share = 0.55 if any(f.kind is Kind.YES_NO for f in fields) else 0.36
        if any(f.kind is Kind.SCALE for f in fields):
            label_share = min(label_share, 0.4)
        rows = [[self.label(f), self.entry(f)] for f in fields]
        table = st.new_table(
            rows,
            colWidths=[self.width * label_share, self.width * (1 - label_share)],
            hAlign="LEFT",
        )
        style = TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (0, 0), (-1, -2), 0.25, st.FAINT),
            ]
        )
        table.setStyle(style)
        return table

    def generic(self, fields: Sequence[FormField]) -> list[Any]:
        """Consecutive tick boxes become a grid; everything else a label-and-answer table."""
        story: list[Any] = []
        pending: list[FormField] = []
        pending_ticks = False
        for field in [*fields, None]:
            is_tick = field is not None and field.kind in _TICK_KINDS
            if pending and (field is None or is_tick != pending_ticks):
                story.append(
                    self.tick_grid(pending) if pending_ticks else self.question_table(pending)
                )
                pending = []
            if field is not None:
                pending.append(field)
                pending_ticks = is_tick
        return story

    # -- sections -----------------------------------------------------------------------------

    def section(self, section: FormSection) -> list[Any]:
        styles = self.styles
        head: list[Any] = [styles.fixed(self.texts.section_title(section), styles.h1)]
        if section.intro:
            head.append(styles.fixed(self.texts.section_intro(section), styles.muted))
        special = {
            "body_map": self.body_map,
            "symptoms": self.symptoms,
            "medications": self.medications,
            "mnsi": self.mnsi,
            "consent": self.consent,
        }.get(section.key)
        if section.key == "body_map" and self.fillable:
            head[-1] = styles.fixed(self.texts.word("body_map.tablet_intro"), styles.muted)
        body = special(section) if special else self.generic(section.fields)
        if not body:
            return head
        first = body[0]
        if isinstance(first, Table) and len(first._cellvalues) > 8:
            # a long table may split: start it on a new page only when little room is left
            return [*heading_before_table(*head, min_space=160), *body]
        # the heading travels with its first block, never alone at the foot of a page
        return [KeepTogether([*head, first]), *body[1:]]

    def body_map(self, section: FormSection) -> list[Any]:
        texts = self.texts
        titles = [
            texts.get(f"view.{v.limb}.{v.side}.{v.face}", v.title) for v in body_figures.VIEWS
        ]
        story: list[Any] = [BodyMapFigure(self.styles.fonts, self.width, titles=titles)]
        if not self.fillable:
            return story
        # a tablet cannot draw on the outlines, so each area also gets a row of tick boxes
        by_name = {f.member: f for f in section.fields}
        for side in Side:
            header = [
                self.styles.fixed(
                    texts.get(f"body_map.side.{side.value}", f"{side.label} side"),
                    self.styles.head_cell,
                )
            ] + [
                self.styles.fixed(
                    texts.get(f"sensation.{s.value}", s.label.capitalize()), self.styles.head_cell
                )
                for s in SENSATION_ORDER
            ]
            rows: list[list[Any]] = [header]
            for area in (a for a in ALL_AREAS if a.side is side):
                region = area.region
                row: list[Any] = [
                    self.styles.fixed(
                        texts.get(f"region.{region.value}", region.label.capitalize()),
                        self.styles.cell,
                    )
                ]
                for sensation in SENSATION_ORDER:
                    row.append(self.tick(by_name[f"{area.id}|{sensation.value}"]))
                rows.append(row)
            grid = st.new_table(
                rows, colWidths=[self.width * 0.28] + [self.width * 0.12] * 4, hAlign="LEFT"
            )
            grid_style = st.grid_table_style()
            grid_style.add("ALIGN", (1, 1), (-1, -1), "CENTER")
            grid_style.add("VALIGN", (0, 0), (-1, -1), "MIDDLE")
            grid.setStyle(grid_style)
            # a side's table never leaves its heading row alone at the foot of a page
            story += [Spacer(1, 6), KeepTogether([grid])]
        return story

    def symptoms(self, section: FormSection) -> list[Any]:
        story: list[Any] = []
        for group in SYMPTOMS:
            members = [f for f in section.fields if f.path == ("symptoms", group.value)]
            if members:
                heading = self.texts.get(f"symptom_group.{group.value}", group.label)
                story += [self.styles.fixed(heading, self.styles.h2), self.tick_grid(members)]
        rest = [f for f in section.fields if f.kind is not Kind.MEMBER]
        return story + self.generic(rest)

    def mnsi(self, section: FormSection) -> list[Any]:
        return [self.question_table(section.fields)]

    def medications(self, section: FormSection) -> list[Any]:
        styles = self.styles
        rows: dict[str, dict[str, FormField]] = {}
        others: list[FormField] = []
        for field in section.fields:
            if field.path[0] == "medications":
                rows.setdefault(field.path[1], {})[field.path[2]] = field
            else:
                others.append(field)
        table_rows: list[list[Any]] = [
            [
                styles.fixed(self.texts.word("medications.medicine"), styles.head_cell),
                styles.fixed(self.texts.word("medications.dose"), styles.head_cell),
                styles.fixed(self.texts.word("medications.blood_thinner"), styles.head_cell),
            ]
        ]
        for row in rows.values():
            table_rows.append(
                [self.line(row["name"]), self.line(row["dose"]), self.tick(row["anticoagulant"])]
            )
        table = st.new_table(
            table_rows, colWidths=[self.width * 0.45, self.width * 0.38, self.width * 0.17]
        )
        style = st.grid_table_style(zebra=False)
        style.add("VALIGN", (0, 1), (-1, -1), "BOTTOM")
        style.add("ALIGN", (2, 1), (2, -1), "CENTER")
        table.setStyle(style)
        return [table, Spacer(1, 4), *self.generic(others)]

    def consent(self, section: FormSection) -> list[Any]:
        styles = self.styles
        risks = [f for f in section.fields if f.kind is Kind.MEMBER]
        rest = [f for f in section.fields if f.kind is not Kind.MEMBER]
        ticks = [f for f in rest if f.kind is Kind.FLAG]
        signature = next(f for f in rest if f.kind is Kind.SIGNATURE)
        # the signer's name before the date, as people write them
        lines = sorted(
            (f for f in rest if f.kind not in (Kind.FLAG, Kind.SIGNATURE)),
            key=lambda f: f.kind is Kind.DATE,
        )
        story: list[Any] = [
            styles.fixed(self.texts.word("consent.intro")),
            self.tick_grid(risks, columns=1),
            Spacer(1, 4),
        ]
        signing: list[Any] = [
            self.tick_grid(ticks, columns=1),
            Spacer(1, 4),
            *self.generic(lines),
            Spacer(1, 6),
        ]
        if self.fillable:
            signing.append(styles.fixed(self.texts.word("signature.hint"), styles.muted))
        signing.append(
            SignatureBox(
                self.texts.field(signature),
                styles.fonts,
                name=signature.name if self.fillable else None,
                tooltip=self.texts.word("signature.tooltip"),
            )
        )
        # the last promise, the name, the date and the signature stay on one page
        story.append(KeepTogether(signing))
        return story


def _intro(
    styles: Styles, texts: FormTexts, context: IntakeFormContext | None, *, fillable: bool
) -> list[Any]:
    story: list[Any] = [styles.fixed(texts.word("title"), styles.title)]
    story.append(styles.fixed(texts.word("intro.tablet" if fillable else "intro.paper")))
    if context and (context.patient or context.completed_on):
        bits = []
        if context.patient:
            bits.append(context.patient.name)
        if context.completed_on:
            bits.append(texts.date(context.completed_on))
        story.append(styles.para(texts.word("separator").join(bits), styles.body_bold))
    return story


def form_language(language: str | None, context: IntakeFormContext | None) -> str | None:
    """The language to print in: the one asked for, else the patient's preferred one."""
    if language:
        return language
    if context is not None and context.patient is not None:
        return context.patient.preferred_language
    return None


def _build(
    clinic: ClinicHeader,
    options: PrintOptions | None,
    context: IntakeFormContext | None,
    *,
    fillable: bool,
    values: Mapping[str, Any],
    language: str | None,
    texts_dir: Path | str | None,
) -> bytes:
    texts = load_form_texts(form_language(language, context), texts_dir)
    styles = make_styles(cjk_wrap=texts.wraps_between_characters)
    width = frame_width(options)
    builder = _Builder(styles, width, fillable=fillable, values=values, texts=texts)
    story = _intro(styles, texts, context, fillable=fillable)
    for section in form_spec.form_sections():
        story += builder.section(section)
    chrome = PageChrome(
        clinic=clinic,
        running_title=texts.word("running_title"),
        running_subject=context.patient.name if context and context.patient else "",
        page_label=texts.word("page", page="{page}", total="{total}"),
        footer_note=texts.word("footer"),
    )

    def need_appearances(canvas: Any, _document: Any) -> None:
        # ask viewers to draw filled-in values themselves (with fonts they have)
        canvas.acroForm.extras["NeedAppearances"] = "true"

    return build_pdf(
        story,
        fonts=styles.fonts,
        chrome=chrome,
        options=options,
        title=texts.word("running_title"),
        lang=texts.language,
        on_page=need_appearances if fillable else None,
    )


def render_blank_intake(
    clinic: ClinicHeader,
    *,
    options: PrintOptions | None = None,
    context: IntakeFormContext | None = None,
    language: str | None = None,
    texts_dir: Path | str | None = None,
) -> bytes:
    """The blank intake form for printing and filling in by hand, as PDF bytes.

    It prints in ``language`` (a tag such as "zh"), else in the preferred language of the
    patient in ``context``, else in English; ``texts_dir`` is the clinic's folder of edited
    wording (``<dir>/<lang>/form.txt``, see :mod:`frontdesk.documents.form_texts`).
    """
    return _build(
        clinic,
        options,
        context,
        fillable=False,
        values={},
        language=language,
        texts_dir=texts_dir,
    )


def render_fillable_intake(
    clinic: ClinicHeader,
    *,
    options: PrintOptions | None = None,
    context: IntakeFormContext | None = None,
    intake: IntakeData | Mapping[str, Any] | None = None,
    patient_details: Mapping[str, Any] | None = None,
    language: str | None = None,
    texts_dir: Path | str | None = None,
) -> bytes:
    """The intake form with fillable fields for a tablet, as PDF bytes.

    The language is chosen as for :func:`render_blank_intake`; the fields' names and values
    are the same in every language, so a form filled in Chinese reads back like any other.

    With ``intake`` (an IntakeData or its JSON form) and/or ``patient_details`` (keys as
    in :data:`form_spec.PATIENT_FIELDS`: name, date_of_birth, phone...) the fields start
    filled in, so a returning patient only corrects what changed. Practitioner-only
    sections are never put on the form. Safety and warning-sign questions answered "yes"
    before start ticked "yes"; the others start blank, for the patient to answer afresh
    (a blank safety answer reads back as "no").
    """
    data = intake.to_dict() if isinstance(intake, IntakeData) else dict(intake or {})
    values = form_spec.form_values(data, patient_details)
    pdf = _build(
        clinic,
        options,
        context,
        fillable=True,
        values=values,
        language=language,
        texts_dir=texts_dir,
    )
    texts = {
        name: value
        for name, value in values.items()
        if isinstance(value, str) and value and _is_text_field(name)
    }
    return _set_text_values(pdf, texts) if texts else pdf


_TEXT_KINDS = (Kind.TEXT, Kind.LONG_TEXT, Kind.LIST, Kind.DATE, Kind.NUMBER, Kind.INTEGER)


def _is_text_field(name: str) -> bool:
    return name in _text_field_names()


@functools.cache
def _text_field_names() -> frozenset[str]:
    return frozenset(f.name for f in form_spec.all_fields() if f.kind in _TEXT_KINDS)


class _QuietFontWarnings(logging.Filter):
    """Drop pypdf's warning that Helvetica cannot show non-Latin text.

    Viewers redraw the values themselves (NeedAppearances), and the warning would copy the
    patient's answers into the log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "not supported by font encoding" not in record.getMessage()


_quiet = _QuietFontWarnings()
_APPEARANCE_LOGGER = "pypdf.generic._appearance_stream"


def _set_text_values(pdf: bytes, texts: Mapping[str, str]) -> bytes:
    """Write text field values with pypdf: ReportLab can only prefill Latin-1 text."""
    from pypdf import PdfReader, PdfWriter

    pypdf_log = logging.getLogger(_APPEARANCE_LOGGER)
    pypdf_log.addFilter(_quiet)
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
        for page in writer.pages:
            names = {
                str(annot.get_object().get("/T"))
                for annot in page.get("/Annots", []) or []
                if annot.get_object().get("/T") is not None
            }
            here = {k: v for k, v in texts.items() if k in names}
            if here:
                writer.update_page_form_field_values(page, here, auto_regenerate=False)
        writer.set_need_appearances_writer(True)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    finally:
        pypdf_log.removeFilter(_quiet)


def _raw_field_values(reader: Any) -> dict[str, Any]:
    fields = reader.get_fields() or {}
    values: dict[str, Any] = {}
    for name, field in fields.items():
        if field.get("/FT") == "/Sig":
            continue  # read by _read_signature: its value is not text
        value = field.get("/V")
        values[name] = None if value is None else str(value)
    return values


#: points closer than this (in 0..1 of the box) to the last one add nothing but bulk; the
#: clinic's signing pad keeps strokes the same way
_MIN_STEP = 0.002


@dataclass
class _Signature:
    """What the signature box of a filled form holds."""

    strokes: list[list[tuple[float, float]]]
    problems: list[str]
    #: from a digital signature: the signer's name and the signing date, when given
    signer: str = ""
    signed_on: str = ""


def _signature_widget(reader: Any, name: str) -> tuple[Any, tuple[float, ...]] | None:
    """The page and the box (x0, y0, x1, y1) of the signature field ``name``."""
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/T") == name and annot.get("/FT") == "/Sig":
                x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
                return page, (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    return None


def _ink_strokes(annot: Any, box: tuple[float, ...]) -> list[list[tuple[float, float]]]:
    """The strokes of an ink drawing that lie on the box, scaled to 0..1 of it, y down."""
    x0, y0, x1, y1 = box
    width, height = max(1.0, x1 - x0), max(1.0, y1 - y0)
    strokes = []
    for path in annot.get("/InkList") or []:
        numbers = [float(v) for v in path]
        points = list(zip(numbers[0::2], numbers[1::2], strict=False))
        if not points:
            continue
        # a stroke belongs to the signature when its middle is on the box (with a margin:
        # people sign beyond the frame); points beyond the frame are held at its edge
        mid_x = sum(x for x, _y in points) / len(points)
        mid_y = sum(y for _x, y in points) / len(points)
        margin = height / 2
        if not (x0 - margin <= mid_x <= x1 + margin and y0 - margin <= mid_y <= y1 + margin):
            continue
        stroke: list[tuple[float, float]] = []
        for x, y in points:
            point = (
                round(min(1.0, max(0.0, (x - x0) / width)), 4),
                round(min(1.0, max(0.0, (y1 - y) / height)), 4),
            )
            if stroke and abs(point[0] - stroke[-1][0]) + abs(point[1] - stroke[-1][1]) < _MIN_STEP:
                continue
            stroke.append(point)
        strokes.append(stroke)
    return strokes


def _overlaps(rect: Any, box: tuple[float, ...]) -> bool:
    try:
        x0, y0, x1, y1 = (float(v) for v in rect)
    except (TypeError, ValueError):
        return False
    return (
        min(x0, x1) < box[2]
        and max(x0, x1) > box[0]
        and min(y0, y1) < box[3]
        and max(y0, y1) > box[1]
    )


def _pdf_date(text: str) -> str:
    """The day of a PDF date string ("D:20250304103000+00'00'") as YYYY-MM-DD, or ""."""
    digits = text[2:] if text.startswith("D:") else text
    if len(digits) >= 8 and digits[:8].isdigit():
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}"
    return ""


def _read_signature(reader: Any, name: str) -> _Signature:
    """Read the signature box: ink drawn in it, a digital signature, or something else."""
    found = _Signature([], [])
    located = _signature_widget(reader, name)
    if located is None:
        return found
    page, box = located
    others = []
    for ref in page.get("/Annots") or []:
        annot = ref.get_object()
        subtype = annot.get("/Subtype")
        if subtype == "/Ink":
            found.strokes += _ink_strokes(annot, box)
        elif subtype not in ("/Widget", "/Link", "/Popup") and _overlaps(annot.get("/Rect"), box):
            others.append(annot)
    if others and not found.strokes:
        found.problems.append(
            "The signature box holds a picture or a stamp rather than a drawing, so it could "
            "not be kept as the signature. Keep the PDF with the patient's papers, or ask the "
            "patient to sign on the signing pad."
        )
    field = reader.get_fields() or {}
    signed = (field.get(name) or {}).get("/V")
    if signed is not None:
        digital = signed.get_object() if hasattr(signed, "get_object") else signed
        if hasattr(digital, "get"):
            found.signer = str(digital.get("/Name") or "").strip()
            found.signed_on = _pdf_date(str(digital.get("/M") or ""))
        found.problems.append(
            "The form carries a digital signature"
            + (f" by {found.signer}" if found.signer else "")
            + ". The intake keeps the typed name and date, not the digital signature "
            "itself: keep the signed PDF with the patient's papers."
        )
    return found


def _drop_path(data: dict[str, Any], where: str) -> bool:
    """Remove the value at a ValidationError's field path ("causes.diabetes.type",
    "medications[1]"); True when something was removed."""
    parts: list[str | int] = []
    for piece in where.replace("]", "").split("."):
        name, _, index = piece.partition("[")
        if name:
            parts.append(name)
        if index.isdigit():
            parts.append(int(index))
    node: Any = data
    for part in parts[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    last = parts[-1] if parts else None
    try:
        if isinstance(node, list) and isinstance(last, int):
            node.pop(last)
        elif isinstance(node, dict) and last in node:
            del node[last]
        else:
            return False
    except IndexError:
        return False
    return True


def read_fillable_form(pdf_bytes: bytes) -> FilledForm:
    """Read a filled fillable intake form: intake JSON, patient details and problems.

    The consent's record is the typed name and date; a signature drawn in the signature
    box with a finger or a pen (an ink drawing, as tablet PDF apps save it) becomes the
    consent's signature. A digital signature made in the box gives the name and the date
    when those were left empty, and is named in ``problems`` (the intake keeps no
    certificate). The intake dict is checked with ``IntakeData.from_dict``; an answer it
    refuses (a number out of range, a text too long) is dropped and named in ``problems``,
    so what comes back always loads.
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    values = _raw_field_values(reader)
    signature_field = _signature_field_name()
    signature = _read_signature(reader, signature_field)
    values[signature_field] = signature.strokes
    for path, digital in (
        (("consent", "signer_name"), signature.signer),
        (("consent", "signed_on"), signature.signed_on),
    ):
        typed_name = "-".join(path)
        if digital and not str(values.get(typed_name) or "").strip():
            values[typed_name] = digital
    filled = form_spec.values_to_form(values)
    data = filled.intake
    problems = [*filled.problems, *signature.problems]
    for _attempt in range(50):
        try:
            IntakeData.from_dict(data)
            break
        except ValidationError as error:
            if not error.field or not _drop_path(data, error.field):
                raise
            problems.append(f"{error.message} The answer was left out.")
    return FilledForm(data, filled.patient, tuple(problems))


@functools.cache
def _signature_field_name() -> str:
    return next(f.name for f in form_spec.all_fields() if f.kind is Kind.SIGNATURE)


def read_fillable_intake(pdf_bytes: bytes) -> dict[str, Any]:
    """The intake JSON (``IntakeData.from_dict`` input) of a filled fillable form."""
    return read_fillable_form(pdf_bytes).intake
