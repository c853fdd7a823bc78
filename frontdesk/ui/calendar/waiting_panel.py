"""The waiting-room panel: who has arrived, for how long, and with whom."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.services.appointments import waiting_among
from frontdesk.ui.models.waiting import WaitingModel

if TYPE_CHECKING:
    from frontdesk.services.hub import Services
    from frontdesk.services.records import AppointmentRecord


class WaitingPanel(QWidget):
    """A table of arrived patients; double-click (or Enter) shows the appointment."""

    appointment_activated = Signal(int)

    def __init__(self, services: Services, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.model = WaitingModel(tz, self)
        self._build()
        self._wire()

    def _build(self) -> None:
        self.title = QLabel("<b>Waiting room</b>")
        self.title.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Patients waiting")
        self.table.setToolTip("Patients who have arrived; double-click to show the appointment")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        # the name matters most in a narrow side panel; the arrival time is in the tooltip
        header.setSectionResizeMode(WaitingModel.PATIENT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(WaitingModel.WAITING, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(WaitingModel.WITH, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.hideColumn(WaitingModel.ARRIVED)
        self.table.hideColumn(WaitingModel.APPOINTMENT)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.table)

    def _wire(self) -> None:
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)

    def _activated(self, index: object) -> None:
        record = self.model.record_at(index.row())  # type: ignore[attr-defined]
        if record is not None:
            self.appointment_activated.emit(record.id)

    def refresh(self, now: datetime, today: list[AppointmentRecord] | None = None) -> None:
        """Read who is waiting now (one services call), or find them in ``today``: today's
        appointments read a moment ago (no second read)."""
        rows = self.services.appointments.waiting() if today is None else waiting_among(today)
        self.model.set_rows(rows, now)
        waiting = sum(1 for r in rows if r.status.value == "arrived")
        treated = len(rows) - waiting
        parts = [f"{waiting} waiting" if waiting else "nobody waiting"]
        if treated:
            parts.append(f"{treated} in treatment")
        self.title.setText(f"<b>Waiting room</b>: {', '.join(parts)}")

    def tick(self, now: datetime) -> None:
        """Every minute: the waiting times grow."""
        self.model.set_now(now)
