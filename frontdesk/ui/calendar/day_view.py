"""The day view: one column per practitioner (or per room), headed by name and colour."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from frontdesk.ui.calendar.time_grid import TimeGridView


class DayView(TimeGridView):
    """A day of the appointment book; drag over empty time to book, drag a block to move it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Day view")
        self.setAccessibleDescription(
            "Appointments of the day, one column per practitioner. Arrow keys move between "
            "appointments, Enter shows what can be done, Delete cancels."
        )
        self.setToolTip("")
