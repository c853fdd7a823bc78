"""Find a patient as you type, or register a new one without leaving the dialog.

Typing searches at once (name, phone, birth date or chart number, through
``PatientService.search``); Down and Up move through the matches while the typing cursor
stays in the box, Enter picks. The last row, "New patient", opens a short form (name,
phone, date of birth); before creating, possible duplicates (``find_similar``) are offered
so the desk can use the existing record instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.patients import DuplicateCandidate, PatientInput
from frontdesk.services.records import PatientSummary
from frontdesk.ui.errors import show_error
from frontdesk.ui.models.calendar_patient_choices import PatientChoiceModel, choice_text

SEARCH_LIMIT = 8
#: what the duplicate question returns when the desk wants a new record all the same
CREATE_ANYWAY = "create"

DuplicateAnswer = PatientSummary | str | None


def ask_about_duplicates(
    parent: QWidget | None, candidates: Sequence[DuplicateCandidate]
) -> DuplicateAnswer:
    """Ask whether one of the similar patients is the one meant; the default question."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("This patient may already be registered")
    lines = [f"• {choice_text(c.patient)} ({c.reason})" for c in candidates[:3]]
    box.setText("A similar patient is already on file:\n\n" + "\n".join(lines))
    buttons = {}
    for candidate in candidates[:3]:
        button = box.addButton(
            f"Use {candidate.patient.display_name}", QMessageBox.ButtonRole.AcceptRole
        )
        buttons[button] = candidate.patient
    anyway = box.addButton("Register a new patient", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(next(iter(buttons)))
    box.exec()
    clicked = box.clickedButton()
    if clicked is anyway:
        return CREATE_ANYWAY
    return buttons.get(clicked)


class PatientPicker(QWidget):
    """A search box with its matches; emits ``patient_chosen`` with the patient picked."""

    patient_chosen = Signal(object)  # PatientSummary
    #: Enter pressed in the search box with a patient already chosen (move on)
    accepted = Signal()

    def __init__(self, services: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.patient: PatientSummary | None = None
        #: how to ask about possible duplicates; tests answer without a dialog
        self.ask_duplicate: Callable[[Sequence[DuplicateCandidate]], DuplicateAnswer] = (
            lambda candidates: ask_about_duplicates(self, candidates)
        )
        #: how a refusal is shown (the dialog holding the picker may pass its own)
        self.show_error: Callable[[BaseException], None] = lambda error: show_error(
            self, error, "Please check the new patient's details"
        )
        self.model = PatientChoiceModel(self)
        self._build()
        self._wire()
        self.search("")

    # -- building ----------------------------------------------------------------------

    def _build(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Type a name, phone number or birth date")
        self.search_edit.setAccessibleName("Find patient")
        self.search_edit.setToolTip(
            "Type part of the name, the phone number or the birth date; Down picks from the "
            "list, Enter chooses"
        )
        self.search_edit.setClearButtonEnabled(True)
        self.results = QListView()
        self.results.setModel(self.model)
        self.results.setAccessibleName("Matching patients")
        self.results.setToolTip("Double-click or press Enter to choose")
        self.results.setUniformItemSizes(True)
        self.results.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        row_height = self.results.fontMetrics().height() + 6
        self.results.setMinimumHeight(row_height * 4)
        self.results.setMaximumHeight(row_height * 7)
        self.chosen_label = QLabel("No patient chosen yet")
        self.chosen_label.setAccessibleName("Chosen patient")
        self.chosen_label.setWordWrap(True)

        self.new_panel = QFrame()
        self.new_panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.new_name = QLineEdit()
        self.new_name.setAccessibleName("New patient's full name")
        self.new_name.setToolTip("Full legal name, as on an ID")
        self.new_phone = QLineEdit()
        self.new_phone.setAccessibleName("New patient's phone")
        self.new_phone.setToolTip("A phone number to reach the patient")
        self.new_birth = QLineEdit()
        self.new_birth.setAccessibleName("New patient's date of birth")
        self.new_birth.setPlaceholderText("e.g. 14.03.1956")
        self.new_birth.setToolTip("Day.month.year, e.g. 14.03.1956, or 1956-03-14")
        self.create_button = QPushButton("Register patient")
        self.create_button.setAutoDefault(False)
        self.create_button.setToolTip("Register the new patient and choose them")
        self.cancel_new_button = QPushButton("Back to search")
        self.cancel_new_button.setAutoDefault(False)
        form = QFormLayout()
        form.addRow("Full &name:", self.new_name)
        form.addRow("&Phone:", self.new_phone)
        form.addRow("Date of &birth:", self.new_birth)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_new_button)
        buttons.addWidget(self.create_button)
        panel_layout = QVBoxLayout(self.new_panel)
        panel_layout.addWidget(QLabel("<b>New patient</b>"))
        panel_layout.addLayout(form)
        panel_layout.addLayout(buttons)
        self.new_panel.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.results)
        layout.addWidget(self.new_panel)
        layout.addWidget(self.chosen_label)
        self.setFocusProxy(self.search_edit)
        QWidget.setTabOrder(self.search_edit, self.results)
        QWidget.setTabOrder(self.results, self.new_name)
        QWidget.setTabOrder(self.new_name, self.new_phone)
        QWidget.setTabOrder(self.new_phone, self.new_birth)
        QWidget.setTabOrder(self.new_birth, self.cancel_new_button)
        QWidget.setTabOrder(self.cancel_new_button, self.create_button)

    def _wire(self) -> None:
        self.search_edit.textChanged.connect(self.search)
        self.search_edit.installEventFilter(self)
        self.results.installEventFilter(self)
        self.results.activated.connect(lambda index: self.choose_row(index.row()))
        self.results.doubleClicked.connect(lambda index: self.choose_row(index.row()))
        self.create_button.clicked.connect(self.create_patient)
        self.cancel_new_button.clicked.connect(self.close_new_panel)

    # -- behaviour ---------------------------------------------------------------------

    def search(self, text: str) -> None:
        """Show the patients matching what was typed (nothing typed: only "new patient")."""
        found = (
            self.services.patients.search(text, limit=SEARCH_LIMIT)  # type: ignore[attr-defined]
            if text.strip()
            else []
        )
        self.model.set_results(text, found)
        if found and text.strip():
            self.results.setCurrentIndex(self.model.index(-1, 0))
        if text.strip() or self.patient is None:
            self.results.show()

    def current_row(self) -> int:
        index = self.results.currentIndex()
        return index.row() if index.isValid() else -1

    def move_current(self, step: int) -> None:
        rows = self.model.rowCount()
        if not rows:
            return
        row = self.current_row()
        row = 0 if row < 0 and step > 0 else max(0, min(rows - 1, row + step))
        self.results.setCurrentIndex(self.model.index(row, 0))

    def choose_row(self, row: int) -> None:
        if row < 0:
            return
        if self.model.is_new_row(row):
            self.open_new_panel()
            return
        patient = self.model.patient_at(row)
        if patient is not None:
            self.set_patient(patient)

    def set_patient(self, patient: PatientSummary | None) -> None:
        """Choose a patient (None clears the choice)."""
        self.patient = patient
        if patient is None:
            self.chosen_label.setText("No patient chosen yet")
        else:
            self.chosen_label.setText(f"Patient: <b>{_escape(choice_text(patient))}</b>")
            self.close_new_panel(refocus=False)
            # the list has done its job: give its room to the rest of the form until the
            # desk types again
            self.results.hide()
        self.patient_chosen.emit(patient)

    def open_new_panel(self) -> None:
        typed = self.search_edit.text().strip()
        digits = sum(ch.isdigit() for ch in typed)
        if typed and digits >= max(3, len(typed) // 2):
            self.new_phone.setText(typed)
        elif typed:
            self.new_name.setText(typed)
        self.new_panel.show()
        self.new_name.setFocus()

    def close_new_panel(self, refocus: bool = True) -> None:
        self.new_panel.hide()
        if refocus:
            self.search_edit.setFocus()

    def new_patient_input(self) -> PatientInput:
        return PatientInput(
            legal_name=self.new_name.text(),
            phone=self.new_phone.text(),
            date_of_birth=self.new_birth.text().strip() or None,
        )

    def create_patient(self) -> PatientSummary | None:
        """Register the patient typed in the form, after checking for duplicates."""
        data = self.new_patient_input()
        patients = self.services.patients  # type: ignore[attr-defined]
        try:
            similar = patients.find_similar(data)
            if similar:
                answer = self.ask_duplicate(similar)
                if answer is None:
                    return None
                if isinstance(answer, PatientSummary):
                    self.set_patient(answer)
                    return answer
            record = patients.create(data)
        except FrontdeskError as error:
            self.show_error(error)
            target = {
                "legal_name": self.new_name,
                "phone": self.new_phone,
                "date_of_birth": self.new_birth,
            }.get(error.field or "")
            if target is not None:
                target.setFocus()
            return None
        summary = PatientSummary(
            id=record.id,
            display_name=record.display_name,
            legal_name=record.legal_name,
            other_script_name=record.other_script_name,
            date_of_birth=record.date_of_birth,
            phone=record.phone,
            chart_number=record.chart_number,
            archived=record.archived,
        )
        self.set_patient(summary)
        return summary

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and watched in (self.search_edit, self.results):
            key = QKeyEvent(event).key() if not isinstance(event, QKeyEvent) else event.key()
            if key == Qt.Key.Key_Down:
                self.move_current(1)
                return True
            if key == Qt.Key.Key_Up:
                self.move_current(-1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                row = self.current_row()
                if row < 0 and self.model.patients and self.patient is None:
                    row = 0
                if row >= 0 and not (
                    self.patient is not None and self.model.patient_at(row) == self.patient
                ):
                    self.choose_row(row)
                    return True
                if self.patient is not None:
                    self.accepted.emit()
                    return True
                return True
        return super().eventFilter(watched, event)


def _escape(text: str) -> str:
    from html import escape

    return escape(text)
