"""A page that is not built yet says so plainly, instead of showing an empty area."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderPage(QWidget):
    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = heading = QLabel()
        self.body = body = QLabel()
        body.setWordWrap(True)
        self.set_message(title, text)
        for label in (heading, body):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(2)

    def set_message(self, title: str, text: str) -> None:
        self.heading.setText(f"<h2>{title}</h2>")
        self.body.setText(text)
