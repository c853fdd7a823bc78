"""Search as you type over a line edit and a table view: a short pause after the last key
(so fast typists do not query on every letter), then ``PatientService.search``; Enter or a
double-click chooses the highlighted patient, Up and Down move without leaving the box."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView

from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.hub import Services
from frontdesk.services.records import PatientSummary
from frontdesk.ui.errors import show_error
from frontdesk.ui.models.patients import PatientListModel

#: the pause after the last key before searching, in milliseconds
DEBOUNCE_MS = 120


class PatientSearchController(QObject):
    """Wires ``edit`` and ``view`` to a :class:`PatientListModel` fed by the search."""

    #: a patient was chosen (Enter or double-click)
    chosen = Signal(object)
    #: a search finished; the text searched for
    searched = Signal(str)

    def __init__(
        self,
        services: Services,
        edit: QLineEdit,
        view: QTableView,
        parent: QObject | None = None,
        *,
        limit: int = 50,
        exclude_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.edit = edit
        self.view = view
        self.limit = limit
        self.exclude_id = exclude_id
        self.include_archived = False
        self.model = PatientListModel(self)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self._setup_view()
        self.timer.timeout.connect(self.search_now)
        self.edit.textChanged.connect(lambda _text: self.timer.start())
        self.edit.installEventFilter(self)
        self.view.doubleClicked.connect(lambda index: self._choose_row(index.row()))
        self.view.installEventFilter(self)

    def _setup_view(self) -> None:
        view = self.view
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.verticalHeader().hide()
        view.setTabKeyNavigation(False)
        header = view.horizontalHeader()
        header.setSectionResizeMode(PatientListModel.NAME, QHeaderView.ResizeMode.Stretch)
        for column in (
            PatientListModel.OTHER_SCRIPT,
            PatientListModel.DATE_OF_BIRTH,
            PatientListModel.PHONE,
            PatientListModel.CHART,
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    # -- searching -----------------------------------------------------------------------------

    def search_now(self) -> None:
        """Run the search for the text in the box (the timer calls this)."""
        self.timer.stop()
        text = self.edit.text()
        try:
            found = self.services.patients.search(
                text, limit=self.limit, include_archived=self.include_archived
            )
        except FrontdeskError as error:
            show_error(self.view, error)
            return
        if self.exclude_id is not None:
            found = [p for p in found if p.id != self.exclude_id]
        self.model.set_patients(found)
        if found:
            self.view.selectRow(0)
        self.searched.emit(text)

    def current(self) -> PatientSummary | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.patient_at(rows[0].row()) if rows else None

    def choose_current(self) -> None:
        if self.timer.isActive():
            # Enter pressed before the pause ran out: search first, then choose
            self.search_now()
        patient = self.current()
        if patient is not None:
            self.chosen.emit(patient)

    def _choose_row(self, row: int) -> None:
        patient = self.model.patient_at(row)
        if patient is not None:
            self.chosen.emit(patient)

    def _move(self, step: int) -> None:
        count = self.model.rowCount()
        if not count:
            return
        rows = self.view.selectionModel().selectedRows()
        row = rows[0].row() + step if rows else 0
        row = max(0, min(count - 1, row))
        self.view.selectRow(row)
        self.view.scrollTo(self.model.index(row, 0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.edit and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._move(1 if key == Qt.Key.Key_Down else -1)
                return True
            # Enter is taken here, so a dialog's default button does not fire as well
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and watched in (self.edit, self.view):
                self.choose_current()
                return True
        return super().eventFilter(watched, event)
