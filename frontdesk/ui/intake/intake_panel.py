"""The Intake tab of a patient: the form with the latest version loaded, saving as a new
version (Ctrl+S), the earlier versions beside it, and "what changed"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import FrontdeskError, PermissionDenied, ValidationError
from frontdesk.services.hub import Services
from frontdesk.services.intakes import IntakeVersion, IntakeVersionSummary
from frontdesk.ui.errors import show_error
from frontdesk.ui.intake.intake_form import IntakeForm
from frontdesk.ui.intake.version_dialog import VersionDialog
from frontdesk.ui.models.intake_versions import IntakeVersionsModel, format_saved


class IntakePanel(QWidget):
    """Edits the intake of one patient; ``saved`` fires with each new version."""

    saved = Signal(object)  # IntakeVersion

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.patient_id: int | None = None
        self.latest: IntakeVersion | None = None
        self._build()
        self._wire()

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.status_label = QLabel()
        self.status_label.setObjectName("intake_status")
        self.status_label.setWordWrap(True)
        self.save_button = QPushButton("Save as new version")
        self.save_button.setObjectName("save_intake")
        self.save_button.setToolTip("Save the form as the patient's next intake version (Ctrl+S)")
        self.save_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.status_label, 1)
        top.addWidget(self.save_button)

        self.form = IntakeForm()

        self.versions_model = IntakeVersionsModel(self)
        self.versions_view = QTableView()
        self.versions_view.setObjectName("intake_versions")
        self.versions_view.setAccessibleName("Intake versions")
        self.versions_view.setToolTip("Earlier versions; double-click one to read it")
        self.versions_view.setModel(self.versions_model)
        self.versions_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.versions_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.versions_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.versions_view.verticalHeader().hide()
        for column in (
            IntakeVersionsModel.BY,
            IntakeVersionsModel.SOURCE,
            IntakeVersionsModel.PAIN,
            IntakeVersionsModel.FLAGS,
        ):
            self.versions_view.setColumnHidden(column, True)
        self.versions_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.versions_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(IntakeVersionsModel.SAVED, QHeaderView.ResizeMode.Stretch)
        self.view_button = QPushButton("Read version")
        self.view_button.setToolTip("Open the chosen version, read only")
        self.compare_button = QPushButton("Compare with previous")
        self.compare_button.setObjectName("compare_previous")
        self.compare_button.setToolTip("What changed from the version before the chosen one")
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(QLabel("<b>Versions</b>"))
        side.addWidget(self.versions_view, 1)
        side.addWidget(self.view_button)
        side.addWidget(self.compare_button)
        side_holder = QWidget()
        side_holder.setLayout(side)
        side_holder.setFixedWidth(260)

        body = QHBoxLayout()
        body.setSpacing(8)
        body.addWidget(self.form, 1)
        body.addWidget(side_holder)
        editor = QWidget()
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addLayout(top)
        editor_layout.addLayout(body, 1)

        self.refused_label = QLabel()
        self.refused_label.setWordWrap(True)
        self.refused_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(editor)
        self.stack.addWidget(self.refused_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        self.save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_shortcut.setWhatsThis("Save the intake")
        self._update_buttons()

    def _wire(self) -> None:
        self.save_button.clicked.connect(self.save)
        self.save_shortcut.activated.connect(self.save)
        self.form.dirty_changed.connect(lambda _dirty: self._update_buttons())
        self.view_button.clicked.connect(self.view_selected)
        self.compare_button.clicked.connect(self.compare_selected)
        self.versions_view.doubleClicked.connect(lambda _index: self.view_selected())
        self.versions_view.selectionModel().selectionChanged.connect(
            lambda *_args: self._update_buttons()
        )

    # -- loading -------------------------------------------------------------------------------

    def open_patient(self, patient_id: int | None) -> None:
        """Load the patient's latest intake into the form (an empty form when none)."""
        self.patient_id = patient_id
        self.latest = None
        if patient_id is None:
            self.versions_model.set_versions([])
            self.form.load(None)
            self._show_status()
            return
        try:
            versions = self.services.intakes.versions(patient_id)
            self.latest = self.services.intakes.latest(patient_id) if versions else None
        except PermissionDenied as error:
            self.refused_label.setText(error.message)
            self.stack.setCurrentIndex(1)
            return
        self.stack.setCurrentIndex(0)
        self.versions_model.set_versions(versions)
        self.form.load(self.latest.data if self.latest else None)
        if versions:
            self.versions_view.selectRow(0)
        self._show_status()

    def _show_status(self) -> None:
        if self.patient_id is None:
            text = "No patient chosen."
        elif self.latest is None:
            text = "No intake saved yet: fill in the form and save it."
        else:
            text = (
                f"Showing version {self.latest.version_no}, saved "
                f"{format_saved(self.latest.created_at)} by {self.latest.created_by}. "
                "Saving keeps it and adds a new version."
            )
        if self.form.is_dirty:
            text += "  Unsaved changes."
        self.status_label.setText(text)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_patient = self.patient_id is not None
        self.save_button.setEnabled(has_patient and self.form.is_dirty)
        chosen = self.selected_version()
        self.view_button.setEnabled(chosen is not None)
        self.compare_button.setEnabled(
            chosen is not None and self.versions_model.previous_of(chosen) is not None
        )
        if has_patient:
            status = self.status_label.text().replace("  Unsaved changes.", "")
            self.status_label.setText(status + ("  Unsaved changes." if self.form.is_dirty else ""))

    # -- saving --------------------------------------------------------------------------------

    @property
    def has_unsaved_changes(self) -> bool:
        return self.patient_id is not None and self.form.is_dirty

    def save(self) -> IntakeVersion | None:
        """Save the form as a new version; problems are shown on the form."""
        if self.patient_id is None:
            return None
        try:
            data = self.form.intake()
            version = self.services.intakes.save(self.patient_id, data)
        except ValidationError as error:
            self.form.show_problem(error)
            return None
        except FrontdeskError as error:
            show_error(self, error, "Cannot save the intake")
            return None
        self.latest = version
        self.form.mark_saved(version.data)
        self.versions_model.set_versions(self.services.intakes.versions(self.patient_id))
        self.versions_view.selectRow(0)
        self._show_status()
        self.saved.emit(version)
        return version

    def maybe_leave(self) -> bool:
        """Ask about unsaved changes; True when it is fine to leave (saved or discarded)."""
        if not self.has_unsaved_changes:
            return True
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Unsaved intake")
        box.setText("The intake form has changes that are not saved. Save them as a new version?")
        box.setStandardButtons(
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return self.save() is not None
        if answer == QMessageBox.StandardButton.Discard:
            self.form.load(self.latest.data if self.latest else None)
            self._show_status()
            return True
        return False

    # -- versions ------------------------------------------------------------------------------

    def selected_version(self) -> IntakeVersionSummary | None:
        rows = self.versions_view.selectionModel().selectedRows()
        return self.versions_model.version_at(rows[0].row()) if rows else None

    def view_selected(self) -> None:
        chosen = self.selected_version()
        if chosen is None:
            return
        try:
            version = self.services.intakes.get(chosen.id)
        except FrontdeskError as error:
            show_error(self, error)
            return
        VersionDialog.for_version(version, self).exec()

    def changes_for_selected(self) -> tuple[str, list] | None:
        """(heading, changes) between the chosen version and the one before it."""
        chosen = self.selected_version()
        previous = self.versions_model.previous_of(chosen) if chosen else None
        if chosen is None or previous is None:
            return None
        changes = self.services.intakes.compare(previous.id, chosen.id)
        heading = (
            f"From version {previous.version_no} ({format_saved(previous.created_at)}) "
            f"to version {chosen.version_no} ({format_saved(chosen.created_at)}):"
        )
        return heading, changes

    def compare_selected(self) -> None:
        try:
            found = self.changes_for_selected()
        except FrontdeskError as error:
            show_error(self, error)
            return
        if found is not None:
            VersionDialog.for_changes(found[0], found[1], self).exec()
