"""Acupuncture points for the point picker: search results from the catalogue, and the
points chosen for a visit (with the ones avoided in pregnancy marked)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from frontdesk.domain.points import Point, PointCatalogue, load_points
from frontdesk.ui.models.base import RowsTableModel

_Index = QModelIndex | QPersistentModelIndex

#: the row's Point
POINT_ROLE = Qt.ItemDataRole.UserRole + 1
#: dark red text for points to avoid (WCAG AA on white)
CAUTION_TEXT = QColor("#a4161a")


def _caution_text(point: Point) -> str:
    caution = point.pregnancy_caution
    return caution.label if caution is not None else ""


class _PointTable(RowsTableModel):
    CODE, NAME, REGION, NOTE = range(4)
    HEADERS = ("Code", "Name", "Where", "Note")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Point] = []
        self.pregnancy_warning = False

    def point_at(self, row: int) -> Point | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    @property
    def points(self) -> list[Point]:
        return list(self._rows)

    def _note(self, point: Point) -> str:
        bits = []
        if point.favourite:
            bits.append("neuropathy favourite")
        if self.pregnancy_warning and point.pregnancy_caution is not None:
            bits.append(_caution_text(point))
        return "; ".join(bits)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        point = self._rows[index.row()]
        column = index.column()
        if role == POINT_ROLE:
            return point
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == self.CODE:
                return point.code
            if column == self.NAME:
                return point.pinyin
            if column == self.REGION:
                return point.region
            return self._note(point)
        if role == Qt.ItemDataRole.ToolTipRole:
            aliases = f" (also written {', '.join(point.aliases)})" if point.aliases else ""
            text = f"{point.label}{aliases}: {point.region}, {point.meridian_name}"
            caution = _caution_text(point)
            return f"{text}. {caution.capitalize()}." if caution else text
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and self.pregnancy_warning
            and point.pregnancy_caution is not None
        ):
            return CAUTION_TEXT
        return None


class PointSearchModel(_PointTable):
    """What the catalogue finds for the typed text (favourites first when nothing is typed)."""

    def __init__(
        self, catalogue: PointCatalogue | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.catalogue = catalogue or load_points()
        self.query = ""
        self.search("")

    def search(self, text: str, limit: int = 40) -> None:
        """Show the points matching ``text`` ("st36", "zusanli", "LV3", "bafeng", "top foot")."""
        self.query = text
        self.beginResetModel()
        self._rows = self.catalogue.search(text, limit=limit)
        self.endResetModel()

    def show_favourites(self) -> None:
        """The points of published neuropathy protocols, in the clinic's order."""
        self.query = ""
        self.beginResetModel()
        self._rows = list(self.catalogue.favourites)
        self.endResetModel()


class ChosenPointsModel(_PointTable):
    """The points chosen for a visit, in the order they were added."""

    def __init__(
        self, catalogue: PointCatalogue | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.catalogue = catalogue or load_points()

    def set_codes(self, codes: Iterable[str]) -> None:
        """Show these codes (any spelling); unknown codes are left out."""
        self.beginResetModel()
        found: list[Point] = []
        for code in codes:
            point = self.catalogue.get(code)
            if point is not None and point not in found:
                found.append(point)
        self._rows = found
        self.endResetModel()

    def codes(self) -> list[str]:
        return [p.code for p in self._rows]

    def add(self, point: Point) -> bool:
        """Add a point at the end; False when it was already chosen."""
        if point in self._rows:
            return False
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(point)
        self.endInsertRows()
        return True

    def remove_rows(self, rows: Sequence[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self._rows):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()

    def set_pregnancy_warning(self, on: bool) -> None:
        self.pregnancy_warning = on
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 3))

    def flagged(self) -> list[Point]:
        """Chosen points to avoid for a patient who is or may be pregnant."""
        return [p for p in self._rows if p.pregnancy_caution is not None]
