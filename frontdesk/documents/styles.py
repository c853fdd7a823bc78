"""The one stylesheet every printed document uses: fonts, sizes, colours, table looks."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table, TableStyle

from frontdesk.documents.fonts import FontSet, get_fonts

# A calm palette that still prints legibly on a black-and-white office printer.
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#9aa5b1")
FAINT = colors.HexColor("#e4e7eb")
ACCENT = colors.HexColor("#2f6f73")
ACCENT_LIGHT = colors.HexColor("#e3f0f0")
WARN = colors.HexColor("#b54708")
WARN_LIGHT = colors.HexColor("#fef0e6")
STOP = colors.HexColor("#b42318")
STOP_LIGHT = colors.HexColor("#fdeceb")
SERIES_BEFORE = colors.HexColor("#b54708")
SERIES_AFTER = colors.HexColor("#2f6f73")

BODY_SIZE = 10
SMALL_SIZE = 8.5


class MeasuredParagraph(Paragraph):
    """A Paragraph that breaks its lines once per width.

    ReportLab measures a paragraph again each time something asks for its size: a table
    measures its cells to size the rows and again to draw them, and a KeepTogether
    measures its content before the frame does. The lines depend only on the width, so
    a second request at the same width reuses the first answer (same lines, same bytes).
    """

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        known = self.__dict__
        # a paragraph pushed to the next page forgets its lines (split deletes them)
        if known.get("_measured_width") == availWidth and "blPara" in known:
            return float(self.width), float(self.height)
        width, height = super().wrap(availWidth, availHeight)
        if "blPara" in self.__dict__:
            self._measured_width = availWidth
        return float(width), float(height)


# Parsed wording that repeats from document to document: (markup, style id) -> the style,
# the cleaned text and the parsed fragments. Parsing markup is a tenth of a document's time.
_parsed_lock = threading.Lock()
_parsed: dict[tuple[str, int], tuple[ParagraphStyle, str, ParagraphStyle, list[Any]]] = {}
_PARSED_LIMIT = 4096


def _fixed_paragraph(markup: str, style: ParagraphStyle) -> MeasuredParagraph:
    """A paragraph of the program's own wording, parsed once per process.

    Each paragraph gets its own copies of the parsed fragments: ReportLab adjusts
    fragments while it breaks and splits lines, and one document must not see another's.
    """
    key = (markup, id(style))
    hit = _parsed.get(key)
    if hit is None or hit[0] is not style:
        paragraph = MeasuredParagraph(markup, style)
        with _parsed_lock:
            if len(_parsed) >= _PARSED_LIMIT:
                _parsed.clear()
            _parsed[key] = (
                style,
                paragraph.text,
                paragraph.style,
                [f.clone() for f in paragraph.frags],
            )
        return paragraph
    _style, text, parsed_style, frags = hit
    paragraph = MeasuredParagraph(None, parsed_style, frags=[f.clone() for f in frags])
    paragraph.text = text
    return paragraph


@dataclass(frozen=True)
class Styles:
    """Paragraph and table styles built on the loaded fonts."""

    fonts: FontSet
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    body_bold: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    bullet: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_small: ParagraphStyle
    head_cell: ParagraphStyle
    right: ParagraphStyle
    center: ParagraphStyle
    alert: ParagraphStyle
    caution: ParagraphStyle

    def para(self, text: str, style: ParagraphStyle | None = None) -> Any:
        """A Paragraph of plain ``text`` (escaped, fonts switched per script)."""
        return MeasuredParagraph(self.fonts.markup(text), style or self.body)

    def rich(self, markup: str, style: ParagraphStyle | None = None) -> Any:
        """A Paragraph of ready ReportLab markup (callers escape their own text)."""
        return MeasuredParagraph(markup, style or self.body)

    def fixed(self, text: str, style: ParagraphStyle | None = None) -> Any:
        """Like :meth:`para`, for wording that repeats in every document (headings, labels,
        handout texts): parsed once per process, so only the patient's own text is parsed
        for each document."""
        return _fixed_paragraph(self.fonts.markup(text), style or self.body)

    def fixed_rich(self, markup: str, style: ParagraphStyle | None = None) -> Any:
        """Like :meth:`rich`, for ready markup that repeats in every document."""
        return _fixed_paragraph(markup, style or self.body)

    def text(self, text: str) -> str:
        """Escape plain ``text`` into Paragraph markup with per-script fonts."""
        return self.fonts.markup(text)


def new_table(data: Any, **kwargs: Any) -> Table:
    """A Table whose empty cells and padding use the embedded font.

    ReportLab's tables otherwise switch to Helvetica for every cell, which would put a
    font that is not embedded into every page that has a table.
    """
    table = Table(data, **kwargs)
    table.setStyle([("FONT", (0, 0), (-1, -1), get_fonts().regular)])
    return table


def grid_table_style(*, header_rows: int = 1, zebra: bool = True) -> TableStyle:
    """Thin rules, a tinted header row and, optionally, banded rows."""
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header_rows:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), ACCENT_LIGHT),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, ACCENT),
        ]
    style = TableStyle(commands)
    if zebra:
        style.add("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, FAINT])
    return style


def key_value_table_style() -> TableStyle:
    """Label column in muted text, values beside it, no rules."""
    return TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ]
    )


_styles_lock = threading.Lock()
_styles_cache: dict[tuple[int, bool], tuple[FontSet, Styles]] = {}


def make_styles(fonts: FontSet | None = None, *, cjk_wrap: bool = False) -> Styles:
    """The stylesheet on ``fonts`` (the system fonts when omitted), built once per font set.

    With ``cjk_wrap`` lines may break between any two Chinese characters (which have no
    spaces between words) and punctuation never starts a line: for documents in Chinese.
    Every document of the process shares the styles: nothing changes a style once built.
    """
    fonts = fonts or get_fonts()
    key = (id(fonts), cjk_wrap)
    with _styles_lock:
        cached = _styles_cache.get(key)
        # the font set is kept beside its styles, so its id cannot be reused meanwhile
        if cached is not None and cached[0] is fonts:
            return cached[1]
        styles = _build_styles(fonts, cjk_wrap)
        _styles_cache[key] = (fonts, styles)
        return styles


def _build_styles(fonts: FontSet, cjk_wrap: bool) -> Styles:
    regular, bold = fonts.regular, fonts.bold

    def style(name: str, **kw: Any) -> ParagraphStyle:
        base: dict[str, Any] = {
            "fontName": regular,
            "bulletFontName": regular,  # ReportLab's default bullet font is not embedded
            "fontSize": BODY_SIZE,
            "leading": BODY_SIZE * 1.35,
            "textColor": INK,
            "alignment": TA_LEFT,
        }
        if cjk_wrap:
            base["wordWrap"] = "CJK"
        base.update(kw)
        return ParagraphStyle(name, **base)

    return Styles(
        fonts=fonts,
        title=style(
            "Title", fontName=bold, fontSize=16, leading=20, spaceAfter=6, textColor=ACCENT
        ),
        h1=style(
            "H1",
            fontName=bold,
            fontSize=12.5,
            leading=16,
            spaceBefore=10,
            spaceAfter=4,
            textColor=ACCENT,
            keepWithNext=1,
        ),
        h2=style(
            "H2",
            fontName=bold,
            fontSize=10.5,
            leading=14,
            spaceBefore=6,
            spaceAfter=2,
            keepWithNext=1,
        ),
        body=style("Body", spaceAfter=3),
        body_bold=style("BodyBold", fontName=bold, spaceAfter=3),
        small=style("Small", fontSize=SMALL_SIZE, leading=SMALL_SIZE * 1.3),
        muted=style("Muted", fontSize=SMALL_SIZE, leading=SMALL_SIZE * 1.3, textColor=MUTED),
        bullet=style("Bullet", leftIndent=12, bulletIndent=2, spaceAfter=1.5),
        cell=style("Cell", fontSize=9, leading=11.5),
        cell_bold=style("CellBold", fontName=bold, fontSize=9, leading=11.5),
        cell_small=style("CellSmall", fontSize=8, leading=10, textColor=MUTED),
        head_cell=style("HeadCell", fontName=bold, fontSize=8.5, leading=11, textColor=ACCENT),
        right=style("Right", alignment=TA_RIGHT),
        center=style("Center", alignment=TA_CENTER),
        alert=style(
            "Alert",
            fontName=bold,
            textColor=STOP,
            borderColor=STOP,
            borderWidth=0.8,
            borderPadding=5,
            backColor=STOP_LIGHT,
            spaceBefore=6,
            spaceAfter=8,
        ),
        caution=style(
            "Caution",
            leftIndent=12,
            bulletIndent=2,
            spaceAfter=2,
            textColor=INK,
        ),
    )
