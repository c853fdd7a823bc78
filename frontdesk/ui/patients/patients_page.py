"""The Patients page: a search box that is always one key away (Ctrl+F), results as you
type, and the open patient with their intake, visits and history.

Typing shows the results; Enter or a double-click opens the highlighted patient; Escape
goes back to the open patient. Ctrl+N registers a new patient.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.services.hub import Services
from frontdesk.services.records import PatientSummary
from frontdesk.ui.dialogs.patient_dialog import PatientDialog
from frontdesk.ui.patients.patient_view import PatientView
from frontdesk.ui.patients.search_controller import PatientSearchController


class PatientsPage(QWidget):
    """``patient_opened`` fires with the id of every patient opened here."""

    patient_opened = Signal(int)
    #: something about a patient was saved (intake, visit, details)
    patient_changed = Signal(int)

    RESULTS, PATIENT = range(2)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._build()
        self._wire()
        self.search.search_now()

    def _build(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("patient_search")
        self.search_edit.setAccessibleName("Find a patient")
        self.search_edit.setPlaceholderText(
            "Find a patient: name, 王小明 or pinyin, phone, date of birth, chart number"
        )
        self.search_edit.setToolTip(
            "Type any part of a name, phone digits, a date of birth or a chart number "
            "(Ctrl+F); Enter opens the highlighted patient, Escape returns to the open one"
        )
        self.search_edit.setClearButtonEnabled(True)
        self.archived_box = QCheckBox("Show archived")
        self.archived_box.setToolTip("Include archived and merged records in the results")
        self.new_button = QPushButton("New patient")
        self.new_button.setObjectName("new_patient")
        self.new_button.setToolTip("Register a new patient (Ctrl+N)")
        self.back_button = QPushButton("Back to patient")
        self.back_button.setToolTip("Return to the open patient (Escape)")
        self.back_button.hide()
        find_label = QLabel("&Find:")
        find_label.setBuddy(self.search_edit)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(find_label)
        bar.addWidget(self.search_edit, 1)
        bar.addWidget(self.archived_box)
        bar.addWidget(self.back_button)
        bar.addWidget(self.new_button)

        self.results_view = QTableView()
        self.results_view.setObjectName("patient_results")
        self.results_view.setAccessibleName("Patients found")
        self.results_view.setToolTip("Double-click or press Enter to open a patient")
        self.search = PatientSearchController(
            self.services, self.search_edit, self.results_view, self
        )
        self.result_count = QLabel()
        self.result_count.setObjectName("patient_result_count")
        results = QWidget()
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(self.result_count)
        results_layout.addWidget(self.results_view, 1)

        self.patient_view = PatientView(self.services)
        self.stack = QStackedWidget()
        self.stack.addWidget(results)
        self.stack.addWidget(self.patient_view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

        self.find_shortcut = QShortcut(QKeySequence.StandardKey.Find, self)
        self.find_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.find_shortcut.setWhatsThis("Find a patient by name, phone or date of birth")
        self.new_shortcut = QShortcut(QKeySequence.StandardKey.New, self)
        self.new_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_shortcut.setWhatsThis("Add a new patient")

    def _wire(self) -> None:
        self.search.chosen.connect(lambda patient: self.open_patient(patient.id))
        self.search.searched.connect(self._searched)
        self.search.rows_added.connect(self._searched)
        self.search_edit.textEdited.connect(lambda _text: self.show_results())
        self.search_edit.installEventFilter(self)
        self.archived_box.toggled.connect(self._archived_toggled)
        self.new_button.clicked.connect(self.new_patient)
        self.back_button.clicked.connect(self.show_patient)
        self.find_shortcut.activated.connect(self.focus_search)
        self.new_shortcut.activated.connect(self.new_patient)
        self.patient_view.changed.connect(self._patient_changed)

    # -- moving between the list and the patient -----------------------------------------------

    def focus_search(self) -> None:
        """Put the cursor in the search box, its text selected for typing over."""
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def show_results(self) -> None:
        self.stack.setCurrentIndex(self.RESULTS)
        self.back_button.setVisible(self.patient_view.patient_id is not None)

    def show_patient(self) -> None:
        if self.patient_view.patient_id is not None:
            self.stack.setCurrentIndex(self.PATIENT)
            self.back_button.hide()

    def open_patient(self, patient_id: int) -> bool:
        """Open a patient (the intake asks first when it has unsaved changes)."""
        if not self.patient_view.open_patient(patient_id):
            return False
        self.show_patient()
        self.patient_opened.emit(patient_id)
        return True

    def _searched(self, text: str) -> None:
        count = self.search.model.rowCount()
        if not text.strip():
            self.result_count.setText("Most recently registered patients:")
        elif count == 0:
            self.result_count.setText(f'No patient matches "{text}". Ctrl+N registers a new one.')
        else:
            patients = f"{count} patient{'s' if count != 1 else ''}"
            if self.search.more_may_match:
                self.result_count.setText(
                    f"{patients} shown and more match: scroll down for the rest, or keep "
                    "typing to narrow the search."
                )
            else:
                self.result_count.setText(f"{patients} found:")

    def _archived_toggled(self, on: bool) -> None:
        self.search.include_archived = on
        self.search.search_now()
        self.show_results()

    def _patient_changed(self, patient_id: int) -> None:
        self.search.search_now()
        self.patient_changed.emit(patient_id)

    # -- creating --------------------------------------------------------------------------------

    def new_patient(self) -> None:
        result = PatientDialog.ask(self.services, None, self)
        if result is None:
            return
        self.search.search_now()
        self.open_patient(result.patient_id)

    # -- the main window ---------------------------------------------------------------------

    def install_in_window(self, window: QWidget) -> None:
        """Ask about an unsaved intake before the window closes."""
        self._window = window
        window.installEventFilter(self)

    # -- events ----------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.focus_search()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is getattr(self, "_window", None)
            and event.type() == QEvent.Type.Close
            and not self.patient_view.intake.maybe_leave()
        ):
            event.ignore()
            return True
        if (
            watched is self.search_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.patient_view.patient_id is not None
        ):
            self.show_patient()
            return True
        return super().eventFilter(watched, event)

    def current_patient(self) -> PatientSummary | None:
        return self.search.current()
