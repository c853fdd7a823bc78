"""The top of an open patient: who they are, how to reach them, their attendance, and the
safety banner worked out from the latest intake."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.services.intakes import PatientFlags
from frontdesk.services.records import PatientRecord
from frontdesk.ui.models.patients import age_on, format_date
from frontdesk.ui.widgets.flag_banner import AMBER_FILL, AMBER_TEXT, FlagBanner


def attendance_text(record: PatientRecord) -> str:
    """ "2 no-shows · 1 late cancellation", or "" when there are none."""
    parts = []
    if record.no_show_count:
        parts.append(f"{record.no_show_count} no-show" + ("s" if record.no_show_count > 1 else ""))
    if record.late_cancel_count:
        parts.append(
            f"{record.late_cancel_count} late cancellation"
            + ("s" if record.late_cancel_count > 1 else "")
        )
    return " · ".join(parts)


class PatientHeader(QWidget):
    """Name, details line, attendance, actions and the flag banner."""

    edit_requested = Signal()
    archive_requested = Signal()
    merge_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record: PatientRecord | None = None
        self._build()
        self._wire()

    def _build(self) -> None:
        self.name_label = QLabel()
        self.name_label.setObjectName("patient_name")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setBold(True)
        self.name_label.setFont(font)
        self.details_label = QLabel()
        self.details_label.setObjectName("patient_details_line")
        self.details_label.setWordWrap(True)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.attendance_label = QLabel()
        self.attendance_label.setObjectName("patient_attendance")
        self.attendance_label.setStyleSheet(
            f"QLabel {{ background: {AMBER_FILL}; color: {AMBER_TEXT}; border-radius: 4px;"
            " padding: 2px 8px; }"
        )
        self.archived_label = QLabel("Archived")
        self.archived_label.setStyleSheet(
            f"QLabel {{ background: {AMBER_FILL}; color: {AMBER_TEXT}; border-radius: 4px;"
            " padding: 2px 8px; font-weight: bold; }"
        )
        self.edit_button = QPushButton("Edit details")
        self.edit_button.setObjectName("edit_patient")
        self.edit_button.setToolTip("Change the patient's name, contact and other details (Ctrl+E)")
        self.archive_button = QPushButton("Archive")
        self.archive_button.setObjectName("archive_patient")
        self.merge_button = QPushButton("Merge duplicate…")
        self.merge_button.setObjectName("merge_patient")
        self.merge_button.setToolTip("Move a duplicate record's history into this one")
        self.print_button = QToolButton()
        self.print_button.setText("Print")
        self.print_button.setObjectName("print_patient")
        self.print_button.setToolTip("Intake form, intake summary or progress report")
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.banner = FlagBanner()

        name_line = QHBoxLayout()
        name_line.setSpacing(8)
        name_line.addWidget(self.name_label)
        name_line.addWidget(self.archived_label)
        name_line.addWidget(self.attendance_label)
        name_line.addStretch(1)
        name_line.addWidget(self.edit_button)
        name_line.addWidget(self.archive_button)
        name_line.addWidget(self.merge_button)
        name_line.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(name_line)
        layout.addWidget(self.details_label)
        layout.addWidget(self.banner)

    def _wire(self) -> None:
        self.edit_button.clicked.connect(self.edit_requested)
        self.archive_button.clicked.connect(self.archive_requested)
        self.merge_button.clicked.connect(self.merge_requested)

    def set_patient(
        self, record: PatientRecord | None, flags: PatientFlags | None, today: date
    ) -> None:
        """Show a patient (None clears the header)."""
        self.record = record
        enabled = record is not None
        for button in (self.edit_button, self.archive_button, self.merge_button):
            button.setEnabled(enabled)
        if record is None:
            self.name_label.clear()
            self.details_label.clear()
            self.attendance_label.hide()
            self.archived_label.hide()
            self.banner.clear()
            return
        name = record.preferred_name or record.legal_name
        if record.other_script_name:
            name += f"  {record.other_script_name}"
        self.name_label.setText(name)
        self.details_label.setText(self.details_text(record, today))
        attendance = attendance_text(record)
        self.attendance_label.setText(attendance)
        self.attendance_label.setVisible(bool(attendance))
        self.archived_label.setVisible(record.archived)
        self.archive_button.setText("Restore" if record.archived else "Archive")
        self.archive_button.setToolTip(
            "Bring the patient back into searches"
            if record.archived
            else "Hide the patient from searches (nothing is deleted)"
        )
        if flags is None:
            self.banner.clear()
        else:
            self.banner.show_flags(flags.summary_line, flags.badges, flags.red_flags)

    @staticmethod
    def details_text(record: PatientRecord, today: date) -> str:
        """Legal name (when a preferred one leads), age and birth date, chart, phone."""
        parts = []
        if record.preferred_name and record.preferred_name != record.legal_name:
            parts.append(f"Legal name: {record.legal_name}")
        age = age_on(record.date_of_birth, today)
        if record.date_of_birth is not None:
            parts.append(f"{age} years (born {format_date(record.date_of_birth)})")
        parts.append(f"Chart {record.chart_number}")
        if record.phone:
            parts.append(f"Phone {record.phone}")
        return " · ".join(parts)
