"""The Visits tab: the patient's appointments, which have a visit record, and the buttons
to record or open one."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import FrontdeskError, PermissionDenied
from frontdesk.services.hub import Services
from frontdesk.ui.dialogs.visit_dialog import VisitDialog
from frontdesk.ui.errors import show_error
from frontdesk.ui.models.visits import PatientVisitsModel, VisitRow, join_visits


class VisitsTab(QWidget):
    """``visit_saved`` fires after a visit was recorded or changed here."""

    visit_saved = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.patient_id: int | None = None
        self.model = PatientVisitsModel(self)
        self._build()
        self._wire()

    def _build(self) -> None:
        self.table = QTableView()
        self.table.setObjectName("patient_visits")
        self.table.setAccessibleName("Appointments and visits")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PatientVisitsModel.SERVICE, QHeaderView.ResizeMode.Stretch)
        self.record_button = QPushButton("Record visit…")
        self.record_button.setObjectName("record_visit")
        self.record_button.setToolTip("Write up what was done at the chosen appointment")
        self.handout_button = QPushButton("Aftercare handout…")
        self.handout_button.setObjectName("print_aftercare")
        self.handout_button.setToolTip("Preview and print the aftercare sheet for the chosen visit")
        self.hint_label = QLabel()
        self.hint_label.setWordWrap(True)
        line = QHBoxLayout()
        line.addWidget(self.hint_label, 1)
        line.addWidget(self.handout_button)
        line.addWidget(self.record_button)
        self.refused_label = QLabel()
        self.refused_label.setWordWrap(True)
        editor = QWidget()
        inner = QVBoxLayout(editor)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(line)
        inner.addWidget(self.table, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(editor)
        self.stack.addWidget(self.refused_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def _wire(self) -> None:
        self.record_button.clicked.connect(self.open_selected)
        self.handout_button.clicked.connect(self.print_handout)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update())

    def open_patient(self, patient_id: int | None) -> None:
        self.patient_id = patient_id
        if patient_id is None:
            self.model.set_rows([])
            self._update()
            return
        try:
            appointments = self.services.appointments.for_patient(patient_id)
            visits = self.services.visits.for_patient(patient_id)
        except PermissionDenied as error:
            self.refused_label.setText(error.message)
            self.stack.setCurrentIndex(1)
            return
        self.stack.setCurrentIndex(0)
        rows = join_visits(appointments, visits)
        self.model.set_rows(rows)
        first = next((i for i, r in enumerate(rows) if r.can_record and r.visit is None), None)
        if first is not None:
            self.table.selectRow(first)
        self._update()

    def selected(self) -> VisitRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update(self) -> None:
        row = self.selected()
        self.handout_button.setEnabled(row is not None and row.visit is not None)
        if row is None:
            self.record_button.setEnabled(False)
            self.record_button.setText("Record visit…")
            self.hint_label.setText(
                "Choose an appointment. A visit can be recorded once the patient has arrived."
            )
            return
        self.record_button.setEnabled(row.can_record)
        self.record_button.setText("Open visit…" if row.visit else "Record visit…")
        if row.can_record:
            self.hint_label.setText("")
        else:
            self.hint_label.setText(
                f"This appointment is {row.appointment.status.label.lower()}: a visit can be "
                "recorded once the patient has arrived."
            )

    def print_handout(self) -> None:
        """The aftercare sheet of the chosen visit, in the print preview."""
        row = self.selected()
        if row is None or row.visit is None:
            return
        from frontdesk.ui.printing.actions import print_aftercare

        print_aftercare(
            self, self.services, row.visit.id, patient_name=row.appointment.patient_name
        )

    def open_selected(self) -> None:
        row = self.selected()
        if row is None or not row.can_record:
            return
        try:
            saved = VisitDialog.ask(self.services, row.appointment.id, self)
        except FrontdeskError as error:
            show_error(self, error)
            return
        if saved is not None:
            self.open_patient(self.patient_id)
            index = self.model.row_of_appointment(row.appointment.id)
            if index >= 0:
                self.table.selectRow(index)
            self.visit_saved.emit(saved)
