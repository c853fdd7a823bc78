"""The audit trail for administrators: filter by patient, user and dates; save as CSV."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.hub import Services
from frontdesk.ui.errors import show_error
from frontdesk.ui.models.audit import AuditModel


class AuditDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle("Audit trail")
        self.resize(1000, 600)
        tz = ZoneInfo(services.clinic.profile().timezone)
        self.model = AuditModel(tz, self)
        self.patient_spin = QSpinBox()
        self.patient_spin.setRange(0, 10_000_000)
        self.patient_spin.setSpecialValueText("any patient")
        self.patient_spin.setAccessibleName("Patient number")
        self.user_edit = QLineEdit()
        self.user_edit.setPlaceholderText("any user")
        self.user_edit.setAccessibleName("User name")
        self.use_dates = QCheckBox("Only between")
        self.since_edit = QDateEdit(QDate.currentDate().addDays(-30))
        self.until_edit = QDateEdit(QDate.currentDate())
        for edit, name in ((self.since_edit, "From date"), (self.until_edit, "To date")):
            edit.setCalendarPopup(True)
            edit.setAccessibleName(name)
        self.apply_button = QPushButton("&Show")
        self.apply_button.setDefault(True)
        self.csv_button = QPushButton("Save as &CSV...")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Audit entries")
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)

        filters = QFormLayout()
        filters.addRow("&Patient number:", self.patient_spin)
        filters.addRow("&User:", self.user_edit)
        dates = QHBoxLayout()
        dates.addWidget(self.use_dates)
        dates.addWidget(self.since_edit)
        dates.addWidget(self.until_edit)
        dates.addStretch(1)
        filters.addRow("&Dates:", dates)
        buttons = QHBoxLayout()
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.csv_button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        layout.addWidget(close)

        close.rejected.connect(self.reject)
        self.apply_button.clicked.connect(self.refresh)
        self.csv_button.clicked.connect(self._save_csv)
        self.refresh()

    def filters(self) -> dict[str, object]:
        use_dates = self.use_dates.isChecked()
        return {
            "patient_id": self.patient_spin.value() or None,
            "username": self.user_edit.text().strip() or None,
            "since": self.since_edit.date().toPython() if use_dates else None,
            "until": self.until_edit.date().toPython() if use_dates else None,
        }

    def refresh(self) -> None:
        try:
            self.model.set_rows(self.services.audit_trail.entries(**self.filters(), limit=5000))
        except FrontdeskError as error:
            show_error(self, error)

    def _save_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the audit trail", "audit.csv", "CSV files (*.csv)"
        )
        if not path:
            return
        try:
            with open(path, "w", encoding="utf-8", newline="") as out:
                self.services.audit_trail.write_csv(out, **self.filters())
        except (FrontdeskError, OSError) as error:
            show_error(
                self,
                error
                if isinstance(error, FrontdeskError)
                else FrontdeskError(f"Could not save the file: {error}"),
            )

    @classmethod
    def ask(cls, services: Services, parent: QWidget | None = None) -> None:
        cls(services, parent).exec()
