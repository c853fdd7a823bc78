"""Book a course of treatment: choose its shape, see where each session goes, then book.

Nothing is saved until Book: the preview table places every session in a free slot near
the wanted time, and lists in red the sessions that have no place, with the reason. Book
saves the course and every placed session at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.courses import COURSE_PRESETS
from frontdesk.domain.errors import FrontdeskError
from frontdesk.domain.scheduling import DAY_NAMES
from frontdesk.services.records import AppointmentRecord, ServiceRecord
from frontdesk.ui.calendar.questions import Questions, attempt
from frontdesk.ui.dialogs.booking_dialog import BookingPrefill, exec_modal
from frontdesk.ui.models.calendar_course_preview import CoursePreviewModel, rows_from_preview
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

CUSTOM = "custom"


class CourseDialog(QDialog):
    """Patient, service, practitioner and the course's shape; a preview; Book saves all."""

    def __init__(
        self,
        services: Services,
        courses: Any,
        *,
        questions: Questions | None = None,
        prefill: BookingPrefill | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.courses = courses
        self.questions = questions or Questions(self)
        self.tz = ZoneInfo(services.clinic.profile().timezone)
        self.service_list: list[ServiceRecord] = services.clinic.services()
        self.preview_value: Any = None
        self.booked: list[AppointmentRecord] = []
        self.setWindowTitle("Book a course")
        self.setMinimumSize(640, 600)
        self.model = CoursePreviewModel(self.tz, self)
        self._build()
        self._wire()
        self._fill(prefill)

    # -- building ----------------------------------------------------------------------

    def _build(self) -> None:
        self.patient_picker = PatientPicker(self.services)
        self.patient_picker.show_error = self.questions.show_error
        self.safety = SafetyNotes(
            self.services,
            "I have read the safety warnings",
            "Tick to confirm the warnings were seen before booking",
        )
        self.safety_label, self.read_check = self.safety.label, self.safety.tick
        self.service_combo = service_combo(self.service_list, "The treatment of every session")
        self.practitioner_combo = practitioner_combo(
            self.services.clinic.practitioners(), "The same practitioner for every session"
        )
        self.preset_combo = QComboBox()
        self.preset_combo.setAccessibleName("Course shape")
        self.preset_combo.setToolTip("A usual course shape; every number can still be changed")
        self.preset_combo.addItem("My own numbers", CUSTOM)
        for preset in COURSE_PRESETS:
            label = preset.label + (" (clinic policy)" if preset.clinic_policy else "")
            self.preset_combo.addItem(label, preset.key)
        self.sessions_spin = _spin(1, 100, "Sessions", "How many sessions in the course")
        self.per_week_spin = _spin(1, 7, "Sessions a week", "How many sessions each week")
        self.weeks_spin = _spin(0, 100, "Weeks", "Spread over this many weeks (0: as needed)")
        self.weeks_spin.setSpecialValueText("as needed")
        self.weekday_checks: list[QCheckBox] = []
        weekdays = QHBoxLayout()
        weekdays.setSpacing(4)
        for number, name in enumerate(DAY_NAMES):
            check = QCheckBox(name[:3])
            check.setAccessibleName(name)
            check.setToolTip(
                f"Sessions on {name}s; leave all unticked to spread them over working days"
            )
            self.weekday_checks.append(check)
            weekdays.addWidget(check)
            check.setProperty("weekday", number)
        weekdays.addStretch(1)
        self.first_day_edit = QDateEdit()
        self.first_day_edit.setCalendarPopup(True)
        self.first_day_edit.setDisplayFormat("ddd d MMM yyyy")
        self.first_day_edit.setAccessibleName("First day")
        self.first_day_edit.setToolTip("The course starts on this day")
        self.around_edit = QTimeEdit()
        self.around_edit.setDisplayFormat("HH:mm")
        self.around_edit.setAccessibleName("Around")
        self.around_edit.setToolTip("The preferred start time of each session")
        self.leeway_spin = _spin(0, 720, "Leeway", "How far from that time a session may start")
        self.leeway_spin.setSingleStep(15)
        self.leeway_spin.setSuffix(" min")
        self.preview_button = QPushButton("&Preview")
        self.preview_button.setToolTip("Place every session without saving anything")
        self.preview_button.setAutoDefault(False)
        self.status_label = QLabel("Choose the patient and the course, then Preview.")
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName("Preview result")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Course sessions")
        self.table.setToolTip("Where each session goes; sessions in red have no place")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)

        numbers = QHBoxLayout()
        numbers.setSpacing(8)
        for label, widget in (
            ("&Sessions", self.sessions_spin),
            ("Per &week", self.per_week_spin),
            ("Ove&r", self.weeks_spin),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            numbers.addWidget(caption)
            numbers.addWidget(widget)
        numbers.addStretch(1)
        when = QHBoxLayout()
        when.addWidget(self.first_day_edit)
        around_label = QLabel("&around")
        around_label.setBuddy(self.around_edit)
        when.addWidget(around_label)
        when.addWidget(self.around_edit)
        leeway_label = QLabel("give or &take")
        leeway_label.setBuddy(self.leeway_spin)
        when.addWidget(leeway_label)
        when.addWidget(self.leeway_spin)
        when.addStretch(1)

        form = QFormLayout()
        form.setSpacing(8)
        patient_label = QLabel("&Patient:")
        patient_label.setBuddy(self.patient_picker.search_edit)
        form.addRow(patient_label, self.patient_picker)
        form.addRow("", self.safety_label)
        form.addRow("Ser&vice:", self.service_combo)
        form.addRow("Pra&ctitioner:", self.practitioner_combo)
        form.addRow("Course s&hape:", self.preset_combo)
        form.addRow("", numbers)
        form.addRow("Days:", weekdays)
        from_label = QLabel("&From:")
        from_label.setBuddy(self.first_day_edit)
        form.addRow(from_label, when)

        self.buttons = QDialogButtonBox()
        self.book_button = self.buttons.addButton(
            "Book the course", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.book_button.setToolTip("Book every placed session")
        self.book_button.setEnabled(False)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        preview_row = QHBoxLayout()
        preview_row.addWidget(self.preview_button)
        preview_row.addWidget(self.status_label, 1)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(form)
        layout.addLayout(preview_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.read_check)
        layout.addWidget(self.buttons)

    def _wire(self) -> None:
        self.buttons.accepted.connect(self.book)
        self.buttons.rejected.connect(self.reject)
        self.preview_button.clicked.connect(self.preview)
        self.service_combo.currentIndexChanged.connect(self._update_safety)
        self.preset_combo.currentIndexChanged.connect(self._preset_changed)
        self.patient_picker.patient_chosen.connect(self._patient_chosen)
        for widget in (self.sessions_spin, self.per_week_spin, self.weeks_spin, self.leeway_spin):
            widget.valueChanged.connect(self._stale)
        for combo in (self.service_combo, self.practitioner_combo):
            combo.currentIndexChanged.connect(self._stale)
        self.first_day_edit.dateChanged.connect(self._stale)
        self.around_edit.timeChanged.connect(self._stale)
        for check in self.weekday_checks:
            check.toggled.connect(self._stale)

    def _fill(self, prefill: BookingPrefill | None) -> None:
        self.sessions_spin.setValue(12)
        self.per_week_spin.setValue(2)
        self.weeks_spin.setValue(0)
        self.leeway_spin.setValue(120)
        today = self.services.clock().astimezone(self.tz)
        start = prefill.starts_at.astimezone(self.tz) if prefill else today
        self.first_day_edit.setDate(QDate(start.year, start.month, start.day))
        around = start if prefill else today.replace(hour=10, minute=0)
        self.around_edit.setTime(QTime(around.hour, around.minute))
        if prefill is None or not select_data(self.service_combo, prefill.service_id):
            select_follow_up(self.service_combo, self.service_list)
        if prefill and prefill.practitioner_id is not None:
            select_data(self.practitioner_combo, prefill.practitioner_id)
        if prefill and prefill.patient is not None:
            self.patient_picker.set_patient(prefill.patient)
        self.patient_picker.search_edit.setFocus()

    # -- reading -----------------------------------------------------------------------

    def current_service(self) -> ServiceRecord:
        return chosen_service(self.service_combo, self.service_list)

    def weekdays(self) -> tuple[int, ...] | None:
        chosen = tuple(i for i, check in enumerate(self.weekday_checks) if check.isChecked())
        return chosen or None

    def set_weekdays(self, days: tuple[int, ...]) -> None:
        for number, check in enumerate(self.weekday_checks):
            check.setChecked(number in days)

    def params(self) -> Any:
        from frontdesk.services.courses import CourseParams

        qdate = self.first_day_edit.date()
        qtime = self.around_edit.time()
        return CourseParams(
            first_day=date(qdate.year(), qdate.month(), qdate.day()),
            sessions=self.sessions_spin.value(),
            per_week=self.per_week_spin.value(),
            around=time(qtime.hour(), qtime.minute()),
            weekdays=self.weekdays(),
            flexibility_minutes=self.leeway_spin.value(),
            weeks=self.weeks_spin.value() or None,
        )

    # -- behaviour ---------------------------------------------------------------------

    def _preset_changed(self) -> None:
        key = self.preset_combo.currentData()
        preset = next((p for p in COURSE_PRESETS if p.key == key), None)
        if preset is None:
            return
        self.sessions_spin.setValue(preset.sessions)
        self.per_week_spin.setValue(preset.per_week)
        self.weeks_spin.setValue(preset.weeks)
        if preset.service is not None:
            service = next((s for s in self.service_list if s.kind is preset.service), None)
            if service is not None:
                select_data(self.service_combo, service.id)
        if self.weekdays() is not None and len(self.weekdays() or ()) != preset.per_week:
            self.set_weekdays(())
        if preset.note:
            self.status_label.setText(preset.note)

    def _patient_chosen(self, _patient: object) -> None:
        self._stale()
        self._update_safety()

    def _update_safety(self) -> None:
        """The patient's flags for the service chosen (a preset may change the service)."""
        patient = self.patient_picker.patient
        self.safety.show_for(patient.id if patient else None, self.current_service().kinds)

    def _stale(self) -> None:
        if self.preview_value is not None:
            self.preview_value = None
            self.model.clear()
            self.status_label.setText("Something changed: Preview again before booking.")
        self.book_button.setEnabled(False)
        self.book_button.setDefault(False)
        self.preview_button.setDefault(True)

    def preview(self) -> Any:
        """Place the sessions; nothing is saved."""
        patient = self.patient_picker.patient
        if patient is None:
            self.status_label.setText("Choose the patient first.")
            return None
        try:
            preview = self.courses.preview(
                patient.id,
                self.current_service().id,
                int(self.practitioner_combo.currentData()),
                self.params(),
            )
        except FrontdeskError as error:
            self.preview_value = None
            self.model.clear()
            self.status_label.setText(
                f"<span style='color:#B3261E'>{_escape(error.message)}</span>"
            )
            self.book_button.setEnabled(False)
            return None
        self.preview_value = preview
        self.model.set_rows(rows_from_preview(preview, self.tz))
        placed, missing = len(preview.placed), len(preview.unplaced)
        if missing:
            self.status_label.setText(
                f"<b>{placed}</b> sessions placed; <span style='color:#B3261E'><b>{missing}</b> "
                "without a place</span> (in red). Book the placed ones and find the others "
                "a time later, or change the days or time and Preview again."
            )
        else:
            self.status_label.setText(f"All <b>{placed}</b> sessions placed.")
        self.book_button.setEnabled(placed > 0)
        self.preview_button.setDefault(False)
        self.book_button.setDefault(True)
        return preview

    def book(self) -> list[AppointmentRecord]:
        """Book every placed session of the preview (all or nothing)."""
        if self.preview_value is None and self.preview() is None:
            return []
        preview = self.preview_value
        acknowledged = self.safety.acknowledged
        course_id = attempt(
            self.questions,
            lambda **options: self.courses.book(preview, **options),
            accepts=frozenset({"acknowledged_warnings", "override_reason"}),
            acknowledged_warnings=acknowledged,
        )
        if course_id is None:
            return []
        try:
            self.booked = [r for r in self.courses.sessions(course_id) if r.status.occupies_time]
        except FrontdeskError:
            self.booked = []
        self.accept()
        return self.booked

    @classmethod
    def ask(
        cls,
        services: Services,
        courses: Any,
        parent: QWidget | None = None,
        *,
        questions: Questions | None = None,
        prefill: BookingPrefill | None = None,
        exec_dialog: Callable[[QDialog], int] = exec_modal,
    ) -> list[AppointmentRecord]:
        """The booked sessions (empty when nothing was booked)."""
        dialog = cls(services, courses, questions=questions, prefill=prefill, parent=parent)
        exec_dialog(dialog)
        return dialog.booked


def _spin(low: int, high: int, name: str, tip: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setAccessibleName(name)
    spin.setToolTip(tip)
    return spin


def _escape(text: str) -> str:
    from html import escape

    return escape(text)
