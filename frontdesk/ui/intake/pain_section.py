"""Pain on the 0-10 scale: now, the worst and the average over the last week."""

from __future__ import annotations

from typing import Any

from frontdesk.ui.intake.binder import label_for
from frontdesk.ui.intake.section_base import IntakeSection
from frontdesk.ui.widgets.nrs_slider import NrsSlider


class PainSection(IntakeSection):
    key = "pain"
    title_text = "Pain (0-10)"
    paths = ("pain",)

    def build(self) -> None:
        self.note(
            "0 is no pain, 10 the worst pain imaginable: 1-3 mild, 4-6 moderate, 7-10 severe."
        )
        form = self.form()
        self.sliders: dict[str, NrsSlider] = {}
        for name in ("now", "worst", "average"):
            path = f"pain.{name}"
            slider = NrsSlider(label_for(path))
            slider.setObjectName(path)
            slider.setAccessibleName(label_for(path))
            self.binder.bind(path, slider, slider.value, self._writer(slider), slider.value_changed)
            self.row(form, slider)
            self.sliders[name] = slider

    @staticmethod
    def _writer(slider: NrsSlider) -> Any:
        return lambda value: slider.set_value(value)
