"""The MNSI patient questionnaire: fifteen yes/no questions, the score as they are answered,
and whether it is a positive screen. Questions 4 and 10 are asked but not scored; for 7 and
13 a "no" is the answer that scores."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QWidget

from frontdesk.domain import mnsi
from frontdesk.ui.intake.section_base import IntakeSection

#: a chosen answer must stand out from the other at a glance (white on dark blue, 12:1)
CHOSEN_STYLE = (
    "QPushButton:checked { background: #1d3557; color: #ffffff; border: 1px solid #0b1d33;"
    " border-radius: 3px; padding: 4px 8px; font-weight: bold; }"
)


class MnsiSection(IntakeSection):
    key = "mnsi"
    title_text = "MNSI questionnaire"
    paths = ("mnsi",)

    def build(self) -> None:
        self.note(
            "The patient answers each question yes or no; click an answer again to clear it. "
            f"A score of {mnsi.DEFAULT_CUTOFF} or more (of {mnsi.MAX_SCORE}) is a positive screen."
        )
        holder = QWidget()
        holder.setObjectName("mnsi")
        holder.setAccessibleName("MNSI questions")
        grid = QGridLayout(holder)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setColumnStretch(1, 1)
        self.answer_buttons: dict[int, tuple[QPushButton, QPushButton]] = {}
        for row, entry in enumerate(mnsi.ITEMS):
            number = QLabel(f"{entry.number}.")
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            question = QLabel(entry.question)
            question.setWordWrap(True)
            yes, no = QPushButton("Yes"), QPushButton("No")
            for button, word in ((yes, "yes"), (no, "no")):
                button.setCheckable(True)
                button.setObjectName(f"mnsi.{entry.number}.{word}")
                button.setAccessibleName(f"Question {entry.number}: {word}")
                button.setToolTip(f"{entry.question} Answer {word}")
                button.setMinimumWidth(56)
                button.setStyleSheet(CHOSEN_STYLE)
            yes.clicked.connect(lambda on, n=entry.number: self._answered(n, True, on))
            no.clicked.connect(lambda on, n=entry.number: self._answered(n, False, on))
            if not entry.is_scored:
                hint = "not scored"
            elif entry.is_reversed:
                hint = 'scored when "no"'
            else:
                hint = ""
            hint_label = QLabel(hint)
            hint_label.setObjectName(f"mnsi.{entry.number}.hint")
            grid.addWidget(number, row, 0)
            grid.addWidget(question, row, 1)
            grid.addWidget(yes, row, 2)
            grid.addWidget(no, row, 3)
            grid.addWidget(hint_label, row, 4)
            self.answer_buttons[entry.number] = (yes, no)
        self.body.addWidget(holder)

        self.score_label = QLabel()
        self.score_label.setObjectName("mnsi_score")
        self.score_label.setWordWrap(True)
        font = self.score_label.font()
        font.setBold(True)
        self.score_label.setFont(font)
        self.body.addWidget(self.score_label)
        source = QLabel(f"Source: {mnsi.SOURCE_CITATION}")
        source.setWordWrap(True)
        source.setObjectName("mnsi_source")
        self.body.addWidget(source)
        self.binder.bind("mnsi", holder, self.answers_json, self._write)
        self.refresh()

    # -- answers -----------------------------------------------------------------------------

    def answers(self) -> dict[int, bool | None]:
        found: dict[int, bool | None] = {}
        for number, (yes, no) in self.answer_buttons.items():
            found[number] = True if yes.isChecked() else False if no.isChecked() else None
        return found

    def answers_json(self) -> dict[str, bool]:
        return {str(n): a for n, a in self.answers().items() if a is not None}

    def set_answer(self, number: int, answer: bool | None) -> None:
        """Answer one question as a click would (None clears it)."""
        yes, no = self.answer_buttons[number]
        yes.setChecked(answer is True)
        no.setChecked(answer is False)
        self.refresh()
        self.binder.notify()

    def _answered(self, number: int, answer: bool, on: bool) -> None:
        self.set_answer(number, answer if on else None)

    def _write(self, value: Any) -> None:
        stored = {int(k): v for k, v in dict(value or {}).items()}
        for number, (yes, no) in self.answer_buttons.items():
            yes.setChecked(stored.get(number) is True)
            no.setChecked(stored.get(number) is False)
        self.refresh()

    def result(self) -> mnsi.MnsiResult:
        return mnsi.score_mnsi(self.answers())

    def refresh(self) -> None:
        result = self.result()
        text = result.describe()
        if result.positive:
            text += ". Positive screen: neuropathy is likely; make sure a doctor knows."
        self.score_label.setText(text)
        self.score_label.setAccessibleName(text)
