"""Choosing acupuncture points: type a code, an older code, a pinyin name or a body region
("st36", "LV3", "zusanli", "bafeng", "top foot"), press Enter to add the best match; the
neuropathy favourites are one click away. Points avoided in pregnancy are marked when the
patient is or may be pregnant."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from frontdesk.domain.points import PointCatalogue, load_points
from frontdesk.ui.models.points import ChosenPointsModel, PointSearchModel
from frontdesk.ui.widgets.flag_banner import RED_FILL


def _table(name: str, tip: str) -> QTableView:
    view = QTableView()
    view.setAccessibleName(name)
    view.setToolTip(tip)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setTabKeyNavigation(False)
    view.setMinimumHeight(120)
    return view


class PointPicker(QWidget):
    """``points_changed`` fires with the chosen codes after every addition or removal."""

    points_changed = Signal(list)

    def __init__(
        self, catalogue: PointCatalogue | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.catalogue = catalogue or load_points()
        self.results = PointSearchModel(self.catalogue, self)
        self.chosen = ChosenPointsModel(self.catalogue, self)
        self._build()
        self._wire()

    def _build(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("point_search")
        self.search_edit.setAccessibleName("Find a point")
        self.search_edit.setPlaceholderText("st36, zusanli, LV3, bafeng, top foot ...")
        self.search_edit.setToolTip(
            "Type a point code, an older code, its name or where it is; Enter adds the first "
            "match, Down moves into the list"
        )
        self.search_edit.setClearButtonEnabled(True)
        self.favourites_button = QPushButton("Neuropathy favourites")
        self.favourites_button.setToolTip("Show the points used in published neuropathy protocols")
        self.results_view = _table("Points found", "Double-click or press Enter to add a point")
        self.results_view.setObjectName("point_results")
        self.results_view.setModel(self.results)
        self.chosen_view = _table("Points chosen", "Delete removes the selected points")
        self.chosen_view.setObjectName("points_chosen")
        self.chosen_view.setModel(self.chosen)
        self.chosen_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        for view in (self.results_view, self.chosen_view):
            header = view.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setStretchLastSection(True)
        self.add_button = QPushButton("Add")
        self.add_button.setToolTip("Add the selected point")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected chosen points (Delete)")
        self.warning_label = QLabel()
        self.warning_label.setObjectName("pregnancy_warning")
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet(f"QLabel {{ color: {RED_FILL}; font-weight: bold; }}")
        self.warning_label.hide()

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        find_label = QLabel("&Find:")
        find_label.setBuddy(self.search_edit)
        grid.addWidget(find_label, 0, 0)
        grid.addWidget(self.search_edit, 0, 1)
        grid.addWidget(self.favourites_button, 0, 2)
        grid.addWidget(self.results_view, 1, 0, 1, 3)
        grid.addWidget(self.add_button, 2, 2)
        chosen_label = QLabel("Chosen:")
        chosen_label.setBuddy(self.chosen_view)
        grid.addWidget(chosen_label, 2, 0)
        grid.addWidget(self.chosen_view, 3, 0, 1, 3)
        grid.addWidget(self.remove_button, 4, 2)
        grid.addWidget(self.warning_label, 4, 0, 1, 2)

    def _wire(self) -> None:
        self.search_edit.textChanged.connect(self.results.search)
        self.search_edit.installEventFilter(self)
        self.favourites_button.clicked.connect(self.results.show_favourites)
        self.results_view.doubleClicked.connect(lambda index: self._add_row(index.row()))
        self.results_view.installEventFilter(self)
        self.chosen_view.installEventFilter(self)
        self.add_button.clicked.connect(self._add_selected)
        self.remove_button.clicked.connect(self.remove_selected)

    # -- choosing -----------------------------------------------------------------------------

    def codes(self) -> list[str]:
        return self.chosen.codes()

    def set_codes(self, codes: Iterable[str]) -> None:
        """Show these points as chosen (no ``points_changed``)."""
        self.chosen.set_codes(codes)
        self._update_warning()

    def add_text(self, text: str) -> bool:
        """Add the best match for typed text; False when nothing matches."""
        found = self.catalogue.search(text, limit=1)
        if not found:
            return False
        self._add(found[0].code)
        return True

    def add_best_match(self) -> None:
        text = self.search_edit.text()
        if not text.strip():
            return
        if self.add_text(text):
            self.search_edit.clear()

    def _add(self, code: str) -> None:
        point = self.catalogue.get(code)
        if point is not None and self.chosen.add(point):
            self._update_warning()
            self.points_changed.emit(self.codes())

    def _add_row(self, row: int) -> None:
        point = self.results.point_at(row)
        if point is not None:
            self._add(point.code)

    def _add_selected(self) -> None:
        for index in self.results_view.selectionModel().selectedRows():
            self._add_row(index.row())

    def remove_selected(self) -> None:
        rows = [i.row() for i in self.chosen_view.selectionModel().selectedRows()]
        if rows:
            self.chosen.remove_rows(rows)
            self._update_warning()
            self.points_changed.emit(self.codes())

    # -- pregnancy ------------------------------------------------------------------------------

    def set_pregnancy_warning(self, on: bool) -> None:
        """Mark points avoided in pregnancy (the patient is or may be pregnant)."""
        self.results.pregnancy_warning = on
        self.chosen.set_pregnancy_warning(on)
        self._update_warning()

    def flagged_codes(self) -> list[str]:
        """Chosen points to flag, when the pregnancy warning is on."""
        if not self.chosen.pregnancy_warning:
            return []
        return [p.code for p in self.chosen.flagged()]

    def _update_warning(self) -> None:
        flagged = self.flagged_codes()
        if flagged:
            self.warning_label.setText(
                "The patient is or may be pregnant; these points are avoided in pregnancy: "
                + ", ".join(flagged)
            )
        self.warning_label.setVisible(bool(flagged))

    # -- keys -----------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search_edit and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                # taken here, so Enter adds a point instead of pressing the dialog's default
                self.add_best_match()
                return True
            if watched is self.search_edit and key == Qt.Key.Key_Down and self.results.rowCount():
                self.results_view.setFocus()
                self.results_view.selectRow(0)
                return True
            if watched is self.results_view and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._add_selected()
                return True
            if watched is self.chosen_view and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.remove_selected()
                return True
        return super().eventFilter(watched, event)
