"""Pick a day (and, for a day sheet, a practitioner or everyone)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from frontdesk.services.records import PractitionerRecord


@dataclass(frozen=True)
class DayChoice:
    day: date
    #: None: everyone
    practitioner_id: int | None = None


class ChooseDayDialog(QDialog):
    """A date box with a calendar, and optionally a practitioner list."""

    def __init__(
        self,
        title: str,
        explanation: str,
        day: date,
        practitioners: list[PractitionerRecord] | None = None,
        parent: QWidget | None = None,
        ok_text: str = "OK",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.result_value: DayChoice | None = None
        self.explanation = QLabel(explanation)
        self.explanation.setWordWrap(True)
        self.date_edit = QDateEdit(QDate(day.year, day.month, day.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.date_edit.setAccessibleName("Day")
        self.date_edit.setToolTip("The day to print; type it or open the calendar")
        self.practitioner_combo: QComboBox | None = None
        form = QFormLayout()
        form.addRow("&Day:", self.date_edit)
        if practitioners is not None:
            combo = QComboBox()
            combo.setAccessibleName("Practitioner")
            combo.setToolTip("Print everyone's appointments, or one practitioner's")
            combo.addItem("Everyone", None)
            for practitioner in practitioners:
                combo.addItem(practitioner.name, practitioner.id)
            form.addRow("&Practitioner:", combo)
            self.practitioner_combo = combo
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)

    def choice(self) -> DayChoice:
        chosen = self.date_edit.date()
        practitioner = self.practitioner_combo.currentData() if self.practitioner_combo else None
        return DayChoice(date(chosen.year(), chosen.month(), chosen.day()), practitioner)

    def _accept(self) -> None:
        self.result_value = self.choice()
        self.accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        title: str,
        explanation: str,
        day: date,
        practitioners: list[PractitionerRecord] | None = None,
        ok_text: str = "OK",
    ) -> DayChoice | None:
        dialog = cls(title, explanation, day, practitioners, parent, ok_text)
        dialog.exec()
        return dialog.result_value
