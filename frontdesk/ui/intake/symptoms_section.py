"""Symptoms, grouped by the nerves involved: skin and feeling, muscles and movement, organs."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QGroupBox

from frontdesk.domain.intake import SYMPTOMS
from frontdesk.ui.intake.section_base import IntakeSection


class SymptomsSection(IntakeSection):
    key = "symptoms"
    title_text = "Symptoms"
    paths = ("symptoms",)

    def build(self) -> None:
        b = self.binder
        for group, catalogue in SYMPTOMS.items():
            box = QGroupBox(group.label)
            box.setFlat(True)
            box.setAccessibleName(group.label)
            grid = QGridLayout(box)
            grid.setHorizontalSpacing(16)
            for index, tick in enumerate(b.id_set(f"symptoms.{group.value}", catalogue)):
                grid.addWidget(tick, index // 2, index % 2)
            self.body.addWidget(box)
        form = self.form()
        self.notes_edit = b.text("symptoms.notes", lines=2)
        self.row(form, self.notes_edit)
