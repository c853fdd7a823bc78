"""The health-history timeline: date, kind (with a coloured marker), title and detail."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPixmap

from frontdesk.services.history import TimelineEvent, TimelineKind
from frontdesk.ui.models.base import RowsTableModel

_Index = QModelIndex | QPersistentModelIndex

EVENT_ROLE = Qt.ItemDataRole.UserRole + 1

#: marker colour and letter per kind; the letter keeps kinds apart without colour
KIND_STYLE: dict[TimelineKind, tuple[str, str]] = {
    TimelineKind.INTAKE: ("#2a6f97", "I"),
    TimelineKind.VISIT: ("#2d6a4f", "V"),
    TimelineKind.BOOKING: ("#6c757d", "A"),
    TimelineKind.CANCELLATION: ("#9d4edd", "C"),
    TimelineKind.NO_SHOW: ("#b5651d", "N"),
    TimelineKind.MERGE: ("#495057", "M"),
    TimelineKind.OVERRIDE: ("#a4161a", "!"),
}


def kind_icon(kind: TimelineKind) -> QIcon:
    """A round marker with the kind's letter (white on a dark fill: readable at any size)."""
    if QGuiApplication.instance() is None:
        return QIcon()  # pixmaps need the application object; without it, no marker
    return _drawn_icon(kind)


@cache
def _drawn_icon(kind: TimelineKind) -> QIcon:
    colour, letter = KIND_STYLE[kind]
    pixmap = QPixmap(32, 32)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(1, 1, 30, 30)
    font = painter.font()
    font.setBold(True)
    font.setPixelSize(18)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, letter)
    painter.end()
    return QIcon(pixmap)


class TimelineModel(RowsTableModel):
    """Events newest first, as the history service gives them."""

    DATE, KIND, TITLE, DETAIL = range(4)
    HEADERS = ("Date", "Kind", "What", "Details")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[TimelineEvent] = []

    def set_events(self, events: Sequence[TimelineEvent]) -> None:
        self._reset_rows(events)

    def event_at(self, row: int) -> TimelineEvent | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    @property
    def events(self) -> list[TimelineEvent]:
        return list(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        event = self._rows[index.row()]
        column = index.column()
        if role == EVENT_ROLE:
            return event
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == self.DATE:
                return event.when.astimezone().strftime("%d %b %Y %H:%M").lstrip("0")
            if column == self.KIND:
                return event.kind.label
            if column == self.TITLE:
                return event.title
            return event.detail
        if role == Qt.ItemDataRole.DecorationRole and column == self.KIND:
            return kind_icon(event.kind)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{event.title}\n{event.detail}" if event.detail else event.title
        return None
