"""Time came free: who on the waiting list could take it, best first, one click to book.

The window does not block the calendar: the desk can look at the day, phone the patient,
then book (or close it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.services.records import AppointmentRecord
from frontdesk.ui.models.waiting_list_matches import WaitlistMatchModel


class WaitlistOfferDialog(QDialog):
    """Lists the matching wait-list entries; ``book_requested`` carries the chosen match."""

    book_requested = Signal(object)

    def __init__(
        self,
        freed: AppointmentRecord,
        matches: Sequence[Any],
        tz: ZoneInfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.freed = freed
        self.setModal(False)
        self.setWindowTitle("Time came free: waiting list")
        self.setMinimumSize(600, 280)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.model = WaitlistMatchModel(tz, self)
        self.model.set_matches(matches)
        self._build(tz)
        self._wire()

    def _build(self, tz: ZoneInfo) -> None:
        start = self.freed.starts_at.astimezone(tz)
        end = self.freed.ends_at.astimezone(tz)
        self.heading = QLabel(
            f"<b>{start:%a} {start.day} {start:%b}, {start:%H:%M}–{end:%H:%M}</b> with "
            f"{_escape(self.freed.practitioner_name)} is free. These patients on the waiting "
            "list could take it, best match first:"
        )
        self.heading.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Matching patients on the waiting list")
        self.table.setToolTip("Double-click a patient, or choose one and press Book")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        if self.model.rowCount():
            self.table.selectRow(0)
        self.buttons = QDialogButtonBox()
        self.book_button = QPushButton("&Book the first choice")
        self.book_button.setToolTip("Book the chosen patient into the free time")
        self.buttons.addButton(self.book_button, QDialogButtonBox.ButtonRole.AcceptRole)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setToolTip("Leave the time free")
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self._update_button()

    def _wire(self) -> None:
        self.book_button.clicked.connect(self.book_selected)
        self.buttons.rejected.connect(self.reject)
        self.table.doubleClicked.connect(lambda index: self.book_row(index.row()))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_button())

    def _update_button(self) -> None:
        row = self.selected_row()
        match = self.model.match_at(row)
        self.book_button.setEnabled(match is not None)
        if match is not None:
            self.book_button.setText(f"&Book {match.patient_name}")

    def selected_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else 0

    def book_selected(self) -> None:
        self.book_row(self.selected_row())

    def book_row(self, row: int) -> None:
        match = self.model.match_at(row)
        if match is not None:
            self.book_requested.emit(match)


def _escape(text: str) -> str:
    from html import escape

    return escape(text)
