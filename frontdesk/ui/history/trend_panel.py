"""Pain before and after each visit, and the MNSI score of each intake, as two charts."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QVBoxLayout, QWidget

from frontdesk.domain.mnsi import DEFAULT_CUTOFF, MAX_SCORE
from frontdesk.services.history import MnsiPoint, PainPoint
from frontdesk.ui.widgets.trend_chart import ChartPoint, ChartSeries, TrendChart

BEFORE_COLOUR = "#e07a1f"
AFTER_COLOUR = "#2a6f97"
MNSI_COLOUR = "#6a4c93"


def pain_series(points: Sequence[PainPoint]) -> list[ChartSeries]:
    """Two series, before and after, with the visits that recorded each."""
    before = tuple(ChartPoint(p.when, p.before) for p in points if p.before is not None)
    after = tuple(ChartPoint(p.when, p.after) for p in points if p.after is not None)
    return [
        ChartSeries("Before treatment", BEFORE_COLOUR, before, marker="circle", line=False),
        ChartSeries("After treatment", AFTER_COLOUR, after, marker="square", line=False),
    ]


def mnsi_series(points: Sequence[MnsiPoint]) -> list[ChartSeries]:
    return [
        ChartSeries(
            "MNSI score",
            MNSI_COLOUR,
            tuple(ChartPoint(p.when, p.score) for p in points),
            marker="circle",
        )
    ]


class TrendPanel(QWidget):
    """The two charts one above the other."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pain_chart = TrendChart("Pain (0-10) before and after each visit")
        self.pain_chart.setObjectName("pain_chart")
        self.mnsi_chart = TrendChart("MNSI questionnaire score at each intake")
        self.mnsi_chart.setObjectName("mnsi_chart")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.pain_chart, 1)
        layout.addWidget(self.mnsi_chart, 1)

    def show_trends(self, pain: Sequence[PainPoint], mnsi: Sequence[MnsiPoint]) -> None:
        description = ""
        if pain:
            last = pain[-1]
            description = (
                f"Pain at {len(pain)} visits; the latest went from "
                f"{'?' if last.before is None else last.before} to "
                f"{'?' if last.after is None else last.after}."
            )
        self.pain_chart.set_chart(
            pain_series(pain),
            y_max=10,
            y_step=2,
            pair_series=True,
            empty_text="No pain scores recorded at visits yet.",
            description=description,
        )
        self.mnsi_chart.set_chart(
            mnsi_series(mnsi),
            y_max=MAX_SCORE,
            y_step=2,
            threshold=DEFAULT_CUTOFF,
            threshold_label=f"positive screen: {DEFAULT_CUTOFF} or more",
            empty_text="No MNSI questionnaire answered yet.",
        )
