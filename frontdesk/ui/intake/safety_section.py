"""The safety screen (answers that change what the clinic may do) and the warning signs that
mean "see a doctor first"."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from frontdesk.domain.intake import SAFETY_QUESTIONS
from frontdesk.domain.safety import RED_FLAGS
from frontdesk.ui.intake.section_base import IntakeSection
from frontdesk.ui.widgets.flag_banner import RED_FILL, RED_TEXT

#: questions whose "yes" needs a word on where
DETAIL_FIELDS = {
    "implanted_device": ("implanted_device_location", "where is it?"),
    "open_wound": ("open_wound_location", "where?"),
    "active_cancer": ("cancer_location", "where?"),
    "lymphoedema": ("lymphoedema_limb", "which limb?"),
}


class SafetySection(IntakeSection):
    key = "safety"
    title_text = "Safety screen and warning signs"
    list_title = "Safety screen"
    paths = ("safety", "red_flags")

    def build(self) -> None:
        b = self.binder
        self.note(
            "Tick every question the patient answers yes. These answers decide what the clinic "
            "may do: some treatments need a practitioner's acknowledgement or override."
        )
        holder = QWidget()
        grid = QGridLayout(holder)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        self.question_boxes = {}
        self.detail_edits = {}
        for row, name in enumerate(SAFETY_QUESTIONS):
            box = b.flag(f"safety.{name}")
            grid.addWidget(box, row, 0)
            self.question_boxes[name] = box
            if name in DETAIL_FIELDS:
                detail, placeholder = DETAIL_FIELDS[name]
                edit = b.text(f"safety.{detail}", placeholder=placeholder)
                grid.addWidget(edit, row, 1)
                self.detail_edits[name] = edit
                box.toggled.connect(lambda on, e=edit: e.setEnabled(on or bool(e.text())))
        self.body.addWidget(holder)

        warning = QGroupBox("Warning signs: advise medical care, do not just book")
        warning.setAccessibleName("Warning signs")
        inner = QVBoxLayout(warning)
        self.red_flag_boxes = {}
        for flag in RED_FLAGS:
            box = b.flag(f"red_flags.{flag.code}")
            inner.addWidget(box)
            self.red_flag_boxes[flag.code] = box
            box.toggled.connect(self.refresh)
        self.advice_label = QLabel()
        self.advice_label.setObjectName("red_flag_advice")
        self.advice_label.setWordWrap(True)
        self.advice_label.setStyleSheet(
            f"QLabel {{ background: {RED_FILL}; color: {RED_TEXT}; padding: 8px;"
            " border-radius: 4px; font-weight: bold; }"
        )
        inner.addWidget(self.advice_label)
        self.body.addWidget(warning)
        self.refresh()

    def refresh(self) -> None:
        for name, edit in self.detail_edits.items():
            edit.setEnabled(self.question_boxes[name].isChecked() or bool(edit.text()))
        lines = [
            f"Advise medical care: {flag.label}. {flag.advice}"
            for flag in RED_FLAGS
            if self.red_flag_boxes[flag.code].isChecked()
        ]
        self.advice_label.setText("\n".join(lines))
        self.advice_label.setVisible(bool(lines))
