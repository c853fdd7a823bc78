"""A table of "what changed" between two intake versions, or a plain line when nothing did."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.intake import FieldChange
from frontdesk.ui.models.intake_versions import IntakeChangesModel


class ChangesView(QWidget):
    """Shows FieldChange lines in a table; the heading says which versions are compared."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = IntakeChangesModel(self)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setObjectName("changes_heading")
        self.table = QTableView()
        self.table.setObjectName("changes_table")
        self.table.setAccessibleName("What changed")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(
            IntakeChangesModel.SECTION, QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(IntakeChangesModel.FIELD, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(IntakeChangesModel.BEFORE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(IntakeChangesModel.AFTER, QHeaderView.ResizeMode.Stretch)
        self.empty_label = QLabel("Nothing changed between these versions.")
        self.empty_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)

    def show_changes(self, heading: str, changes: Sequence[FieldChange]) -> None:
        self.heading.setText(heading)
        self.model.set_changes(changes)
        self.table.setVisible(bool(changes))
        self.empty_label.setVisible(not changes)
        self.table.resizeRowsToContents()

    def clear(self, heading: str = "") -> None:
        self.show_changes(heading, [])
        self.empty_label.setVisible(False)
