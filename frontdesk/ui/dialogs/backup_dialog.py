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
    QMessageBox,
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
    #: lock the daily backups with the same passphrase from now on
    lock_daily: bool = False


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
        self.lock_daily_check = QCheckBox("Lock the daily backups with this passphrase too")
        self.lock_daily_check.setAccessibleName("Lock the daily backups with this passphrase")
        self.daily_state = QLabel()
        self.daily_state.setWordWrap(True)
        self.daily_state.setAccessibleName("Daily backups")
        self.stop_locking_button = QPushButton("Stop locking them")
        self.stop_locking_button.setToolTip(
            "From tomorrow the daily backups are written without a passphrase"
        )
        daily_row = QHBoxLayout()
        daily_row.addWidget(self.daily_state, 1)
        daily_row.addWidget(self.stop_locking_button)

        form = QFormLayout()
        folder_label = QLabel("&Folder:")
        folder_label.setBuddy(self.folder_edit)
        form.addRow(folder_label, folder_row)
        form.addRow("", self.daily_check)
        form.addRow("", self.encrypt_check)
        form.addRow("&Passphrase:", self.passphrase_edit)
        form.addRow("&Again:", self.repeat_edit)
        form.addRow("", self.lock_daily_check)
        form.addRow("Daily backups:", daily_row)

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
        self.setTabOrder(self.repeat_edit, self.lock_daily_check)
        self.setTabOrder(self.lock_daily_check, self.stop_locking_button)

    def _wire(self) -> None:
        self.browse_button.clicked.connect(self.choose_folder)
        self.encrypt_check.toggled.connect(self._show_encryption)
        self.stop_locking_button.clicked.connect(self.stop_locking_daily)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)

    def _show_encryption(self) -> None:
        from frontdesk.services.transfer import keyring_available

        on = self.encrypt_check.isChecked()
        self.passphrase_edit.setEnabled(on)
        self.repeat_edit.setEnabled(on)
        can_keep = keyring_available()
        self.lock_daily_check.setEnabled(on and can_keep)
        if not on:
            self.lock_daily_check.setChecked(False)
        self.lock_daily_check.setToolTip(
            "Frontdesk keeps the passphrase in this computer's password store for the daily "
            "backups. Without the passphrase nobody can open them: write it down."
            if can_keep
            else "This computer has no password store to keep the passphrase in, so its "
            "daily backups cannot be locked."
        )
        state = self.services.backups.daily_encryption()
        text = {
            "off": "written without a passphrase.",
            "on": "locked with a passphrase kept on this computer.",
            "missing": "to be locked, but this computer does not have the passphrase: "
            "none are written here until it is given (tick the box above).",
        }[state]
        if not can_keep:
            text += " This computer has no password store, so they cannot be locked here."
        self.daily_state.setText(text)
        self.stop_locking_button.setVisible(state != "off")

    def stop_locking_daily(self) -> None:
        """Write the daily backups without a passphrase from now on (asks first)."""
        answer = QMessageBox.question(
            self,
            "Stop locking the daily backups?",
            "From now on the daily backups are written without a passphrase, so anyone "
            "who gets hold of one can read the patients' records. The backups already "
            "locked stay locked.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.services.backups.set_daily_passphrase(None)
        except ValidationError as error:
            show_error(self, error)
        self._show_encryption()

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
            Path(folder).expanduser() / name,
            passphrase,
            self.daily_check.isChecked(),
            lock_daily=passphrase is not None and self.lock_daily_check.isChecked(),
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
