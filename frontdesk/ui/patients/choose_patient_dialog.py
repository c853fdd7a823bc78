"""Pick a patient by searching (for the History page and other places that need one)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.services.hub import Services
from frontdesk.services.records import PatientSummary
from frontdesk.ui.patients.search_controller import PatientSearchController


class ChoosePatientDialog(QDialog):
    """A search box and its results; Enter or double-click picks."""

    def __init__(self, services: Services, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(720, 480)
        self.result_value: PatientSummary | None = None
        self.search_edit = QLineEdit()
        self.search_edit.setAccessibleName("Find a patient")
        self.search_edit.setPlaceholderText("Name, 王小明, phone, date of birth or chart number")
        self.search_edit.setToolTip("Type to search; Enter picks the highlighted patient")
        self.search_edit.setClearButtonEnabled(True)
        self.results_view = QTableView()
        self.results_view.setAccessibleName("Patients found")
        self.search = PatientSearchController(services, self.search_edit, self.results_view, self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose")
        label = QLabel("&Find:")
        label.setBuddy(self.search_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.results_view, 1)
        layout.addWidget(self.buttons)
        self.search.chosen.connect(self._chosen)
        self.buttons.accepted.connect(lambda: self._chosen(self.search.current()))
        self.buttons.rejected.connect(self.reject)
        self.search.search_now()
        self.search_edit.setFocus()

    def _chosen(self, patient: PatientSummary | None) -> None:
        if patient is not None:
            self.result_value = patient
            self.accept()

    @classmethod
    def ask(
        cls, services: Services, title: str = "Choose a patient", parent: QWidget | None = None
    ) -> PatientSummary | None:
        dialog = cls(services, title, parent)
        dialog.exec()
        return dialog.result_value
