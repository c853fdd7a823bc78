"""Who is waiting: patients checked in today, since when, and with whom."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from frontdesk.domain.enums import AppointmentStatus
from frontdesk.services.records import AppointmentRecord
from frontdesk.ui.models.base import RowsTableModel

_Index = QModelIndex | QPersistentModelIndex

#: the row's AppointmentRecord
APPOINTMENT_ROLE = Qt.ItemDataRole.UserRole + 1
#: a wait this long (minutes) is shown in the alert colour
LONG_WAIT_MINUTES = 15


class WaitingModel(RowsTableModel):
    """Rows of arrived (then in-treatment) appointments, longest wait first."""

    PATIENT, ARRIVED, WAITING, WITH, APPOINTMENT = range(5)
    HEADERS = ("Patient", "Arrived", "Waiting", "With", "Booked for")

    def __init__(self, tz: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self.now = datetime.now(UTC)
        self._rows: list[AppointmentRecord] = []

    def set_rows(self, rows: Sequence[AppointmentRecord], now: datetime) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.now = now
        self.endResetModel()

    def set_now(self, now: datetime) -> None:
        """Move the clock on: only the waiting minutes change."""
        self.now = now
        if self._rows:
            self.dataChanged.emit(
                self.index(0, self.WAITING), self.index(len(self._rows) - 1, self.WAITING)
            )

    def record_at(self, row: int) -> AppointmentRecord | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    @property
    def records(self) -> list[AppointmentRecord]:
        return list(self._rows)

    def waiting_minutes(self, record: AppointmentRecord) -> int:
        if record.arrived_at is None:
            return 0
        return max(0, int((self.now - record.arrived_at).total_seconds() // 60))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            arrived = self._text(record, self.ARRIVED)
            return (
                f"{record.patient_name}: {record.service_name} with "
                f"{record.practitioner_name} at {self._text(record, self.APPOINTMENT)[:5]}; "
                f"arrived {arrived}, {record.status.label.lower()}"
            )
        if role == Qt.ItemDataRole.ForegroundRole and column == self.WAITING:
            waiting = record.status is AppointmentStatus.ARRIVED
            if waiting and self.waiting_minutes(record) >= LONG_WAIT_MINUTES:
                return QColor("#B3261E")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.ARRIVED, self.WAITING):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == APPOINTMENT_ROLE:
            return record
        return None

    def _text(self, record: AppointmentRecord, column: int) -> str:
        if column == self.PATIENT:
            return record.patient_name
        if column == self.ARRIVED:
            return f"{record.arrived_at.astimezone(self.tz):%H:%M}" if record.arrived_at else ""
        if column == self.WAITING:
            if record.status is AppointmentStatus.IN_TREATMENT:
                return "In treatment"
            return f"{self.waiting_minutes(record)} min"
        if column == self.WITH:
            return record.practitioner_name
        if column == self.APPOINTMENT:
            start = record.starts_at.astimezone(self.tz)
            return f"{start:%H:%M} {record.service_name}"
        return ""
