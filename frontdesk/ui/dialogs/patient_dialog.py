"""Create or edit a patient: every field labelled, problems shown next to the field, and a
warning before creating someone who looks like a patient already on file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.enums import Sex
from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.hub import Services
from frontdesk.services.patients import LANGUAGES, DuplicateCandidate, PatientInput
from frontdesk.services.records import PatientRecord
from frontdesk.ui.errors import show_error
from frontdesk.ui.models.patients import format_date

#: problems are shown in this colour (dark red: passes WCAG AA on a light background)
ERROR_COLOUR = "#a4161a"

_SEX_LABELS = {
    Sex.UNKNOWN: "Not recorded",
    Sex.FEMALE: "Female",
    Sex.MALE: "Male",
    Sex.OTHER: "Other",
}


class DuplicateChoice(Enum):
    OPEN_EXISTING = "open_existing"
    CREATE_ANYWAY = "create_anyway"
    CANCEL = "cancel"


@dataclass(frozen=True)
class PatientDialogResult:
    """The saved patient, or (when the desk chose "Open existing") the one to open instead."""

    patient: PatientRecord | None = None
    open_existing_id: int | None = None

    @property
    def patient_id(self) -> int:
        if self.patient is not None:
            return self.patient.id
        assert self.open_existing_id is not None
        return self.open_existing_id


def duplicate_message(candidates: Sequence[DuplicateCandidate]) -> str:
    """The question asked before creating a look-alike, in the desk's words."""
    first = candidates[0]
    born = format_date(first.patient.date_of_birth)
    who = first.patient.display_name + (f", born {born}" if born else "")
    text = f"This looks like {who} ({first.reason}). Open that record instead?"
    if len(candidates) > 1:
        others = ", ".join(c.patient.display_name for c in candidates[1:4])
        text += f"\n\nAlso similar: {others}."
    return text


