"""Connect to clinic server: where the shared PostgreSQL database is, and how to sign in.

The password goes to the system's password store where there is one. The choice is kept
for this workstation; Frontdesk opens the server the next time it starts.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import ValidationError
from frontdesk.services import transfer
from frontdesk.services.transfer import ConnectionCheck, ServerSettings
from frontdesk.ui.errors import show_error
from frontdesk.ui.tasks import run_task


@dataclass(frozen=True)
class ConnectResult:
    #: the server chosen (shown without password), or None: this computer's own file
    server: str | None
    password_kept_in: str = "none"


class ConnectDialog(QDialog):
    """Host, port, database, user and password, with a connection test."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result_value: ConnectResult | None = None
        self.setWindowTitle("Connect to clinic server")
        self.setMinimumWidth(500)
        self._build()
        self._wire()
        self._fill(transfer.load_server_settings())

    def _build(self) -> None:
        intro = QLabel(
            "When several computers share the clinic, they all connect to one PostgreSQL "
            "server. Ask whoever set up the server for these details."
        )
        intro.setWordWrap(True)
        self.host_edit = QLineEdit()
        self.host_edit.setPlaceholderText("e.g. clinic-server or 192.168.1.20")
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(5432)
        self.database_edit = QLineEdit("frontdesk")
        self.user_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        store = (
            "in this computer's password store"
            if transfer.keyring_available()
            else "in a file only your account can read (this computer has no password store)"
        )
        self.remember_check = QCheckBox(f"Remember the password {store}")
        self.remember_check.setChecked(True)
        for widget, name, tip in (
            (self.host_edit, "Server", "The server's name or network address"),
            (self.port_spin, "Port", "PostgreSQL listens on 5432 unless told otherwise"),
            (self.database_edit, "Database", "The clinic's database on the server"),
            (self.user_edit, "User", "The database user Frontdesk signs in as"),
            (self.password_edit, "Password", "The database user's password"),
            (self.remember_check, "Remember the password", "Otherwise it is asked for again"),
        ):
            widget.setAccessibleName(name)
            widget.setToolTip(tip)
        self.test_button = QPushButton("&Test connection")
        self.test_button.setToolTip("Try these details now, without changing anything")
        self.test_button.setAccessibleName("Test connection")
        self.result_label = QLabel("")
        self.result_label.setWordWrap(True)
        self.result_label.setAccessibleName("Connection test result")

        form = QFormLayout()
        form.addRow("&Server:", self.host_edit)
        form.addRow("P&ort:", self.port_spin)
        form.addRow("&Database:", self.database_edit)
        form.addRow("&User:", self.user_edit)
        form.addRow("Pass&word:", self.password_edit)
        form.addRow("", self.remember_check)
        form.addRow("", self.test_button)
        form.addRow("", self.result_label)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.use_button = self.buttons.addButton(
            "Use this server", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.use_button.setToolTip("Frontdesk opens this server from its next start")
        self.local_button = self.buttons.addButton(
            "Use this computer's file", QDialogButtonBox.ButtonRole.ResetRole
        )
        self.local_button.setToolTip("Stop using a server; open the clinic file on this computer")
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def _wire(self) -> None:
        self.test_button.clicked.connect(self.test_connection)
        self.use_button.clicked.connect(self.use_server)
        self.local_button.clicked.connect(self.use_local_file)
        self.buttons.rejected.connect(self.reject)

    def _fill(self, settings: ServerSettings | None) -> None:
        if settings is None:
            return
        self.host_edit.setText(settings.host)
        self.port_spin.setValue(settings.port)
        self.database_edit.setText(settings.database)
        self.user_edit.setText(settings.user)
        self.password_edit.setText(settings.password)

    def settings(self) -> ServerSettings:
        host, database = self.host_edit.text().strip(), self.database_edit.text().strip()
        if not host:
            raise ValidationError("Enter the server's name or address.", field="host")
        if not database:
            raise ValidationError("Enter the database name.", field="database")
        return ServerSettings(
            host=host,
            database=database,
            user=self.user_edit.text().strip(),
            port=self.port_spin.value(),
            password=self.password_edit.text(),
        )

    def test_connection(self) -> None:
        """Try the details on a background thread; the answer appears under the button."""
        try:
            url = self.settings().url()
        except ValidationError as error:
            show_error(self, error)
            return
        self.test_button.setEnabled(False)
        self.result_label.setText("Connecting...")

        def shown(found: ConnectionCheck) -> None:
            self.test_button.setEnabled(True)
            self.result_label.setText(found.describe())

        def failed(error: BaseException) -> None:
            self.test_button.setEnabled(True)
            self.result_label.setText(str(error))

        run_task(self, lambda: transfer.check_connection(url)).on_success(shown).on_error(
            failed
        ).start()

    def use_server(self) -> None:
        try:
            saved = transfer.save_server_settings(
                self.settings(), remember_password=self.remember_check.isChecked()
            )
        except ValidationError as error:
            show_error(self, error)
            return
        self.result_value = ConnectResult(
            saved.settings.url(with_password=False), saved.password_kept_in
        )
        self.accept()

    def use_local_file(self) -> None:
        transfer.forget_server_settings()
        self.result_value = ConnectResult(None)
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> ConnectResult | None:
        """Show the dialog; what this workstation will open from its next start."""
        dialog = cls(parent)
        dialog.exec()
        return dialog.result_value
