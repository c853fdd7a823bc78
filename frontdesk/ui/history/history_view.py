"""The health history of one patient: the timeline beside the pain and MNSI trends, the
first and latest body maps, and what changed between intake versions."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import FrontdeskError, PermissionDenied
from frontdesk.services.hub import Services
from frontdesk.ui.errors import show_error
from frontdesk.ui.history.body_map_compare import BodyMapCompare
from frontdesk.ui.history.intake_compare import IntakeCompare
from frontdesk.ui.history.trend_panel import TrendPanel
from frontdesk.ui.models.timeline import TimelineModel


class HistoryView(QWidget):
    """``show_patient(id)`` loads everything; nothing is loaded until then."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.patient_id: int | None = None
        self._build()

    def _build(self) -> None:
        self.timeline_model = TimelineModel(self)
        self.timeline_view = QTableView()
        self.timeline_view.setObjectName("timeline")
        self.timeline_view.setAccessibleName("Timeline")
        self.timeline_view.setToolTip(
            "Intakes, visits, appointments and cancellations, newest first"
        )
        self.timeline_view.setModel(self.timeline_model)
        self.timeline_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline_view.setWordWrap(True)
        self.timeline_view.verticalHeader().hide()
        self.timeline_view.setAlternatingRowColors(True)
        header = self.timeline_view.horizontalHeader()
        header.setSectionResizeMode(TimelineModel.DATE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TimelineModel.KIND, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TimelineModel.TITLE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TimelineModel.DETAIL, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(TimelineModel.TITLE, 190)
        # wrapped rows are measured at the width they get: again whenever columns change
        self._row_heights = QTimer(self)
        self._row_heights.setSingleShot(True)
        self._row_heights.setInterval(0)
        self._row_heights.timeout.connect(self.timeline_view.resizeRowsToContents)
        header.sectionResized.connect(lambda *_args: self._row_heights.start())

        self.trends = TrendPanel()
        overview = QSplitter(Qt.Orientation.Horizontal)
        overview.setChildrenCollapsible(False)
        overview.addWidget(self.timeline_view)
        overview.addWidget(self.trends)
        overview.setStretchFactor(0, 3)
        overview.setStretchFactor(1, 2)
        overview.setSizes([640, 480])

        self.body_maps = BodyMapCompare()
        self.intake_compare = IntakeCompare(self.services)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("history_tabs")
        self.tabs.addTab(overview, "&Timeline and trends")
        self.tabs.addTab(self.body_maps, "&Body map: first and latest")
        self.tabs.addTab(self.intake_compare, "&What changed in the intake")

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.message_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.show_message("Open a patient to see their history.")

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.stack.setCurrentIndex(1)

    def show_patient(self, patient_id: int | None) -> None:
        """Load the timeline, trends, body maps and intake versions of a patient."""
        self.patient_id = patient_id
        if patient_id is None:
            self.show_message("Open a patient to see their history.")
            return
        history = self.services.history
        try:
            events = history.timeline(patient_id)
            pain = history.pain_trend(patient_id)
            mnsi = history.mnsi_trend(patient_id)
            maps = history.body_maps(patient_id)
            versions = self.services.intakes.versions(patient_id)
        except PermissionDenied as error:
            self.show_message(error.message)
            return
        except FrontdeskError as error:
            show_error(self, error)
            return
        self.timeline_model.set_events(events)
        self.timeline_view.resizeRowsToContents()
        self.trends.show_trends(pain, mnsi)
        self.body_maps.show_maps(maps)
        self.intake_compare.set_versions(versions)
        self.stack.setCurrentIndex(0)

    def refresh(self) -> None:
        self.show_patient(self.patient_id)