class PatientDialog(QDialog):
    """The patient form; ``ask`` returns what was saved or chosen, or None when cancelled."""

    def __init__(
        self,
        services: Services,
        patient: PatientRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.patient = patient
        self.result_value: PatientDialogResult | None = None
        self.setWindowTitle("Edit patient" if patient else "New patient")
        self.setMinimumWidth(520)
        self._errors: dict[str, QLabel] = {}
        self._build()
        self._wire()
        if patient is not None:
            self._fill(patient)
        self.legal_name_edit.setFocus()

    # -- building --------------------------------------------------------------------------

    def _line(self, name: str, accessible: str, tooltip: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setToolTip(tooltip)
        if placeholder:
            edit.setPlaceholderText(placeholder)
        return edit

    def _build(self) -> None:
        self.legal_name_edit = self._line(
            "legal_name", "Legal name", "The name on official documents (required)"
        )
        self.preferred_name_edit = self._line(
            "preferred_name", "Preferred name", "What the patient likes to be called"
        )
        self.other_script_edit = self._line(
            "other_script_name",
            "Name in another script",
            "The name as written in Chinese, Greek, Cyrillic or another script",
            "e.g. 王小明",
        )
        self.date_of_birth_edit = self._line(
            "date_of_birth",
            "Date of birth",
            "Write it as 1956-03-14 or 14.03.1956 (day.month.year)",
            "1956-03-14 or 14.03.1956",
        )
        self.sex_combo = QComboBox()
        self.sex_combo.setAccessibleName("Sex")
        self.sex_combo.setToolTip("The patient's sex, if they told us")
        for sex, label in _SEX_LABELS.items():
            self.sex_combo.addItem(label, sex.value)
        self.phone_edit = self._line(
            "phone", "Phone", "Any format: 07700 900123, +44 7700 900123 ...", "07700 900123"
        )
        self.email_edit = self._line("email", "E-mail", "Where reminders and letters can go")
        self.address_edit = QPlainTextEdit()
        self.address_edit.setObjectName("address")
        self.address_edit.setAccessibleName("Address")
        self.address_edit.setToolTip("Postal address")
        self.address_edit.setTabChangesFocus(True)
        self.address_edit.setFixedHeight(56)
        self.emergency_name_edit = self._line(
            "emergency_contact_name", "Emergency contact", "Who to call in an emergency"
        )
        self.emergency_phone_edit = self._line(
            "emergency_contact_phone", "Emergency contact phone", "Their phone number"
        )
        self.language_combo = QComboBox()
        self.language_combo.setAccessibleName("Preferred language")
        self.language_combo.setToolTip("Language for handouts and letters")
        for code, label in LANGUAGES.items():
            self.language_combo.addItem(label, code)
        self.chart_edit = self._line(
            "chart_number",
            "Chart number",
            "Leave empty to have the next number assigned",
            "assigned automatically",
        )
        self.referral_edit = self._line(
            "referral_source", "How they heard of us", "GP, friend, website, podiatrist ..."
        )

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        rows: list[tuple[str, str, QWidget]] = [
            ("&Legal name *:", "legal_name", self.legal_name_edit),
            ("&Preferred name:", "preferred_name", self.preferred_name_edit),
            ("Name in &other script:", "other_script_name", self.other_script_edit),
            ("&Date of birth:", "date_of_birth", self.date_of_birth_edit),
            ("Se&x:", "sex", self.sex_combo),
            ("P&hone:", "phone", self.phone_edit),
            ("&E-mail:", "email", self.email_edit),
            ("&Address:", "address", self.address_edit),
            ("Emergency &contact:", "emergency_contact_name", self.emergency_name_edit),
            ("Emergency pho&ne:", "emergency_contact_phone", self.emergency_phone_edit),
            ("Lan&guage:", "preferred_language", self.language_combo),
            ("Char&t number:", "chart_number", self.chart_edit),
            ("&Heard of us via:", "referral_source", self.referral_edit),
        ]
        self._fields: dict[str, QWidget] = {}
        for label_text, key, widget in rows:
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            box.addWidget(widget)
            error = QLabel()
            error.setObjectName(f"{key}_error")
            error.setWordWrap(True)
            error.setStyleSheet(f"color: {ERROR_COLOUR};")
            error.hide()
            box.addWidget(error)
            label = QLabel(label_text)
            label.setBuddy(widget)
            form.addRow(label, holder)
            self._errors[key] = error
            self._fields[key] = widget

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setToolTip("Save the patient (Ctrl+S)")
        self.save_button.setShortcut("Ctrl+S")
        self.general_error = QLabel()
        self.general_error.setWordWrap(True)
        self.general_error.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.general_error.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def _wire(self) -> None:
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        for key, widget in self._fields.items():
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(lambda _text, k=key: self.clear_error(k))

    def _fill(self, patient: PatientRecord) -> None:
        self.legal_name_edit.setText(patient.legal_name)
        self.preferred_name_edit.setText(patient.preferred_name)
        self.other_script_edit.setText(patient.other_script_name)
        self.date_of_birth_edit.setText(
            patient.date_of_birth.isoformat() if patient.date_of_birth else ""
        )
        self.sex_combo.setCurrentIndex(max(0, self.sex_combo.findData(patient.sex.value)))
        self.phone_edit.setText(patient.phone)
        self.email_edit.setText(patient.email)
        self.address_edit.setPlainText(patient.address)
        self.emergency_name_edit.setText(patient.emergency_contact_name)
        self.emergency_phone_edit.setText(patient.emergency_contact_phone)
        self.language_combo.setCurrentIndex(
            max(0, self.language_combo.findData(patient.preferred_language))
        )
        self.chart_edit.setText(patient.chart_number)
        self.referral_edit.setText(patient.referral_source)

    # -- reading and saving ---------------------------------------------------------------

    def patient_input(self) -> PatientInput:
        """What is in the form, as the service takes it."""
        return PatientInput(
            legal_name=self.legal_name_edit.text(),
            preferred_name=self.preferred_name_edit.text(),
            other_script_name=self.other_script_edit.text(),
            date_of_birth=self.date_of_birth_edit.text() or None,
            sex=str(self.sex_combo.currentData()),
            phone=self.phone_edit.text(),
            email=self.email_edit.text(),
            address=self.address_edit.toPlainText(),
            emergency_contact_name=self.emergency_name_edit.text(),
            emergency_contact_phone=self.emergency_phone_edit.text(),
            preferred_language=str(self.language_combo.currentData()),
            chart_number=self.chart_edit.text(),
            referral_source=self.referral_edit.text(),
        )

    def error_text(self, key: str) -> str:
        """The problem shown next to a field ("" when none), for tests and screen readers."""
        label = self._errors.get(key)
        return label.text() if label is not None and label.isVisible() else ""

    def clear_error(self, key: str) -> None:
        label = self._errors.get(key)
        if label is not None:
            label.clear()
            label.hide()

    def show_field_error(self, error: FrontdeskError) -> None:
        """Put the message next to the field it is about and move the focus there."""
        for key in self._errors:
            self.clear_error(key)
        self.general_error.hide()
        label = self._errors.get(error.field or "")
        if label is None:
            self.general_error.setText(error.message)
            self.general_error.show()
            return
        label.setText(error.message)
        label.show()
        widget = self._fields[error.field or ""]
        widget.setAccessibleDescription(error.message)
        widget.setFocus()
        if isinstance(widget, QLineEdit):
            widget.selectAll()

    def duplicate_box(self, candidates: Sequence[DuplicateCandidate]) -> QMessageBox:
        """The "this looks like ..." question, with Open existing / Create anyway / Cancel."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Possible duplicate")
        box.setText(duplicate_message(candidates))
        box.setObjectName("duplicate_box")
        self._open_button = box.addButton("Open existing", QMessageBox.ButtonRole.AcceptRole)
        self._create_button = box.addButton("Create anyway", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(self._open_button)
        return box

    def ask_about_duplicates(self, candidates: Sequence[DuplicateCandidate]) -> DuplicateChoice:
        box = self.duplicate_box(candidates)
        box.exec()
        clicked = box.clickedButton()
        if clicked is self._open_button:
            return DuplicateChoice.OPEN_EXISTING
        if clicked is self._create_button:
            return DuplicateChoice.CREATE_ANYWAY
        return DuplicateChoice.CANCEL

    def save(self) -> None:
        data = self.patient_input()
        try:
            if self.patient is None:
                candidates = self.services.patients.find_similar(data)
                if candidates:
                    choice = self.ask_about_duplicates(candidates)
                    if choice is DuplicateChoice.CANCEL:
                        return
                    if choice is DuplicateChoice.OPEN_EXISTING:
                        self.result_value = PatientDialogResult(
                            open_existing_id=candidates[0].patient.id
                        )
                        self.accept()
                        return
                saved = self.services.patients.create(data)
            else:
                saved = self.services.patients.update(self.patient.id, self.patient.version, data)
        except FrontdeskError as error:
            if error.field:
                self.show_field_error(error)
            else:
                show_error(self, error, "Cannot save the patient")
            return
        self.result_value = PatientDialogResult(patient=saved)
        self.accept()

    @classmethod
    def ask(
        cls,
        services: Services,
        patient: PatientRecord | None = None,
        parent: QWidget | None = None,
    ) -> PatientDialogResult | None:
        """Show the form (new patient when ``patient`` is None); None when cancelled."""
        dialog = cls(services, patient, parent)
        dialog.exec()
        return dialog.result_value
