"""Small trend charts drawn with reportlab.graphics: pain before/after visits, MNSI scores.

Drawn by hand from shapes rather than with ReportLab's chart classes so that the look is
fully under control: a pair of points per visit joined by a stem shows the effect of each
treatment, and the two lines show the trend across the course.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors

from frontdesk.documents import styles as st
from frontdesk.documents.fonts import FontSet
from frontdesk.documents.formatting import short_date

LEFT_AXIS = 30
BOTTOM_AXIS = 28
TOP_PAD = 22
RIGHT_PAD = 10


def _frame(
    drawing: Drawing, fonts: FontSet, width: float, height: float, top: int, step: int
) -> tuple[float, float, float, float]:
    """Draw the y grid and axis; return the plot box (x0, y0, x1, y1)."""
    x0, y0 = LEFT_AXIS, BOTTOM_AXIS
    x1, y1 = width - RIGHT_PAD, height - TOP_PAD
    ticks = list(range(0, top + 1, step))
    if ticks[-1] != top:
        # the scale's maximum is always labelled; a tick just below it would collide
        if top - ticks[-1] < step:
            ticks.pop()
        ticks.append(top)
    for value in ticks:
        y = y0 + (y1 - y0) * value / top
        drawing.add(Line(x0, y, x1, y, strokeColor=st.FAINT if value else st.RULE, strokeWidth=0.5))
        drawing.add(
            String(
                x0 - 4,
                y - 3,
                str(value),
                fontName=fonts.regular,
                fontSize=7,
                fillColor=st.MUTED,
                textAnchor="end",
            )
        )
    return x0, y0, x1, y1


def _x_positions(count: int, x0: float, x1: float) -> list[float]:
    if count == 1:
        return [(x0 + x1) / 2]
    inset = min(14.0, (x1 - x0) / (2 * count))
    span = (x1 - x0 - 2 * inset) / (count - 1)
    return [x0 + inset + i * span for i in range(count)]


def _x_labels(
    drawing: Drawing, fonts: FontSet, xs: Sequence[float], labels: Sequence[str], y0: float
) -> None:
    if not xs:
        return
    # thin the labels out so they never overlap: about 38 points per label, last one kept
    room = (xs[-1] - xs[0]) / (len(xs) - 1) if len(xs) > 1 else 100.0
    every = max(1, math.ceil(38 / max(room, 1.0)))
    shown = list(range(0, len(xs), every))
    if shown[-1] != len(xs) - 1:
        if len(xs) - 1 - shown[-1] < every:
            shown[-1] = len(xs) - 1
        else:
            shown.append(len(xs) - 1)
    for index in shown:
        x = xs[index]
        drawing.add(Line(x, y0, x, y0 - 3, strokeColor=st.RULE, strokeWidth=0.5))
        drawing.add(
            String(
                x,
                y0 - 12,
                labels[index],
                fontName=fonts.regular,
                fontSize=7,
                fillColor=st.MUTED,
                textAnchor="middle",
            )
        )


def _legend(
    drawing: Drawing,
    fonts: FontSet,
    x: float,
    y: float,
    items: Sequence[tuple[str, colors.Color, str]],
) -> None:
    for label, colour, marker in items:
        if marker == "circle":
            drawing.add(Circle(x + 3, y + 3, 2.6, fillColor=colour, strokeColor=colour))
        elif marker == "dash":
            drawing.add(
                Line(
                    x - 2,
                    y + 3,
                    x + 8,
                    y + 3,
                    strokeColor=colour,
                    strokeWidth=0.7,
                    strokeDashArray=[3, 2],
                )
            )
        else:
            drawing.add(Rect(x, y, 6, 6, fillColor=colour, strokeColor=colour))
        drawing.add(
            String(x + 10, y, label, fontName=fonts.regular, fontSize=7.5, fillColor=st.INK)
        )
        x += 14 + fonts.string_width(label, 7.5) + 10


def pain_chart(
    fonts: FontSet,
    width: float,
    height: float,
    points: Sequence[tuple[date, int | None, int | None]],
    *,
    before_label: str = "Before treatment",
    after_label: str = "After treatment",
) -> Drawing:
    """Pain (0-10) before and after each visit: (date, before, after) per visit, in order."""
    drawing = Drawing(width, height, initialFontName=fonts.regular)
    x0, y0, x1, y1 = _frame(drawing, fonts, width, height, 10, 2)
    xs = _x_positions(len(points), x0, x1)

    def y_of(value: int) -> float:
        return y0 + (y1 - y0) * value / 10

    before_line: list[float] = []
    after_line: list[float] = []
    for x, (_day, before, after) in zip(xs, points, strict=True):
        if before is not None and after is not None:
            drawing.add(Line(x, y_of(before), x, y_of(after), strokeColor=st.RULE, strokeWidth=1.2))
        if before is not None:
            before_line += [x, y_of(before)]
        if after is not None:
            after_line += [x, y_of(after)]
    for line, colour in ((before_line, st.SERIES_BEFORE), (after_line, st.SERIES_AFTER)):
        if len(line) >= 4:
            drawing.add(PolyLine(line, strokeColor=colour, strokeWidth=0.9, strokeDashArray=None))
    for x, (_day, before, after) in zip(xs, points, strict=True):
        if before is not None:
            drawing.add(
                Circle(
                    x,
                    y_of(before),
                    2.6,
                    fillColor=st.SERIES_BEFORE,
                    strokeColor=colors.white,
                    strokeWidth=0.5,
                )
            )
        if after is not None:
            drawing.add(
                Rect(
                    x - 2.5,
                    y_of(after) - 2.5,
                    5,
                    5,
                    fillColor=st.SERIES_AFTER,
                    strokeColor=colors.white,
                    strokeWidth=0.5,
                )
            )
    _x_labels(drawing, fonts, xs, [short_date(p[0]) for p in points], y0)
    _legend(
        drawing,
        fonts,
        x0,
        height - 12,
        [(before_label, st.SERIES_BEFORE, "circle"), (after_label, st.SERIES_AFTER, "square")],
    )
    return drawing


def score_chart(
    fonts: FontSet,
    width: float,
    height: float,
    points: Sequence[tuple[date, int]],
    *,
    top: int = 13,
    cutoff: int | None = 7,
    label: str = "MNSI questionnaire score (0-13)",
    cutoff_label: str = "positive screen: 7 or more",
) -> Drawing:
    """A score over time (the MNSI questionnaire by default) with its cut-off line."""
    drawing = Drawing(width, height, initialFontName=fonts.regular)
    step = 1 if top <= 10 else (2 if top <= 20 else 5)
    x0, y0, x1, y1 = _frame(drawing, fonts, width, height, top, step)
    xs = _x_positions(len(points), x0, x1)

    def y_of(value: float) -> float:
        return y0 + (y1 - y0) * value / top

    if cutoff is not None:
        y = y_of(cutoff)
        drawing.add(
            Line(x0, y, x1, y, strokeColor=st.STOP, strokeWidth=0.7, strokeDashArray=[3, 2])
        )
    line: list[float] = []
    for x, (_day, value) in zip(xs, points, strict=True):
        line += [x, y_of(value)]
    if len(line) >= 4:
        drawing.add(PolyLine(line, strokeColor=st.ACCENT, strokeWidth=1))
    for x, (_day, value) in zip(xs, points, strict=True):
        drawing.add(
            Circle(
                x, y_of(value), 2.8, fillColor=st.ACCENT, strokeColor=colors.white, strokeWidth=0.5
            )
        )
        drawing.add(
            String(
                x,
                # below the point when under the cut-off, so the dashed line never crosses it
                y_of(value) + (5 if cutoff is None or value >= cutoff else -10),
                str(value),
                fontName=fonts.bold,
                fontSize=7,
                fillColor=st.INK,
                textAnchor="middle",
            )
        )
    _x_labels(drawing, fonts, xs, [short_date(p[0]) for p in points], y0)
    legend = [(label, st.ACCENT, "circle")]
    if cutoff is not None:
        legend.append((cutoff_label, st.STOP, "dash"))
    _legend(drawing, fonts, x0, height - 12, legend)
    return drawing
