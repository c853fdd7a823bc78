"""Lifestyle: smoking, alcohol, exercise, sleep, stress and diet."""

from __future__ import annotations

from frontdesk.domain.intake import Smoking
from frontdesk.ui.intake.section_base import IntakeSection


class LifestyleSection(IntakeSection):
    key = "lifestyle"
    title_text = "Lifestyle"
    paths = ("lifestyle",)

    def build(self) -> None:
        b = self.binder
        form = self.form()
        self.smoking = b.choice("lifestyle.smoking", [(s.value, s.label) for s in Smoking])
        self.row(form, self.smoking)
        self.alcohol = b.text("lifestyle.alcohol", placeholder="e.g. a glass of wine at weekends")
        self.row(form, self.alcohol)
        self.exercise = b.text("lifestyle.exercise", placeholder="e.g. walks 20 minutes a day")
        self.row(form, self.exercise)
        self.sleep = b.decimal("lifestyle.sleep_hours", 0, 24, step=0.5, suffix=" h")
        self.row(form, self.sleep)
        self.stress = b.whole("lifestyle.stress", 0, 10, tooltip="0 no stress, 10 extreme stress")
        self.row(form, self.stress)
        self.diet = b.text("lifestyle.diet", lines=2)
        self.row(form, self.diet)
