"""Booking from the calendar: drag over empty time, fill the dialog, see the block appear."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from frontdesk.domain.enums import AppointmentStatus
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.records import PatientSummary
from frontdesk.ui.dialogs.booking_dialog import BookingDialog, BookingPrefill

pytestmark = pytest.mark.sqlite_only


def _summary(record) -> PatientSummary:
    return PatientSummary(
        record.id,
        record.display_name,
        record.legal_name,
        "",
        record.date_of_birth,
        record.phone,
        record.chart_number,
        False,
    )


def test_drag_over_empty_time_books_with_the_dragged_times(
    page, clinic, patient, dialogs, qtbot, drag
):
    view = page.day_view
    tomasz = next(c for c in view.layout_data.columns if c.title == "Tomasz Nowak")
    view.scroll_to_minute(13 * 60)
    seen = {}

    def fill(dialog: BookingDialog) -> None:
        seen["start"] = dialog.starts_at()
        seen["length"] = dialog.length_spin.value()
        seen["practitioner"] = dialog.practitioner_combo.currentText()
        qtbot.keyClicks(dialog.patient_picker.search_edit, "hughes")
        qtbot.keyClick(dialog.patient_picker.search_edit, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.patient_picker.search_edit, Qt.Key.Key_Return)
        assert dialog.patient_picker.patient is not None
        dialog.notes_edit.setPlainText("Prefers the window room")
        dialog.book_button.click()

    dialogs.on("BookingDialog", fill)
    drag(
        view, view.point_for(tomasz.index, 14 * 60 + 2), view.point_for(tomasz.index, 14 * 60 + 40)
    )

    # 14:00 to 14:45: the drag snapped to the 15-minute grid
    assert seen["start"].astimezone(page.book.tz).strftime("%H:%M") == "14:00"
    assert seen["length"] == 45
    assert seen["practitioner"] == "Tomasz Nowak"
    booked = clinic.appointments.for_patient(patient.id)
    assert len(booked) == 1
    record = booked[0]
    assert record.practitioner_name == "Tomasz Nowak"
    assert record.ends_at - record.starts_at == timedelta(minutes=45)
    assert record.notes == "Prefers the window room"
    # the block is on screen and selected, in Tomasz's column
    block = view.layout_data.block_for(record.id)
    assert block is not None and block.column == tomasz.index
    assert view.selected_id == record.id


def test_double_click_uses_the_service_length(page, clinic, patient, dialogs):
    view = page.day_view
    mei = view.layout_data.columns[0]
    view.scroll_to_minute(15 * 60)
    chosen = {}

    def fill(dialog: BookingDialog) -> None:
        dialog.patient_picker.set_patient(_summary(patient))
        index = dialog.service_combo.findData(clinic.clinic.service_by_code("CUP").id)
        dialog.service_combo.setCurrentIndex(index)
        chosen["length"] = dialog.length_spin.value()
        dialog.book()

    dialogs.on("BookingDialog", fill)
    QTest.mouseDClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        view.point_for(mei.index, 15 * 60 + 20),
    )
    assert chosen["length"] == 30
    record = clinic.appointments.for_patient(patient.id)[0]
    assert record.service_code == "CUP"
    assert record.starts_at.astimezone(page.book.tz).strftime("%H:%M") == "15:15"


def test_a_clash_is_refused_and_shown(page, clinic, patient, dialogs, questions):
    mei = clinic.clinic.practitioners()[0]
    start = page.book.now().replace(hour=11, minute=0)
    clinic.appointments.book(
        BookingRequest(
            patient.id,
            clinic.clinic.service_by_code("ACU").id,
            mei.id,
            start,
            room_id=clinic.clinic.rooms()[0].id,
        )
    )

    def fill(dialog: BookingDialog) -> None:
        dialog.patient_picker.set_patient(_summary(patient))
        assert dialog.book() is None
        dialog.reject()

    dialogs.on("BookingDialog", fill)
    page.actions_handler.book_new(
        BookingPrefill(start + timedelta(minutes=15), practitioner_id=mei.id)
    )
    assert len(questions.errors) == 1
    assert "already booked" in questions.errors[0].message
    assert len(clinic.appointments.for_patient(patient.id)) == 1


def test_outside_working_hours_asks_then_books(page, clinic, patient, dialogs, questions):
    mei = clinic.clinic.practitioners()[0]
    evening = page.book.now().replace(hour=19, minute=0)

    def fill(dialog: BookingDialog) -> None:
        dialog.patient_picker.set_patient(_summary(patient))
        dialog.book()

    dialogs.on("BookingDialog", fill)
    record = page.actions_handler.book_new(BookingPrefill(evening, practitioner_id=mei.id))
    assert record is not None
    assert [kind for kind, _ in questions.asked] == ["outside_hours"]


def test_new_patient_from_the_picker_offers_the_existing_one(page, clinic, patient, dialogs):
    def fill(dialog: BookingDialog) -> None:
        picker = dialog.patient_picker
        picker.search_edit.setText("Margret Hughes")
        picker.choose_row(picker.model.rowCount() - 1)  # the "new patient" row
        assert picker.new_panel.isVisibleTo(dialog)
        assert picker.new_name.text() == "Margret Hughes"
        picker.new_birth.setText("02.04.1950")
        offered = []
        picker.ask_duplicate = lambda candidates: (
            offered.append(candidates) or (candidates[0].patient)
        )
        picker.create_button.click()
        assert offered and offered[0][0].patient.id == patient.id
        assert picker.patient.id == patient.id
        dialog.book()

    dialogs.on("BookingDialog", fill)
    page.actions_handler.book_new(BookingPrefill(page.book.now().replace(hour=12, minute=0)))
    assert clinic.patients.search("hughes") and len(clinic.patients.search("hughes")) == 1
    assert len(clinic.appointments.for_patient(patient.id)) == 1


def test_keyboard_moves_the_selection_and_delete_cancels(page, clinic, patient, dialogs):
    service = clinic.clinic.service_by_code("ACU")
    mei, tomasz = clinic.clinic.practitioners()[:2]
    rooms = clinic.clinic.rooms()
    day = page.book.now().replace(minute=0)
    first = clinic.appointments.book(
        BookingRequest(patient.id, service.id, mei.id, day.replace(hour=11), room_id=rooms[0].id)
    )
    second = clinic.appointments.book(
        BookingRequest(patient.id, service.id, mei.id, day.replace(hour=13), room_id=rooms[0].id)
    )
    other = clinic.appointments.book(
        BookingRequest(
            patient.id, service.id, tomasz.id, day.replace(hour=13, minute=15), room_id=rooms[1].id
        )
    )
    page.book.invalidate()
    page.refresh()
    view = page.day_view
    view.setFocus()
    qtbot_key = QTest.keyClick
    qtbot_key(view, Qt.Key.Key_Down)
    assert view.selected_id == first.id
    qtbot_key(view, Qt.Key.Key_Down)
    assert view.selected_id == second.id
    qtbot_key(view, Qt.Key.Key_Right)
    assert view.selected_id == other.id

    def give_reason(dialog) -> None:
        assert not dialog.cancel_button.isEnabled()
        dialog.set_reason("Unwell")
        dialog.cancel_button.click()

    dialogs.on("CancelDialog", give_reason)
    qtbot_key(view, Qt.Key.Key_Delete)
    cancelled = clinic.appointments.get(other.id)
    assert cancelled.status is AppointmentStatus.CANCELLED
    assert cancelled.cancel_reason == "Unwell"
    assert cancelled.late_cancel  # a few hours ahead: a late cancellation


def test_booking_shows_the_patients_safety_flags_and_needs_the_tick(
    page, clinic, patient, dialogs, questions
):
    clinic.intakes.save(patient.id, {"schema": 1, "safety": {"pregnant": True}})
    seen = {}

    def fill(dialog: BookingDialog) -> None:
        dialog.patient_picker.set_patient(_summary(patient))
        seen["label"] = dialog.safety_label.text()
        seen["tick"] = not dialog.read_check.isHidden()
        dialog.book()  # without the tick: the warnings are asked about once more

    dialogs.on("BookingDialog", fill)
    record = page.actions_handler.book_new(
        BookingPrefill(page.book.now().replace(hour=14, minute=0), practitioner_id=1)
    )
    assert "Pregnant" in seen["label"] or "pregnan" in seen["label"].lower()
    assert seen["tick"]
    assert [kind for kind, _ in questions.asked] == ["acknowledge"]
    assert record is not None
