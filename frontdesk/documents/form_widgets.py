"""Tick boxes and writing lines that print on paper or become AcroForm fields on a tablet.

Each widget is a small flowable that draws itself in its own coordinates, so it can sit in
a table cell; in fillable mode it adds a form field at the same place (ReportLab's
"relative" AcroForm calls follow the canvas transform).
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable

from frontdesk.documents import styles as st

BOX = 10.0
LINE_HEIGHT = 17.0
FIELD_FILL = colors.HexColor("#f4f8f8")
FIELD_FONT = "Helvetica"  # AcroForm fields can only name the standard fonts


class TickBox(Flowable):
    """A square to tick; in fillable mode a check box, or a radio button of a group."""

    def __init__(
        self,
        name: str | None,
        *,
        fillable: bool,
        radio_value: str | None = None,
        checked: bool = False,
        tooltip: str = "",
        size: float = BOX,
    ) -> None:
        super().__init__()
        self.name = name
        self.fillable = fillable and name is not None
        self.radio_value = radio_value
        self.checked = checked
        self.tooltip = tooltip
        self.size = size
        self.width = self.height = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        canvas = self.canv
        if not self.fillable:
            canvas.setStrokeColor(st.INK)
            canvas.setLineWidth(0.8)
            if self.radio_value is not None:
                canvas.circle(self.size / 2, self.size / 2, self.size / 2, stroke=1, fill=0)
            else:
                canvas.rect(0, 0, self.size, self.size, stroke=1, fill=0)
            if self.checked:
                canvas.setLineWidth(1.4)
                canvas.line(2, self.size / 2, self.size * 0.42, 2)
                canvas.line(self.size * 0.42, 2, self.size - 1.5, self.size - 1.5)
            return
        common: dict[str, Any] = {
            "x": 0,
            "y": 0,
            "size": self.size,
            "borderWidth": 0.8,
            "borderColor": st.INK,
            "fillColor": FIELD_FILL,
            "textColor": st.INK,
            "forceBorder": True,
            "tooltip": self.tooltip or self.name,
        }
        if self.radio_value is not None:
            canvas.acroForm.radioRelative(
                name=self.name,
                value=self.radio_value,
                selected=self.checked,
                buttonStyle="circle",
                shape="circle",
                **common,
            )
        else:
            canvas.acroForm.checkboxRelative(
                name=self.name, checked=self.checked, buttonStyle="check", shape="square", **common
            )


class WriteLine(Flowable):
    """Space to write: ruled lines on paper, a text field (multi-line if needed) on a tablet."""

    def __init__(
        self,
        name: str | None,
        *,
        fillable: bool,
        lines: int = 1,
        tooltip: str = "",
        width: float | None = None,
    ) -> None:
        super().__init__()
        self.name = name
        self.fillable = fillable and name is not None
        self.lines = max(1, lines)
        self.tooltip = tooltip
        self.fixed_width = width
        self.width = width or 0
        self.height = LINE_HEIGHT * self.lines

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = self.fixed_width or available_width
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        if not self.fillable:
            canvas.setStrokeColor(st.RULE)
            canvas.setLineWidth(0.6)
            for line in range(self.lines):
                y = line * LINE_HEIGHT + 2
                canvas.line(0, y, self.width, y)
            return
        canvas.acroForm.textfieldRelative(
            name=self.name,
            tooltip=self.tooltip or self.name,
            x=0,
            y=1,
            width=self.width,
            height=self.height - 2,
            value="",
            fontName=FIELD_FONT,
            fontSize=10 if self.lines == 1 else 9,
            borderWidth=0.5,
            borderColor=st.RULE,
            fillColor=FIELD_FILL,
            textColor=st.INK,
            forceBorder=True,
            fieldFlags="multiline" if self.lines > 1 else "",
        )


class SignatureBox(Flowable):
    """A framed space to sign in, with a caption under it.

    With a field ``name`` (the fillable form) the frame also holds an AcroForm signature
    field: a PDF app offers to sign there, and a drawing made in the frame with a finger or
    a pen is read back as the signature (see ``intake_form.read_fillable_form``). The frame
    itself always prints, so a printed copy can be signed by hand.
    """

    def __init__(
        self,
        caption: str,
        fonts: Any,
        height: float = 42,
        *,
        name: str | None = None,
        tooltip: str = "",
    ) -> None:
        super().__init__()
        self.caption = caption
        self.fonts = fonts
        self.height = height + 12
        self.box_height = height
        self.name = name
        self.tooltip = tooltip

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setStrokeColor(st.INK)
        canvas.setLineWidth(0.6)
        canvas.rect(0, 12, self.width, self.box_height, stroke=1, fill=0)
        canvas.setFillColor(st.MUTED)
        self.fonts.draw_string(canvas, 0, 2, self.caption, 7.5)
        if self.name:
            add_signature_field(
                canvas, self.name, 0, 12, self.width, self.box_height, self.tooltip or self.caption
            )


def add_signature_field(
    canvas: Any, name: str, x: float, y: float, width: float, height: float, tooltip: str
) -> None:
    """Put an empty AcroForm signature field (``/FT /Sig``) over a box of the canvas.

    ReportLab's form API makes text, check and choice fields only, so the field dictionary
    is written here the way ReportLab writes its own widgets: one merged field and widget
    annotation, listed in the form's fields, with the flag that says signatures may exist.
    """
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFString

    form = canvas.acroForm
    x0, y0 = canvas.absolutePosition(x, y)
    x1, y1 = canvas.absolutePosition(x + width, y + height)
    field = PDFDictionary(
        {
            "FT": PDFName("Sig"),
            "T": PDFString(name),
            "TU": PDFString(tooltip),
            "Rect": PDFArray([min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]),
            "P": canvas._doc.thisPageRef(),
            "Subtype": PDFName("Widget"),
            "Type": PDFName("Annot"),
            "F": 4,  # print
        }
    )
    canvas._addAnnotation(field)
    form.fields.append(form.getRef(field))
    form.sigFlags = 1  # "signatures exist": viewers then show their signing tools
