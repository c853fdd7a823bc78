"""Rescheduling: drag a block to another time and practitioner, undo it, redo it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frontdesk.domain.enums import AppointmentStatus
from frontdesk.services.appointments import BookingRequest
from frontdesk.ui.dialogs.reschedule_dialog import RescheduleDialog

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def booked(clinic, patient, page):
    mei = clinic.clinic.practitioners()[0]
    start = page.book.now().replace(hour=11, minute=0, second=0, microsecond=0)
    record = clinic.appointments.book(
        BookingRequest(
            patient.id,
            clinic.clinic.service_by_code("ACU").id,
            mei.id,
            start,
            room_id=clinic.clinic.rooms()[0].id,
        )
    )
    page.book.invalidate()
    page.refresh()
    return record


def local_hm(record, page) -> str:
    return record.starts_at.astimezone(page.book.tz).strftime("%H:%M")


def test_drag_a_block_to_another_time_and_column_then_undo_and_redo(page, clinic, booked, drag):
    view = page.day_view
    block = view.layout_data.block_for(booked.id)
    tomasz = next(c for c in view.layout_data.columns if c.title == "Tomasz Nowak")
    view.scroll_to_minute(10 * 60)
    grab = view.point_for(block.column, block.start + 10)
    drop = view.point_for(tomasz.index, 14 * 60 + 10)
    drag(view, grab, drop)

    moved = clinic.appointments.get(booked.id)
    assert moved.practitioner_name == "Tomasz Nowak"
    assert local_hm(moved, page) == "14:00"
    assert moved.ends_at - moved.starts_at == timedelta(minutes=60)
    assert view.layout_data.block_for(booked.id).column == tomasz.index
    assert page.undo_action.isEnabled()

    page.undo_action.trigger()
    back = clinic.appointments.get(booked.id)
    assert back.practitioner_id == booked.practitioner_id
    assert local_hm(back, page) == "11:00"
    assert view.layout_data.block_for(booked.id).column == block.column

    page.redo_action.trigger()
    again = clinic.appointments.get(booked.id)
    assert again.practitioner_name == "Tomasz Nowak" and local_hm(again, page) == "14:00"


def test_a_drop_on_a_busy_time_is_refused_and_nothing_moves(
    page, clinic, booked, patient, questions, drag
):
    tomasz = clinic.clinic.practitioners()[1]
    clinic.appointments.book(
        BookingRequest(
            patient.id,
            clinic.clinic.service_by_code("CONS").id,
            tomasz.id,
            booked.starts_at + timedelta(hours=3),
        )
    )
    page.book.invalidate()
    page.refresh()
    view = page.day_view
    column = next(c for c in view.layout_data.columns if c.title == "Tomasz Nowak")
    view.scroll_to_minute(10 * 60)
    drag(view, view.point_for(0, 11 * 60 + 10), view.point_for(column.index, 14 * 60 + 10))
    assert len(questions.errors) == 1
    assert "Tomasz Nowak is already booked" in questions.errors[0].message
    assert clinic.appointments.get(booked.id).starts_at == booked.starts_at
    assert not page.undo_action.isEnabled()


def test_reschedule_dialog_moves_to_a_free_time(page, clinic, booked, dialogs):
    def pick(dialog: RescheduleDialog) -> None:
        assert dialog.free_combo.count() > 1  # free times of that day are offered
        dialog.free_combo.setCurrentIndex(2)
        dialog._free_time_picked(2)
        dialog.confirm()

    dialogs.on("RescheduleDialog", pick)
    moved = page.actions_handler.reschedule(booked)
    assert moved is not None and moved.starts_at != booked.starts_at
    page.undo_action.trigger()
    assert clinic.appointments.get(booked.id).starts_at == booked.starts_at


def test_cancel_with_reason_and_no_show_undo(page, clinic, booked, dialogs, monday):
    def reason(dialog) -> None:
        assert dialog.late_label.isVisibleTo(dialog)
        dialog.set_reason("Car broke down")
        dialog.confirm()

    dialogs.on("CancelDialog", reason)
    cancelled = page.actions_handler.set_status(booked, AppointmentStatus.CANCELLED)
    assert cancelled.status is AppointmentStatus.CANCELLED and cancelled.late_cancel
    assert "cancelled" in page.summary_label.text()
    page.undo_action.trigger()
    assert clinic.appointments.get(booked.id).status is AppointmentStatus.BOOKED

    fresh = clinic.appointments.get(booked.id)
    no_show = page.actions_handler.set_status(fresh, AppointmentStatus.NO_SHOW)
    assert no_show.status is AppointmentStatus.NO_SHOW
    block = page.day_view.layout_data.block_for(booked.id)
    assert block is not None and block.freed
    page.undo_action.trigger()
    assert clinic.appointments.get(booked.id).status is AppointmentStatus.BOOKED


def test_freed_time_shows_the_waiting_list_and_books_in_one_click(
    page, clinic, booked, dialogs, qtbot
):
    from frontdesk.services.patients import PatientInput

    waiting = clinic.patients.create(
        PatientInput(legal_name="Oskar Lindqvist", phone="07700 900555")
    )
    clinic.waitlist.add(
        waiting.id,
        None,
        None,
        None,
        None,
        urgency=3,
        service_id=clinic.clinic.service_by_code("ACU").id,
    )
    dialogs.on("CancelDialog", lambda d: (d.set_reason("Unwell"), d.confirm()))
    page.actions_handler.set_status(booked, AppointmentStatus.CANCELLED)
    assert len(page.actions_handler.offer_windows) == 1
    offer = page.actions_handler.offer_windows[0]
    qtbot.addWidget(offer)
    assert offer.isVisible() and not offer.isModal()
    assert offer.model.rowCount() == 1
    assert offer.model.match_at(0).patient_name == "Oskar Lindqvist"
    offer.book_button.click()
    booked_now = clinic.appointments.for_patient(waiting.id)
    assert len(booked_now) == 1 and booked_now[0].starts_at == booked.starts_at
    assert not offer.isVisible()


def test_a_patient_who_wants_an_earlier_time_is_offered_a_freed_slot(
    page, clinic, booked, dialogs, patient
):
    from frontdesk.services.patients import PatientInput

    later_patient = clinic.patients.create(PatientInput(legal_name="Ewa Sobczak"))
    later = clinic.appointments.book(
        BookingRequest(
            later_patient.id,
            clinic.clinic.service_by_code("ACU").id,
            clinic.clinic.practitioners()[0].id,
            booked.starts_at + timedelta(days=2),
            room_id=clinic.clinic.rooms()[0].id,
        )
    )

    def urgent(dialog) -> None:
        assert dialog.patient_picker.patient.id == later_patient.id
        assert dialog.earlier_check.isChecked()
        dialog.urgency_combo.setCurrentIndex(dialog.urgency_combo.findData(3))
        dialog.save()

    dialogs.on("WaitlistEntryDialog", urgent)
    entry = page.actions_handler.add_to_waitlist(later)
    assert entry is not None and entry.wants_earlier_than == later.starts_at

    dialogs.on("CancelDialog", lambda d: (d.set_reason("Unwell"), d.confirm()))
    page.actions_handler.set_status(booked, AppointmentStatus.CANCELLED)
    offer = page.actions_handler.offer_windows[-1]
    qtbot_widget = offer
    assert qtbot_widget.model.match_at(0).patient_name == "Ewa Sobczak"
    offer.close()


def test_in_room_columns_a_drag_changes_the_room_not_the_practitioner(page, clinic, booked, drag):
    from frontdesk.ui.models.appointments import ColumnMode

    page.set_column_mode(ColumnMode.ROOMS)
    view = page.day_view
    room3 = next(c for c in view.layout_data.columns if c.title == "Room 3")
    block = view.layout_data.block_for(booked.id)
    view.scroll_to_minute(10 * 60)
    drag(
        view,
        view.point_for(block.column, block.start + 10),
        view.point_for(room3.index, 11 * 60 + 10),
    )
    moved = clinic.appointments.get(booked.id)
    assert moved.room_name == "Room 3"
    assert moved.practitioner_id == booked.practitioner_id
    assert moved.starts_at == booked.starts_at


def test_ctrl_b_books_at_the_next_free_grid_time(page, clinic, patient, dialogs):
    seen = {}

    def look(dialog) -> None:
        seen["start"] = dialog.starts_at().astimezone(page.book.tz).strftime("%H:%M")
        seen["practitioner"] = dialog.practitioner_combo.currentText()
        dialog.reject()

    dialogs.on("BookingDialog", look)
    page.book_action.trigger()
    # now is 10:02: the next 15-minute grid time after a quarter of an hour
    assert seen == {"start": "10:15", "practitioner": "Mei Chen"}
