"""A patient's appointments with their visit records: what was booked, what happened, and
whether the visit has been written up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from frontdesk.domain.enums import AppointmentStatus
from frontdesk.services.records import AppointmentRecord
from frontdesk.services.visits import RECORDABLE_STATUSES, VisitRecord
from frontdesk.ui.models.base import RowsTableModel

_Index = QModelIndex | QPersistentModelIndex

#: the row's VisitRow
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class VisitRow:
    appointment: AppointmentRecord
    visit: VisitRecord | None

    @property
    def can_record(self) -> bool:
        """A visit can be written up (or opened) for this appointment."""
        return self.visit is not None or self.appointment.status in RECORDABLE_STATUSES


def join_visits(
    appointments: Sequence[AppointmentRecord], visits: Sequence[VisitRecord]
) -> list[VisitRow]:
    """Pair each appointment with its visit record, newest first."""
    by_appointment = {v.appointment_id: v for v in visits}
    rows = [VisitRow(a, by_appointment.get(a.id)) for a in appointments]
    rows.sort(key=lambda r: r.appointment.starts_at, reverse=True)
    return rows


class PatientVisitsModel(RowsTableModel):
    """Date, service, practitioner, status, visit record, pain before and after."""

    DATE, SERVICE, PRACTITIONER, STATUS, RECORD, PAIN = range(6)
    HEADERS = ("Date", "Service", "Practitioner", "Status", "Visit record", "Pain")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[VisitRow] = []

    def set_rows(self, rows: Sequence[VisitRow]) -> None:
        self._reset_rows(rows)

    def row_at(self, row: int) -> VisitRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of_appointment(self, appointment_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.appointment.id == appointment_id), -1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.visit is not None:
                return "Double-click to open the visit record"
            if row.can_record:
                return "Double-click to record what was done"
            return None
        return None

    @staticmethod
    def _text(row: VisitRow, column: int) -> str:
        a = row.appointment
        if column == PatientVisitsModel.DATE:
            return a.starts_at.astimezone().strftime("%a %d %b %Y %H:%M")
        if column == PatientVisitsModel.SERVICE:
            return a.service_name
        if column == PatientVisitsModel.PRACTITIONER:
            return a.practitioner_name
        if column == PatientVisitsModel.STATUS:
            text = a.status.label
            if a.status is AppointmentStatus.CANCELLED and a.late_cancel:
                text += " (late)"
            return text
        if column == PatientVisitsModel.RECORD:
            if row.visit is not None:
                return "recorded"
            return "not yet recorded" if row.can_record else ""
        if column == PatientVisitsModel.PAIN and row.visit is not None:
            before, after = row.visit.pain_before, row.visit.pain_after
            if before is None and after is None:
                return ""
            return f"{'?' if before is None else before} → {'?' if after is None else after}"
        return ""
