"""Search as you type over a line edit and a table view: a short pause after the last key
(so fast typists do not query on every letter), then ``PatientService.search``; Enter or a
double-click chooses the highlighted patient, Up and Down move without leaving the box.

Each search reads one screenful first (``SEARCH_FIRST_PAGE`` rows), so a keystroke on a
large clinic reads few rows; the next rows are read as the list scrolls to its end."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView

from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.hub import Services
from frontdesk.services.patients import SEARCH_FIRST_PAGE, SEARCH_LIMIT
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
    #: the next rows of the search shown were read and added below (the list scrolled to
    #: its end); the text searched for
    rows_added = Signal(str)

    def __init__(
        self,
        services: Services,
        edit: QLineEdit,
        view: QTableView,
        parent: QObject | None = None,
        *,
        limit: int | None = None,
        first_page: int = SEARCH_FIRST_PAGE,
        exclude_id: int | None = None,
    ) -> None:
        """``limit``: at most this many rows in all (None: as many as the list scrolls
        to); ``first_page``: the rows each search reads first."""
        super().__init__(parent)
        self.services = services
        self.edit = edit
        self.view = view
        self.limit = limit
        self.first_page = first_page
        self.exclude_id = exclude_id
        self.include_archived = False
        # what the rows shown were searched with, for reading the next rows of that search
        self.shown_text = ""
        self._shown_archived = False
        self.model = PatientListModel(self)
        self.model.fetch_next = self.fetch_next
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
        include_archived = self.include_archived
        try:
            found, more = self._read(text, include_archived, self._capped(self._first_rows()))
        except FrontdeskError as error:
            show_error(self.view, error)
            return
        self.shown_text = text
        self._shown_archived = include_archived
        self.model.set_patients(found, more=more)
        if found:
            self.view.selectRow(0)
        self.searched.emit(text)

    def _first_rows(self) -> int:
        """The rows a search reads first: ``first_page``, or as many as the list shows
        when it is taller (a large monitor), so that one read fills it."""
        if not self.view.isVisible():  # not laid out yet: its height means nothing
            return self.first_page
        row_height = max(1, self.view.verticalHeader().defaultSectionSize())
        # one row past the one cut off at the bottom: the view asks for more only when the
        # last row read comes into sight
        return max(self.first_page, self.view.viewport().height() // row_height + 2)

    def fetch_next(self) -> None:
        """Read the next rows of the search shown and add them below (the model's
        ``fetchMore`` calls this when the view reaches the last row)."""
        # The same search again, longer: the results come in a fixed order, so the rows
        # shown come back first and only the ones after them are added.
        wanted = self._capped(self.model.rowCount() + SEARCH_LIMIT)
        try:
            found, more = self._read(self.shown_text, self._shown_archived, wanted)
        except FrontdeskError as error:
            show_error(self.view, error)
            return
        self.model.append_patients(found, more=more)
        self.rows_added.emit(self.shown_text)

    @property
    def more_may_match(self) -> bool:
        """Whether the search shown may find more patients than the rows shown."""
        return self.model.more_may_match

    def _capped(self, rows: int) -> int:
        return rows if self.limit is None else min(rows, self.limit)

    def _read(
        self, text: str, include_archived: bool, wanted: int
    ) -> tuple[list[PatientSummary], bool]:
        """Up to ``wanted`` patients (without the excluded one), and whether more may match:
        a read that fills all it asked for may have stopped short of further matches."""
        found = self.services.patients.search(text, limit=wanted, include_archived=include_archived)
        more = len(found) == wanted and (self.limit is None or wanted < self.limit)
        if self.exclude_id is not None:
            found = [p for p in found if p.id != self.exclude_id]
        return found, more

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
        if row >= count and self.model.canFetchMore(QModelIndex()):
            # Down on the last row: read the next rows first
            self.model.fetchMore(QModelIndex())
            count = self.model.rowCount()
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
