"""Page templates shared by every document: clinic header, running header, "page x of y".

A document module builds its story (the flowing content) and hands it to :func:`build_pdf`,
which owns the paper, margins, headers and footers. The first page carries the full clinic
header with the logo; later pages a slim one, so long reports do not waste paper.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from frontdesk.documents import styles as st
from frontdesk.documents.data import ClinicHeader, PrintOptions
from frontdesk.documents.fonts import FontSet
from frontdesk.domain.enums import PaperSize

log = logging.getLogger(__name__)

MARGIN = 16 * mm
FIRST_HEADER_HEIGHT = 26 * mm
LATER_HEADER_HEIGHT = 11 * mm
FOOTER_HEIGHT = 10 * mm


def page_size(paper: PaperSize | str, *, landscape: bool = False) -> tuple[float, float]:
    """Width and height in points of A4 or US Letter paper, upright or turned."""
    width, height = LETTER if PaperSize(paper) is PaperSize.LETTER else A4
    return (height, width) if landscape else (width, height)


@dataclass(frozen=True)
class PageChrome:
    """The texts around the story on every page."""

    clinic: ClinicHeader
    #: short name of the document for the running header, e.g. "Aftercare"
    running_title: str
    #: who or what the document is about, shown on later pages, e.g. the patient's name
    running_subject: str = ""
    #: format of the page number, with {page} and {total}
    page_label: str = "Page {page} of {total}"
    #: small print at the bottom left of every page
    footer_note: str = ""


class SectionMark(Flowable):
    """An invisible flowable that names the section for the running header of its page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.width = self.height = 0
        # moves to the next page with whatever follows it, so it marks the right page
        self.keepWithNext = 1

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        marks = self.canv.__dict__.setdefault("_frontdesk_page_sections", [])
        marks.append(self.text)


def _page_sections(canvas: Any) -> str:
    """The sections present on the page just finished (or the one carried over into it)."""
    marks: list[str] = canvas.__dict__.get("_frontdesk_page_sections", [])
    carried: str = canvas.__dict__.get("_frontdesk_section", "")
    text = ", ".join(dict.fromkeys(m for m in marks if m)) if marks else carried
    if marks:
        canvas._frontdesk_section = marks[-1]
    canvas._frontdesk_page_sections = []
    return text


def heading_before_table(*flowables: Flowable, min_space: float = 90) -> list[Flowable]:
    """Flowables that head a long table: moved to a new page unless ``min_space`` is left.

    ``keepWithNext`` cannot be used there: it would try to keep the heading with the whole
    table and push a table that overflows a page to the next page, leaving a blank one.
    """
    from reportlab.platypus import CondPageBreak

    for flowable in flowables:
        flowable.keepWithNext = 0
    return [CondPageBreak(min_space), *flowables]


_logo_cache: dict[str, Any] = {}


def load_logo(logo: Path | str | bytes | None) -> Any | None:
    """An ImageReader for the clinic's logo, or None when absent or unreadable."""
    if logo is None or logo == "" or logo == b"":
        return None
    from reportlab.lib.utils import ImageReader

    key = (
        "b:" + hashlib.sha1(logo).hexdigest()
        if isinstance(logo, bytes)
        else "p:" + str(Path(logo).resolve())
    )
    if key in _logo_cache:
        return _logo_cache[key]
    try:
        reader = ImageReader(io.BytesIO(logo) if isinstance(logo, bytes) else str(logo))
        reader.getSize()  # fails now on a broken file rather than halfway through printing
    except Exception as exc:
        # a missing logo must never stop a handout from printing
        log.warning("clinic logo could not be read, printing without it: %s", exc)
        reader = None
    _logo_cache[key] = reader
    return reader


def _draw_first_header(
    canvas: Any, fonts: FontSet, chrome: PageChrome, width: float, height: float
) -> None:
    clinic = chrome.clinic
    top = height - MARGIN
    x = MARGIN
    logo = load_logo(clinic.logo)
    if logo is not None:
        iw, ih = logo.getSize()
        box_h = FIRST_HEADER_HEIGHT - 6 * mm
        scale = min(box_h / ih, 45 * mm / iw)
        lw, lh = iw * scale, ih * scale
        canvas.drawImage(logo, x, top - lh, lw, lh, mask="auto")
        x += lw + 5 * mm
    canvas.setFillColor(st.ACCENT)
    fonts.draw_string(canvas, x, top - 12, clinic.name, 14, bold=True)
    canvas.setFillColor(st.MUTED)
    y = top - 24
    for line in clinic.address_lines[:3]:
        fonts.draw_string(canvas, x, y, line, 8.5)
        y -= 10.5
    right = width - MARGIN
    y = top - 12
    for line in (clinic.phone, clinic.email, clinic.website):
        if line:
            fonts.draw_string(canvas, right, y, line, 8.5, align="right")
            y -= 10.5
    canvas.setStrokeColor(st.ACCENT)
    canvas.setLineWidth(0.8)
    rule_y = height - MARGIN - FIRST_HEADER_HEIGHT + 3 * mm
    canvas.line(MARGIN, rule_y, width - MARGIN, rule_y)


