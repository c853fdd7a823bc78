"""The week view: seven day columns, Monday first, for one practitioner."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QWidget

from frontdesk.ui.calendar.time_grid import TimeGridView


class WeekView(TimeGridView):
    """One practitioner's week; today's column header stands out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # seven days side by side on a laptop screen without scrolling sideways
        self.min_column_width = 104
        self.setAccessibleName("Week view")
        self.setAccessibleDescription(
            "One practitioner's appointments for the week, one column per day. Arrow keys "
            "move between appointments, Enter shows what can be done, Delete cancels."
        )

    def header_highlighted(self, index: int) -> bool:
        now: datetime = self.now_provider() if self.now_provider else datetime.now(UTC)
        return self.layout_data.columns[index].day == now.astimezone(self.layout_data.tz).date()
