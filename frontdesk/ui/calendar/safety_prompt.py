"""Safety questions before a booking: tick "I have read these", or give an override reason."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class SafetyPromptDialog(QDialog):
    """Shows the safety message; in override mode a practitioner's reason is required."""

    def __init__(self, message: str, *, override: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.override = override
        self.setWindowTitle("Safety check" if not override else "Safety rule: override needed")
        self.setMinimumWidth(480)
        self._build(message)
        self._wire()
        self._update()

    def _build(self, message: str) -> None:
        self.message_label = QLabel(message)
        self.message_label.setWordWrap(True)
        self.message_label.setAccessibleName("Safety message")
        self.read_check = QCheckBox("I have read these warnings")
        self.read_check.setAccessibleName("I have read these warnings")
        self.read_check.setToolTip("Tick to confirm the warnings were seen before booking")
        self.reason_label = QLabel("Practitioner's &reason for going ahead:")
        self.reason_edit = QLineEdit()
        self.reason_edit.setAccessibleName("Override reason")
        self.reason_edit.setToolTip("Written into the patient's record with your name")
        self.reason_label.setBuddy(self.reason_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Book anyway" if self.override else "Continue")
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(self.message_label)
        if self.override:
            layout.addWidget(self.reason_label)
            layout.addWidget(self.reason_edit)
            self.read_check.hide()
        else:
            layout.addWidget(self.read_check)
            self.reason_label.hide()
            self.reason_edit.hide()
        layout.addWidget(self.buttons)

    def _wire(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.read_check.toggled.connect(self._update)
        self.reason_edit.textChanged.connect(self._update)

    def _update(self) -> None:
        ready = (
            bool(self.reason_edit.text().strip())
            if self.override
            else (self.read_check.isChecked())
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)

    @classmethod
    def ask_acknowledgement(cls, message: str, parent: QWidget | None = None) -> bool:
        """True when the warnings were ticked as read."""
        dialog = cls(message, override=False, parent=parent)
        return dialog.exec() == QDialog.DialogCode.Accepted and dialog.read_check.isChecked()

    @classmethod
    def ask_override(cls, message: str, parent: QWidget | None = None) -> str | None:
        """The override reason, or None when the booking is given up."""
        dialog = cls(message, override=True, parent=parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.reason_edit.text().strip() or None
