"""Cancel an appointment: the reason is required, and a late cancellation is said so."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from frontdesk.services.records import AppointmentRecord

COMMON_REASONS = (
    "Unwell",
    "Work or family commitment",
    "Transport problem",
    "Feeling better, no longer needed",
    "Booked by mistake",
    "Clinic cancelled (practitioner unavailable)",
)


class CancelDialog(QDialog):
    """Asks why; the reason is written to the appointment and the audit trail."""

    def __init__(
        self,
        record: AppointmentRecord,
        *,
        now: datetime,
        tz: ZoneInfo,
        late_cancel_hours: int = 24,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.record = record
        self.late = record.starts_at - now < timedelta(hours=late_cancel_hours)
        self.late_cancel_hours = late_cancel_hours
        self.reason: str | None = None
        self.setWindowTitle("Cancel appointment")
        self.setMinimumWidth(440)
        self._build(tz)
        self._wire()
        self._update()

    def _build(self, tz: ZoneInfo) -> None:
        start = self.record.starts_at.astimezone(tz)
        summary = QLabel(
            f"<b>{_escape(self.record.patient_name)}</b><br>"
            f"{start:%a} {start.day} {start:%b} at {start:%H:%M}, "
            f"{_escape(self.record.service_name)} with {_escape(self.record.practitioner_name)}"
        )
        summary.setWordWrap(True)
        self.late_label = QLabel(
            f"<b>Late cancellation:</b> less than {self.late_cancel_hours} hours before the "
            "appointment. It will be counted on the patient's record."
        )
        self.late_label.setWordWrap(True)
        self.late_label.setStyleSheet("color: #9B1C1C")
        self.late_label.setAccessibleName("Late cancellation notice")
        self.late_label.setVisible(self.late)
        self.reason_combo = QComboBox()
        self.reason_combo.setEditable(True)
        self.reason_combo.addItems(COMMON_REASONS)
        self.reason_combo.setCurrentIndex(-1)
        self.reason_combo.setCurrentText("")
        self.reason_combo.setAccessibleName("Reason for cancelling")
        self.reason_combo.setToolTip("Choose a reason or type your own")
        self.reason_combo.lineEdit().setPlaceholderText("Why is it cancelled?")
        form = QFormLayout()
        form.addRow("&Reason:", self.reason_combo)
        self.buttons = QDialogButtonBox()
        self.cancel_button = self.buttons.addButton(
            "Cancel appointment", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button.setDefault(True)
        keep = self.buttons.addButton("Keep it", QDialogButtonBox.ButtonRole.RejectRole)
        keep.setToolTip("Close without cancelling")
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(summary)
        layout.addWidget(self.late_label)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.reason_combo.setFocus()

    def _wire(self) -> None:
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        self.reason_combo.currentTextChanged.connect(self._update)

    def _update(self) -> None:
        self.cancel_button.setEnabled(bool(self.reason_combo.currentText().strip()))

    def set_reason(self, text: str) -> None:
        self.reason_combo.setCurrentText(text)

    def confirm(self) -> None:
        text = self.reason_combo.currentText().strip()
        if not text:
            return
        self.reason = text
        self.accept()

    @classmethod
    def ask(
        cls,
        record: AppointmentRecord,
        *,
        now: datetime,
        tz: ZoneInfo,
        late_cancel_hours: int = 24,
        parent: QWidget | None = None,
        exec_dialog: Callable[[QDialog], int] = lambda d: d.exec(),
    ) -> str | None:
        """The reason given, or None when the appointment is kept."""
        dialog = cls(record, now=now, tz=tz, late_cancel_hours=late_cancel_hours, parent=parent)
        exec_dialog(dialog)
        return dialog.reason


def _escape(text: str) -> str:
    from html import escape

    return escape(text)
