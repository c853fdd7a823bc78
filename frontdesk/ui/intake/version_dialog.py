"""An earlier intake version, read only, or the list of what changed between two versions."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from frontdesk.domain.intake import FieldChange
from frontdesk.services.intakes import IntakeVersion
from frontdesk.ui.intake.changes_view import ChangesView
from frontdesk.ui.intake.intake_form import IntakeForm
from frontdesk.ui.models.intake_versions import format_saved


class VersionDialog(QDialog):
    """Shows one saved version in the intake form, read only; or a "what changed" table."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form: IntakeForm | None = None
        self.changes: ChangesView | None = None
        self.layout_ = QVBoxLayout(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)

    @classmethod
    def for_version(cls, version: IntakeVersion, parent: QWidget | None = None) -> VersionDialog:
        dialog = cls(f"Intake version {version.version_no} (read only)", parent)
        note = QLabel(
            f"Version {version.version_no}, saved {format_saved(version.created_at)} by "
            f"{version.created_by}. Earlier versions cannot be changed; to correct something, "
            "change the current form and save it as a new version."
        )
        note.setWordWrap(True)
        dialog.form = IntakeForm(read_only=True)
        dialog.form.load(version.data)
        dialog.form.set_read_only(True)
        dialog.layout_.addWidget(note)
        dialog.layout_.addWidget(dialog.form, 1)
        dialog.layout_.addWidget(dialog.buttons)
        dialog.resize(1000, 680)
        return dialog

    @classmethod
    def for_changes(
        cls, heading: str, changes: Sequence[FieldChange], parent: QWidget | None = None
    ) -> VersionDialog:
        dialog = cls("What changed", parent)
        dialog.changes = ChangesView()
        dialog.changes.show_changes(heading, changes)
        dialog.layout_.addWidget(dialog.changes, 1)
        dialog.layout_.addWidget(dialog.buttons)
        dialog.resize(860, 520)
        return dialog
