"""What changed between any two intake versions the user picks."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.hub import Services
from frontdesk.services.intakes import IntakeVersionSummary
from frontdesk.ui.errors import show_error
from frontdesk.ui.intake.changes_view import ChangesView
from frontdesk.ui.models.intake_versions import format_saved


def version_words(version: IntakeVersionSummary) -> str:
    return f"Version {version.version_no} ({format_saved(version.created_at)})"


class IntakeCompare(QWidget):
    """Two version choices (older first) and the changes between them."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.versions: list[IntakeVersionSummary] = []
        self.from_combo = QComboBox()
        self.from_combo.setAccessibleName("Compare from version")
        self.from_combo.setToolTip("The older version")
        self.to_combo = QComboBox()
        self.to_combo.setAccessibleName("Compare to version")
        self.to_combo.setToolTip("The newer version")
        self.compare_button = QPushButton("Show changes")
        self.compare_button.setToolTip("List every answer that differs between the two")
        self.changes = ChangesView()
        line = QHBoxLayout()
        from_label = QLabel("&From:")
        from_label.setBuddy(self.from_combo)
        to_label = QLabel("&To:")
        to_label.setBuddy(self.to_combo)
        line.addWidget(from_label)
        line.addWidget(self.from_combo, 1)
        line.addWidget(to_label)
        line.addWidget(self.to_combo, 1)
        line.addWidget(self.compare_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(line)
        layout.addWidget(self.changes, 1)
        self.compare_button.clicked.connect(self.compare)

    def set_versions(self, versions: list[IntakeVersionSummary]) -> None:
        """Offer these versions; the two newest are compared at once."""
        self.versions = sorted(versions, key=lambda v: v.version_no)
        for combo in (self.from_combo, self.to_combo):
            combo.clear()
            for version in self.versions:
                combo.addItem(version_words(version), version.id)
        enough = len(self.versions) >= 2
        self.compare_button.setEnabled(enough)
        if not enough:
            self.changes.clear(
                f"Two intake versions are needed to compare; this patient has {len(self.versions)}."
            )
            return
        self.from_combo.setCurrentIndex(len(self.versions) - 2)
        self.to_combo.setCurrentIndex(len(self.versions) - 1)
        self.compare()

    def compare(self) -> None:
        old_id, new_id = self.from_combo.currentData(), self.to_combo.currentData()
        if old_id is None or new_id is None:
            return
        if old_id == new_id:
            self.changes.clear("Choose two different versions.")
            return
        try:
            changes = self.services.intakes.compare(old_id, new_id)
        except FrontdeskError as error:
            show_error(self, error)
            return
        heading = f"From {self.from_combo.currentText()} to {self.to_combo.currentText()}:"
        self.changes.show_changes(heading, changes)
