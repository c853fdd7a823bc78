"""A new password, typed twice: used wherever an account gets a password."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit

from frontdesk.domain.errors import ValidationError


class NewPasswordFields:
    """The two hidden fields and the check that they agree (rows added to a form)."""

    def __init__(self, form: QFormLayout) -> None:
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName("Password")
        self.password_edit.setPlaceholderText("at least 8 characters")
        self.again_edit = QLineEdit()
        self.again_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.again_edit.setAccessibleName("Password again")
        form.addRow("&Password:", self.password_edit)
        form.addRow("Password &again:", self.again_edit)

    def password(self) -> str:
        """The password, once both fields say the same (ValidationError otherwise)."""
        if self.password_edit.text() != self.again_edit.text():
            raise ValidationError("The two passwords differ.", field="password")
        return self.password_edit.text()
