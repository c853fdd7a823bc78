"""Merge a duplicate record into the patient on screen: find the duplicate, see what will
move (appointments, intake versions, visits), confirm. The duplicate is archived and the
merge is written to the audit trail by the service."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.hub import Services
from frontdesk.services.records import PatientRecord, PatientSummary
from frontdesk.ui.errors import show_error
from frontdesk.ui.models.patients import format_date
from frontdesk.ui.patients.search_controller import PatientSearchController


def _who(name: str, born: date | None, chart: str, phone: str) -> str:
    bits = [name]
    if born:
        bits.append(f"born {format_date(born)}")
    bits.append(f"chart {chart}")
    if phone:
        bits.append(phone)
    return ", ".join(bits)


class MergeDialog(QDialog):
    """``ask`` returns the kept patient after the merge, or None when nothing was merged."""

    def __init__(self, services: Services, keep: PatientRecord, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.keep = keep
        self.duplicate: PatientSummary | None = None
        self.result_value: PatientRecord | None = None
        self.setWindowTitle("Merge a duplicate record")
        self.resize(760, 560)
        self._build()
        self._wire()
        self._show_choice()

    def _build(self) -> None:
        keep = self.keep
        kept = _who(keep.display_name, keep.date_of_birth, keep.chart_number, keep.phone)
        intro = QLabel(
            f"Keep: <b>{kept}</b><br>"
            "Find the duplicate record below. Its appointments, intake versions and visits "
            "move to the record you keep; the duplicate is archived."
        )
        intro.setWordWrap(True)
        self.search_edit = QLineEdit()
        self.search_edit.setAccessibleName("Find the duplicate")
        self.search_edit.setPlaceholderText("Name, phone, date of birth or chart number")
        self.search_edit.setToolTip("Type to search for the duplicate record")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setText(self.keep.legal_name)
        self.results_view = QTableView()
        self.results_view.setAccessibleName("Possible duplicates")
        self.search = PatientSearchController(
            self.services, self.search_edit, self.results_view, self, exclude_id=self.keep.id
        )
        self.moves_label = QLabel()
        self.moves_label.setObjectName("merge_moves")
        self.moves_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = self.buttons.addButton("Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setToolTip("Move everything to the kept record and archive the other")
        label = QLabel("&Duplicate:")
        label.setBuddy(self.search_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(label)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.results_view, 1)
        layout.addWidget(self.moves_label)
        layout.addWidget(self.buttons)

    def _wire(self) -> None:
        self.search.searched.connect(lambda _text: self._show_choice())
        self.results_view.selectionModel().selectionChanged.connect(
            lambda *_args: self._show_choice()
        )
        self.search.chosen.connect(lambda _patient: self.merge())
        self.buttons.accepted.connect(self.merge)
        self.buttons.rejected.connect(self.reject)
        self.search.search_now()

    def _show_choice(self) -> None:
        self.duplicate = self.search.current()
        self.merge_button.setEnabled(self.duplicate is not None)
        if self.duplicate is None:
            self.moves_label.setText("Choose the duplicate record in the list.")
            return
        self.moves_label.setText(self.moves_text(self.duplicate))

    def moves_text(self, duplicate: PatientSummary) -> str:
        """What will move, in words."""
        try:
            appointments = len(self.services.appointments.for_patient(duplicate.id))
            intakes = self.services.intakes.version_count(duplicate.id)
            visits = int(self.services.history.overview(duplicate.id).get("visits", 0))
        except FrontdeskError as error:
            return error.message
        who = _who(
            duplicate.display_name,
            duplicate.date_of_birth,
            duplicate.chart_number,
            duplicate.phone,
        )
        return (
            f"Merging <b>{who}</b> moves {appointments} appointment(s), {intakes} intake "
            f"version(s) and {visits} visit record(s) to {self.keep.display_name}, then "
            "archives the duplicate."
        )

    def merge(self) -> None:
        duplicate = self.search.current()
        if duplicate is None:
            return
        question = (
            f"Merge {duplicate.display_name} (chart {duplicate.chart_number}) into "
            f"{self.keep.display_name} (chart {self.keep.chart_number})? This cannot be undone."
        )
        if not self.confirm(question):
            return
        try:
            self.result_value = self.services.patients.merge(self.keep.id, duplicate.id)
        except FrontdeskError as error:
            show_error(self, error, "Cannot merge")
            return
        self.accept()

    def confirm(self, question: str) -> bool:
        """Ask before merging; True to go ahead."""
        answer = QMessageBox.question(self, "Merge the records?", question)
        return answer == QMessageBox.StandardButton.Yes

    @classmethod
    def ask(
        cls, services: Services, keep: PatientRecord, parent: QWidget | None = None
    ) -> PatientRecord | None:
        dialog = cls(services, keep, parent)
        dialog.exec()
        return dialog.result_value
