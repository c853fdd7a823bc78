"""Causes and conditions: diabetes (type, HbA1c), chemotherapy (drug, dates), the other
known causes of neuropathy, and the medical history."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QWidget

from frontdesk.domain.intake import DiabetesType
from frontdesk.ui.intake.section_base import IntakeSection


class CausesSection(IntakeSection):
    key = "causes"
    title_text = "Causes and conditions"
    paths = ("causes", "history")

    def build(self) -> None:
        b = self.binder
        self.note("Finding a serious underlying cause matters more than anything else here.")

        # diabetes: the tick, then its type and HbA1c on the same line
        self.diabetes_box = b.flag("causes.diabetes.present", text="Diabetes")
        self.diabetes_type = b.choice(
            "causes.diabetes.type", [(t.value, t.label) for t in DiabetesType]
        )
        self.hba1c = b.decimal("causes.diabetes.hba1c_percent", 3, 20, suffix=" %")
        self.body.addWidget(
            self._line(self.diabetes_box, ("Type", self.diabetes_type), ("HbA1c", self.hba1c))
        )

        self.chemo_box = b.flag("causes.chemotherapy.present", text="Chemotherapy")
        self.chemo_drug = b.text("causes.chemotherapy.drug", placeholder="drug")
        self.chemo_started = b.date("causes.chemotherapy.started")
        self.chemo_ended = b.date("causes.chemotherapy.ended")
        self.body.addWidget(
            self._line(
                self.chemo_box,
                ("Drug", self.chemo_drug),
                ("From", self.chemo_started),
                ("To", self.chemo_ended),
            )
        )

        grid_holder = QWidget()
        grid = QGridLayout(grid_holder)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        names = (
            "b12_deficiency",
            "alcohol",
            "autoimmune",
            "injury_or_compression",
            "infection",
            "inherited",
            "unknown",
        )
        self.cause_boxes = [b.flag(f"causes.{name}") for name in names]
        for index, box in enumerate(self.cause_boxes):
            grid.addWidget(box, index // 2, index % 2)
        self.body.addWidget(grid_holder)

        form = self.form()
        self.other_cause = b.text("causes.other")
        self.row(form, self.other_cause)
        self.diagnoses = b.text("history.diagnoses", lines=2)
        self.row(form, self.diagnoses, "Other diagnoses")
        self.surgeries = b.text("history.surgeries", lines=2)
        self.row(form, self.surgeries)
        self.hospital = b.text("history.hospital_stays", lines=2)
        self.row(form, self.hospital)

        self.diabetes_box.toggled.connect(self._enable_details)
        self.chemo_box.toggled.connect(self._enable_details)
        self._enable_details()

    @staticmethod
    def _line(first: QWidget, *labelled: tuple[str, QWidget]) -> QWidget:
        holder = QWidget()
        line = QHBoxLayout(holder)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(8)
        first.setMinimumWidth(130)
        line.addWidget(first)
        for text, widget in labelled:
            label = QLabel(f"{text}:")
            label.setBuddy(widget)
            line.addWidget(label)
            line.addWidget(widget, 1)
        return holder

    def _enable_details(self) -> None:
        # details of a cause that is not ticked would be saved but make no sense
        for widget in (self.diabetes_type, self.hba1c):
            widget.setEnabled(self.diabetes_box.isChecked())
        for widget in (self.chemo_drug, self.chemo_started, self.chemo_ended):
            widget.setEnabled(self.chemo_box.isChecked())

    def refresh(self) -> None:
        self._enable_details()
