"""Help > Keyboard shortcuts: every shortcut of the window and of its sections, in one list.

Read from the actions themselves, so the list cannot fall behind the program: the
window's own (menus, toolbar, the sections), then each section's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QMenuBar,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from frontdesk.ui.main_window import MainWindow

#: (section, keys, what the keys do)
ShortcutRow = tuple[str, str, str]


def _keys_and_what(item: QObject) -> tuple[str, str]:
    """An action's or a shortcut's keys, and what they do in words: the status tip (an
    action's) or the what's-this text (a shortcut's), else the action's text; without
    the keys some tips end with."""
    if isinstance(item, QAction):
        sequence, text = item.shortcut(), item.statusTip() or item.text()
    elif isinstance(item, QShortcut):
        sequence, text = item.key(), item.whatsThis()
    else:
        return "", ""
    keys = sequence.toString(QKeySequence.SequenceFormat.NativeText)
    text = text.replace("&", "").removesuffix(f" ({keys})").rstrip("…").rstrip(".")
    return keys, text


def _rows(section: str, items: list[QObject], seen: set[tuple[str, str]]) -> list[ShortcutRow]:
    rows: list[ShortcutRow] = []
    for item in items:
        keys, what = _keys_and_what(item)
        if keys and what and (keys, what) not in seen:
            seen.add((keys, what))
            rows.append((section, keys, what))
    return rows


def shortcut_rows(window: MainWindow) -> list[ShortcutRow]:
    """The window's shortcuts, then each section's (the sections built so far: the rest are
    built first when the clinic is open, so that theirs are listed too)."""
    seen: set[tuple[str, str]] = set()
    own = [item for item in window.findChildren(QObject) if _window_own(item, window)]
    rows = _rows("Everywhere", own, seen)
    for page in window.pages.values():
        widget: QWidget | None = page.built
        if widget is None and window.clinic_open():
            widget = page.widget
        if widget is not None:
            rows += _rows(page.title, widget.findChildren(QObject), seen)
    return rows


def _window_own(item: QObject, window: QWidget) -> bool:
    """Whether ``item`` belongs to the window itself, its menus or its toolbar (rather
    than to a section)."""
    parent = item.parent()
    while parent is not None and parent is not window:
        if not isinstance(parent, QMenu | QMenuBar | QToolBar):
            return False
        parent = parent.parent()
    return parent is window


class ShortcutsDialog(QDialog):
    """The list, by section, with the keys first."""

    def __init__(self, rows: list[ShortcutRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Keys that work in Frontdesk. Those of a section work while it is shown; the "
            "buttons and menus show their keys too, when the pointer rests on them."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Keys", "What they do"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAccessibleName("Keyboard shortcuts")
        sections: dict[str, QTreeWidgetItem] = {}
        for section, keys, what in rows:
            heading = sections.get(section)
            if heading is None:
                heading = QTreeWidgetItem(self.tree, [section])
                font = heading.font(0)
                font.setBold(True)
                heading.setFont(0, font)
                heading.setFirstColumnSpanned(True)
                sections[section] = heading
            QTreeWidgetItem(heading, [keys, what])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(0, self.tree.columnWidth(0) + 24)
        layout.addWidget(self.tree)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 560)
