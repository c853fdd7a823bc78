"""The first and the latest body map on file, side by side, with what changed in words."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from frontdesk.domain.body_map import BodyMap, diff
from frontdesk.services.history import BodyMaps
from frontdesk.ui.widgets.body_map_widget import BodyMapWidget


def _when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%d %b %Y").lstrip("0") if moment else ""


class BodyMapCompare(QWidget):
    """Two read-only maps; the line below lists regions that changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first_label = QLabel()
        self.latest_label = QLabel()
        self.first_map = BodyMapWidget(read_only=True)
        self.first_map.setObjectName("first_body_map")
        self.first_map.setAccessibleName("First body map (read only)")
        self.latest_map = BodyMapWidget(read_only=True)
        self.latest_map.setObjectName("latest_body_map")
        self.latest_map.setAccessibleName("Latest body map (read only)")
        for widget in (self.first_map, self.latest_map):
            widget.setMinimumSize(320, 260)
        self.changes_label = QLabel()
        self.changes_label.setObjectName("body_map_changes")
        self.changes_label.setWordWrap(True)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        grid.addWidget(self.first_label, 0, 0)
        grid.addWidget(self.latest_label, 0, 1)
        grid.addWidget(self.first_map, 1, 0)
        grid.addWidget(self.latest_map, 1, 1)
        grid.addWidget(self.changes_label, 2, 0, 1, 2)
        grid.setRowStretch(1, 1)

    def show_maps(self, maps: BodyMaps) -> None:
        if maps.first is None or maps.latest is None:
            self.first_label.setText("<b>First</b>")
            self.latest_label.setText("<b>Latest</b>")
            self.first_map.set_body_map(maps.first or BodyMap())
            self.latest_map.set_body_map(maps.latest or BodyMap())
            self.changes_label.setText("No intake has marked anything on the body map yet.")
            return
        self.first_label.setText(f"<b>First</b> ({_when(maps.first_at)})")
        self.latest_label.setText(f"<b>Latest</b> ({_when(maps.latest_at)})")
        self.first_map.set_body_map(maps.first)
        self.latest_map.set_body_map(maps.latest)
        if maps.first_at == maps.latest_at:
            self.changes_label.setText("Only one intake has a body map so far.")
            return
        lines = [change.describe() for change in diff(maps.first, maps.latest)]
        self.changes_label.setText(
            "Changes: " + "; ".join(lines) if lines else "The marks have not changed."
        )
