"""The History page: the health history of the patient last opened on the Patients page,
or of any patient chosen here."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.hub import Services
from frontdesk.ui.errors import show_error
from frontdesk.ui.history.history_view import HistoryView
from frontdesk.ui.patients.choose_patient_dialog import ChoosePatientDialog


class HistoryPage(QWidget):
    """A line naming the patient, a button to choose another, and the history itself."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.patient_id: int | None = None
        self._stale = False
        self.patient_label = QLabel("No patient chosen.")
        self.patient_label.setObjectName("history_patient")
        font = self.patient_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.patient_label.setFont(font)
        self.patient_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton("Choose patient…")
        self.choose_button.setToolTip("Show the history of another patient")
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Load the history again (F5)")
        self.refresh_button.setShortcut("F5")
        self.view = HistoryView(services)
        line = QHBoxLayout()
        line.addWidget(self.patient_label, 1)
        line.addWidget(self.refresh_button)
        line.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addLayout(line)
        layout.addWidget(self.view, 1)
        self.choose_button.clicked.connect(self.choose_patient)
        self.refresh_button.clicked.connect(self.view.refresh)

    def follow_patient(self, patient_id: int | None) -> None:
        """The Patients page opened someone: show them here the next time the page shows."""
        if patient_id == self.patient_id and not self._stale:
            return
        self.patient_id = patient_id
        self._stale = True
        if self.isVisible():
            self._load()

    def mark_stale(self) -> None:
        """Something about the patient changed (a saved intake or visit): reload on show."""
        self._stale = True
        if self.isVisible():
            self._load()

    def show_patient(self, patient_id: int | None) -> None:
        self.patient_id = patient_id
        self._load()

    def _load(self) -> None:
        self._stale = False
        if self.patient_id is None:
            self.patient_label.setText("No patient chosen.")
            self.view.show_patient(None)
            return
        try:
            record = self.services.patients.get(self.patient_id)
        except FrontdeskError as error:
            show_error(self, error)
            return
        self.patient_label.setText(f"{record.display_name} · chart {record.chart_number}")
        self.view.show_patient(record.id)

    def choose_patient(self) -> None:
        chosen = ChoosePatientDialog.ask(self.services, "Show the history of", self)
        if chosen is not None:
            self.show_patient(chosen.id)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._load()
