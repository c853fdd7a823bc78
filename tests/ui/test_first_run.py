"""The first-run dialog: set up a clinic, or open the demo, on an empty database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from frontdesk.ui.dialogs.first_run import FirstRunChoice, FirstRunDialog

pytestmark = pytest.mark.sqlite_only


def test_creating_the_clinic_from_the_form(qtbot, services):
    dialog = FirstRunDialog(services)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name_edit, "Lotus Clinic")
    dialog.timezone_combo.setCurrentText("Europe/Warsaw")
    dialog.practitioners_edit.setPlainText("Mei Chen, L.Ac.\nTomasz Nowak")
    dialog.rooms_edit.setText("Room A, Room B, Room C")
    # untick cupping: the clinic does not offer it
    for row in range(dialog.services_list.count()):
        item = dialog.services_list.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == "CUP":
            item.setCheckState(Qt.CheckState.Unchecked)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)

    assert dialog.result_value is not None
    assert dialog.result_value.choice is FirstRunChoice.SET_UP
    profile = services.clinic.profile()
    assert (profile.name, profile.timezone) == ("Lotus Clinic", "Europe/Warsaw")
    assert [p.name for p in services.clinic.practitioners()] == ["Mei Chen", "Tomasz Nowak"]
    assert [r.name for r in services.clinic.rooms()] == ["Room A", "Room B", "Room C"]
    assert "CUP" not in {s.code for s in services.clinic.services()}


def _accept_next_message_box(seen: list[str]) -> None:
    def close() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(10, close)

    QTimer.singleShot(0, close)


def test_a_missing_practitioner_is_explained_and_nothing_is_saved(qtbot, services):
    dialog = FirstRunDialog(services)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name_edit, "Lotus Clinic")
    seen: list[str] = []
    _accept_next_message_box(seen)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert seen and "practitioner" in seen[0].lower()
    assert dialog.result_value is None
    assert not services.clinic.is_set_up()
    assert dialog.practitioners_edit.hasFocus() or dialog.isVisible() is False


def test_the_demo_button_builds_a_demo_clinic(qtbot, services):
    dialog = FirstRunDialog(services)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert dialog.result_value is not None
    assert dialog.result_value.choice is FirstRunChoice.DEMO
    assert "demo" in services.clinic.profile().name.lower()
    assert len(services.patients.search("", limit=5)) == 5
