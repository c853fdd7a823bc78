"""The main window: sections, shortcuts, status bar, and geometry kept per workstation."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QKeySequence

from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.settings import workstation_settings

pytestmark = pytest.mark.sqlite_only


def test_sections_and_their_shortcuts(qtbot, clinic):
    window = MainWindow(clinic)
    qtbot.addWidget(window)
    window.show()
    assert list(window.pages) == ["calendar", "patients", "history"]
    assert "Riverside Acupuncture" in window.windowTitle()
    assert window.status_clinic.text() == "Riverside Acupuncture"
    assert "clinic file" in window.status_backend.text()
    shortcuts = {a.text(): a.shortcut() for a in window.view_menu.actions()}
    assert shortcuts["Patients"] == QKeySequence("Ctrl+2")
    shortcut_action = next(a for a in window.view_menu.actions() if a.text() == "History")
    shortcut_action.trigger()
    assert window.current_page() == "history"
    assert window.stack.currentWidget() is window.pages["history"].holder
    assert window.pages["history"].built is not None


def test_geometry_and_last_section_are_remembered(qtbot, clinic):
    window = MainWindow(clinic)
    qtbot.addWidget(window)
    window.show()
    window.setGeometry(QRect(0, 40, 1000, 700))
    window.show_page("patients")
    kept = window.geometry()
    window.close()
    assert workstation_settings().value("main_window/page") == "patients"

    again = MainWindow(clinic)
    qtbot.addWidget(again)
    assert again.current_page() == "patients"
    again.show()
    assert again.size() == kept.size()


def test_help_lists_the_keyboard_shortcuts(qtbot, clinic):
    """F1 (Help > Keyboard shortcuts) lists the keys of the window and of every section,
    each with what it does, read from the program's own actions."""
    window = MainWindow(clinic)
    qtbot.addWidget(window)
    window.show()
    assert window.shortcuts_action.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    window.shortcuts_action.trigger()
    dialog = window.shortcuts_dialog
    assert dialog.isVisible()
    listed = {}
    for i in range(dialog.tree.topLevelItemCount()):
        section = dialog.tree.topLevelItem(i)
        for j in range(section.childCount()):
            row = section.child(j)
            listed[(section.text(0), row.text(0))] = row.text(1)
    assert listed[("Everywhere", "F2")].startswith("Book a walk-in")
    assert listed[("Everywhere", "Ctrl+2")] == "Go to Patients"
    assert listed[("Calendar", "Ctrl+Shift+W")] == "Show one practitioner's week"
    assert listed[("Calendar", "Ctrl+T")] == "Show today"  # no keys repeated in the words
    assert listed[("Patients", "Ctrl+N")] == "Add a new patient"  # a section not yet shown
    dialog.close()
