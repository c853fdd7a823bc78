"""Record (or correct) what was done at an appointment: services, points, technique
settings, pain before and after, reactions, SOAP notes and the plan for next time.

``VisitDialog.ask(services, appointment_id, parent)`` is the one entry point; the calendar
opens it from an appointment block and the patient's Visits tab from its list. Safety
refusals are handled as in booking: warnings are acknowledged, a STOP rule needs a
practitioner's reason; both are asked and the save is tried again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.enums import ServiceKind
from frontdesk.domain.errors import (
    FrontdeskError,
    SafetyAcknowledgementRequired,
    SafetyError,
    ValidationError,
)
from frontdesk.domain.intake import is_meaningful_pain_change, nrs_category
from frontdesk.services.hub import Services
from frontdesk.services.records import AppointmentRecord
from frontdesk.services.visits import (
    CuppingDetails,
    CuppingType,
    ElectroSettings,
    MoxaDetails,
    MoxaMethod,
    Reaction,
    SoapNotes,
    VisitInput,
    VisitRecord,
)
from frontdesk.ui.errors import show_error
from frontdesk.ui.widgets.flag_banner import RED_FILL, FlagBanner
from frontdesk.ui.widgets.nrs_slider import NrsSlider
from frontdesk.ui.widgets.point_picker import PointPicker

NOT_RECORDED = "not recorded"
_NEEDLES = (ServiceKind.ACUPUNCTURE, ServiceKind.ELECTRO_ACUPUNCTURE)


def _minutes(name: str, high: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, high)
    spin.setSpecialValueText(NOT_RECORDED)
    spin.setSuffix(" min")
    spin.setAccessibleName(name)
    spin.setToolTip(f"{name} in minutes")
    spin.setMinimumWidth(120)
    return spin


def _spin_value(spin: QSpinBox) -> int | None:
    return None if spin.value() <= spin.minimum() else spin.value()


def _text_box(name: str, lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(name)
    box.setToolTip(name)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


def _sites(edit: QLineEdit) -> tuple[str, ...]:
    return tuple(s.strip() for s in edit.text().split(",") if s.strip())


def _local(when: datetime) -> str:
    return when.astimezone().strftime("%a %d %b %Y %H:%M")


@dataclass
class _Technique:
    """One technique's group of inputs, enabled only when its service is ticked."""

    box: QGroupBox
    kind: ServiceKind


