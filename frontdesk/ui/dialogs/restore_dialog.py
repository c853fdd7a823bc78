"""Restore: choose a backup, give its passphrase, and confirm that the data is replaced."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import FrontdeskError, ValidationError
from frontdesk.services.hub import Services
from frontdesk.ui.errors import show_error

FILE_FILTER = "Frontdesk backups (*.sqlite3 *.fdbackup *.json.gz *.json);;All files (*)"


@dataclass(frozen=True)
class RestoreRequest:
    path: Path
    passphrase: str | None


class RestoreDialog(QDialog):
    """Pick the backup file; the passphrase box is used only for an encrypted one."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.result_value: RestoreRequest | None = None
        self.encrypted = False
        self.setWindowTitle("Restore from a backup")
        self.setMinimumWidth(540)
        self._build()
        self._wire()
        self.inspect()

    def _build(self) -> None:
        server = (
            ""
            if self.services.db.is_sqlite
            else (" On a clinic server, a backup can only be restored into a new, empty database.")
        )
        warning = QLabel(
            "<b>Restoring replaces the clinic's data with the backup.</b> Everything saved "
            "since the backup was made is replaced; a copy of the data as it is now is kept "
            "beside the clinic file." + server
        )
        warning.setWordWrap(True)
        self.file_edit = QLineEdit()
        self.file_edit.setAccessibleName("Backup file")
        self.file_edit.setToolTip("The backup file to restore")
        self.browse_button = QPushButton("Choose...")
        self.browse_button.setAccessibleName("Choose the backup file")
        self.browse_button.setToolTip("Choose the backup file")
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.browse_button)
        self.about_label = QLabel("")
        self.about_label.setWordWrap(True)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName("Passphrase")
        self.passphrase_edit.setToolTip("The passphrase the backup was locked with")
        self.confirm_check = QCheckBox("I understand that the clinic's data will be replaced")
        self.confirm_check.setAccessibleName("Confirm replacing the data")
        self.confirm_check.setToolTip("Tick to allow the restore")
        form = QFormLayout()
        form.addRow("&Backup:", row)
        form.addRow("", self.about_label)
        form.addRow("&Passphrase:", self.passphrase_edit)
        form.addRow("", self.confirm_check)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.restore_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.restore_button.setText("Restore")
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(warning)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def _wire(self) -> None:
        self.browse_button.clicked.connect(self.choose_file)
        self.file_edit.editingFinished.connect(self.inspect)
        self.confirm_check.toggled.connect(self._update_button)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)

    def choose_file(self) -> None:
        start = self.file_edit.text() or str(self.services.backups.folder())
        chosen, _filter = QFileDialog.getOpenFileName(self, "Backup to restore", start, FILE_FILTER)
        if chosen:
            self.file_edit.setText(chosen)
            self.inspect()

    def inspect(self) -> None:
        """Say what the chosen file is and whether it needs a passphrase."""
        text = self.file_edit.text().strip()
        self.encrypted = False
        if not text:
            self.about_label.setText("Choose a backup file.")
        else:
            try:
                found = self.services.backups.inspect(text)
            except FrontdeskError as error:
                self.about_label.setText(error.message)
            else:
                self.encrypted = found.encrypted
                kind = "clinic file" if found.kind == "sqlite" else "clinic export"
                lock = "locked with a passphrase" if found.encrypted else "not encrypted"
                self.about_label.setText(f"A {kind}, {lock}, {found.size / 1024:.0f} KB.")
        self.passphrase_edit.setEnabled(self.encrypted)
        self._update_button()

    def _update_button(self) -> None:
        self.restore_button.setEnabled(self.confirm_check.isChecked())

    def request(self) -> RestoreRequest:
        text = self.file_edit.text().strip()
        if not text:
            raise ValidationError("Choose the backup file to restore.", field="file")
        self.inspect()
        if self.encrypted and not self.passphrase_edit.text():
            raise ValidationError(
                "This backup is locked: enter its passphrase.", field="passphrase"
            )
        return RestoreRequest(
            Path(text).expanduser(), self.passphrase_edit.text() if self.encrypted else None
        )

    def confirm(self) -> None:
        try:
            self.result_value = self.request()
        except ValidationError as error:
            show_error(self, error, "Please check the restore")
            (self.passphrase_edit if error.field == "passphrase" else self.file_edit).setFocus()
            return
        self.accept()

    @classmethod
    def ask(cls, services: Services, parent: QWidget | None = None) -> RestoreRequest | None:
        """Show the dialog; the restore to run, or None when cancelled."""
        dialog = cls(services, parent)
        dialog.exec()
        return dialog.result_value
