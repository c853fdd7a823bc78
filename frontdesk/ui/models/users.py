"""The users table for administrators."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from frontdesk.services.users import UserRecord
from frontdesk.ui.models.base import HeaderedTableModel

_Index = QModelIndex | QPersistentModelIndex


class UsersModel(HeaderedTableModel):
    USERNAME, NAME, ROLE, STATE = range(4)
    HEADERS = ("User name", "Name", "Role", "State")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[UserRecord] = []

    def set_rows(self, rows: list[UserRecord]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        user = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                user.username,
                user.display_name,
                user.role.value.capitalize(),
                "Active" if user.active else "Deactivated",
            )[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return user
        if role == Qt.ItemDataRole.ForegroundRole and not user.active:
            from PySide6.QtGui import QColor

            return QColor("#6B6B6B")
        return None
