"""What every intake section shares: a titled box, the form's binder, and a form layout
with labels that name their inputs."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from frontdesk.ui.intake.binder import FieldBinder, label_for


class IntakeSection(QGroupBox):
    """One titled part of the intake form. ``key`` names it in the section list; ``paths``
    are the top-level JSON keys it edits (to find the section of a problem)."""

    key = ""
    title_text = ""
    #: a shorter title for the list of sections, when the full one is long
    list_title = ""
    paths: tuple[str, ...] = ()

    def __init__(self, binder: FieldBinder, parent: QWidget | None = None) -> None:
        super().__init__(self.title_text, parent)
        self.binder = binder
        self.setObjectName(f"section_{self.key}")
        self.setAccessibleName(self.title_text)
        self.body = QVBoxLayout(self)
        self.body.setSpacing(8)
        self.build()

    def build(self) -> None:
        """Make the inputs; subclasses lay them out."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Update derived text (scores, notes) after loading; the default does nothing."""

    # -- helpers for subclasses -------------------------------------------------------------

    def form(self) -> QFormLayout:
        """A new label/input layout added to the section."""
        layout = QFormLayout()
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setHorizontalSpacing(8)
        layout.setVerticalSpacing(8)
        self.body.addLayout(layout)
        return layout

    @staticmethod
    def row(layout: QFormLayout, widget: QWidget, text: str = "") -> QLabel:
        """Add ``widget`` with a label (the intake's own label for its path by default)."""
        words = text or label_for(widget.objectName())
        label = QLabel(f"{words}:")
        label.setBuddy(widget)
        label.setWordWrap(True)
        layout.addRow(label, widget)
        return label

    def note(self, text: str) -> QLabel:
        """A line of explanation under the section title."""
        label = QLabel(text)
        label.setWordWrap(True)
        label.setObjectName(f"{self.key}_note")
        self.body.addWidget(label)
        return label
