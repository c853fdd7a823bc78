"""Pick a visit to print its aftercare handout: a day, then one of that day's visits."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.printing import DayVisit, PrintService
from frontdesk.ui.errors import show_error
from frontdesk.ui.printing.models import DayVisitsModel


class ChooseVisitDialog(QDialog):
    """A date box and that day's recorded visits; Enter or a double-click picks one."""

    def __init__(self, printing: PrintService, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.printing = printing
        self.result_value: DayVisit | None = None
        self.setWindowTitle("Aftercare handout for a visit")
        self.resize(640, 440)
        self.date_edit = QDateEdit(QDate(day.year, day.month, day.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.date_edit.setAccessibleName("Day of the visit")
        self.date_edit.setToolTip("The day of the visit; its recorded visits are listed below")
        self.model = DayVisitsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Visits of the day")
        self.table.setToolTip("Double-click a visit, or choose it and press Enter")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            DayVisitsModel.PATIENT, QHeaderView.ResizeMode.Stretch
        )
        self.empty_label = QLabel()
        self.empty_label.setAccessibleName("About the list")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Preview handout")
        form = QFormLayout()
        form.addRow("&Day:", self.date_edit)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.buttons)

        self.date_edit.dateChanged.connect(lambda _d: self.load())
        self.table.doubleClicked.connect(lambda index: self._choose(index.row()))
        self.buttons.accepted.connect(lambda: self._choose(self.table.currentIndex().row()))
        self.buttons.rejected.connect(self.reject)
        self.load()

    def day(self) -> date:
        chosen = self.date_edit.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def load(self) -> None:
        """List the chosen day's visits (a short read: no background task needed)."""
        try:
            visits = self.printing.day_visits(self.day())
        except FrontdeskError as error:
            show_error(self, error)
            visits = []
        self.model.set_visits(visits)
        self.table.resizeColumnToContents(DayVisitsModel.TIME)
        if visits:
            self.table.setCurrentIndex(self.model.index(0, 0, QModelIndex()))
            self.empty_label.setText(f"{len(visits)} visits recorded on this day.")
        else:
            self.empty_label.setText("No visits were recorded on this day.")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(visits))

    def _choose(self, row: int) -> None:
        visit = self.model.visit_at(row)
        if visit is not None:
            self.result_value = visit
            self.accept()

    @classmethod
    def ask(
        cls, printing: PrintService, day: date, parent: QWidget | None = None
    ) -> DayVisit | None:
        dialog = cls(printing, day, parent)
        dialog.exec()
        return dialog.result_value
