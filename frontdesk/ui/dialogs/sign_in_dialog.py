"""Sign-in: at start, and to unlock the screen after the idle time."""

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

DEMO_PASSWORD_HINT = (
    "Demo clinic: sign in as <b>reception</b>, <b>mei</b> (practitioner) or <b>admin</b>, "
    "password <b>frontdesk-demo</b>."
)


class SignInForm(QWidget):
    """The name and password fields with the message line; used by the dialog and the
    lock screen alike."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.username_edit = QLineEdit()
        self.username_edit.setAccessibleName("User name")
        self.username_edit.setPlaceholderText("your user name")
        self.password_edit = QLineEdit()
        self.password_edit.setAccessibleName("Password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Sign-in message")
        self.message.setStyleSheet("color: #B00020;")
        form = QFormLayout(self)
        form.addRow("&User name:", self.username_edit)
        form.addRow("&Password:", self.password_edit)
        form.addRow(self.message)

    def try_sign_in(self) -> Actor | None:
        try:
            actor = self.services.users.sign_in(
                self.username_edit.text(), self.password_edit.text()
            )
        except FrontdeskError as error:
            self.message.setText(error.message)
            self.password_edit.clear()
            self.password_edit.setFocus()
            return None
        self.message.clear()
        self.password_edit.clear()
        return actor


class SignInDialog(QDialog):
    def __init__(
        self, services: Services, parent: QWidget | None = None, *, hint: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in to Frontdesk")
        self.setMinimumWidth(420)
        self.actor: Actor | None = None
        self.form = SignInForm(services)
        intro = QLabel(f"<b>{services.clinic.profile().name}</b><br>Sign in to continue.")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign in")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if hint:
            note = QLabel(hint)
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.form.username_edit.setFocus()

    def _accept(self) -> None:
        actor = self.form.try_sign_in()
        if actor is not None:
            self.actor = actor
            self.accept()

    @classmethod
    def ask(
        cls, services: Services, parent: QWidget | None = None, *, hint: str = ""
    ) -> Actor | None:
        dialog = cls(services, parent, hint=hint)
        dialog.exec()
        return dialog.actor
