"""The medicines list of the intake form as an editable table: name, dose, blood thinner."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from frontdesk.domain.intake import Medication
from frontdesk.ui.models.base import RowsTableModel

_Index = QModelIndex | QPersistentModelIndex


class MedicationsModel(RowsTableModel):
    """Rows in the intake's JSON form: ``{"name", "dose", "anticoagulant"}``.

    The blood-thinner column is a tick; a medicine the program knows thins the blood
    (warfarin, apixaban, aspirin ...) says so even when the tick was forgotten, because the
    safety rules count it either way.
    """

    NAME, DOSE, BLOOD_THINNER = range(3)
    HEADERS = ("Medicine", "Dose", "Blood thinner")

    edited = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []
        self.read_only = False

    # -- feeding and reading ---------------------------------------------------------------

    def set_medications(self, rows: Sequence[dict[str, Any]] | None) -> None:
        self.beginResetModel()
        self._rows = [
            {
                "name": str(r.get("name") or ""),
                "dose": str(r.get("dose") or ""),
                "anticoagulant": bool(r.get("anticoagulant")),
            }
            for r in (rows or [])
        ]
        self.endResetModel()

    def medications(self) -> list[dict[str, Any]]:
        """The filled-in rows (rows left completely empty are dropped)."""
        return [
            dict(r)
            for r in self._rows
            if r["name"].strip() or r["dose"].strip() or r["anticoagulant"]
        ]

    def add_row(self) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append({"name": "", "dose": "", "anticoagulant": False})
        self.endInsertRows()
        self.edited.emit()
        return row

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
            self.edited.emit()

    # -- Qt model ---------------------------------------------------------------------------

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.read_only:
            return base
        if index.column() == self.BLOOD_THINNER:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if column == self.BLOOD_THINNER:
            known = Medication(name=row["name"]).is_blood_thinner
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if row["anticoagulant"] else Qt.CheckState.Unchecked
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                if row["anticoagulant"]:
                    return "yes"
                return "known blood thinner" if known else ""
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Tick when the medicine is an anticoagulant or antiplatelet"
            return None
        key = "name" if column == self.NAME else "dose"
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.EditRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return row[key]
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Double-click or press F2 to type" if not self.read_only else None
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self.read_only or not 0 <= index.row() < len(self._rows):
            return False
        row = self._rows[index.row()]
        column = index.column()
        if column == self.BLOOD_THINNER and role == Qt.ItemDataRole.CheckStateRole:
            state = value.value if isinstance(value, Qt.CheckState) else value
            row["anticoagulant"] = state == Qt.CheckState.Checked.value
        elif column in (self.NAME, self.DOSE) and role == Qt.ItemDataRole.EditRole:
            row["name" if column == self.NAME else "dose"] = str(value or "")
        else:
            return False
        # the name decides the "known blood thinner" text of the same row
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), 2))
        self.edited.emit()
        return True
