"""Recording a visit through the dialog: points found by code, alias and name, technique
settings, pain before and after, "copy last visit", pregnancy points and safety overrides."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from frontdesk.domain.enums import AppointmentStatus, ServiceKind
from frontdesk.services.visits import Reaction
from frontdesk.ui.dialogs.visit_dialog import VisitDialog

pytestmark = pytest.mark.sqlite_only

NOTE = "Füße wärmer, 麻木 weniger"


def set_spin(qtbot, spin, text: str) -> None:
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)


def test_a_visit_is_recorded_through_the_dialog(qtbot, desk, make_patient, arrived, type_text):
    pid = make_patient({"schema": 1, "pain": {"now": 6}})
    appointment = arrived(pid)
    dialog = VisitDialog(desk, appointment)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.service_boxes[ServiceKind.ACUPUNCTURE].isChecked()  # the booked service
    assert not dialog.electro_box.isEnabled()

    picker = dialog.point_picker
    for typed in ("st36", "LV3", "bafeng", "sanyinjiao"):
        qtbot.keyClicks(picker.search_edit, typed)
        qtbot.keyClick(picker.search_edit, Qt.Key.Key_Return)
        assert picker.search_edit.text() == ""
    qtbot.keyClicks(picker.search_edit, "zusanli")  # ST36 again: not added twice
    qtbot.keyClick(picker.search_edit, Qt.Key.Key_Return)
    assert picker.codes() == ["ST36", "LR3", "EX-LE10", "SP6"]

    qtbot.mouseClick(
        dialog.service_boxes[ServiceKind.ELECTRO_ACUPUNCTURE], Qt.MouseButton.LeftButton
    )
    assert dialog.electro_box.isEnabled()
    set_spin(qtbot, dialog.frequency, "2")
    qtbot.keyClicks(dialog.intensity, "comfortable tapping")
    set_spin(qtbot, dialog.electro_minutes, "20")
    set_spin(qtbot, dialog.needle_minutes, "25")
    set_spin(qtbot, dialog.pain_before.spin, "6")
    set_spin(qtbot, dialog.pain_after.spin, "3")
    assert dialog.pain_change.text().startswith("Down 3 points (moderate to mild)")
    qtbot.mouseClick(dialog.reaction_boxes[Reaction.DROWSINESS], Qt.MouseButton.LeftButton)
    type_text(dialog.subjective, NOTE)
    qtbot.keyClicks(dialog.next_plan, "Same points, add KI3")

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = dialog.result_value
    assert saved is not None
    assert saved.data.points == ("ST36", "LR3", "EX-LE10", "SP6")
    assert saved.data.services == (ServiceKind.ACUPUNCTURE, ServiceKind.ELECTRO_ACUPUNCTURE)
    assert saved.data.electro.frequency_hz == 2 and saved.data.electro.minutes == 20
    assert saved.data.needle_minutes == 25
    assert (saved.pain_before, saved.pain_after) == (6, 3)
    assert saved.data.reactions == (Reaction.DROWSINESS,)
    assert saved.data.soap.subjective == NOTE
    assert desk.appointments.get(appointment).status is AppointmentStatus.COMPLETED

    # opening the appointment again shows the recorded visit, and saves changes to it
    again = VisitDialog(desk, appointment)
    qtbot.addWidget(again)
    assert again.existing is not None and again.point_picker.codes() == list(saved.data.points)
    assert again.subjective.toPlainText() == NOTE
    set_spin(qtbot, again.pain_after.spin, "2")
    again.save()
    assert desk.visits.get(saved.id).pain_after == 2


def test_copy_last_visit_fills_the_treatment_but_not_the_scores(qtbot, desk, make_patient, arrived):
    pid = make_patient({"schema": 1})
    first = arrived(pid, hour=10)
    dialog = VisitDialog(desk, first)
    qtbot.addWidget(dialog)
    assert not dialog.copy_last_visit()
    assert "no earlier visit" in dialog.problem_label.text()
    dialog.point_picker.add_text("KI3")
    dialog.pain_before.set_value(7)
    dialog.point_notes.setText("both sides")
    dialog.save()
    second = arrived(pid, hour=14)
    repeat = VisitDialog(desk, second)
    qtbot.addWidget(repeat)
    qtbot.mouseClick(repeat.copy_button, Qt.MouseButton.LeftButton)
    assert repeat.point_picker.codes() == ["KI3"]
    assert repeat.point_notes.text() == "both sides"
    assert repeat.pain_before.value() is None


def test_pregnancy_points_are_marked_and_acknowledged(qtbot, desk, make_patient, arrived):
    pid = make_patient({"schema": 1, "safety": {"pregnant": True}})
    appointment = arrived(pid)
    dialog = VisitDialog(desk, appointment)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.point_picker.add_text("li4")
    dialog.point_picker.add_text("st36")
    assert dialog.point_picker.flagged_codes() == ["LI4"]
    assert not dialog.point_picker.warning_label.isHidden()
    assert "LI4" in dialog.point_picker.warning_label.text()
    asked: list[str] = []
    dialog.ask_acknowledgement = lambda message: asked.append(message) or True
    dialog.save()
    assert any("LI4" in message for message in asked)
    assert dialog.result_value is not None


def test_a_stop_rule_needs_a_practitioners_reason(qtbot, desk, make_patient, arrived):
    pid = make_patient({"schema": 1, "safety": {"implanted_device": True}})
    appointment = arrived(pid)
    dialog = VisitDialog(desk, appointment)
    qtbot.addWidget(dialog)
    assert dialog.banner.badges == ["PM"]
    dialog.service_boxes[ServiceKind.ELECTRO_ACUPUNCTURE].setChecked(True)
    dialog.ask_acknowledgement = lambda message: True
    dialog.ask_override_reason = lambda message: None  # given up
    dialog.save()
    assert dialog.result_value is None
    reasons: list[str] = []
    dialog.ask_override_reason = lambda message: reasons.append(message) or "Device is off"
    dialog.save()
    assert reasons and "Electro-acupuncture" in reasons[0]
    assert dialog.result_value is not None
    assert dialog.result_value.overrides[0].reason == "Device is off"


def test_a_problem_with_the_input_is_shown_in_the_dialog(qtbot, desk, make_patient, arrived):
    pid = make_patient({"schema": 1})
    dialog = VisitDialog(desk, arrived(pid))
    qtbot.addWidget(dialog)
    dialog.service_boxes[ServiceKind.ACUPUNCTURE].setChecked(False)
    dialog.service_boxes[ServiceKind.CUPPING].setChecked(True)
    dialog.cupping_minutes.setValue(45)  # the spin box stops at 30
    assert dialog.cupping_minutes.value() == 30
    dialog.save()
    assert dialog.result_value is not None
    assert dialog.result_value.data.cupping.minutes == 30
