"""The patient list: search results as a table model (name, other script, birth date, phone,
chart number), fed by ``PatientService.search``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from frontdesk.services.records import PatientSummary
from frontdesk.ui.models.base import RowsTableModel

_Index = QModelIndex | QPersistentModelIndex

#: the row's record, for views that open the patient
PATIENT_ROLE = Qt.ItemDataRole.UserRole + 1


def format_date(value: date | None) -> str:
    """A date the way the desk reads it everywhere: ``14 Mar 1956`` (no day/month mix-ups)."""
    return value.strftime("%d %b %Y").lstrip("0") if value else ""


def age_on(born: date | None, today: date) -> int | None:
    """Whole years between a birth date and today."""
    if born is None:
        return None
    years = today.year - born.year
    if (today.month, today.day) < (born.month, born.day):
        years -= 1
    return years


class PatientListModel(RowsTableModel):
    """Rows of :class:`PatientSummary`; archived patients are shown in a fainter colour."""

    NAME, OTHER_SCRIPT, DATE_OF_BIRTH, PHONE, CHART = range(5)
    HEADERS = ("Name", "Other script", "Date of birth", "Phone", "Chart no.")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PatientSummary] = []

    # -- feeding -------------------------------------------------------------------------

    def set_patients(self, patients: Sequence[PatientSummary]) -> None:
        """Replace every row (a new search result)."""
        self._reset_rows(patients)

    def patient_at(self, row: int) -> PatientSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, patient_id: int) -> int:
        """The row showing that patient, or -1."""
        return next((i for i, p in enumerate(self._rows) if p.id == patient_id), -1)

    @property
    def patients(self) -> list[PatientSummary]:
        return list(self._rows)

    # -- Qt model ------------------------------------------------------------------------

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        patient = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            text = self._text(patient, column)
            if role == Qt.ItemDataRole.AccessibleTextRole and column == self.NAME:
                return f"{text} (archived)" if patient.archived else text
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{patient.display_name}, chart {patient.chart_number}"
            return f"{tip} (archived)" if patient.archived else tip
        if role == Qt.ItemDataRole.ForegroundRole and patient.archived:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                return app.palette().color(QPalette.ColorRole.PlaceholderText)
            return None
        if role == PATIENT_ROLE:
            return patient
        return None

    def _text(self, patient: PatientSummary, column: int) -> str:
        if column == self.NAME:
            name = patient.display_name
            if patient.other_script_name and name.endswith(patient.other_script_name):
                # the other-script name has its own column
                name = name[: -len(patient.other_script_name)].rstrip()
            return f"{name} (archived)" if patient.archived else name
        if column == self.OTHER_SCRIPT:
            return patient.other_script_name
        if column == self.DATE_OF_BIRTH:
            return format_date(patient.date_of_birth)
        if column == self.PHONE:
            return patient.phone
        if column == self.CHART:
            return patient.chart_number
        return ""
