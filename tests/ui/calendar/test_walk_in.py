"""A walk-in with the keyboard alone: a few letters, then at most five key presses."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from frontdesk.domain.enums import AppointmentStatus
from frontdesk.ui.dialogs.walk_in_dialog import WalkInDialog

pytestmark = pytest.mark.sqlite_only


class KeyCounter:
    """Presses keys on whatever has the focus, counting them."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.count = 0

    def press(self, key: Qt.Key) -> None:
        target = QApplication.focusWidget()
        assert target is not None, "nothing has the keyboard focus"
        self.count += 1
        self.qtbot.keyClick(target, key)


def test_returning_patient_booked_and_checked_in_in_five_keys(
    page, clinic, patient, dialogs, questions, qtbot
):
    keys = KeyCounter(qtbot)

    def by_keyboard(dialog: WalkInDialog) -> None:
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.patient_picker.search_edit)
        qtbot.keyClicks(QApplication.focusWidget(), "hugh")  # the search text
        keys.press(Qt.Key.Key_Down)  # the first match
        keys.press(Qt.Key.Key_Return)  # pick the patient
        assert dialog.patient is not None and dialog.patient.id == patient.id
        keys.press(Qt.Key.Key_Return)  # keep the service (the follow-up)
        assert QApplication.focusWidget() is dialog.book_button
        keys.press(Qt.Key.Key_Return)  # book and check in

    dialogs.on("WalkInDialog", by_keyboard)
    page.walk_in()

    assert keys.count == 4
    assert questions.errors == [] and questions.asked == []
    booked = clinic.appointments.for_patient(patient.id)
    assert len(booked) == 1
    record = booked[0]
    assert record.walk_in and record.status is AppointmentStatus.ARRIVED
    assert record.service_code == "ACU"
    # the earliest time from now (10:02 on a 5-minute grid), with the first practitioner
    assert record.starts_at.astimezone(page.book.tz).strftime("%H:%M") == "10:05"
    assert record.practitioner_name == "Mei Chen"
    # the waiting panel lists the patient at once
    waiting = page.waiting_panel.model.records
    assert [r.id for r in waiting] == [record.id]
    assert (
        page.waiting_panel.model.data(
            page.waiting_panel.model.index(0, page.waiting_panel.model.WITH)
        )
        == "Mei Chen"
    )


def test_walk_in_remembers_the_last_service_and_proposes_from_now(
    page, clinic, patient, dialogs, clock
):
    cupping = clinic.clinic.service_by_code("CUP")
    proposals = []

    def choose_cupping(dialog: WalkInDialog) -> None:
        dialog.patient_picker.search_edit.setText("07700")
        dialog.patient_picker.choose_row(0)
        dialog.service_combo.setCurrentIndex(dialog.service_combo.findData(cupping.id))
        proposals.append(dialog.proposal_label.text())
        dialog.book()

    dialogs.on("WalkInDialog", choose_cupping)
    first = page.walk_in()
    assert first is not None and first.service_code == "CUP"

    clock.advance(minutes=20)
    remembered = []

    def look(dialog: WalkInDialog) -> None:
        remembered.append(dialog.current_service().code)
        dialog.reject()

    dialogs.on("WalkInDialog", look)
    page.walk_in()
    assert remembered == ["CUP"]
    assert "Mei Chen" in proposals[0]


def test_patient_with_safety_warnings_ticks_them_within_five_keys(
    page, clinic, patient, dialogs, questions, qtbot
):
    clinic.intakes.save(patient.id, {"schema": 1, "safety": {"anticoagulant": True}})
    keys = KeyCounter(qtbot)
    shown = {}

    def by_keyboard(dialog: WalkInDialog) -> None:
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.patient_picker.search_edit)
        qtbot.keyClicks(QApplication.focusWidget(), "0770")  # phone digits this time
        keys.press(Qt.Key.Key_Down)
        keys.press(Qt.Key.Key_Return)
        shown["safety"] = dialog.safety_label.text()
        keys.press(Qt.Key.Key_Return)  # keep the service: the warnings come first
        assert QApplication.focusWidget() is dialog.read_check
        keys.press(Qt.Key.Key_Space)  # the warnings were read
        keys.press(Qt.Key.Key_Return)  # book and check in

    dialogs.on("WalkInDialog", by_keyboard)
    record = page.walk_in()
    assert keys.count == 5
    assert record is not None and record.status is AppointmentStatus.ARRIVED
    assert "AC" in shown["safety"] or "thinner" in shown["safety"].lower()
    assert questions.asked == [] and questions.errors == []
