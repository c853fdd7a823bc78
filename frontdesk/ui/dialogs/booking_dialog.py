"""Book an appointment: patient, service, time, practitioner, room and notes.

Opened from the calendar (double-click or drag over empty time) with the start, the end
and the practitioner already filled in. The patient's safety flags appear as soon as the
patient is chosen; the booking itself goes through :func:`frontdesk.ui.calendar.questions.
attempt`, which asks about working hours and safety warnings and retries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.scheduling import local_datetime
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.records import (
    AppointmentRecord,
    PatientSummary,
    PractitionerRecord,
    RoomRecord,
    ServiceRecord,
)
from frontdesk.ui.calendar.questions import Questions, attempt
from frontdesk.ui.widgets.booking_fields import (
    SafetyNotes,
    chosen_service,
    practitioner_combo,
    select_data,
    select_follow_up,
    service_combo,
)
from frontdesk.ui.widgets.patient_picker import PatientPicker

if TYPE_CHECKING:
    from frontdesk.services.hub import Services

ExecDialog = Callable[[QDialog], int]


def exec_modal(dialog: QDialog) -> int:
    """Run a dialog modally (tests pass a function that fills it in instead)."""
    return dialog.exec()


@dataclass(frozen=True)
class BookingPrefill:
    """What the calendar already knows when the dialog opens."""

    starts_at: datetime
    ends_at: datetime | None = None
    practitioner_id: int | None = None
    room_id: int | None = None
    patient: PatientSummary | None = None
    service_id: int | None = None


class BookingDialog(QDialog):
    """The booking form; ``result_record`` holds the appointment once booked."""

    def __init__(
        self,
        services: Services,
        prefill: BookingPrefill,
        *,
        questions: Questions | None = None,
        suggest_room: Callable[[datetime, datetime, int | None], int | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.prefill = prefill
        self.questions = questions or Questions(self)
        self.suggest_room = suggest_room
        self.result_record: AppointmentRecord | None = None
        self.tz = ZoneInfo(services.clinic.profile().timezone)
        self.service_list: list[ServiceRecord] = services.clinic.services()
        self.practitioners: list[PractitionerRecord] = services.clinic.practitioners()
        self.rooms: list[RoomRecord] = services.clinic.rooms()
        self._length_from_drag = prefill.ends_at is not None
        self.setWindowTitle("Book an appointment")
        self.setMinimumWidth(560)
        self._build()
        self._wire()
        self._fill(prefill)

    # -- building ----------------------------------------------------------------------

    def _build(self) -> None:
        self.patient_picker = PatientPicker(self.services)
        self.patient_picker.show_error = self.questions.show_error
        self.safety = SafetyNotes(
            self.services,
            "I have read these warnings",
            "Tick to confirm the safety warnings were seen",
        )
        self.safety_label, self.read_check = self.safety.label, self.safety.tick
        self.service_combo = service_combo(
            self.service_list, "The treatment; it sets the usual length"
        )
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.date_edit.setAccessibleName("Date")
        self.date_edit.setToolTip("The day of the appointment")
        self.time_edit = QTimeEdit()
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setAccessibleName("Start time")
        self.time_edit.setToolTip("When the appointment starts")
        self.length_spin = QSpinBox()
        self.length_spin.setRange(5, 480)
        self.length_spin.setSingleStep(5)
        self.length_spin.setSuffix(" min")
        self.length_spin.setAccessibleName("Length")
        self.length_spin.setToolTip("How long the appointment lasts")
        self.end_label = QLabel()
        self.end_label.setAccessibleName("End time")
        when = QHBoxLayout()
        when.addWidget(self.date_edit, 2)
        when.addWidget(self.time_edit, 1)
        when.addWidget(self.length_spin, 1)
        when.addWidget(self.end_label, 1)

        self.practitioner_combo = practitioner_combo(self.practitioners, "Who gives the treatment")
        self.room_combo = QComboBox()
        self.room_combo.setAccessibleName("Room")
        self.room_combo.setToolTip("Where the treatment takes place")
        self.room_combo.addItem("No room", None)
        for room in self.rooms:
            self.room_combo.addItem(room.name, room.id)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setAccessibleName("Notes")
        self.notes_edit.setToolTip("Anything the practitioner should know about this visit")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(self.fontMetrics().height() * 3 + 12)

        form = QFormLayout()
        form.setSpacing(8)
        patient_label = QLabel("&Patient:")
        patient_label.setBuddy(self.patient_picker.search_edit)
        form.addRow(patient_label, self.patient_picker)
        form.addRow("", self.safety_label)
        form.addRow("", self.read_check)
        form.addRow("&Service:", self.service_combo)
        when_label = QLabel("&When:")
        when_label.setBuddy(self.date_edit)
        form.addRow(when_label, when)
        form.addRow("P&ractitioner:", self.practitioner_combo)
        form.addRow("R&oom:", self.room_combo)
        form.addRow("&Notes:", self.notes_edit)

        self.buttons = QDialogButtonBox()
        self.book_button = self.buttons.addButton("Book", QDialogButtonBox.ButtonRole.AcceptRole)
        self.book_button.setToolTip("Book this appointment")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.book_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        order = [
            self.patient_picker.search_edit,
            self.patient_picker.results,
            self.read_check,
            self.service_combo,
            self.date_edit,
            self.time_edit,
            self.length_spin,
            self.practitioner_combo,
            self.room_combo,
            self.notes_edit,
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    def _wire(self) -> None:
        self.buttons.accepted.connect(self.book)
        self.buttons.rejected.connect(self.reject)
        self.patient_picker.patient_chosen.connect(self._patient_changed)
        self.patient_picker.accepted.connect(self.service_combo.setFocus)
        self.service_combo.currentIndexChanged.connect(self._service_changed)
        self.length_spin.valueChanged.connect(self._update_end)
        self.time_edit.timeChanged.connect(self._update_end)
        self.date_edit.dateChanged.connect(self._update_end)
        self.practitioner_combo.currentIndexChanged.connect(self._suggest_room)

    def _fill(self, prefill: BookingPrefill) -> None:
        local = prefill.starts_at.astimezone(self.tz)
        self.date_edit.setDate(QDate(local.year, local.month, local.day))
        self.time_edit.setTime(QTime(local.hour, local.minute))
        if prefill.service_id is None or not select_data(self.service_combo, prefill.service_id):
            select_follow_up(self.service_combo, self.service_list)
        if prefill.ends_at is not None:
            minutes = int((prefill.ends_at - prefill.starts_at).total_seconds() // 60)
            self.length_spin.setValue(max(5, minutes))
        else:
            self.length_spin.setValue(self.current_service().default_minutes)
        if prefill.practitioner_id is not None:
            select_data(self.practitioner_combo, prefill.practitioner_id)
        if prefill.room_id is not None:
            select_data(self.room_combo, prefill.room_id)
        else:
            self._suggest_room()
        if prefill.patient is not None:
            self.patient_picker.set_patient(prefill.patient)
        self._update_end()
        self.patient_picker.search_edit.setFocus()

    # -- reading the form --------------------------------------------------------------

    def current_service(self) -> ServiceRecord:
        return chosen_service(self.service_combo, self.service_list)

    def starts_at(self) -> datetime:
        qdate = self.date_edit.date()
        qtime = self.time_edit.time()
        day = date(qdate.year(), qdate.month(), qdate.day())
        return local_datetime(day, time(qtime.hour(), qtime.minute()), self.tz)

    def ends_at(self) -> datetime:
        return self.starts_at() + timedelta(minutes=self.length_spin.value())

    def request(self) -> BookingRequest | None:
        patient = self.patient_picker.patient
        if patient is None:
            return None
        return BookingRequest(
            patient_id=patient.id,
            service_id=self.current_service().id,
            practitioner_id=int(self.practitioner_combo.currentData()),
            starts_at=self.starts_at(),
            ends_at=self.ends_at(),
            room_id=self.room_combo.currentData(),
            notes=self.notes_edit.toPlainText(),
            acknowledged_warnings=self.safety.acknowledged,
        )

    # -- behaviour ---------------------------------------------------------------------

    def _update_end(self) -> None:
        end = self.ends_at().astimezone(self.tz)
        self.end_label.setText(f"until {end:%H:%M}")

    def _service_changed(self) -> None:
        if self._length_from_drag:
            self._length_from_drag = False  # the drag set the length once; a new service resets
        else:
            self.length_spin.setValue(self.current_service().default_minutes)
        if not self.current_service().needs_room:
            self.room_combo.setCurrentIndex(0)
        elif self.room_combo.currentData() is None:
            self._suggest_room()
        self._show_safety()

    def _suggest_room(self) -> None:
        if not self.current_service().needs_room:
            self.room_combo.setCurrentIndex(0)
            return
        room_id = None
        if self.suggest_room is not None:
            room_id = self.suggest_room(
                self.starts_at(), self.ends_at(), self.practitioner_combo.currentData()
            )
        if room_id is None and self.rooms:
            index = max(0, self.practitioner_combo.currentIndex()) % len(self.rooms)
            room_id = self.rooms[index].id
        select_data(self.room_combo, room_id)

    def _patient_changed(self, patient: PatientSummary | None) -> None:
        if patient is not None:
            self.service_combo.setFocus()
        self._show_safety()

    def _show_safety(self) -> None:
        patient = self.patient_picker.patient
        self.safety.show_for(patient.id if patient else None, self.current_service().kinds)

    def book(self) -> AppointmentRecord | None:
        """Book what the form says; asks the questions the booking raises."""
        request = self.request()
        if request is None:
            self.questions.show_error(
                ValidationError("Choose a patient first: type a few letters of the name.")
            )
            self.patient_picker.search_edit.setFocus()
            return None
        record = attempt(
            self.questions,
            lambda **options: self.services.appointments.book(replace(request, **options)),
            acknowledged_warnings=request.acknowledged_warnings,
        )
        if record is None:
            return None
        self.result_record = record
        self.accept()
        return record

    @classmethod
    def ask(
        cls,
        services: Services,
        prefill: BookingPrefill,
        parent: QWidget | None = None,
        *,
        questions: Questions | None = None,
        suggest_room: Callable[[datetime, datetime, int | None], int | None] | None = None,
        exec_dialog: ExecDialog = exec_modal,
    ) -> AppointmentRecord | None:
        """Show the dialog; the booked appointment, or None when nothing was booked."""
        dialog = cls(
            services, prefill, questions=questions, suggest_room=suggest_room, parent=parent
        )
        exec_dialog(dialog)
        return dialog.result_record
