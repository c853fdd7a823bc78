"""Administrators add users, reset passwords and deactivate users (never delete them)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.enums import Role
from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.hub import Services
from frontdesk.services.users import UserRecord
from frontdesk.ui.errors import show_error
from frontdesk.ui.models.users import UsersModel
from frontdesk.ui.widgets.new_password import NewPasswordFields


class NewUserDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.created: UserRecord | None = None
        self.setWindowTitle("Add a user")
        self.username_edit = QLineEdit()
        self.username_edit.setAccessibleName("User name")
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Full name")
        self.role_combo = QComboBox()
        self.role_combo.setAccessibleName("Role")
        for role in Role:
            self.role_combo.addItem(role.value.capitalize(), role)
        self.role_combo.setToolTip(
            "Receptionist: calendar, patient details, flags and printing.\n"
            "Practitioner: everything clinical.\n"
            "Administrator: users, clinic settings, backups and the audit trail."
        )
        self.practitioner_combo = QComboBox()
        self.practitioner_combo.setAccessibleName("Practitioner")
        self.practitioner_combo.addItem("(not a practitioner)", None)
        for p in services.clinic.practitioners():
            self.practitioner_combo.addItem(p.name, p.id)
        form = QFormLayout()
        form.addRow("&User name:", self.username_edit)
        form.addRow("Full &name:", self.name_edit)
        form.addRow("&Role:", self.role_combo)
        form.addRow("&Is practitioner:", self.practitioner_combo)
        self.passwords = NewPasswordFields(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)

    def _save(self) -> None:
        try:
            self.created = self.services.users.add(
                self.username_edit.text(),
                self.name_edit.text(),
                self.role_combo.currentData(),
                self.passwords.password(),
                self.practitioner_combo.currentData(),
            )
        except FrontdeskError as error:
            show_error(self, error)
            return
        self.accept()

    @classmethod
    def ask(cls, services: Services, parent: QWidget | None = None) -> UserRecord | None:
        dialog = cls(services, parent)
        dialog.exec()
        return dialog.created


class UsersDialog(QDialog):
    """The list of users with Add, Reset password, Deactivate/Activate."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle("Users")
        self.resize(640, 400)
        self.model = UsersModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Users")
        self.add_button = QPushButton("&Add user...")
        self.reset_button = QPushButton("&Reset password...")
        self.toggle_button = QPushButton("&Deactivate")
        self.toggle_button.setToolTip("Users are never deleted: the audit trail keeps names")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        row = QHBoxLayout()
        for button in (self.add_button, self.reset_button, self.toggle_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(close)
        close.rejected.connect(self.reject)
        self.add_button.clicked.connect(self._add)
        self.reset_button.clicked.connect(self._reset)
        self.toggle_button.clicked.connect(self._toggle)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(self.services.users.list())
        self._update_buttons()

    def selected(self) -> UserRecord | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def _update_buttons(self) -> None:
        user = self.selected()
        self.reset_button.setEnabled(user is not None)
        self.toggle_button.setEnabled(user is not None)
        self.toggle_button.setText("&Activate" if user and not user.active else "&Deactivate")

    def _add(self) -> None:
        if NewUserDialog.ask(self.services, self):
            self.refresh()

    def _reset(self) -> None:
        user = self.selected()
        if user is None:
            return
        password, ok = QInputDialog.getText(
            self,
            "Reset password",
            f"New password for {user.username}:",
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return
        try:
            self.services.users.reset_password(user.id, password)
        except FrontdeskError as error:
            show_error(self, error)
            return
        QMessageBox.information(
            self, "Password changed", f"{user.username} can now sign in with the new password."
        )

    def _toggle(self) -> None:
        user = self.selected()
        if user is None:
            return
        try:
            self.services.users.set_active(user.id, not user.active)
        except FrontdeskError as error:
            show_error(self, error)
        self.refresh()

    @classmethod
    def ask(cls, services: Services, parent: QWidget | None = None) -> None:
        cls(services, parent).exec()