class VisitDialog(QDialog):
    """The visit form; ``ask`` returns the saved visit, or None when cancelled."""

    def __init__(
        self, services: Services, appointment_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.appointment: AppointmentRecord = services.appointments.get(appointment_id)
        self.existing: VisitRecord | None = services.visits.for_appointment(appointment_id)
        self.flags = services.intakes.flags(self.appointment.patient_id)
        self.result_value: VisitRecord | None = None
        self.setWindowTitle(("Visit record: " if self.existing else "Record visit: ")
                            + self.appointment.patient_name)  # fmt: skip
        self._build()
        self._wire()
        self._booked_kinds = self._kinds_of_booked_service()
        if self.existing is not None:
            self.set_input(self.existing.data)
        else:
            self.set_input(VisitInput(services=self._booked_kinds))
        self._size_to_screen()

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        a = self.appointment
        heading = QLabel(
            f"<b>{a.patient_name}</b> · {_local(a.starts_at)} · {a.service_name} with "
            f"{a.practitioner_name}"
        )
        heading.setWordWrap(True)
        heading.setObjectName("visit_heading")
        self.banner = FlagBanner()
        self.banner.show_flags(self.flags.summary_line, self.flags.badges, self.flags.red_flags)
        self.copy_button = QPushButton("Copy last visit")
        self.copy_button.setObjectName("copy_last_visit")
        self.copy_button.setToolTip(
            "Fill in the services, points and settings of this patient's last visit"
        )
        self.copy_button.setEnabled(self.existing is None)
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.copy_button)

        left = QVBoxLayout()
        left.setSpacing(8)
        right = QVBoxLayout()
        right.setSpacing(8)

        services_box = QGroupBox("Services performed")
        grid = QGridLayout(services_box)
        self.service_boxes: dict[ServiceKind, QCheckBox] = {}
        for index, kind in enumerate(ServiceKind):
            box = QCheckBox(kind.label)
            box.setObjectName(f"service_{kind.value}")
            box.setToolTip(f"{kind.label} was performed at this visit")
            grid.addWidget(box, index // 3, index % 3)
            self.service_boxes[kind] = box
        left.addWidget(services_box)

        points_box = QGroupBox("Points")
        points_layout = QVBoxLayout(points_box)
        self.point_picker = PointPicker()
        self.point_picker.set_pregnancy_warning(self.flags.assessment.flag("pregnant") is not None)
        points_layout.addWidget(self.point_picker)
        form = QFormLayout()
        self.point_notes = QLineEdit()
        self.point_notes.setAccessibleName("Point notes")
        self.point_notes.setToolTip("Sides, depth, technique")
        self.point_notes.setPlaceholderText("sides, depth, technique")
        form.addRow("Point &notes:", self.point_notes)
        self.needle_minutes = _minutes("Needle retention", 90)
        form.addRow("Needles &in for:", self.needle_minutes)
        points_layout.addLayout(form)
        left.addWidget(points_box)

        self.electro_box = QGroupBox("Electro-acupuncture")
        form = QFormLayout(self.electro_box)
        self.frequency = QDoubleSpinBox()
        self.frequency.setRange(0, 200)
        self.frequency.setDecimals(1)
        self.frequency.setSpecialValueText(NOT_RECORDED)
        self.frequency.setSuffix(" Hz")
        self.frequency.setAccessibleName("Frequency")
        self.frequency.setToolTip("Stimulation frequency in hertz, e.g. 2 or 100")
        self.intensity = QLineEdit()
        self.intensity.setAccessibleName("Intensity")
        self.intensity.setPlaceholderText("e.g. 3 on the dial, comfortable tapping")
        self.intensity.setToolTip("Intensity in your own words")
        self.electro_minutes = _minutes("Electro-acupuncture time", 90)
        form.addRow("&Frequency:", self.frequency)
        form.addRow("In&tensity:", self.intensity)
        form.addRow("Ti&me:", self.electro_minutes)
        left.addWidget(self.electro_box)

        self.cupping_box = QGroupBox("Cupping")
        form = QFormLayout(self.cupping_box)
        self.cupping_type = QComboBox()
        self.cupping_type.setAccessibleName("Cupping type")
        self.cupping_type.addItem(NOT_RECORDED, None)
        for kind in CuppingType:
            self.cupping_type.addItem(kind.label, kind.value)
        self.cupping_sites = QLineEdit()
        self.cupping_sites.setAccessibleName("Cupping sites")
        self.cupping_sites.setPlaceholderText("e.g. upper back, back of thighs")
        self.cupping_sites.setToolTip("Where the cups went, separated by commas")
        self.cupping_minutes = _minutes("Cupping time", 30)
        form.addRow("T&ype:", self.cupping_type)
        form.addRow("&Sites:", self.cupping_sites)
        form.addRow("Time:", self.cupping_minutes)
        left.addWidget(self.cupping_box)

        self.moxa_box = QGroupBox("Moxibustion / heat")
        form = QFormLayout(self.moxa_box)
        self.moxa_method = QComboBox()
        self.moxa_method.setAccessibleName("Moxibustion method")
        self.moxa_method.addItem(NOT_RECORDED, None)
        for method in MoxaMethod:
            self.moxa_method.addItem(method.label, method.value)
        self.moxa_sites = QLineEdit()
        self.moxa_sites.setAccessibleName("Moxibustion sites")
        self.moxa_sites.setPlaceholderText("e.g. ST36, lower back")
        self.moxa_sites.setToolTip("Points or areas warmed, separated by commas")
        self.moxa_minutes = _minutes("Moxibustion time", 60)
        form.addRow("Method:", self.moxa_method)
        form.addRow("Sites:", self.moxa_sites)
        form.addRow("Time:", self.moxa_minutes)
        left.addWidget(self.moxa_box)
        left.addStretch(1)
        self.techniques = [
            _Technique(self.electro_box, ServiceKind.ELECTRO_ACUPUNCTURE),
            _Technique(self.cupping_box, ServiceKind.CUPPING),
            _Technique(self.moxa_box, ServiceKind.MOXIBUSTION),
        ]

        pain_box = QGroupBox("Pain (0-10)")
        form = QFormLayout(pain_box)
        self.pain_before = NrsSlider("Pain before treatment")
        self.pain_after = NrsSlider("Pain after treatment")
        self.pain_change = QLabel()
        self.pain_change.setObjectName("pain_change")
        form.addRow("&Before:", self.pain_before)
        form.addRow("&After:", self.pain_after)
        form.addRow("", self.pain_change)
        right.addWidget(pain_box)

        reactions_box = QGroupBox("Reactions and adverse events")
        grid = QGridLayout(reactions_box)
        self.reaction_boxes: dict[Reaction, QCheckBox] = {}
        for index, reaction in enumerate(Reaction):
            label = reaction.label[0].upper() + reaction.label[1:]
            box = QCheckBox(label + (" (adverse event)" if reaction.is_adverse_event else ""))
            box.setObjectName(f"reaction_{reaction.value}")
            box.setToolTip(label)
            grid.addWidget(box, index // 2, index % 2)
            self.reaction_boxes[reaction] = box
        self.reaction_notes = QLineEdit()
        self.reaction_notes.setAccessibleName("Reaction notes")
        self.reaction_notes.setPlaceholderText("what happened, what was done")
        self.reaction_notes.setToolTip("Details of any reaction")
        grid.addWidget(self.reaction_notes, (len(Reaction) + 1) // 2, 0, 1, 2)
        right.addWidget(reactions_box)

        soap_box = QGroupBox("Notes (SOAP)")
        form = QFormLayout(soap_box)
        self.subjective = _text_box("Subjective: what the patient reports", 2)
        self.objective = _text_box("Objective: what you find", 2)
        self.assessment = _text_box("Assessment", 2)
        self.plan = _text_box("Plan", 2)
        form.addRow("&S:", self.subjective)
        form.addRow("&O:", self.objective)
        form.addRow("A:", self.assessment)
        form.addRow("&P:", self.plan)
        right.addWidget(soap_box)
        next_box = QGroupBox("Plan for next visit")
        next_layout = QVBoxLayout(next_box)
        self.next_plan = _text_box("Plan for next visit", 2)
        next_layout.addWidget(self.next_plan)
        right.addWidget(next_box)
        note_box = QGroupBox("Note for the patient (printed on the aftercare sheet)")
        note_layout = QVBoxLayout(note_box)
        self.note_for_patient = _text_box("Note for the patient's aftercare sheet", 2)
        note_layout.addWidget(self.note_for_patient)
        right.addWidget(note_box)
        right.addStretch(1)

        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        content = QWidget()
        content.setLayout(columns)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(content)

        self.problem_label = QLabel()
        self.problem_label.setObjectName("visit_problem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(f"QLabel {{ color: {RED_FILL}; font-weight: bold; }}")
        self.problem_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setToolTip("Save the visit (Ctrl+S)")
        self.save_button.setShortcut("Ctrl+S")

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)

    def _wire(self) -> None:
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy_last_visit)
        for box in self.service_boxes.values():
            box.toggled.connect(self._enable_techniques)
        self.pain_before.value_changed.connect(self._show_pain_change)
        self.pain_after.value_changed.connect(self._show_pain_change)

    def _size_to_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen else None
        width, height = 1180, 860
        if available is not None:
            width = min(width, available.width() - 40)
            height = min(height, available.height() - 60)
        self.resize(width, height)

    def _kinds_of_booked_service(self) -> tuple[ServiceKind, ...]:
        for service in self.services.clinic.services(include_inactive=True):
            if service.id == self.appointment.service_id:
                return service.kinds
        return (self.appointment.service_kind,)

    # -- the form's content -------------------------------------------------------------------

    def chosen_kinds(self) -> tuple[ServiceKind, ...]:
        return tuple(k for k, box in self.service_boxes.items() if box.isChecked())

    def _enable_techniques(self) -> None:
        chosen = set(self.chosen_kinds())
        for technique in self.techniques:
            technique.box.setEnabled(technique.kind in chosen)
        self.needle_minutes.setEnabled(bool(chosen & set(_NEEDLES)))

    def _show_pain_change(self, *_args: object) -> None:
        before, after = self.pain_before.value(), self.pain_after.value()
        if before is None or after is None:
            self.pain_change.setText("")
            return
        change = after - before
        if change == 0:
            text = "No change"
        else:
            text = f"{'Down' if change < 0 else 'Up'} {abs(change)} point" + (
                "s" if abs(change) != 1 else ""
            )
            if nrs_category(before) != nrs_category(after):
                text += f" ({nrs_category(before)} to {nrs_category(after)})"
            if is_meaningful_pain_change(before, after):
                text += ": a change that matters"
        self.pain_change.setText(text)

    def visit_input(self) -> VisitInput:
        """What the form holds, as the service takes it (checked when saving)."""
        chosen = set(self.chosen_kinds())
        electro = cupping = moxa = None
        if ServiceKind.ELECTRO_ACUPUNCTURE in chosen:
            frequency = self.frequency.value() or None
            electro = ElectroSettings(
                frequency_hz=frequency,
                intensity=self.intensity.text().strip(),
                minutes=_spin_value(self.electro_minutes),
            )
        if ServiceKind.CUPPING in chosen:
            kind = self.cupping_type.currentData()
            cupping = CuppingDetails(
                type=CuppingType(kind) if kind else None,
                sites=_sites(self.cupping_sites),
                minutes=_spin_value(self.cupping_minutes),
            )
        if ServiceKind.MOXIBUSTION in chosen:
            method = self.moxa_method.currentData()
            moxa = MoxaDetails(
                method=MoxaMethod(method) if method else None,
                sites=_sites(self.moxa_sites),
                minutes=_spin_value(self.moxa_minutes),
            )
        needles = _spin_value(self.needle_minutes) if chosen & set(_NEEDLES) else None
        return VisitInput(
            services=self.chosen_kinds(),
            points=tuple(self.point_picker.codes()),
            point_notes=self.point_notes.text().strip(),
            needle_minutes=needles,
            electro=electro,
            cupping=cupping,
            moxibustion=moxa,
            pain_before=self.pain_before.value(),
            pain_after=self.pain_after.value(),
            reactions=tuple(r for r, box in self.reaction_boxes.items() if box.isChecked()),
            reaction_notes=self.reaction_notes.text().strip(),
            soap=SoapNotes(
                subjective=self.subjective.toPlainText().strip(),
                objective=self.objective.toPlainText().strip(),
                assessment=self.assessment.toPlainText().strip(),
                plan=self.plan.toPlainText().strip(),
            ),
            next_plan=self.next_plan.toPlainText().strip(),
            note_for_patient=self.note_for_patient.toPlainText().strip(),
        )

    def set_input(self, visit: VisitInput, *, keep_pain_and_notes: bool = False) -> None:
        """Fill the form from a visit (``keep_pain_and_notes`` for "copy last visit")."""
        kinds = set(visit.services or self._booked_kinds)
        for kind, box in self.service_boxes.items():
            box.setChecked(kind in kinds)
        self.point_picker.set_codes(visit.points)
        self.point_notes.setText(visit.point_notes)
        self.needle_minutes.setValue(visit.needle_minutes or 0)
        electro = visit.electro or ElectroSettings()
        self.frequency.setValue(electro.frequency_hz or 0)
        self.intensity.setText(electro.intensity)
        self.electro_minutes.setValue(electro.minutes or 0)
        cupping = visit.cupping or CuppingDetails()
        self.cupping_type.setCurrentIndex(
            max(0, self.cupping_type.findData(cupping.type.value if cupping.type else None))
        )
        self.cupping_sites.setText(", ".join(cupping.sites))
        self.cupping_minutes.setValue(cupping.minutes or 0)
        moxa = visit.moxibustion or MoxaDetails()
        self.moxa_method.setCurrentIndex(
            max(0, self.moxa_method.findData(moxa.method.value if moxa.method else None))
        )
        self.moxa_sites.setText(", ".join(moxa.sites))
        self.moxa_minutes.setValue(moxa.minutes or 0)
        if not keep_pain_and_notes:
            self.pain_before.set_value(visit.pain_before)
            self.pain_after.set_value(visit.pain_after)
            for reaction, box in self.reaction_boxes.items():
                box.setChecked(reaction in visit.reactions)
            self.reaction_notes.setText(visit.reaction_notes)
            self.subjective.setPlainText(visit.soap.subjective)
            self.objective.setPlainText(visit.soap.objective)
            self.assessment.setPlainText(visit.soap.assessment)
            self.plan.setPlainText(visit.soap.plan)
            self.next_plan.setPlainText(visit.next_plan)
            self.note_for_patient.setPlainText(visit.note_for_patient)
        self._enable_techniques()
        self._show_pain_change()

    def copy_last_visit(self) -> bool:
        """Fill in the treatment of the patient's last visit; False when there is none."""
        try:
            last = self.services.visits.last_for_patient(self.appointment.patient_id)
        except FrontdeskError as error:
            show_error(self, error)
            return False
        if last is None:
            self.show_problem("This patient has no earlier visit to copy.")
            return False
        self.set_input(last, keep_pain_and_notes=True)
        self.problem_label.hide()
        return True

    # -- saving ----------------------------------------------------------------------------------

    def show_problem(self, text: str) -> None:
        self.problem_label.setText(text)
        self.problem_label.show()

    def _focus_field(self, field: str | None) -> None:
        targets: dict[str, QWidget] = {
            "services": self.service_boxes[ServiceKind.ACUPUNCTURE],
            "points": self.point_picker.search_edit,
            "point_notes": self.point_notes,
            "needle_minutes": self.needle_minutes,
            "electro": self.frequency,
            "cupping": self.cupping_type,
            "moxibustion": self.moxa_method,
            "pain_before": self.pain_before,
            "pain_after": self.pain_after,
            "reaction_notes": self.reaction_notes,
            "soap": self.subjective,
            "next_plan": self.next_plan,
            "note_for_patient": self.note_for_patient,
        }
        key = (field or "").split(".")[0].split("[")[0]
        widget = targets.get(key)
        if widget is not None:
            self.scroll.ensureWidgetVisible(widget)
            widget.setFocus()

    def ask_acknowledgement(self, message: str) -> bool:
        """Show the warnings; True when the user confirms they have seen them."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Safety check")
        box.setText(message)
        seen = box.addButton("I have seen these warnings", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is seen

    def ask_override_reason(self, message: str) -> str | None:
        """Ask a practitioner's reason to go ahead despite a STOP rule (None: give up)."""
        reason, ok = QInputDialog.getMultiLineText(
            self,
            "Safety rule: override needed",
            f"{message}\n\nPractitioner's reason for going ahead (kept with the visit):",
        )
        return reason.strip() if ok and reason.strip() else None

    def save(self) -> None:
        data = self.visit_input()
        acknowledged = False
        override: str | None = None
        while True:
            try:
                if self.existing is None:
                    saved = self.services.visits.record(
                        self.appointment.id,
                        data,
                        acknowledged=acknowledged,
                        override_reason=override,
                    )
                else:
                    saved = self.services.visits.update(
                        self.existing.id,
                        self.existing.version,
                        data,
                        acknowledged=acknowledged,
                        override_reason=override,
                    )
            except SafetyAcknowledgementRequired as error:
                if acknowledged or not self.ask_acknowledgement(error.message):
                    return
                acknowledged = True
                continue
            except SafetyError as error:
                if override is not None:
                    show_error(self, error, "Not saved")
                    return
                override = self.ask_override_reason(error.message)
                if override is None:
                    return
                acknowledged = True
                continue
            except ValidationError as error:
                self.show_problem(error.message)
                self._focus_field(error.field)
                return
            except FrontdeskError as error:
                show_error(self, error, "Cannot save the visit")
                return
            break
        self.result_value = saved
        self.accept()

    @classmethod
    def ask(
        cls, services: Services, appointment_id: int, parent: QWidget | None = None
    ) -> VisitRecord | None:
        """Record the visit of an appointment (or correct the one recorded); None if cancelled.

        Refusals (no such appointment, not allowed to read clinical records) are shown and
        give None.
        """
        try:
            dialog = cls(services, appointment_id, parent)
        except FrontdeskError as error:
            show_error(parent, error)
            return None
        dialog.exec()
        return dialog.result_value
