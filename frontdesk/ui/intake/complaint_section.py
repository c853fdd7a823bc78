"""Chief complaint: what brings the patient, since when, what helps, what worsens, and how
it feels (ticks for the usual words, plus any other words)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QGridLayout, QLineEdit, QWidget

from frontdesk.ui.intake.section_base import IntakeSection

#: the words patients use most for neuropathic pain; anything else goes in the text box
CHARACTER_WORDS = (
    "burning",
    "tingling",
    "pins and needles",
    "numb",
    "stabbing",
    "electric",
    "shooting",
    "aching",
    "throbbing",
    "cold",
    "tight",
    "itching",
)


class ComplaintSection(IntakeSection):
    key = "complaint"
    title_text = "Chief complaint"
    paths = ("chief_complaint",)

    def build(self) -> None:
        b = self.binder
        form = self.form()
        self.what_edit = b.text(
            "chief_complaint.what", lines=3, placeholder="In the patient's own words"
        )
        self.row(form, self.what_edit)
        self.since_edit = b.text(
            "chief_complaint.since", placeholder="e.g. about 3 years, since chemotherapy"
        )
        self.row(form, self.since_edit)
        self.better_edit = b.text("chief_complaint.better")
        self.row(form, self.better_edit)
        self.worse_edit = b.text("chief_complaint.worse")
        self.row(form, self.worse_edit)

        holder = QWidget()
        grid = QGridLayout(holder)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        self.character_boxes: dict[str, QCheckBox] = {}
        self._loaded: list[str] = []
        for index, word in enumerate(CHARACTER_WORDS):
            box = QCheckBox(word)
            box.setObjectName(f"chief_complaint.character.{word}")
            box.setAccessibleName(f"Feels {word}")
            box.setToolTip(f"The patient describes it as {word}")
            grid.addWidget(box, index // 4, index % 4)
            self.character_boxes[word] = box
        self.other_words_edit = QLineEdit()
        self.other_words_edit.setObjectName("chief_complaint.character.other")
        self.other_words_edit.setAccessibleName("Other words for how it feels")
        self.other_words_edit.setToolTip("Other words, separated by commas")
        self.other_words_edit.setPlaceholderText("other words, separated by commas")
        grid.addWidget(self.other_words_edit, (len(CHARACTER_WORDS) + 3) // 4, 0, 1, 4)
        signal_sources = [box.toggled for box in self.character_boxes.values()]
        b.bind(
            "chief_complaint.character",
            holder,
            self._read_character,
            self._write_character,
            self.other_words_edit.textChanged,
        )
        for signal in signal_sources:
            signal.connect(b.notify)
        holder.setObjectName("chief_complaint.character")
        holder.setAccessibleName("How it feels")
        self.row(form, holder)

    def _read_character(self) -> list[str]:
        ticked = {word for word, box in self.character_boxes.items() if box.isChecked()}
        others = [w.strip() for w in self.other_words_edit.text().split(",") if w.strip()]
        # words keep the order they were saved in, so loading and reading back changes
        # nothing; new ticks follow in the order of the boxes
        words = [w for w in self._loaded if w in ticked or w in others]
        words += [w for w in self.character_boxes if w in ticked and w not in words]
        words += [w for w in others if w not in words]
        return words

    def _write_character(self, value: Any) -> None:
        words = list(value or [])
        self._loaded = words
        for word, box in self.character_boxes.items():
            box.setChecked(word in words)
        self.other_words_edit.setText(", ".join(w for w in words if w not in self.character_boxes))
