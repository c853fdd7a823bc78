"""Outlines of both feet (top and sole) and both hands (back and palm) for the body map.

Each figure is a schematic limb: a stub of the lower leg or forearm, a band for the ankle or
wrist, the foot or hand, and the toes or fingers, so that every region of the intake's body
map has a place on paper. On a blank form the patient marks the outlines by hand; on a
filled summary the marked regions are shaded and lettered (N numbness, T tingling,
B burning, P pain), which reads on a black-and-white printer too.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable

from frontdesk.documents import styles as st
from frontdesk.documents.fonts import FontSet

#: the letter printed for each sensation in a marked region
SENSATION_LETTERS = {"numbness": "N", "tingling": "T", "burning": "B", "pain": "P"}

MARK_FILL = colors.HexColor("#f6c9a8")

_FOOT_REGIONS = ("toes", "sole", "top_of_foot", "ankle", "lower_leg")
_HAND_REGIONS = ("fingers", "palm", "back_of_hand", "wrist", "forearm")


@dataclass(frozen=True)
class _View:
    limb: str  # "foot" or "hand"
    side: str  # "left" or "right"
    face: str  # "top"/"sole" for feet, "back"/"palm" for hands
    title: str


# The order on the page: feet from above, soles, backs of hands, palms; left before right
# as the patient sees them.
VIEWS = (
    _View("foot", "left", "top", "Left foot, top"),
    _View("foot", "right", "top", "Right foot, top"),
    _View("foot", "left", "sole", "Left sole"),
    _View("foot", "right", "sole", "Right sole"),
    _View("hand", "left", "back", "Left hand, back"),
    _View("hand", "right", "back", "Right hand, back"),
    _View("hand", "left", "palm", "Left palm"),
    _View("hand", "right", "palm", "Right palm"),
)

# Figures are drawn in a 100 x 160 unit box: x grows right, y up. The big toe or the thumb
# sits at small x; _mirror flips a figure when it belongs on the other side.
_BOX_W, _BOX_H = 100.0, 160.0


def _thumb_on_left(view: _View) -> bool:
    # Looking down at a right foot, or at the back of a right hand, the big toe or thumb is
    # on the viewer's left; turning to the sole or palm swaps sides; the left limb mirrors.
    inner_left = view.face in ("top", "back")
    return inner_left if view.side == "right" else not inner_left


class BodyMapFigure(Flowable):
    """Eight small outlines in a row of four, two rows, with their regions.

    ``marks`` maps body-map area ids ("left.toes") to the sensations marked there.
    """

    def __init__(
        self,
        fonts: FontSet,
        width: float,
        *,
        marks: Mapping[str, Collection[str]] | None = None,
        figure_height: float = 118,
        titles: Sequence[str] | None = None,
    ) -> None:
        super().__init__()
        self.fonts = fonts
        #: the caption of each view, in the order of VIEWS (default: English)
        self.titles = tuple(titles) if titles else tuple(v.title for v in VIEWS)
        self.width = width
        self.marks = dict(marks or {})
        self.figure_height = figure_height
        self.height = 2 * (figure_height + 16)
        self._fill: colors.Color | None = None  # the fill colour last set while drawing

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        cell_w = self.width / 4
        scale = min((cell_w - 10) / _BOX_W, (self.figure_height - 4) / _BOX_H)
        places = []
        for index in range(len(VIEWS)):
            row, col = divmod(index, 4)
            places.append((col * cell_w, self.height - (row + 1) * (self.figure_height + 16)))
        canvas.saveState()
        canvas.setFillColor(st.MUTED)
        titles = [(x + cell_w / 2, y + 4, t) for (x, y), t in zip(places, self.titles, strict=True)]
        self.fonts.draw_strings(canvas, titles, 7.5, align="center")
        canvas.restoreState()
        for (x, y), view in zip(places, VIEWS, strict=True):
            left = x + (cell_w - _BOX_W * scale) / 2
            mirrored = not _thumb_on_left(view)
            canvas.saveState()
            # one transform for the place, the size and, on the other side, the mirror image
            if mirrored:
                canvas.transform(-scale, 0, 0, scale, left + _BOX_W * scale, y + 14)
            else:
                canvas.transform(scale, 0, 0, scale, left, y + 14)
            if self._is_marked(view):
                self._draw_view(view, mirrored=mirrored)
            else:
                canvas.doForm(self._outline_form(view))
            canvas.restoreState()

    def _is_marked(self, view: _View) -> bool:
        regions = _FOOT_REGIONS if view.limb == "foot" else _HAND_REGIONS
        return any(self.marks.get(f"{view.side}.{region}") for region in regions)

    def _outline_form(self, view: _View) -> str:
        """An unmarked outline, drawn once per document and reused (smaller, faster files)."""
        name = f"frontdesk_outline_{view.limb}"
        made: set[str] = self.canv.__dict__.setdefault("_frontdesk_forms", set())
        if name not in made:
            saved, self.marks = self.marks, {}
            self.canv.beginForm(name, lowerx=-1, lowery=-1, upperx=_BOX_W + 1, uppery=_BOX_H + 1)
            self._draw_view(view, mirrored=False)
            self.canv.endForm()
            self.marks = saved
            made.add(name)
        return name

    # -- one figure --------------------------------------------------------------------------

    def _region_style(self, view: _View, region: str) -> tuple[colors.Color, str]:
        sensations = self.marks.get(f"{view.side}.{region}", ())
        if not sensations:
            return colors.white, ""
        letters = "".join(
            SENSATION_LETTERS.get(s, "?") for s in SENSATION_LETTERS if s in sensations
        )
        return MARK_FILL, letters

    def _draw_view(self, view: _View, *, mirrored: bool) -> None:
        self.canv.setStrokeColor(st.INK)
        self.canv.setLineWidth(1.1)
        self._fill = None
        if view.limb == "foot":
            self._draw_foot(view, mirrored=mirrored)
        else:
            self._draw_hand(view, mirrored=mirrored)

    def _paint(self, shape: str, view: _View, region: str) -> str:
        """Fill and outline one part in the region's colour; return the region's letters."""
        fill, letters = self._region_style(view, region)
        if fill is not self._fill:
            self.canv.setFillColor(fill)
            self._fill = fill
        self.canv.addLiteral(_shape_operators(shape))
        return letters

    def _fill_and_label(
        self, shape: str, view: _View, region: str, centre: tuple[float, float], *, mirrored: bool
    ) -> None:
        letters = self._paint(shape, view, region)
        if letters:
            self._letters(letters, (centre[0], centre[1] - 4), mirrored=mirrored, size=11)

    def _draw_foot(self, view: _View, *, mirrored: bool) -> None:
        self._fill_and_label("foot.lower_leg", view, "lower_leg", (51, 10), mirrored=mirrored)
        self._fill_and_label("foot.ankle", view, "ankle", (51, 27), mirrored=mirrored)
        region = "top_of_foot" if view.face == "top" else "sole"
        self._fill_and_label("foot.body", view, region, (52, 76), mirrored=mirrored)
        letters = self._paint("foot.toes", view, "toes")
        if letters:
            self._letters(letters, (50, 146), mirrored=mirrored)

    def _draw_hand(self, view: _View, *, mirrored: bool) -> None:
        self._fill_and_label("hand.forearm", view, "forearm", (51, 11), mirrored=mirrored)
        self._fill_and_label("hand.wrist", view, "wrist", (51, 28), mirrored=mirrored)
        letters = self._paint("hand.fingers", view, "fingers")
        region = "back_of_hand" if view.face == "back" else "palm"
        self._fill_and_label("hand.palm", view, region, (57, 62), mirrored=mirrored)
        if letters:
            self._letters(letters, (56, 150), mirrored=mirrored)

    def _letters(
        self, letters: str, at: tuple[float, float], *, mirrored: bool, size: float = 10
    ) -> None:
        canvas = self.canv
        canvas.saveState()
        # mirrored figures turn the letters back, so they never print back to front
        canvas.transform(-1 if mirrored else 1, 0, 0, 1, *at)
        canvas.setFillColor(st.INK)
        self.fonts.draw_string(canvas, 0, 0, letters, size, bold=True, align="center")
        canvas.restoreState()  # back to the region's fill colour


# -- the outlines, part by part ----------------------------------------------------------------
# Each part is drawn once per process on a scratch canvas and its PDF operators are kept:
# every figure of every document repeats the same shapes, and writing out their curves is
# most of what a body map costs. The colours around them are set for each region.


def _rect_path(canvas: Any, x: float, y: float, w: float, h: float, r: float = 0) -> None:
    path = canvas.beginPath()
    if r:
        path.roundRect(x, y, w, h, r)
    else:
        path.rect(x, y, w, h)
    canvas.drawPath(path, stroke=1, fill=1)


def _foot_body(canvas: Any) -> None:
    # heel at the bottom, ball wide, big toe side at small x
    body = canvas.beginPath()
    body.moveTo(51, 34)
    body.curveTo(36, 34, 30, 42, 31, 56)  # heel, inner side
    body.curveTo(32, 70, 28, 84, 22, 100)  # arch to ball
    body.curveTo(20, 108, 22, 116, 28, 118)
    body.lineTo(76, 116)
    body.curveTo(80, 112, 80, 104, 77, 94)  # outer side of the ball
    body.curveTo(73, 76, 72, 60, 71, 50)
    body.curveTo(70, 40, 64, 34, 51, 34)
    body.close()
    canvas.drawPath(body, stroke=1, fill=1)


def _toes(canvas: Any) -> None:
    # big toe first
    toes = ((28, 121, 11, 15), (42, 121, 8, 12), (53, 120, 7, 10.5), (63, 118, 6, 9),
            (72, 115, 5, 7.5))  # fmt: skip
    for cx, cy, rx, ry in toes:
        canvas.ellipse(cx - rx / 2 - 1, cy, cx + rx / 2 + 1, cy + ry * 2, stroke=1, fill=1)


def _fingers(canvas: Any) -> None:
    # index next to the thumb (small x), little finger at large x
    for x, top in ((36, 136), (48, 144), (60, 139), (71, 124)):
        canvas.roundRect(x, 86, 10.5, top - 86, 5, stroke=1, fill=1)
    # thumb, angled out from the base of the palm
    canvas.saveState()
    canvas.translate(36, 44)
    canvas.rotate(130)
    canvas.roundRect(-4, -6, 44, 12, 6, stroke=1, fill=1)
    canvas.restoreState()


_SHAPES: dict[str, Callable[[Any], None]] = {
    "foot.lower_leg": lambda c: _rect_path(c, 36, 0, 30, 20),
    "foot.ankle": lambda c: _rect_path(c, 33, 20, 36, 14, 4),
    "foot.body": _foot_body,
    "foot.toes": _toes,
    "hand.forearm": lambda c: _rect_path(c, 34, 0, 34, 22),
    "hand.wrist": lambda c: _rect_path(c, 32, 22, 38, 12, 4),
    "hand.fingers": _fingers,
    "hand.palm": lambda c: _rect_path(c, 30, 34, 54, 58, 9),
}


@functools.cache
def _shape_operators(shape: str) -> str:
    """The PDF operators that outline and paint ``shape`` with the current colours."""
    from reportlab.pdfgen.canvas import Canvas

    scratch = Canvas(io.BytesIO())
    # ReportLab's own shape calls write to the canvas's operator list the same way
    start = len(scratch._code)
    _SHAPES[shape](scratch)
    return "\n".join(scratch._code[start:])
