"""A small time chart: pain before and after each visit, or the MNSI score of each intake
with its positive cut-off line. Painted by hand (no chart library to load at start-up); the
numbers it shows are kept in ``series`` for tests and screen readers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

GRID = QColor("#d0d5db")
THRESHOLD = QColor("#a4161a")


@dataclass(frozen=True)
class ChartPoint:
    when: datetime
    value: float


@dataclass(frozen=True)
class ChartSeries:
    name: str
    colour: str
    points: tuple[ChartPoint, ...]
    #: "circle" or "square": told apart without colour too
    marker: str = "circle"
    #: join the points with a line
    line: bool = True


class TrendChart(QWidget):
    """Draws one or more series over time on a 0..``y_max`` scale."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.series: list[ChartSeries] = []
        self.y_max = 10.0
        self.y_step = 2.0
        self.threshold: float | None = None
        self.threshold_label = ""
        self.pair_series = False
        self.empty_text = "Nothing recorded yet."
        self.setAccessibleName(title or "Chart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(QSize(320, 200))

    def sizeHint(self) -> QSize:
        return QSize(520, 260)

    def set_chart(
        self,
        series: Sequence[ChartSeries],
        *,
        y_max: float,
        y_step: float = 2.0,
        threshold: float | None = None,
        threshold_label: str = "",
        pair_series: bool = False,
        empty_text: str = "Nothing recorded yet.",
        description: str = "",
    ) -> None:
        """Show these series; ``pair_series`` joins the first two at each date (before and
        after one visit) with a vertical stroke."""
        self.series = list(series)
        self.y_max, self.y_step = y_max, y_step
        self.threshold, self.threshold_label = threshold, threshold_label
        self.pair_series = pair_series
        self.empty_text = empty_text
        self.setAccessibleDescription(description or self._describe())
        self.update()

    @property
    def point_count(self) -> int:
        return sum(len(s.points) for s in self.series)

    def _describe(self) -> str:
        if not self.point_count:
            return self.empty_text
        parts = []
        for s in self.series:
            if s.points:
                last = s.points[-1]
                parts.append(f"{s.name}: {len(s.points)} values, latest {last.value:g}")
        return "; ".join(parts)

    # -- painting ------------------------------------------------------------------------------

    def _plot_area(self) -> QRectF:
        metrics = self.fontMetrics()
        left = metrics.horizontalAdvance("10") + 16
        top = metrics.height() * 2 + 8
        bottom = metrics.height() + 12
        return QRectF(self.rect()).adjusted(left, top, -16, -bottom)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        metrics = self.fontMetrics()
        title_font = painter.font()
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(text)
        painter.drawText(QRectF(8, 4, self.width() - 16, metrics.height() + 4),
                         Qt.AlignmentFlag.AlignLeft, self.title)  # fmt: skip
        title_font.setBold(False)
        painter.setFont(title_font)
        self._paint_legend(painter, text)
        area = self._plot_area()
        self._paint_axes(painter, area, text)
        points = [p for s in self.series for p in s.points]
        if not points:
            painter.setPen(text)
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, self.empty_text)
            painter.end()
            return
        first = min(p.when for p in points)
        last = max(p.when for p in points)
        span = max((last - first).total_seconds(), 1.0)

        def x_of(when: datetime) -> float:
            if first == last:
                return area.center().x()
            return area.left() + 12 + (area.width() - 24) * (when - first).total_seconds() / span

        def y_of(value: float) -> float:
            return area.bottom() - area.height() * min(value, self.y_max) / self.y_max

        self._paint_dates(painter, area, text, first, last, x_of)
        if self.threshold is not None:
            pen = QPen(THRESHOLD, 1.5, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            y = y_of(self.threshold)
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            painter.setPen(THRESHOLD)
            painter.drawText(QRectF(area.left() + 4, y - metrics.height() - 2, area.width() - 8,
                                    metrics.height()),
                             Qt.AlignmentFlag.AlignRight, self.threshold_label)  # fmt: skip
        # paired series sit a little apart, so equal values (no change) show both markers
        nudge = {0: -4.0, 1: 4.0} if self.pair_series and len(self.series) >= 2 else {}
        if nudge:
            after = {p.when: p.value for p in self.series[1].points}
            painter.setPen(QPen(GRID.darker(130), 2))
            for p in self.series[0].points:
                if p.when in after:
                    x = x_of(p.when)
                    painter.drawLine(
                        QPointF(x + nudge[0], y_of(p.value)),
                        QPointF(x + nudge[1], y_of(after[p.when])),
                    )
        for index, s in enumerate(self.series):
            shift = nudge.get(index, 0.0)
            colour = QColor(s.colour)
            if s.line and len(s.points) > 1:
                start = s.points[0]
                path = QPainterPath(QPointF(x_of(start.when) + shift, y_of(start.value)))
                for p in s.points[1:]:
                    path.lineTo(QPointF(x_of(p.when) + shift, y_of(p.value)))
                painter.setPen(QPen(colour, 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPath(path)
            painter.setPen(QPen(colour.darker(140), 1))
            painter.setBrush(colour)
            for p in s.points:
                centre = QPointF(x_of(p.when) + shift, y_of(p.value))
                self._marker(painter, s.marker, centre)
        painter.end()

    @staticmethod
    def _marker(painter: QPainter, kind: str, centre: QPointF) -> None:
        if kind == "square":
            painter.drawRect(QRectF(centre.x() - 4.5, centre.y() - 4.5, 9, 9))
        else:
            painter.drawEllipse(centre, 5, 5)

    def _paint_axes(self, painter: QPainter, area: QRectF, text: QColor) -> None:
        metrics = self.fontMetrics()
        value = 0.0
        while value <= self.y_max + 1e-9:
            y = area.bottom() - area.height() * value / self.y_max
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            painter.setPen(text)
            painter.drawText(QRectF(0, y - metrics.height() / 2, area.left() - 6, metrics.height()),
                             Qt.AlignmentFlag.AlignRight, f"{value:g}")  # fmt: skip
            value += self.y_step
        painter.setPen(QPen(text, 1))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        painter.drawLine(area.bottomLeft(), area.topLeft())

    def _paint_dates(
        self,
        painter: QPainter,
        area: QRectF,
        text: QColor,
        first: datetime,
        last: datetime,
        x_of: Callable[[datetime], float],
    ) -> None:
        metrics = self.fontMetrics()
        painter.setPen(text)
        labels = [first] if first == last else [first, first + (last - first) / 2, last]
        for when in labels:
            words = when.astimezone().strftime("%d %b %Y").lstrip("0")
            width = metrics.horizontalAdvance(words)
            x = min(max(x_of(when) - width / 2, area.left()), area.right() - width)
            painter.drawText(QPointF(x, area.bottom() + metrics.height() + 4), words)

    def _paint_legend(self, painter: QPainter, text: QColor) -> None:
        metrics = self.fontMetrics()
        x = float(self.width() - 8)
        y = 6 + metrics.height() + 2
        for s in reversed(self.series):
            words = s.name
            width = metrics.horizontalAdvance(words)
            x -= width
            painter.setPen(text)
            painter.drawText(QPointF(x, y + metrics.ascent()), words)
            x -= 16
            painter.setPen(QPen(QColor(s.colour).darker(140), 1))
            painter.setBrush(QColor(s.colour))
            self._marker(painter, s.marker, QPointF(x + 6, y + metrics.height() / 2))
            x -= 16
