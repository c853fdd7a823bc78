"""Where the symptoms are: the body map, buttons choosing what a click marks, and the marked
regions in words."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton

from frontdesk.domain.body_map import SENSATION_ORDER, BodyMap, Sensation
from frontdesk.ui.intake.section_base import IntakeSection
from frontdesk.ui.widgets.body_map_widget import SENSATION_STYLE, BodyMapWidget


class BodyMapSection(IntakeSection):
    key = "body_map"
    title_text = "Where the symptoms are"
    list_title = "Body map"
    paths = ("body_map",)

    def build(self) -> None:
        self.note(
            "Choose what a click marks, then click the regions. Right-click a region to tick "
            "several sensations. With the keyboard: Tab or the arrow keys move between "
            "regions, 1-4 mark, 0 clears."
        )
        line = QHBoxLayout()
        line.setSpacing(8)
        line.addWidget(QLabel("A click marks:"))
        self.mode_group = QButtonGroup(self)
        self.mode_buttons: dict[Sensation, QPushButton] = {}
        for number, sensation in enumerate(SENSATION_ORDER, start=1):
            button = QPushButton(f"{sensation.label.capitalize()} ({number})")
            button.setCheckable(True)
            button.setObjectName(f"mode_{sensation.value}")
            button.setAccessibleName(f"A click marks {sensation.label}")
            button.setToolTip(f"Clicking a region marks or unmarks {sensation.label}")
            fill = SENSATION_STYLE[sensation][0]
            button.setStyleSheet(
                f"QPushButton:checked {{ background: {fill}; color: #1f2933;"
                " border: 2px solid #1f2933; border-radius: 3px; padding: 4px 8px;"
                " font-weight: bold; }"
            )
            self.mode_group.addButton(button)
            self.mode_buttons[sensation] = button
            line.addWidget(button)
        line.addStretch(1)
        self.body.addLayout(line)

        self.map_widget = BodyMapWidget()
        self.map_widget.setObjectName("body_map")
        self.body.addWidget(self.map_widget)
        self.marked_label = QLabel()
        self.marked_label.setWordWrap(True)
        self.marked_label.setObjectName("body_map_marked")
        self.body.addWidget(self.marked_label)

        self.binder.bind(
            "body_map",
            self.map_widget,
            lambda: self.map_widget.body_map().to_dict(),
            self._write,
            self.map_widget.map_changed,
        )
        self.mode_buttons[self.map_widget.mode].setChecked(True)
        for sensation, button in self.mode_buttons.items():
            button.toggled.connect(
                lambda on, s=sensation: self.map_widget.set_mode(s) if on else None
            )
        self.map_widget.map_changed.connect(lambda _map: self.refresh())
        self.refresh()

    def _write(self, value: Any) -> None:
        self.map_widget.set_body_map(BodyMap.from_dict(value or {}))

    def refresh(self) -> None:
        marked = self.map_widget.body_map()
        self.marked_label.setText(
            f"Marked: {self.map_widget.marked_text()}" if marked else "No regions marked yet."
        )
