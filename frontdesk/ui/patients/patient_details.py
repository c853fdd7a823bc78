"""The Details tab: everything the desk keeps about who the patient is, read only (Edit
opens the form)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from frontdesk.services.patients import LANGUAGES
from frontdesk.services.records import PatientRecord
from frontdesk.ui.models.patients import format_date

_ROWS = (
    ("legal_name", "Legal name"),
    ("preferred_name", "Preferred name"),
    ("other_script_name", "Name in other script"),
    ("date_of_birth", "Date of birth"),
    ("sex", "Sex"),
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("address", "Address"),
    ("emergency_contact", "Emergency contact"),
    ("preferred_language", "Preferred language"),
    ("chart_number", "Chart number"),
    ("referral_source", "Heard of us via"),
    ("registered", "Registered"),
)


def detail_values(record: PatientRecord) -> dict[str, str]:
    """Each row's text, as shown."""
    emergency = record.emergency_contact_name
    if record.emergency_contact_phone:
        emergency = f"{emergency} ({record.emergency_contact_phone})".strip()
    return {
        "legal_name": record.legal_name,
        "preferred_name": record.preferred_name,
        "other_script_name": record.other_script_name,
        "date_of_birth": format_date(record.date_of_birth),
        "sex": "" if record.sex.value == "unknown" else record.sex.value,
        "phone": record.phone,
        "email": record.email,
        "address": record.address,
        "emergency_contact": emergency,
        "preferred_language": LANGUAGES.get(record.preferred_language, record.preferred_language),
        "chart_number": record.chart_number,
        "referral_source": record.referral_source,
        "registered": format_date(record.created_at.date()),
    }


class PatientDetails(QWidget):
    """Labels for each detail; empty ones say "not recorded"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: dict[str, QLabel] = {}
        holder = QWidget()
        form = QFormLayout(holder)
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(8)
        for key, title in _ROWS:
            value = QLabel()
            value.setObjectName(f"detail_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(title)
            form.addRow(f"{title}:", value)
            self.values[key] = value
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def set_patient(self, record: PatientRecord | None) -> None:
        texts = detail_values(record) if record is not None else {}
        for key, label in self.values.items():
            text = texts.get(key, "")
            label.setText(text or "not recorded")
            # a muted but readable grey (a disabled label would fail the contrast check)
            label.setStyleSheet("" if text else "QLabel { color: #5f6b7a; font-style: italic; }")
