"""A walk-in in a few key presses: find the patient, keep the service, book and check in.

The focus starts in the search box. After typing a few letters: Down picks the first match,
Enter chooses the patient, Enter keeps the service (the one used last, or the clinic's
follow-up), Enter books the earliest free place from now and checks the patient in. When
the patient's safety flags need an acknowledgement, the tick box comes first (Space).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import FrontdeskError, ValidationError
from frontdesk.services.records import AppointmentRecord, PatientSummary, ServiceRecord
from frontdesk.ui.calendar.questions import Questions, attempt
from frontdesk.ui.dialogs.booking_dialog import exec_modal
from frontdesk.ui.widgets.booking_fields import (
    SafetyNotes,
    chosen_service,
    select_data,
    select_follow_up,
    service_combo,
)
from frontdesk.ui.widgets.patient_picker import PatientPicker

if TYPE_CHECKING:
    from frontdesk.services.hub import Services


@dataclass
class _Proposal:
    """What the dialog shows of the walk-in service's proposal."""

    value: Any  # WalkInProposal
    text: str


class WalkInDialog(QDialog):
    """Book a walk-in at the earliest free place from now and check them in."""

    def __init__(
        self,
        services: Services,
        walk_ins: Any,
        *,
        questions: Questions | None = None,
        last_service_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.walk_ins = walk_ins
        self.questions = questions or Questions(self)
        self.tz = ZoneInfo(services.clinic.profile().timezone)
        self.service_list: list[ServiceRecord] = services.clinic.services()
        self.proposal: _Proposal | None = None
        self.result_record: AppointmentRecord | None = None
        self.setWindowTitle("Walk-in")
        self.setMinimumWidth(520)
        self._build()
        self._wire()
        self._choose_default_service(last_service_id)
        self.refresh_proposal()
        self.patient_picker.search_edit.setFocus()

    # -- building ----------------------------------------------------------------------

    def _build(self) -> None:
        self.patient_picker = PatientPicker(self.services)
        self.patient_picker.show_error = self.questions.show_error
        self.patient_picker.search_edit.setPlaceholderText(
            "Type a few letters of the name or phone number"
        )
        self.service_combo = service_combo(
            self.service_list, "The treatment; Enter keeps it and moves to booking"
        )
        self.safety = SafetyNotes(
            self.services, "I have read these warnings", "Space ticks it; then Enter books"
        )
        self.safety_label, self.read_check = self.safety.label, self.safety.tick
        self.proposal_label = QLabel()
        self.proposal_label.setWordWrap(True)
        self.proposal_label.setAccessibleName("Proposed time")
        self.proposal_label.setTextFormat(Qt.TextFormat.RichText)

        form = QFormLayout()
        form.setSpacing(8)
        patient_label = QLabel("&Patient:")
        patient_label.setBuddy(self.patient_picker.search_edit)
        form.addRow(patient_label, self.patient_picker)
        form.addRow("&Service:", self.service_combo)
        form.addRow("", self.safety_label)
        form.addRow("", self.read_check)
        form.addRow("Earliest:", self.proposal_label)
        self.buttons = QDialogButtonBox()
        self.book_button = self.buttons.addButton(
            "Book and check in", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.book_button.setToolTip("Book the proposed time and mark the patient as arrived")
        self.book_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        order = [
            self.patient_picker.search_edit,
            self.patient_picker.results,
            self.service_combo,
            self.read_check,
            self.book_button,
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    def _wire(self) -> None:
        self.buttons.accepted.connect(self.book)
        self.buttons.rejected.connect(self.reject)
        self.patient_picker.patient_chosen.connect(self._patient_chosen)
        self.patient_picker.accepted.connect(self.service_combo.setFocus)
        self.service_combo.currentIndexChanged.connect(self._service_changed)
        self.service_combo.installEventFilter(self)

    def _choose_default_service(self, last_service_id: int | None) -> None:
        # the service used last, else the usual follow-up visit
        if last_service_id is None or not select_data(self.service_combo, last_service_id):
            select_follow_up(self.service_combo, self.service_list)

    # -- reading -----------------------------------------------------------------------

    def current_service(self) -> ServiceRecord:
        return chosen_service(self.service_combo, self.service_list)

    @property
    def patient(self) -> PatientSummary | None:
        return self.patient_picker.patient

    # -- behaviour ---------------------------------------------------------------------

    def refresh_proposal(self) -> None:
        """Ask for the earliest free place from now for the chosen service."""
        try:
            found = self.walk_ins.propose(self.current_service().id)
        except FrontdeskError as error:
            self.proposal = None
            self.proposal_label.setText(f"<span style='color:#B3261E'>{error.message}</span>")
            self.book_button.setEnabled(False)
            return
        if found is None:
            self.proposal = None
            self.proposal_label.setText(
                "<span style='color:#B3261E'>Nothing is free for the rest of today. "
                "Book a later day from the calendar.</span>"
            )
            self.book_button.setEnabled(False)
            return
        start = found.starts_at.astimezone(self.tz)
        end = found.ends_at.astimezone(self.tz)
        when = "now" if found.wait_minutes <= 0 else f"in {found.wait_minutes} min"
        room = f" in {found.room_name}" if found.room_name else ""
        text = (
            f"<b>{start:%H:%M}–{end:%H:%M}</b> ({when}) with "
            f"<b>{_escape(found.practitioner_name)}</b>{_escape(room)}"
        )
        self.proposal = _Proposal(found, text)
        self.proposal_label.setText(text)
        self.book_button.setEnabled(True)

    def _service_changed(self) -> None:
        self.refresh_proposal()
        self._show_safety()

    def _patient_chosen(self, patient: PatientSummary | None) -> None:
        self._show_safety()
        if patient is not None:
            self.service_combo.setFocus()

    def _show_safety(self) -> None:
        patient = self.patient
        self.safety.show_for(patient.id if patient else None, self.current_service().kinds)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.service_combo and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.accept_service()
                return True
        return super().eventFilter(watched, event)

    def accept_service(self) -> None:
        """Enter on the service: fresh proposal, then the tick (if needed) or the button."""
        self.refresh_proposal()
        if self.safety.needs_tick:
            self.read_check.setFocus()
        else:
            self.book_button.setFocus()

    def book(self) -> AppointmentRecord | None:
        """Book the proposal as a walk-in and check the patient in."""
        patient = self.patient
        if patient is None:
            self.questions.show_error(
                ValidationError("Choose the patient first: type a few letters of the name.")
            )
            self.patient_picker.search_edit.setFocus()
            return None
        if self.proposal is None:
            self.refresh_proposal()
            if self.proposal is None:
                return None
        proposal = self.proposal.value
        service_id = self.current_service().id
        acknowledged = self.safety.acknowledged
        record = attempt(
            self.questions,
            lambda **options: self.walk_ins.book_walk_in(
                patient.id, service_id, proposal, **options
            ),
            accepts=frozenset({"acknowledged_warnings", "override_reason"}),
            acknowledged_warnings=acknowledged,
        )
        if record is None:
            # the place may have been taken meanwhile: offer the next one
            self.refresh_proposal()
            return None
        self.result_record = record
        self.accept()
        return record

    @classmethod
    def ask(
        cls,
        services: Services,
        walk_ins: Any,
        parent: QWidget | None = None,
        *,
        questions: Questions | None = None,
        last_service_id: int | None = None,
        exec_dialog: Callable[[QDialog], int] = exec_modal,
    ) -> AppointmentRecord | None:
        """The walk-in's appointment (booked and checked in), or None."""
        dialog = cls(
            services,
            walk_ins,
            questions=questions,
            last_service_id=last_service_id,
            parent=parent,
        )
        exec_dialog(dialog)
        return dialog.result_record


def _escape(text: str) -> str:
    from html import escape

    return escape(text)
