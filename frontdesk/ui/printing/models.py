"""Table models of the printing dialogs: a day's visits (to pick a handout) and the answers
a filled intake form gives (to check before saving it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from frontdesk.domain.intake import FieldChange
from frontdesk.services.printing import DayVisit
from frontdesk.ui.models.base import RowsTableModel

_Index = QModelIndex | QPersistentModelIndex

#: the row's record (a DayVisit, or a FilledAnswer)
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1


class DayVisitsModel(RowsTableModel):
    """The visits of one day: time, patient, practitioner."""

    TIME, PATIENT, PRACTITIONER = range(3)
    HEADERS = ("Time", "Patient", "Practitioner")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[DayVisit] = []

    def set_visits(self, visits: Sequence[DayVisit]) -> None:
        self._reset_rows(visits)

    def visit_at(self, row: int) -> DayVisit | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        visit = self._rows[index.row()]
        if role == RECORD_ROLE:
            return visit
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            column = index.column()
            if column == self.TIME:
                return f"{visit.starts_at:%H:%M}"
            if column == self.PATIENT:
                return visit.patient_name
            if column == self.PRACTITIONER:
                return visit.practitioner_name
        return None


@dataclass(frozen=True)
class FilledAnswer:
    """One row of the import check: an answer on the form, or one the form leaves empty."""

    section: str
    question: str
    answer: str
    #: the answer in the latest saved intake, when it is different ("" when the same)
    before: str
    path: str
    #: the form leaves out an answer the saved intake has
    left_empty: bool = False


def filled_answers(
    filled: Sequence[FieldChange], changes: Sequence[FieldChange]
) -> list[FilledAnswer]:
    """The form's answers, then the saved answers the form leaves empty."""
    changed = {c.path: c for c in changes}
    rows = [
        FilledAnswer(
            f.section,
            f.field,
            f.new,
            changed[f.path].old if f.path in changed else "",
            f.path,
        )
        for f in filled
    ]
    on_form = {f.path for f in filled}
    rows += [
        FilledAnswer(c.section, c.field, "(left empty on the form)", c.old, c.path, True)
        for c in changes
        if c.path not in on_form
    ]
    return rows


class FilledFormModel(RowsTableModel):
    """What a filled intake form says, beside what the latest saved intake says."""

    SECTION, QUESTION, ANSWER, BEFORE = range(4)
    HEADERS = ("Section", "Question", "Answer on the form", "Saved intake says")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[FilledAnswer] = []

    def set_answers(self, answers: Sequence[FilledAnswer]) -> None:
        self._reset_rows(answers)

    def answer_at(self, row: int) -> FilledAnswer | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == RECORD_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (row.section, row.question, row.answer, row.before or "the same")[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.left_empty:
                return "Saving keeps this answer out of the new version"
            return "Differs from the saved intake" if row.before else "As in the saved intake"
        if role == Qt.ItemDataRole.FontRole and column == self.ANSWER and row.before:
            font = QFont()
            font.setBold(True)
            return font
        return None
