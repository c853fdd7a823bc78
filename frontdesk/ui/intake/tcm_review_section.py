"""The TCM review of systems: hot and cold, sweating, thirst, appetite, digestion,
urination, sleep, energy, emotions, and for women the cycle and pregnancies."""

from __future__ import annotations

from frontdesk.domain.intake import Temperature
from frontdesk.ui.intake.section_base import IntakeSection


class TcmReviewSection(IntakeSection):
    key = "tcm_review"
    title_text = "TCM review"
    paths = ("tcm_review",)

    def build(self) -> None:
        b = self.binder
        form = self.form()
        self.temperature = b.choice(
            "tcm_review.temperature", [(t.value, t.label) for t in Temperature]
        )
        self.row(form, self.temperature)
        self.sweating = b.text("tcm_review.sweating")
        self.row(form, self.sweating)
        self.night_sweats = b.flag("tcm_review.night_sweats")
        form.addRow("", self.night_sweats)
        self.texts = {}
        for name in (
            "thirst",
            "appetite",
            "digestion",
            "urination",
            "sleep",
            "energy",
            "emotions",
            "cycle",
            "pregnancy",
        ):
            edit = b.text(f"tcm_review.{name}")
            self.row(form, edit)
            self.texts[name] = edit
