"""First run: set up the clinic in a minute, or open the demo clinic to look around."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.enums import PaperSize
from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.clinic import DEFAULT_SERVICES, ClinicSetup
from frontdesk.services.demo import DemoOptions
from frontdesk.services.hub import Services
from frontdesk.ui.errors import show_error

COMMON_TIMEZONES = (
    "Europe/London",
    "Europe/Dublin",
    "Europe/Warsaw",
    "Europe/Berlin",
    "Europe/Paris",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Vancouver",
    "Australia/Sydney",
    "Australia/Melbourne",
    "Pacific/Auckland",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Singapore",
    "UTC",
)


class FirstRunChoice(Enum):
    SET_UP = "set_up"
    DEMO = "demo"


@dataclass(frozen=True)
class FirstRunResult:
    choice: FirstRunChoice


class FirstRunDialog(QDialog):
    """Collects the clinic's name, timezone, practitioners, rooms and services."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.result_value: FirstRunResult | None = None
        self.setWindowTitle("Welcome to Frontdesk")
        self.setMinimumWidth(560)
        self._build()
        self._wire()

    def _build(self) -> None:
        intro = QLabel(
            "<b>Set up your clinic.</b> You can change all of this later. "
            "Or open a demo clinic with made-up patients to look around first."
        )
        intro.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("e.g. Riverside Acupuncture")
        self.name_edit.setAccessibleName("Clinic name")
        self.timezone_combo = QComboBox()
        self.timezone_combo.setEditable(True)
        self.timezone_combo.addItems(COMMON_TIMEZONES)
        self.timezone_combo.setAccessibleName("Timezone")
        self.timezone_combo.setToolTip("Appointment times are shown in this timezone")
        self.practitioners_edit = QPlainTextEdit()
        self.practitioners_edit.setPlaceholderText(
            "One per line: name, credentials\nMei Chen, L.Ac."
        )
        self.practitioners_edit.setAccessibleName("Practitioners")
        self.practitioners_edit.setTabChangesFocus(True)
        self.practitioners_edit.setFixedHeight(80)
        self.rooms_edit = QLineEdit("Room 1, Room 2")
        self.rooms_edit.setAccessibleName("Treatment rooms")
        self.rooms_edit.setToolTip("Separate rooms with commas")
        self.paper_combo = QComboBox()
        self.paper_combo.addItems([p.value for p in PaperSize])
        self.paper_combo.setAccessibleName("Paper size")
        self.services_list = QListWidget()
        self.services_list.setAccessibleName("Services offered")
        self.services_list.setFixedHeight(150)
        for spec in DEFAULT_SERVICES:
            item = QListWidgetItem(f"{spec.name} ({spec.default_minutes} min)")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setData(Qt.ItemDataRole.UserRole, spec.code)
            self.services_list.addItem(item)

        form = QFormLayout()
        form.addRow("Clinic &name:", self.name_edit)
        form.addRow("&Timezone:", self.timezone_combo)
        form.addRow("&Practitioners:", self.practitioners_edit)
        form.addRow("&Rooms:", self.rooms_edit)
        form.addRow("Paper si&ze:", self.paper_combo)
        form.addRow("&Services:", self.services_list)

        self.buttons = QDialogButtonBox()
        self.create_button = self.buttons.addButton(
            "Create clinic", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setDefault(True)
        self.demo_button = QPushButton("Open a demo clinic")
        self.demo_button.setToolTip("A made-up clinic with patients and appointments to try")
        self.buttons.addButton(self.demo_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def _wire(self) -> None:
        self.buttons.accepted.connect(self.create_clinic)
        self.buttons.rejected.connect(self.reject)
        self.demo_button.clicked.connect(self.open_demo)

    def setup_from_form(self) -> ClinicSetup:
        practitioners = []
        for line in self.practitioners_edit.toPlainText().splitlines():
            if line.strip():
                name, _, credentials = line.partition(",")
                practitioners.append((name.strip(), credentials.strip()))
        rooms = [r.strip() for r in self.rooms_edit.text().split(",") if r.strip()]
        chosen = {
            self.services_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.services_list.count())
            if self.services_list.item(i).checkState() == Qt.CheckState.Checked
        }
        return ClinicSetup(
            name=self.name_edit.text(),
            timezone=self.timezone_combo.currentText().strip(),
            practitioners=practitioners,
            rooms=rooms,
            paper_size=PaperSize(self.paper_combo.currentText()),
            services=tuple(s for s in DEFAULT_SERVICES if s.code in chosen),
        )

    def create_clinic(self) -> None:
        try:
            self.services.clinic.set_up(self.setup_from_form())
        except FrontdeskError as error:
            show_error(self, error, "Please check the clinic details")
            target = {
                "name": self.name_edit,
                "timezone": self.timezone_combo,
                "practitioners": self.practitioners_edit,
                "rooms": self.rooms_edit,
            }
            widget = target.get(error.field or "")
            if widget is not None:
                widget.setFocus()
            return
        self.result_value = FirstRunResult(FirstRunChoice.SET_UP)
        self.accept()

    def open_demo(self) -> None:
        try:
            self.services.demo.build(DemoOptions())
        except FrontdeskError as error:
            show_error(self, error)
            return
        self.result_value = FirstRunResult(FirstRunChoice.DEMO)
        self.accept()

    @classmethod
    def ask(cls, services: Services, parent: QWidget | None = None) -> FirstRunResult | None:
        """Show the dialog; the clinic is set up when a result comes back."""
        dialog = cls(services, parent)
        dialog.exec()
        return dialog.result_value