def _draw_later_header(
    canvas: Any, fonts: FontSet, chrome: PageChrome, width: float, height: float
) -> None:
    top = height - MARGIN
    canvas.setFillColor(st.ACCENT)
    fonts.draw_string(canvas, MARGIN, top - 9, chrome.clinic.name, 9, bold=True)
    canvas.setFillColor(st.MUTED)
    section = _page_sections(canvas)
    right_text = " · ".join(
        t for t in (chrome.running_title, section or chrome.running_subject) if t
    )
    fonts.draw_string(canvas, width - MARGIN, top - 9, right_text, 8.5, align="right")
    canvas.setStrokeColor(st.RULE)
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN, top - 13, width - MARGIN, top - 13)


def _canvas_class(fonts: FontSet, chrome: PageChrome, created: datetime | None) -> type[Canvas]:
    """A canvas that holds pages back until the end so each can say "page x of y"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict[str, Any]] = []
            if created is not None:
                stamp = created.strftime("D:%Y%m%d%H%M%S") + "+00'00'"
                self.setDateFormatter(lambda *_parts: stamp)

        def showPage(self) -> None:
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                self._draw_page_number(number, total)
                super().showPage()
            super().save()

        def _draw_page_number(self, number: int, total: int) -> None:
            width, _height = self._pagesize
            self.saveState()
            self.setFillColor(st.MUTED)
            y = MARGIN - 6 * mm
            label = chrome.page_label.format(page=number, total=total)
            fonts.draw_string(self, width - MARGIN, y, label, 8, align="right")
            if chrome.footer_note:
                fonts.draw_string(self, MARGIN, y, chrome.footer_note, 8)
            self.restoreState()

    return NumberedCanvas


def build_pdf(
    story: Sequence[Flowable],
    *,
    fonts: FontSet,
    chrome: PageChrome,
    options: PrintOptions | None = None,
    title: str = "",
    subject: str = "",
    lang: str = "en",
    landscape: bool = False,
    on_page: Callable[[Any, Any], None] | None = None,
) -> bytes:
    """Lay ``story`` out on pages with the clinic's header and return the PDF's bytes.

    The file's metadata is fixed (ReportLab's invariant mode plus ``options.created``), so
    the same story gives the same bytes.
    """
    options = options or PrintOptions()
    width, height = page_size(options.paper, landscape=landscape)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(width, height),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title or chrome.running_title,
        author=chrome.clinic.name,
        subject=subject,
        creator="Frontdesk",
        producer="Frontdesk",
        invariant=1,
        lang=lang,
        # otherwise every page names Helvetica, a font that is not embedded
        initialFontName=fonts.regular,
    )
    body_bottom = MARGIN + FOOTER_HEIGHT - 6 * mm
    first = Frame(
        MARGIN,
        body_bottom,
        width - 2 * MARGIN,
        height - MARGIN - FIRST_HEADER_HEIGHT - body_bottom,
        id="first",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    later = Frame(
        MARGIN,
        body_bottom,
        width - 2 * MARGIN,
        height - MARGIN - LATER_HEADER_HEIGHT - body_bottom,
        id="later",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )

    def first_page(canvas: Any, document: Any) -> None:
        canvas.saveState()
        _page_sections(canvas)  # the first page names its sections in the story itself
        _draw_first_header(canvas, fonts, chrome, width, height)
        canvas.restoreState()
        if on_page is not None:
            on_page(canvas, document)

    def later_page(canvas: Any, document: Any) -> None:
        canvas.saveState()
        _draw_later_header(canvas, fonts, chrome, width, height)
        canvas.restoreState()
        if on_page is not None:
            on_page(canvas, document)

    doc.addPageTemplates(
        [
            PageTemplate(
                id="First", frames=[first], onPageEnd=first_page, autoNextPageTemplate="Later"
            ),
            PageTemplate(id="Later", frames=[later], onPageEnd=later_page),
        ]
    )
    doc.build(list(story), canvasmaker=_canvas_class(fonts, chrome, options.created))
    return buffer.getvalue()


def frame_width(options: PrintOptions | None = None, *, landscape: bool = False) -> float:
    """Width in points available to the story on the chosen paper."""
    paper = (options or PrintOptions()).paper
    return float(page_size(paper, landscape=landscape)[0] - 2 * MARGIN)
