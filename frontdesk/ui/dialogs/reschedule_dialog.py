"""Reschedule an appointment to another day, time, practitioner or room.

The free times of the chosen day (for the chosen practitioner) are listed so the desk can
pick one instead of guessing; any time can still be typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import FrontdeskError
from frontdesk.domain.scheduling import local_datetime
from frontdesk.services.records import AppointmentRecord

if TYPE_CHECKING:
    from frontdesk.services.hub import Services


@dataclass(frozen=True)
class RescheduleResult:
    """Where the appointment should go (``room_id`` None: no room)."""

    starts_at: datetime
    practitioner_id: int
    room_id: int | None


class RescheduleDialog(QDialog):
    """Pick a new place for an appointment; its length stays the same."""

    def __init__(
        self, services: Services, record: AppointmentRecord, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.record = record
        self.result_value: RescheduleResult | None = None
        self.tz = ZoneInfo(services.clinic.profile().timezone)
        self.setWindowTitle("Reschedule appointment")
        self.setMinimumWidth(460)
        self._build()
        self._wire()
        self._fill()

    def _build(self) -> None:
        start = self.record.starts_at.astimezone(self.tz)
        self.summary = QLabel(
            f"<b>{_escape(self.record.patient_name)}</b>, {_escape(self.record.service_name)}"
            f"<br>Now: {start:%a} {start.day} {start:%b} at {start:%H:%M} with "
            f"{_escape(self.record.practitioner_name)}"
        )
        self.summary.setWordWrap(True)
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.date_edit.setAccessibleName("New date")
        self.date_edit.setToolTip("The new day")
        self.practitioner_combo = QComboBox()
        self.practitioner_combo.setAccessibleName("Practitioner")
        self.practitioner_combo.setToolTip("Who gives the treatment")
        for practitioner in self.services.clinic.practitioners():
            self.practitioner_combo.addItem(practitioner.name, practitioner.id)
        self.free_combo = QComboBox()
        self.free_combo.setAccessibleName("Free times")
        self.free_combo.setToolTip(
            "Free times that day with this practitioner; picking one sets the time"
        )
        self.time_edit = QTimeEdit()
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setAccessibleName("New start time")
        self.time_edit.setToolTip("The new start time")
        self.room_combo = QComboBox()
        self.room_combo.setAccessibleName("Room")
        self.room_combo.setToolTip("Where the treatment takes place")
        self.room_combo.addItem("No room", None)
        for room in self.services.clinic.rooms():
            self.room_combo.addItem(room.name, room.id)
        form = QFormLayout()
        form.setSpacing(8)
        form.addRow("&Date:", self.date_edit)
        form.addRow("&Practitioner:", self.practitioner_combo)
        form.addRow("&Free times:", self.free_combo)
        form.addRow("&Start:", self.time_edit)
        form.addRow("&Room:", self.room_combo)
        self.buttons = QDialogButtonBox()
        self.move_button = self.buttons.addButton("Move", QDialogButtonBox.ButtonRole.AcceptRole)
        self.move_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def _wire(self) -> None:
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        self.date_edit.dateChanged.connect(self._load_free_times)
        self.practitioner_combo.currentIndexChanged.connect(self._load_free_times)
        self.free_combo.activated.connect(self._free_time_picked)

    def _fill(self) -> None:
        start = self.record.starts_at.astimezone(self.tz)
        self.date_edit.setDate(QDate(start.year, start.month, start.day))
        self.time_edit.setTime(QTime(start.hour, start.minute))
        index = self.practitioner_combo.findData(self.record.practitioner_id)
        self.practitioner_combo.setCurrentIndex(max(0, index))
        self.room_combo.setCurrentIndex(max(0, self.room_combo.findData(self.record.room_id)))
        self._load_free_times()

    def chosen_day(self) -> date:
        qdate = self.date_edit.date()
        return date(qdate.year(), qdate.month(), qdate.day())

    def _load_free_times(self) -> None:
        self.free_combo.clear()
        finder = getattr(self.services.appointments, "free_slots", None)
        if finder is None:
            self.free_combo.addItem("Type a time below")
            return
        length = int((self.record.ends_at - self.record.starts_at).total_seconds() // 60)
        try:
            slots = finder(
                self.chosen_day(),
                self.record.service_id,
                self.practitioner_combo.currentData(),
                duration_minutes=length,
            )
        except FrontdeskError:
            slots = []
        if not slots:
            self.free_combo.addItem("Nothing free that day")
            return
        self.free_combo.addItem(f"{len(slots)} free times: pick one")
        for _practitioner_id, room_id, interval in slots:
            local = interval.start.astimezone(self.tz)
            self.free_combo.addItem(f"{local:%H:%M}", (local.hour, local.minute, room_id))

    def _free_time_picked(self, index: int) -> None:
        data = self.free_combo.itemData(index)
        if not data:
            return
        hour, minute, room_id = data
        self.time_edit.setTime(QTime(hour, minute))
        if room_id is not None:
            self.room_combo.setCurrentIndex(max(0, self.room_combo.findData(room_id)))

    def result_from_form(self) -> RescheduleResult:
        qtime = self.time_edit.time()
        starts = local_datetime(self.chosen_day(), time(qtime.hour(), qtime.minute()), self.tz)
        return RescheduleResult(
            starts.astimezone(self.tz),
            int(self.practitioner_combo.currentData()),
            self.room_combo.currentData(),
        )

    def confirm(self) -> None:
        self.result_value = self.result_from_form()
        self.accept()

    @classmethod
    def ask(
        cls,
        services: Services,
        record: AppointmentRecord,
        parent: QWidget | None = None,
        *,
        exec_dialog: Callable[[QDialog], int] = lambda d: d.exec(),
    ) -> RescheduleResult | None:
        """The new place, or None when nothing should change."""
        dialog = cls(services, record, parent)
        exec_dialog(dialog)
        return dialog.result_value


def _escape(text: str) -> str:
    from html import escape

    return escape(text)
