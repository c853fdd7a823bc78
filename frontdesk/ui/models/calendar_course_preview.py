"""The sessions of a course before it is booked: where each one goes, or why it cannot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from frontdesk.ui.models.base import RowsTableModel

_Index = QModelIndex | QPersistentModelIndex

UNPLACED_COLOUR = QColor("#B3261E")


@dataclass(frozen=True)
class PreviewRow:
    """One session: placed (``starts_at`` set) or not (``reason`` set)."""

    index: int
    day: date
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    room: str = ""
    reason: str = ""

    @property
    def placed(self) -> bool:
        return self.starts_at is not None


def rows_from_preview(preview: Any, tz: ZoneInfo) -> list[PreviewRow]:
    """Placed and unplaced sessions of a ``CoursePreview`` in session order."""
    rows = [
        PreviewRow(
            index=s.index,
            day=s.starts_at.astimezone(tz).date(),
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            room=s.room_name,
        )
        for s in preview.placed
    ]
    rows += [PreviewRow(index=u.index, day=u.wanted_day, reason=u.reason) for u in preview.unplaced]
    return sorted(rows, key=lambda r: r.index)


class CoursePreviewModel(RowsTableModel):
    """Session number, day, time, room; unplaced sessions in red with their reason."""

    NUMBER, DAY, TIME, ROOM = range(4)
    HEADERS = ("Session", "Day", "Time", "Room or reason")

    def __init__(self, tz: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self._rows: list[PreviewRow] = []

    def set_rows(self, rows: list[PreviewRow]) -> None:
        self._reset_rows(rows)

    def clear(self) -> None:
        self.set_rows([])

    @property
    def rows(self) -> list[PreviewRow]:
        return list(self._rows)

    def placed_count(self) -> int:
        return sum(1 for r in self._rows if r.placed)

    def unplaced(self) -> list[PreviewRow]:
        return [r for r in self._rows if not r.placed]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and not row.placed:
            return UNPLACED_COLOUR
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.placed:
                return (
                    f"Session {row.index}: {self._text(row, self.DAY)} {self._text(row, self.TIME)}"
                )
            return f"Session {row.index} has no place: {row.reason}"
        return None

    def _text(self, row: PreviewRow, column: int) -> str:
        if column == self.NUMBER:
            return str(row.index)
        if column == self.DAY:
            return f"{row.day:%a} {row.day.day} {row.day:%b %Y}"
        if column == self.TIME:
            if row.starts_at is None or row.ends_at is None:
                return "Not placed"
            start = row.starts_at.astimezone(self.tz)
            end = row.ends_at.astimezone(self.tz)
            return f"{start:%H:%M}–{end:%H:%M}"
        if column == self.ROOM:
            return row.room if row.placed else row.reason
        return ""
