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


_DISPLAY = Qt.ItemDataRole.DisplayRole
_ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
#: the roles this model answers; a view asks each cell for a dozen more (font, alignment,
#: icon...) while measuring and painting, and those are answered before any other work
_ANSWERED = frozenset({_DISPLAY, _ACCESSIBLE, _TOOLTIP, _FOREGROUND, PATIENT_ROLE})


class PatientListModel(RowsTableModel):
    """Rows of :class:`PatientSummary`; archived patients are shown in a fainter colour.

    A search replaces every row at each pause in typing, and the view then asks for each
    cell's data many times over (to fit the columns, then to paint), so the texts of a row
    are written once when the rows arrive and handed out from there.
    """

    NAME, OTHER_SCRIPT, DATE_OF_BIRTH, PHONE, CHART = range(5)
    HEADERS = ("Name", "Other script", "Date of birth", "Phone", "Chart no.")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PatientSummary] = []
        self._texts: list[tuple[str, ...]] = []

    # -- feeding -------------------------------------------------------------------------

    def set_patients(self, patients: Sequence[PatientSummary]) -> None:
        """Replace every row (a new search result)."""
        rows = list(patients)
        texts = [self._row_texts(patient) for patient in rows]
        self.beginResetModel()
        self._rows = rows
        self._texts = texts
        self.endResetModel()

    def patient_at(self, row: int) -> PatientSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, patient_id: int) -> int:
        """The row showing that patient, or -1."""
        return next((i for i, p in enumerate(self._rows) if p.id == patient_id), -1)

    @property
    def patients(self) -> list[PatientSummary]:
        return list(self._rows)

    # -- Qt model ------------------------------------------------------------------------

    def data(self, index: _Index, role: int = _DISPLAY) -> object:
        if role not in _ANSWERED:
            return None
        row = index.row()  # -1 for an invalid index
        if not 0 <= row < len(self._rows):
            return None
        if role in (_DISPLAY, _ACCESSIBLE):
            column = index.column()
            texts = self._texts[row]
            return texts[column] if 0 <= column < len(texts) else None
        patient = self._rows[row]
        if role == _TOOLTIP:
            tip = f"{patient.display_name}, chart {patient.chart_number}"
            return f"{tip} (archived)" if patient.archived else tip
        if role == _FOREGROUND:
            if not patient.archived:
                return None
            app = QApplication.instance()
            if isinstance(app, QApplication):
                return app.palette().color(QPalette.ColorRole.PlaceholderText)
            return None
        return patient  # PATIENT_ROLE

    @classmethod
    def _row_texts(cls, patient: PatientSummary) -> tuple[str, ...]:
        name = patient.display_name
        if patient.other_script_name and name.endswith(patient.other_script_name):
            # the other-script name has its own column
            name = name[: -len(patient.other_script_name)].rstrip()
        return (
            f"{name} (archived)" if patient.archived else name,
            patient.other_script_name,
            format_date(patient.date_of_birth),
            patient.phone,
            patient.chart_number,
        )
