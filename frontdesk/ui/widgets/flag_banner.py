"""The safety line under a patient's name: badges, the one-line summary, and a red
"Advise medical care" notice when the intake holds warning signs."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

# Colours are set in pairs (text on fill) so the contrast holds in light and dark mode alike;
# every pair passes WCAG AA for normal text.
RED_FILL, RED_TEXT = "#a4161a", "#ffffff"  # 7.0:1
AMBER_FILL, AMBER_TEXT = "#fff1c2", "#4d3800"  # 10:1
BADGE_FILL, BADGE_TEXT = "#e6edf8", "#1d3557"  # 10:1
CLEAR_FILL, CLEAR_TEXT = "#e3f2e6", "#1e4d2b"  # 9:1

#: badges that mean "ask first" rather than "a rule applies"
_AMBER_BADGES = frozenset({"SCREEN?"})


def _chip(text: str, fill: str, ink: str) -> QLabel:
    chip = QLabel(text)
    chip.setObjectName("flag_badge")
    chip.setStyleSheet(
        f"QLabel {{ background: {fill}; color: {ink}; border-radius: 4px;"
        " padding: 2px 8px; font-weight: bold; }"
    )
    chip.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return chip


class FlagBanner(QFrame):
    """Shows what the safety rules say about the patient; empty until flags are set."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Safety flags")
        self._badges: list[str] = []
        self._summary = ""
        self._red_flags: list[str] = []
        self._build()
        self.clear()

    def _build(self) -> None:
        self.badge_row = QHBoxLayout()
        self.badge_row.setSpacing(8)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("flag_summary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        line = QHBoxLayout()
        line.setSpacing(8)
        line.addLayout(self.badge_row)
        line.addWidget(self.summary_label, 1)

        self.red_notice = QLabel()
        self.red_notice.setObjectName("red_flag_notice")
        self.red_notice.setWordWrap(True)
        self.red_notice.setTextFormat(Qt.TextFormat.PlainText)
        self.red_notice.setAccessibleName("Advise medical care")
        self.red_notice.setStyleSheet(
            f"QLabel {{ background: {RED_FILL}; color: {RED_TEXT}; border-radius: 4px;"
            " padding: 8px; font-weight: bold; }"
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(line)
        layout.addWidget(self.red_notice)

    # -- feeding ---------------------------------------------------------------------------

    def clear(self) -> None:
        """No patient: nothing to show."""
        self.show_flags("", [], [])
        self.summary_label.setText("")

    def show_flags(self, summary: str, badges: Sequence[str], red_flags: Sequence[str]) -> None:
        """Show the one-line ``summary``, its ``badges`` and each red flag's advice line.

        ``red_flags`` are plain sentences such as "Red, hot, swollen foot. With neuropathy
        this can be ..."; each becomes a line of the red notice.
        """
        self._summary, self._badges, self._red_flags = summary, list(badges), list(red_flags)
        while self.badge_row.count():
            item = self.badge_row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for badge in self._badges:
            if badge == "REFER":
                chip = _chip(badge, RED_FILL, RED_TEXT)
            elif badge in _AMBER_BADGES:
                chip = _chip(badge, AMBER_FILL, AMBER_TEXT)
            else:
                chip = _chip(badge, BADGE_FILL, BADGE_TEXT)
            chip.setToolTip(summary)
            self.badge_row.addWidget(chip)
        self.summary_label.setText(summary or "No safety flags on the latest intake.")
        self.summary_label.setToolTip(summary)
        if self._red_flags:
            self.red_notice.setText(
                "\n".join(f"Advise medical care: {line}" for line in self._red_flags)
            )
            self.red_notice.show()
        else:
            self.red_notice.clear()
            self.red_notice.hide()
        self.setAccessibleDescription(self.spoken_text())

    # -- reading ---------------------------------------------------------------------------

    @property
    def badges(self) -> list[str]:
        return list(self._badges)

    @property
    def summary(self) -> str:
        return self._summary

    @property
    def red_flags(self) -> list[str]:
        return list(self._red_flags)

    def red_notice_text(self) -> str:
        """The red notice as shown ("" when there are no warning signs)."""
        return self.red_notice.text() if self._red_flags else ""

    def spoken_text(self) -> str:
        """Everything the banner says, for screen readers."""
        parts = []
        if self._red_flags:
            parts.append(self.red_notice.text())
        if self._summary:
            parts.append(f"Safety flags: {self._summary}")
        return ". ".join(parts) or "No safety flags."
