"""Patients to choose from while booking: search results, then a "new patient" row."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from frontdesk.services.records import PatientSummary

_Index = QModelIndex | QPersistentModelIndex

#: the row's PatientSummary (None on the "new patient" row)
PATIENT_ROLE = Qt.ItemDataRole.UserRole + 1
#: True on the "new patient" row
NEW_PATIENT_ROLE = Qt.ItemDataRole.UserRole + 2


def born_text(patient: PatientSummary) -> str:
    dob = patient.date_of_birth
    return f"born {dob.day} {dob:%b %Y}" if dob else "no birth date"


def choice_text(patient: PatientSummary) -> str:
    """One line telling two patients of the same name apart."""
    parts = [patient.display_name, born_text(patient)]
    if patient.phone:
        parts.append(patient.phone)
    if patient.chart_number:
        parts.append(f"chart {patient.chart_number}")
    return " · ".join(parts)


class PatientChoiceModel(QAbstractListModel):
    """One row per matching patient; the last row offers to register a new patient."""

    def __init__(self, parent: QObject | None = None, *, offer_new: bool = True) -> None:
        super().__init__(parent)
        self._patients: list[PatientSummary] = []
        self._typed = ""
        self.offer_new = offer_new

    def set_results(self, typed: str, patients: Sequence[PatientSummary]) -> None:
        self.beginResetModel()
        self._typed = typed.strip()
        self._patients = list(patients)
        self.endResetModel()

    @property
    def patients(self) -> list[PatientSummary]:
        return list(self._patients)

    def patient_at(self, row: int) -> PatientSummary | None:
        return self._patients[row] if 0 <= row < len(self._patients) else None

    def is_new_row(self, row: int) -> bool:
        return self.offer_new and row == len(self._patients)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self._patients) + (1 if self.offer_new else 0)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        row = index.row()
        if self.is_new_row(row):
            if role == Qt.ItemDataRole.DisplayRole:
                return f"New patient: {self._typed}…" if self._typed else "New patient…"
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Register a new patient with name, phone and date of birth"
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setItalic(True)
                return font
            if role == NEW_PATIENT_ROLE:
                return True
            return None
        patient = self._patients[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return choice_text(patient)
        if role == Qt.ItemDataRole.ToolTipRole:
            return choice_text(patient) + (" (archived)" if patient.archived else "")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return choice_text(patient)
        if role == PATIENT_ROLE:
            return patient
        if role == NEW_PATIENT_ROLE:
            return False
        return None
