"""Put a patient on the waiting list: who, with whom, which days and times, how urgent.

When a slot comes free (a cancellation, a no-show, a move) the calendar offers it to the
matching entries, best first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.scheduling import DAY_NAMES
from frontdesk.domain.waitlist import URGENCY_LABELS
from frontdesk.services.records import AppointmentRecord, PatientSummary
from frontdesk.ui.calendar.questions import Questions, attempt
from frontdesk.ui.widgets.patient_picker import PatientPicker

if TYPE_CHECKING:
    from frontdesk.services.hub import Services


class WaitlistEntryDialog(QDialog):
    """The waiting-list form; ``result_value`` holds the saved entry."""

    def __init__(
        self,
        services: Services,
        waitlist: Any,
        *,
        appointment: AppointmentRecord | None = None,
        questions: Questions | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.waitlist = waitlist
        self.appointment = appointment
        self.questions = questions or Questions(self)
        self.result_value: Any = None
        self.tz = ZoneInfo(services.clinic.profile().timezone)
        self.setWindowTitle("Add to the waiting list")
        self.setMinimumWidth(520)
        self._build()
        self._wire()
        self._fill()

    def _build(self) -> None:
        self.patient_picker = PatientPicker(self.services)
        self.patient_picker.show_error = self.questions.show_error
        self.practitioner_combo = QComboBox()
        self.practitioner_combo.setAccessibleName("Practitioner")
        self.practitioner_combo.setToolTip("Only this practitioner, or anyone")
        self.practitioner_combo.addItem("Anyone", None)
        for practitioner in self.services.clinic.practitioners():
            self.practitioner_combo.addItem(practitioner.name, practitioner.id)
        self.service_combo = QComboBox()
        self.service_combo.setAccessibleName("Service")
        self.service_combo.setToolTip("The treatment wanted (it sets the length needed)")
        for service in self.services.clinic.services():
            self.service_combo.addItem(
                f"{service.name} ({service.default_minutes} min)", service.id
            )
        self.day_checks: list[QCheckBox] = []
        days = QHBoxLayout()
        days.setSpacing(4)
        for name in DAY_NAMES:
            check = QCheckBox(name[:3])
            check.setAccessibleName(name)
            check.setToolTip(f"Can come on {name}s (none ticked: any day)")
            self.day_checks.append(check)
            days.addWidget(check)
        days.addStretch(1)
        self.earliest_check = QCheckBox("From")
        self.earliest_check.setToolTip("Only from this time of day")
        self.earliest_edit = QTimeEdit(QTime(9, 0))
        self.earliest_edit.setDisplayFormat("HH:mm")
        self.earliest_edit.setAccessibleName("Earliest time")
        self.latest_check = QCheckBox("until")
        self.latest_check.setToolTip("Finished by this time of day")
        self.latest_edit = QTimeEdit(QTime(13, 0))
        self.latest_edit.setDisplayFormat("HH:mm")
        self.latest_edit.setAccessibleName("Latest time")
        times = QHBoxLayout()
        for widget in (
            self.earliest_check,
            self.earliest_edit,
            self.latest_check,
            self.latest_edit,
        ):
            times.addWidget(widget)
        times.addStretch(1)
        self.urgency_combo = QComboBox()
        self.urgency_combo.setAccessibleName("Urgency")
        self.urgency_combo.setToolTip("More urgent entries are offered a free slot first")
        for level, label in sorted(URGENCY_LABELS.items()):
            self.urgency_combo.addItem(label, level)
        self.expires_check = QCheckBox("Until")
        self.expires_check.setToolTip("Take the entry off the list after this day")
        self.expires_edit = QDateEdit()
        self.expires_edit.setCalendarPopup(True)
        self.expires_edit.setDisplayFormat("ddd d MMM yyyy")
        self.expires_edit.setAccessibleName("Expiry date")
        expires = QHBoxLayout()
        expires.addWidget(self.expires_check)
        expires.addWidget(self.expires_edit)
        expires.addStretch(1)
        self.earlier_check = QCheckBox()
        self.earlier_check.setAccessibleName("Wants an earlier time than the booking")
        self.earlier_check.setToolTip("Only slots before the current booking are offered")
        self.notes_edit = QLineEdit()
        self.notes_edit.setAccessibleName("Notes")
        self.notes_edit.setToolTip("e.g. can come at half an hour's notice")

        form = QFormLayout()
        form.setSpacing(8)
        patient_label = QLabel("&Patient:")
        patient_label.setBuddy(self.patient_picker.search_edit)
        form.addRow(patient_label, self.patient_picker)
        form.addRow("&With:", self.practitioner_combo)
        form.addRow("&Service:", self.service_combo)
        form.addRow("Days:", days)
        form.addRow("Times:", times)
        form.addRow("&Urgency:", self.urgency_combo)
        form.addRow("Keep on the list:", expires)
        form.addRow("", self.earlier_check)
        form.addRow("&Notes:", self.notes_edit)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            "Add to the list", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def _wire(self) -> None:
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.earliest_check.toggled.connect(self.earliest_edit.setEnabled)
        self.latest_check.toggled.connect(self.latest_edit.setEnabled)
        self.expires_check.toggled.connect(self.expires_edit.setEnabled)

    def _fill(self) -> None:
        today = self.services.clock().astimezone(self.tz).date()
        self.expires_edit.setDate(QDate(today.year, today.month, today.day).addDays(28))
        for check, edit in (
            (self.earliest_check, self.earliest_edit),
            (self.latest_check, self.latest_edit),
            (self.expires_check, self.expires_edit),
        ):
            edit.setEnabled(check.isChecked())
        record = self.appointment
        if record is None:
            self.earlier_check.hide()
            self.patient_picker.search_edit.setFocus()
            return
        self.patient_picker.set_patient(
            PatientSummary(
                record.patient_id, record.patient_name, record.patient_name, "", None, "", "", False
            )
        )
        self.practitioner_combo.setCurrentIndex(
            max(0, self.practitioner_combo.findData(record.practitioner_id))
        )
        self.service_combo.setCurrentIndex(max(0, self.service_combo.findData(record.service_id)))
        start = record.starts_at.astimezone(self.tz)
        self.earlier_check.setText(
            f"Wants a time before the booking of {start:%a} {start.day} {start:%b} {start:%H:%M}"
        )
        self.earlier_check.setChecked(True)
        self.urgency_combo.setFocus()

    def weekdays(self) -> tuple[int, ...] | None:
        chosen = tuple(i for i, check in enumerate(self.day_checks) if check.isChecked())
        return chosen or None

    def save(self) -> Any:
        patient = self.patient_picker.patient
        if patient is None:
            from frontdesk.domain.errors import ValidationError

            self.questions.show_error(ValidationError("Choose the patient first."))
            return None
        earliest = _time(self.earliest_edit.time()) if self.earliest_check.isChecked() else None
        latest = _time(self.latest_edit.time()) if self.latest_check.isChecked() else None
        expires = _date(self.expires_edit.date()) if self.expires_check.isChecked() else None
        wants_earlier: datetime | None = None
        if self.appointment is not None and self.earlier_check.isChecked():
            wants_earlier = self.appointment.starts_at
        entry = attempt(
            self.questions,
            lambda: self.waitlist.add(
                patient.id,
                self.practitioner_combo.currentData(),
                self.weekdays(),
                earliest,
                latest,
                urgency=int(self.urgency_combo.currentData()),
                expires_on=expires,
                notes=self.notes_edit.text(),
                service_id=self.service_combo.currentData(),
                wants_earlier_than=wants_earlier,
            ),
            accepts=frozenset(),
        )
        if entry is None:
            return None
        self.result_value = entry
        self.accept()
        return entry

    @classmethod
    def ask(
        cls,
        services: Services,
        waitlist: Any,
        parent: QWidget | None = None,
        *,
        appointment: AppointmentRecord | None = None,
        questions: Questions | None = None,
        exec_dialog: Callable[[QDialog], int] = lambda d: d.exec(),
    ) -> Any:
        """The saved waiting-list entry, or None."""
        dialog = cls(
            services, waitlist, appointment=appointment, questions=questions, parent=parent
        )
        exec_dialog(dialog)
        return dialog.result_value


def _time(value: QTime) -> time:
    return time(value.hour(), value.minute())


def _date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
