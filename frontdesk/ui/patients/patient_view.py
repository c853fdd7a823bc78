"""One open patient: the header with the safety banner, and tabs for Details, Intake,
Visits and History."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox, QTabWidget, QVBoxLayout, QWidget

from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.hub import Services
from frontdesk.services.records import PatientRecord
from frontdesk.ui.dialogs.merge_dialog import MergeDialog
from frontdesk.ui.dialogs.patient_dialog import PatientDialog
from frontdesk.ui.errors import show_error
from frontdesk.ui.history.history_view import HistoryView
from frontdesk.ui.intake.intake_panel import IntakePanel
from frontdesk.ui.patients.patient_details import PatientDetails
from frontdesk.ui.patients.patient_header import PatientHeader
from frontdesk.ui.patients.visits_tab import VisitsTab


class PatientView(QWidget):
    """Shows and edits one patient; ``changed`` fires when anything about them was saved."""

    changed = Signal(int)
    #: the user chose to open another record (after a merge or "open existing")
    open_requested = Signal(int)

    DETAILS, INTAKE, VISITS, HISTORY = range(4)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.record: PatientRecord | None = None
        self._history_stale = True
        self._build()
        self._wire()

    def _build(self) -> None:
        self.header = PatientHeader()
        self.details = PatientDetails()
        self.intake = IntakePanel(self.services)
        self.visits = VisitsTab(self.services)
        self.history = HistoryView(self.services)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("patient_tabs")
        self.tabs.addTab(self.details, "&Details")
        self.tabs.addTab(self.intake, "&Intake")
        self.tabs.addTab(self.visits, "&Visits")
        self.tabs.addTab(self.history, "Histor&y")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        self.edit_shortcut = QShortcut(QKeySequence("Ctrl+E"), self)
        self.edit_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.edit_shortcut.setWhatsThis("Edit the patient's details")

    def _wire(self) -> None:
        self.header.edit_requested.connect(self.edit_details)
        self.header.archive_requested.connect(self.toggle_archived)
        self.header.merge_requested.connect(self.merge_duplicate)
        self._build_print_menu()
        self.edit_shortcut.activated.connect(self.edit_details)
        self.intake.saved.connect(lambda _version: self._after_change())
        self.visits.visit_saved.connect(lambda _visit: self._after_change())
        self.tabs.currentChanged.connect(self._tab_shown)

    # -- loading -------------------------------------------------------------------------------

    @property
    def patient_id(self) -> int | None:
        return self.record.id if self.record else None

    def open_patient(self, patient_id: int) -> bool:
        """Show a patient; False when the user kept the current one (unsaved intake)."""
        leaving = self.record is not None and patient_id != self.record.id
        if leaving and not self.intake.maybe_leave():
            return False
        try:
            self.record = self.services.patients.get(patient_id)
        except FrontdeskError as error:
            show_error(self, error)
            return False
        self._refresh_header()
        self.details.set_patient(self.record)
        self.intake.open_patient(patient_id)
        self.visits.open_patient(patient_id)
        self._history_stale = True
        self._tab_shown(self.tabs.currentIndex())
        return True

    def _refresh_header(self) -> None:
        if self.record is None:
            self.header.set_patient(None, None, self.services.clock().date())
            return
        flags = self.services.intakes.flags(self.record.id)
        today = (
            self.services.clock().astimezone(self.services.appointments.clinic_timezone()).date()
        )
        self.header.set_patient(self.record, flags, today)

    def _after_change(self) -> None:
        if self.record is None:
            return
        self.record = self.services.patients.get(self.record.id)
        self._refresh_header()
        self.details.set_patient(self.record)
        self._history_stale = True
        if self.tabs.currentIndex() == self.HISTORY:
            self._tab_shown(self.HISTORY)
        self.changed.emit(self.record.id)

    def _tab_shown(self, index: int) -> None:
        if index == self.HISTORY and self._history_stale and self.record is not None:
            self._history_stale = False
            self.history.show_patient(self.record.id)

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)

    # -- actions -------------------------------------------------------------------------------

    def edit_details(self) -> None:
        if self.record is None:
            return
        result = PatientDialog.ask(self.services, self.record, self)
        if result is not None and result.patient is not None:
            self._after_change()

    def toggle_archived(self) -> None:
        if self.record is None:
            return
        archive = not self.record.archived
        if archive:
            answer = QMessageBox.question(
                self,
                "Archive the patient?",
                f"Archive {self.record.display_name}? They disappear from searches (tick "
                '"Show archived" to find them). Nothing is deleted and you can restore them.',
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            self.services.patients.set_archived(self.record.id, archive)
        except FrontdeskError as error:
            show_error(self, error)
            return
        self._after_change()

    def merge_duplicate(self) -> None:
        if self.record is None:
            return
        kept = MergeDialog.ask(self.services, self.record, self)
        if kept is not None:
            self.open_patient(kept.id)
            self.changed.emit(kept.id)

    def _build_print_menu(self) -> None:
        from PySide6.QtWidgets import QMenu

        from frontdesk.domain.permissions import Permission
        from frontdesk.ui.printing import actions

        menu = QMenu(self)
        entries = [
            (
                "Intake form to fill in (PDF with fields)",
                Permission.PRINT_FORMS,
                lambda pid, name: actions.print_fillable_intake(self, self.services, pid, name),
            ),
            (
                "Intake summary",
                Permission.VIEW_CLINICAL,
                lambda pid, name: actions.print_intake_summary(
                    self, self.services, pid, patient_name=name
                ),
            ),
            (
                "Progress report",
                Permission.VIEW_CLINICAL,
                lambda pid, name: actions.print_progress_report(self, self.services, pid, name),
            ),
        ]
        for text, permission, run in entries:
            action = menu.addAction(text)
            action.setEnabled(self.services.can(permission))
            action.triggered.connect(lambda _c=False, r=run: self._print(r))
        self.header.print_button.setMenu(menu)

    def _print(self, run: Any) -> None:
        if self.record is not None:
            run(self.record.id, self.record.display_name)
