"""The first account of a new clinic: its administrator, who then adds everyone else."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.context import Actor
from frontdesk.services.hub import Services
from frontdesk.ui.errors import show_error
from frontdesk.ui.widgets.new_password import NewPasswordFields


class FirstAdminDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor: Actor | None = None
        self.setWindowTitle("Create the administrator")
        self.setMinimumWidth(480)
        intro = QLabel(
            "Everyone signs in to Frontdesk with their own name and password. Create the "
            "administrator's account first; the administrator then adds receptionists and "
            "practitioners (Administration > Users)."
        )
        intro.setWordWrap(True)
        self.username_edit = QLineEdit("admin")
        self.username_edit.setAccessibleName("User name")
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Full name")
        self.name_edit.setPlaceholderText("e.g. Mei Chen")
        form = QFormLayout()
        form.addRow("&User name:", self.username_edit)
        form.addRow("Full &name:", self.name_edit)
        self.passwords = NewPasswordFields(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create and sign in")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        self.name_edit.setFocus()

    def create(self) -> None:
        try:
            password = self.passwords.password()
            user = self.services.users.create_first_administrator(
                self.username_edit.text(), self.name_edit.text(), password
            )
            self.actor = self.services.users.sign_in(user.username, password)
        except FrontdeskError as error:
            show_error(self, error)
            return
        self.accept()

    @classmethod
    def ask(cls, services: Services, parent: QWidget | None = None) -> Actor | None:
        dialog = cls(services, parent)
        dialog.exec()
        return dialog.actor
