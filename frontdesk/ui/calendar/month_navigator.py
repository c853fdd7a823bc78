"""The month navigator: a small calendar that marks busy days with a dot."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QCalendarWidget, QWidget

#: at this many appointments a day counts as full and its dot is darkest
FULL_DAY = 40


class MonthNavigator(QCalendarWidget):
    """Pick a date; a dot under a day shows it has appointments (darker when fuller)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.busy: dict[date, int] = {}
        self.setGridVisible(False)
        self.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.SingleLetterDayNames)
        self.setAccessibleName("Month")
        self.setToolTip("Pick a day to show; a dot marks a day with appointments")

    def set_busy(self, counts: dict[date, int]) -> None:
        """Appointment counts per day of the month shown."""
        self.busy = dict(counts)
        self.updateCells()

    def paintCell(self, painter: QPainter, rect: QRect, qdate: QDate) -> None:
        super().paintCell(painter, rect, qdate)
        day = date(qdate.year(), qdate.month(), qdate.day())
        count = self.busy.get(day, 0)
        if count <= 0:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        strength = min(1.0, count / FULL_DAY)
        colour = QColor("#1A73E8")
        colour.setAlphaF(0.35 + 0.65 * strength)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        # top-right corner: clear of the day number even in a small navigator
        radius = max(2.5, min(rect.width(), rect.height()) / 10)
        painter.drawEllipse(
            QPointF(rect.right() - radius - 3, rect.top() + radius + 3), radius, radius
        )
        painter.restore()
