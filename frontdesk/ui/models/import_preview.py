"""The rows of an import preview: what will be imported, what is already there, what is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from frontdesk.services.importer import ImportPreview

LINE, NAME, BORN, OUTCOME = range(4)
HEADERS = ("Line", "Name", "Date of birth", "What happens")
#: dark enough on white for WCAG AA (contrast above 4.5:1)
BAD_COLOUR = QColor("#B00020")
SKIPPED_COLOUR = QColor("#5F6368")

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class PreviewRow:
    line: int
    name: str
    born: str
    outcome: str
    kind: str  # "ok", "existing" or "bad"


def rows_of(preview: ImportPreview) -> list[PreviewRow]:
    rows = [
        PreviewRow(
            r.line,
            str(r.values["legal_name"]),
            r.values["date_of_birth"].isoformat() if r.values.get("date_of_birth") else "",
            "Will be imported",
            "ok",
        )
        for r in preview.ok
    ]
    rows += [
        PreviewRow(
            d.line,
            d.name,
            "",
            f"Already there ({d.reason}): skipped"
            if d.existing_id is not None
            else f"Repeats an earlier line ({d.reason}): skipped",
            "existing",
        )
        for d in preview.duplicates
    ]
    rows += [PreviewRow(b.line, b.name, "", b.reason, "bad") for b in preview.bad]
    return sorted(rows, key=lambda r: r.line)


class ImportPreviewModel(QAbstractTableModel):
    """One row per line of the file, in file order; problems in red with their reason."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PreviewRow] = []

    def set_preview(self, preview: ImportPreview | None) -> None:
        self.beginResetModel()
        self._rows = rows_of(preview) if preview is not None else []
        self.endResetModel()

    def row_at(self, row: int) -> PreviewRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (str(row.line), row.name, row.born, row.outcome)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.kind == "bad":
                return BAD_COLOUR
            if row.kind == "existing":
                return SKIPPED_COLOUR
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and row.kind == "bad":
            return "problem"
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None
