"""Intake versions of one patient (newest first), and "what changed" between two of them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from frontdesk.domain.intake import FieldChange
from frontdesk.services.intakes import IntakeVersionSummary
from frontdesk.ui.models.base import RowsTableModel

_Index = QModelIndex | QPersistentModelIndex

#: the row's record
VERSION_ROLE = Qt.ItemDataRole.UserRole + 1

_SOURCES = {
    "form": "on screen",
    "paper": "paper form",
    "pdf": "filled PDF",
    "import": "imported",
    "merge": "from a merged record",
    "demo": "demo",
}


def format_saved(when: datetime) -> str:
    """``12 Mar 2026 14:05`` in the computer's local time."""
    return when.astimezone().strftime("%d %b %Y %H:%M").lstrip("0")


class IntakeVersionsModel(RowsTableModel):
    """One row per saved version: number, when, by whom, from where, MNSI, pain, flags."""

    VERSION, SAVED, BY, SOURCE, MNSI, PAIN, FLAGS = range(7)
    HEADERS = ("Version", "Saved", "By", "From", "MNSI", "Pain now", "Safety flags")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[IntakeVersionSummary] = []

    def set_versions(self, versions: Sequence[IntakeVersionSummary]) -> None:
        self._reset_rows(versions)

    def version_at(self, row: int) -> IntakeVersionSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def previous_of(self, version: IntakeVersionSummary) -> IntakeVersionSummary | None:
        """The version saved just before this one, if any."""
        older = [v for v in self._rows if v.version_no < version.version_no]
        return max(older, key=lambda v: v.version_no) if older else None

    @property
    def versions(self) -> list[IntakeVersionSummary]:
        return list(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        version = self._rows[index.row()]
        if role == VERSION_ROLE:
            return version
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(version, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"Version {version.version_no}, saved {format_saved(version.created_at)} "
                f"by {version.created_by}. {version.flags_summary or 'No safety flags.'}"
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            self.VERSION,
            self.MNSI,
            self.PAIN,
        ):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _text(self, version: IntakeVersionSummary, column: int) -> str:
        if column == self.VERSION:
            return str(version.version_no)
        if column == self.SAVED:
            return format_saved(version.created_at)
        if column == self.BY:
            return version.created_by
        if column == self.SOURCE:
            return _SOURCES.get(version.source, version.source)
        if column == self.MNSI:
            return "" if version.mnsi_score is None else f"{version.mnsi_score}/13"
        if column == self.PAIN:
            return "" if version.pain_now is None else str(version.pain_now)
        if column == self.FLAGS:
            return version.flags_summary
        return ""


class IntakeChangesModel(RowsTableModel):
    """The lines of "what changed": section, answer, before, after."""

    SECTION, FIELD, BEFORE, AFTER = range(4)
    HEADERS = ("Section", "Answer", "Before", "Now")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[FieldChange] = []

    def set_changes(self, changes: Sequence[FieldChange]) -> None:
        self._reset_rows(changes)

    def change_at(self, row: int) -> FieldChange | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        change = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (change.section, change.field, change.old, change.new)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(change)
        return None
