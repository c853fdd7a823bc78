"""Wait-list entries that fit a freed slot, best match first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from frontdesk.ui.models.base import RowsTableModel

_Index = QModelIndex | QPersistentModelIndex

#: the row's WaitlistMatch
MATCH_ROLE = Qt.ItemDataRole.UserRole + 1


class WaitlistMatchModel(RowsTableModel):
    """Patient, phone, urgency, the time to offer, and why they rank there."""

    PATIENT, PHONE, URGENCY, OFFER, WHY = range(5)
    HEADERS = ("Patient", "Phone", "Urgency", "Offer", "Why")

    def __init__(self, tz: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self._rows: list[Any] = []

    def set_matches(self, matches: Sequence[Any]) -> None:
        self._reset_rows(matches)

    def match_at(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def remove_match(self, match: Any) -> None:
        if match in self._rows:
            row = self._rows.index(match)
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        match = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(match, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            entry = match.entry
            notes = f"\n{entry.notes}" if entry.notes else ""
            return (
                f"{match.patient_name}: {entry.days_text}, {entry.times_text}; "
                f"{'; '.join(match.reasons)}{notes}"
            )
        if role == MATCH_ROLE:
            return match
        return None

    def _text(self, match: Any, column: int) -> str:
        if column == self.PATIENT:
            return str(match.patient_name)
        if column == self.PHONE:
            return str(match.patient_phone)
        if column == self.URGENCY:
            return str(match.entry.urgency_label)
        if column == self.OFFER:
            start = match.offer.start.astimezone(self.tz)
            end = match.offer.end.astimezone(self.tz)
            return f"{start:%a} {start:%H:%M}–{end:%H:%M}"
        if column == self.WHY:
            return "; ".join(match.reasons)
        return ""
