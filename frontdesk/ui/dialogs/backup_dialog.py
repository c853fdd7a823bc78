"""Back up now: where to, and whether to lock the file with a passphrase."""

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

from frontdesk.domain.errors import ValidationError
from frontdesk.services.hub import Services
from frontdesk.ui.errors import show_error

MIN_PASSPHRASE = 8


@dataclass(frozen=True)
class BackupRequest:
    target: Path
    passphrase: str | None
    #: make the chosen folder the one the daily backups go to
    use_for_daily: bool


class BackupDialog(QDialog):
    """Choose the backup folder and, optionally, a passphrase."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.result_value: BackupRequest | None = None
        self.setWindowTitle("Back up now")
        self.setMinimumWidth(520)
        self._build()
        self._wire()
        self._show_encryption()

    def _build(self) -> None:
        intro = QLabel(
            "A backup holds the whole clinic: patients, appointments, intakes and visits. "
            "It is checked after writing. Keep a copy away from this computer."
        )
        intro.setWordWrap(True)
        self.folder_edit = QLineEdit(str(self.services.backups.folder()))
        self.folder_edit.setAccessibleName("Backup folder")
        self.folder_edit.setToolTip("The folder the backup file is written to")
        self.browse_button = QPushButton("Choose...")
        self.browse_button.setToolTip("Choose the backup folder")
        self.browse_button.setAccessibleName("Choose the backup folder")
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse_button)
        self.daily_check = QCheckBox("Also put the daily backups in this folder")
        self.daily_check.setToolTip("Frontdesk backs up once a day by itself into this folder")
        self.daily_check.setAccessibleName("Use this folder for the daily backups")
        self.encrypt_check = QCheckBox("Lock the backup with a passphrase")
        self.encrypt_check.setToolTip(
            "Without the passphrase nobody can open the backup, not even you: write it down "
            "and keep it safe"
        )
        self.encrypt_check.setAccessibleName("Encrypt the backup")
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName("Passphrase")
        self.passphrase_edit.setToolTip(f"At least {MIN_PASSPHRASE} characters")
        self.repeat_edit = QLineEdit()
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit.setAccessibleName("Passphrase again")
        self.repeat_edit.setToolTip("Type the passphrase again to rule out a typing mistake")

        form = QFormLayout()
        form.addRow("&Folder:", folder_row)
        form.addRow("", self.daily_check)
        form.addRow("", self.encrypt_check)
        form.addRow("&Passphrase:", self.passphrase_edit)
        form.addRow("&Again:", self.repeat_edit)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Back up")
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.folder_edit, self.browse_button)
        self.setTabOrder(self.browse_button, self.daily_check)
        self.setTabOrder(self.daily_check, self.encrypt_check)
        self.setTabOrder(self.encrypt_check, self.passphrase_edit)
        self.setTabOrder(self.passphrase_edit, self.repeat_edit)

    def _wire(self) -> None:
        self.browse_button.clicked.connect(self.choose_folder)
        self.encrypt_check.toggled.connect(self._show_encryption)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)

    def _show_encryption(self) -> None:
        on = self.encrypt_check.isChecked()
        self.passphrase_edit.setEnabled(on)
        self.repeat_edit.setEnabled(on)

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Backup folder", self.folder_edit.text())
        if chosen:
            self.folder_edit.setText(chosen)

    def request(self) -> BackupRequest:
        """What the form asks for; ValidationError when it is not complete."""
        folder = self.folder_edit.text().strip()
        if not folder:
            raise ValidationError("Choose a folder for the backup.", field="folder")
        passphrase: str | None = None
        if self.encrypt_check.isChecked():
            passphrase = self.passphrase_edit.text()
            if len(passphrase) < MIN_PASSPHRASE:
                raise ValidationError(
                    f"Use a passphrase of at least {MIN_PASSPHRASE} characters.",
                    field="passphrase",
                )
            if passphrase != self.repeat_edit.text():
                raise ValidationError(
                    "The two passphrases differ. Type them again.", field="repeat"
                )
        name = self.services.backups.suggested_name(encrypted=passphrase is not None)
        return BackupRequest(
            Path(folder).expanduser() / name, passphrase, self.daily_check.isChecked()
        )

    def confirm(self) -> None:
        try:
            self.result_value = self.request()
        except ValidationError as error:
            show_error(self, error, "Please check the backup")
            target = {"passphrase": self.passphrase_edit, "repeat": self.repeat_edit}
            target.get(error.field or "", self.folder_edit).setFocus()
            return
        self.accept()

    @classmethod
    def ask(cls, services: Services, parent: QWidget | None = None) -> BackupRequest | None:
        """Show the dialog; the backup to make, or None when cancelled."""
        dialog = cls(services, parent)
        dialog.exec()
        return dialog.result_value
