"""The audit trail as a table: when, who, what, which record, and the changes."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from frontdesk.services.audit_trail import AuditRecord
from frontdesk.ui.models.base import HeaderedTableModel

_Index = QModelIndex | QPersistentModelIndex


class AuditModel(HeaderedTableModel):
    WHEN, USER, ACTION, RECORD, PATIENT, CHANGES = range(6)
    HEADERS = ("When", "User", "Action", "Record", "Patient", "Changes")

    def __init__(self, tz: ZoneInfo, parent: Any = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self.rows: list[AuditRecord] = []

    def set_rows(self, rows: list[AuditRecord]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            changes = json.dumps(entry.changes, ensure_ascii=False) if entry.changes else ""
            if role == Qt.ItemDataRole.ToolTipRole:
                return changes or None
            record = entry.entity + (f" {entry.entity_id}" if entry.entity_id is not None else "")
            return (
                entry.at.astimezone(self.tz).strftime("%Y-%m-%d %H:%M:%S"),
                entry.username,
                entry.action.replace("_", " "),
                record,
                "" if entry.patient_id is None else str(entry.patient_id),
                changes[:200],
            )[index.column()]
        return None
