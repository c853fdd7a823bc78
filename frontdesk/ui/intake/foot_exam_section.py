"""Practitioner only: the MNSI physical examination of both feet (appearance, ulceration,
ankle reflex, vibration at the big toe, and optionally the monofilament), with its score."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLabel, QWidget

from frontdesk.domain.mnsi import (
    EXAM_CUTOFF,
    FootAbnormality,
    FootExam,
    Grade,
    MnsiExam,
    score_mnsi_exam,
)
from frontdesk.ui.intake.section_base import IntakeSection

NOT_EXAMINED = "not examined"
SIDES = ("left", "right")
#: (JSON key, row label, choices as (value, words)); booleans for the yes/no findings
_FINDINGS: tuple[tuple[str, str, tuple[tuple[Any, str], ...]], ...] = (
    ("appearance_normal", "Appearance", ((True, "normal"), (False, "abnormal"))),
    ("ulceration", "Ulceration", ((False, "absent"), (True, "present"))),
    (
        "ankle_reflex",
        "Ankle reflex",
        (
            (Grade.NORMAL.value, "present"),
            (Grade.REDUCED.value, "only with reinforcement"),
            (Grade.ABSENT.value, "absent"),
        ),
    ),
    (
        "vibration",
        "Vibration at the big toe",
        (
            (Grade.NORMAL.value, "present"),
            (Grade.REDUCED.value, "reduced"),
            (Grade.ABSENT.value, "absent"),
        ),
    ),
    (
        "monofilament",
        "Monofilament (optional)",
        (
            (Grade.NORMAL.value, "normal"),
            (Grade.REDUCED.value, "reduced"),
            (Grade.ABSENT.value, "absent"),
        ),
    ),
)


class FootExamSection(IntakeSection):
    key = "foot_exam"
    title_text = "MNSI foot examination"
    list_title = "Foot examination"
    paths = ("findings",)

    def build(self) -> None:
        self.note(
            "Practitioner only. Per foot: appearance and ulceration 0 or 1 point; ankle reflex "
            "and vibration 0, 0.5 or 1; the monofilament adds up to 1 more. "
            f"{EXAM_CUTOFF:g} or more is positive."
        )
        holder = QWidget()
        holder.setObjectName("findings.exam")
        holder.setAccessibleName("MNSI foot examination")
        grid = QGridLayout(holder)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.addWidget(QLabel("<b>Left foot</b>"), 0, 1)
        grid.addWidget(QLabel("<b>Right foot</b>"), 0, 2)
        self.choices: dict[tuple[str, str], QComboBox] = {}
        self.abnormality_boxes: dict[tuple[str, FootAbnormality], QCheckBox] = {}
        row = 1
        for key, label, options in _FINDINGS:
            grid.addWidget(QLabel(f"{label}:"), row, 0)
            for column, side in enumerate(SIDES, start=1):
                combo = QComboBox()
                combo.setObjectName(f"findings.exam.{side}.{key}")
                combo.setAccessibleName(f"{label}, {side} foot")
                combo.setToolTip(f"{label}, {side} foot")
                combo.addItem(NOT_EXAMINED, None)
                for value, words in options:
                    combo.addItem(words, value)
                combo.currentIndexChanged.connect(self._changed)
                grid.addWidget(combo, row, column)
                self.choices[(side, key)] = combo
            row += 1
            if key == "appearance_normal":
                grid.addWidget(QLabel("If abnormal:"), row, 0)
                for column, side in enumerate(SIDES, start=1):
                    ticks = QWidget()
                    inner = QGridLayout(ticks)
                    inner.setContentsMargins(0, 0, 0, 0)
                    for index, abnormality in enumerate(FootAbnormality):
                        box = QCheckBox(abnormality.label)
                        box.setObjectName(f"findings.exam.{side}.{abnormality.value}")
                        box.setAccessibleName(f"{abnormality.label}, {side} foot")
                        box.toggled.connect(self._changed)
                        inner.addWidget(box, index // 2, index % 2)
                        self.abnormality_boxes[(side, abnormality)] = box
                    grid.addWidget(ticks, row, column)
                row += 1
        self.body.addWidget(holder)
        self.score_label = QLabel()
        self.score_label.setObjectName("foot_exam_score")
        font = self.score_label.font()
        font.setBold(True)
        self.score_label.setFont(font)
        self.body.addWidget(self.score_label)
        self.binder.bind("findings.exam", holder, self.exam_json, self._write)
        self.refresh()

    # -- reading and writing ---------------------------------------------------------------

    def _foot(self, side: str) -> FootExam:
        def value(key: str) -> Any:
            return self.choices[(side, key)].currentData()

        def grade(key: str) -> Grade | None:
            raw = value(key)
            return None if raw is None else Grade(raw)

        return FootExam(
            appearance_normal=value("appearance_normal"),
            abnormalities=frozenset(
                a for a in FootAbnormality if self.abnormality_boxes[(side, a)].isChecked()
            ),
            ulceration=value("ulceration"),
            ankle_reflex=grade("ankle_reflex"),
            vibration=grade("vibration"),
            monofilament=grade("monofilament"),
        )

    def exam(self) -> MnsiExam:
        return MnsiExam(left=self._foot("left"), right=self._foot("right"))

    def exam_json(self) -> dict[str, Any] | None:
        exam = self.exam()
        return None if exam.is_empty else exam.to_dict()

    def _write(self, value: Any) -> None:
        exam = MnsiExam.from_dict(value)
        for side, foot in (("left", exam.left), ("right", exam.right)):
            found = foot.to_dict()
            for key, _label, _options in _FINDINGS:
                combo = self.choices[(side, key)]
                combo.blockSignals(True)
                combo.setCurrentIndex(max(0, combo.findData(found[key])))
                combo.blockSignals(False)
            for abnormality in FootAbnormality:
                box = self.abnormality_boxes[(side, abnormality)]
                box.blockSignals(True)
                box.setChecked(abnormality in foot.abnormalities)
                box.blockSignals(False)
        self.refresh()

    def _changed(self, *_args: object) -> None:
        self.refresh()
        self.binder.notify()

    def refresh(self) -> None:
        exam = self.exam()
        self.score_label.setText(
            "Not examined yet." if exam.is_empty else score_mnsi_exam(exam).describe()
        )
