"""The patient list: search results as a table model (name, other script, birth date, phone,
chart number), fed by ``PatientService.search``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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

    A search reads one screenful first. When more patients may match, the view's
    ``canFetchMore``/``fetchMore`` (called by Qt as the last row comes into view) ask
    ``fetch_next`` to read the next rows, which arrive through :meth:`append_patients`.
    """

    NAME, OTHER_SCRIPT, DATE_OF_BIRTH, PHONE, CHART = range(5)
    HEADERS = ("Name", "Other script", "Date of birth", "Phone", "Chart no.")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PatientSummary] = []
        self._texts: list[tuple[str, ...]] = []
        self._ids: set[int] = set()
        self._more = False
        #: reads the next rows of the search shown (set by whoever feeds the model)
        self.fetch_next: Callable[[], None] | None = None

    # -- feeding -------------------------------------------------------------------------

    def set_patients(self, patients: Sequence[PatientSummary], *, more: bool = False) -> None:
        """Replace every row (a new search result); ``more``: more patients may match."""
        rows = list(patients)
        texts = [self._row_texts(patient) for patient in rows]
        self.beginResetModel()
        self._rows = rows
        self._texts = texts
        self._ids = {patient.id for patient in rows}
        self._more = more
        self.endResetModel()

    def append_patients(self, patients: Sequence[PatientSummary], *, more: bool = False) -> int:
        """Add the next rows of the same search below the ones shown, skipping patients
        already shown; ``more``: still more may match. Returns how many rows were added."""
        rows: list[PatientSummary] = []
        for patient in patients:
            if patient.id not in self._ids:
                self._ids.add(patient.id)
                rows.append(patient)
        # a read that brought nothing new (records changed meanwhile) ends the fetching
        self._more = more and bool(rows)
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self._texts.extend(self._row_texts(patient) for patient in rows)
            self.endInsertRows()
        return len(rows)

    @property
    def more_may_match(self) -> bool:
        """Whether the search shown may find more patients than the rows shown."""
        return self._more

    def patient_at(self, row: int) -> PatientSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, patient_id: int) -> int:
        """The row showing that patient, or -1."""
        return next((i for i, p in enumerate(self._rows) if p.id == patient_id), -1)

    @property
    def patients(self) -> list[PatientSummary]:
        return list(self._rows)

    # -- Qt model ------------------------------------------------------------------------

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and self._more and self.fetch_next is not None

    def fetchMore(self, parent: _Index) -> None:
        if not self.canFetchMore(parent) or self.fetch_next is None:
            return
        # Until the read answers (append_patients says again whether more may match),
        # nothing more is asked for: a read that fails is not retried at every scroll.
        self._more = False
        self.fetch_next()

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
