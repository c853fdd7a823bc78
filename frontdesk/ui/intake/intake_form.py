"""The whole intake form: a list of sections on the left to jump to, the sections one under
the other in a scroll area on the right, and a line for problems found when saving."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.intake import IntakeData
from frontdesk.ui.intake.binder import FieldBinder
from frontdesk.ui.intake.body_map_section import BodyMapSection
from frontdesk.ui.intake.causes_section import CausesSection
from frontdesk.ui.intake.complaint_section import ComplaintSection
from frontdesk.ui.intake.consent_section import ConsentSection
from frontdesk.ui.intake.findings_section import FindingsSection
from frontdesk.ui.intake.foot_exam_section import FootExamSection
from frontdesk.ui.intake.lifestyle_section import LifestyleSection
from frontdesk.ui.intake.medicines_section import MedicinesSection
from frontdesk.ui.intake.mnsi_section import MnsiSection
from frontdesk.ui.intake.pain_section import PainSection
from frontdesk.ui.intake.safety_section import SafetySection
from frontdesk.ui.intake.section_base import IntakeSection
from frontdesk.ui.intake.symptoms_section import SymptomsSection
from frontdesk.ui.intake.tcm_review_section import TcmReviewSection
from frontdesk.ui.widgets.body_map_widget import BodyMapWidget
from frontdesk.ui.widgets.flag_banner import RED_FILL
from frontdesk.ui.widgets.signature_pad import SignaturePad

SECTION_CLASSES: tuple[type[IntakeSection], ...] = (
    ComplaintSection,
    CausesSection,
    SymptomsSection,
    BodyMapSection,
    PainSection,
    MnsiSection,
    MedicinesSection,
    SafetySection,
    LifestyleSection,
    TcmReviewSection,
    FindingsSection,
    FootExamSection,
    ConsentSection,
)


class IntakeForm(QWidget):
    """Edits one intake; ``dirty_changed`` tells whether it differs from what was loaded."""

    dirty_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None, *, read_only: bool = False) -> None:
        super().__init__(parent)
        self.binder = FieldBinder(self)
        self._base: dict[str, Any] = IntakeData().to_dict()
        self._dirty = False
        self._read_only = False
        self._build()
        self._wire()
        self.load(None)
        if read_only:
            self.set_read_only(True)

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.section_list = QListWidget()
        self.section_list.setObjectName("intake_sections")
        self.section_list.setAccessibleName("Intake sections")
        self.section_list.setToolTip("Jump to a section of the form")
        self.section_list.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.section_list.setFixedWidth(180)
        self.section_list.setWordWrap(True)
        self.section_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.content = QWidget()
        self.content.setObjectName("intake_content")
        column = QVBoxLayout(self.content)
        column.setContentsMargins(8, 8, 16, 8)
        column.setSpacing(16)
        self.sections: dict[str, IntakeSection] = {}
        for cls in SECTION_CLASSES:
            section = cls(self.binder)
            self.sections[section.key] = section
            column.addWidget(section)
            item = QListWidgetItem(section.list_title or section.title_text)
            item.setToolTip(section.title_text)
            item.setData(Qt.ItemDataRole.UserRole, section.key)
            self.section_list.addItem(item)
        column.addStretch(1)

        self.scroll = QScrollArea()
        self.scroll.setObjectName("intake_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.content)

        self.problem_label = QLabel()
        self.problem_label.setObjectName("intake_problem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(
            f"QLabel {{ color: {RED_FILL}; font-weight: bold; padding: 4px 0; }}"
        )
        self.problem_label.hide()
        self.problem_button = QPushButton("Show me")
        self.problem_button.setToolTip("Go to the answer that needs attention")
        self.problem_button.hide()
        problem_line = QHBoxLayout()
        problem_line.addWidget(self.problem_label, 1)
        problem_line.addWidget(self.problem_button)

        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addLayout(problem_line)
        right.addWidget(self.scroll, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.section_list)
        layout.addLayout(right, 1)
        self._problem_widget: QWidget | None = None

    def _wire(self) -> None:
        self.binder.changed.connect(self._edited)
        self.section_list.itemClicked.connect(
            lambda item: self.scroll_to_section(str(item.data(Qt.ItemDataRole.UserRole)))
        )
        self.section_list.itemActivated.connect(
            lambda item: self.scroll_to_section(str(item.data(Qt.ItemDataRole.UserRole)))
        )
        self.scroll.verticalScrollBar().valueChanged.connect(self._follow_scroll)
        self.problem_button.clicked.connect(self._go_to_problem)

    # -- loading and reading ----------------------------------------------------------------

    def load(self, data: IntakeData | None) -> None:
        """Show an intake (None: an empty form); the form is then not dirty."""
        self._base = (data or IntakeData()).to_dict()
        self.binder.load(self._base)
        for section in self.sections.values():
            section.refresh()
        self.clear_problem()
        self._set_dirty(False)

    def intake_json(self) -> dict[str, Any]:
        """What the form holds, in the intake's JSON form (not checked yet)."""
        return self.binder.dump(self._base)

    def intake(self) -> IntakeData:
        """What the form holds, checked; raises ValidationError naming the first bad answer."""
        return IntakeData.from_dict(self.intake_json())

    @property
    def is_dirty(self) -> bool:
        return self._dirty

    def mark_saved(self, data: IntakeData) -> None:
        """After saving: what is on screen is the new starting point."""
        self._base = data.to_dict()
        self.clear_problem()
        self._set_dirty(False)

    def _edited(self) -> None:
        self._set_dirty(self.intake_json() != self._base)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    # -- problems -----------------------------------------------------------------------------

    def show_problem(self, error: ValidationError) -> None:
        """Say what is wrong above the form and take the user to the answer concerned."""
        self.problem_label.setText(error.message)
        self.problem_label.show()
        self._problem_widget = self.binder.widget_for(error.field or "")
        self.problem_button.setVisible(self._problem_widget is not None)
        self._go_to_problem()

    def clear_problem(self) -> None:
        self.problem_label.clear()
        self.problem_label.hide()
        self.problem_button.hide()
        self._problem_widget = None

    def problem_text(self) -> str:
        return self.problem_label.text() if not self.problem_label.isHidden() else ""

    def _go_to_problem(self) -> None:
        widget = self._problem_widget
        if widget is None:
            return
        self.scroll.ensureWidgetVisible(widget, 40, 80)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- moving about ---------------------------------------------------------------------------

    def scroll_to_section(self, key: str) -> None:
        """Bring a section to the top of the scroll area."""
        section = self.sections[key]
        self.scroll.verticalScrollBar().setValue(section.y() - 4)
        # the scroll area may still be laying out on first show; try once more when idle
        QTimer.singleShot(0, lambda: self.scroll.verticalScrollBar().setValue(section.y() - 4))

    def current_section(self) -> str:
        """The section at the top of the visible part of the form."""
        bar = self.scroll.verticalScrollBar()
        if bar.maximum() > 0 and bar.value() >= bar.maximum():
            return list(self.sections)[-1]
        top = bar.value() + 24
        current = next(iter(self.sections))
        for key, section in self.sections.items():
            if section.y() <= top:
                current = key
        return current

    def _follow_scroll(self, _value: int) -> None:
        key = self.current_section()
        for row in range(self.section_list.count()):
            item = self.section_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == key and self.section_list.currentRow() != row:
                self.section_list.blockSignals(True)
                self.section_list.setCurrentRow(row)
                self.section_list.blockSignals(False)

    # -- read only ------------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return self._read_only

    def set_read_only(self, read_only: bool) -> None:
        """Show without allowing changes (for earlier versions); text stays selectable."""
        self._read_only = read_only
        for widget in self.content.findChildren(QWidget):
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setReadOnly(read_only)
            elif isinstance(widget, QAbstractSpinBox):
                widget.setReadOnly(read_only)
                widget.setButtonSymbols(
                    QAbstractSpinBox.ButtonSymbols.NoButtons
                    if read_only
                    else QAbstractSpinBox.ButtonSymbols.UpDownArrows
                )
            elif isinstance(widget, QAbstractButton | QComboBox | QSlider):
                # ticks keep their look (a disabled tick is hard to read) but ignore clicks
                if isinstance(widget, QPushButton) and not widget.isCheckable():
                    widget.setVisible(not read_only)
                    continue
                widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, read_only)
                widget.setFocusPolicy(
                    Qt.FocusPolicy.NoFocus if read_only else Qt.FocusPolicy.StrongFocus
                )
            elif isinstance(widget, BodyMapWidget | SignaturePad):
                widget.set_read_only(read_only)
            elif isinstance(widget, QTableView):
                model = widget.model()
                if hasattr(model, "read_only"):
                    model.read_only = read_only
