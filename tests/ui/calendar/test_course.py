"""Booking a course: the preview places each session or says why not, Book saves the rest."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, QTime

from frontdesk.domain.enums import AppointmentStatus
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.patients import PatientInput
from frontdesk.ui.calendar.questions import CourseScope
from frontdesk.ui.dialogs.course_dialog import CourseDialog
from frontdesk.ui.models.calendar_course_preview import UNPLACED_COLOUR

pytestmark = pytest.mark.sqlite_only

#: the Monday after the test's Monday, and that week's Thursday
NEXT_MONDAY = date(2030, 3, 18)
THURSDAY = date(2030, 3, 21)


@pytest.fixture
def blocker(clinic, page):
    """Another patient already has Mei Chen at 10:00 on the first Thursday."""
    other = clinic.patients.create(PatientInput(legal_name="Tadeusz Wrona", phone="07700 900777"))
    mei = clinic.clinic.practitioners()[0]
    start = datetime(2030, 3, 21, 10, 0, tzinfo=page.book.tz)
    return clinic.appointments.book(
        BookingRequest(
            other.id,
            clinic.clinic.service_by_code("ACU").id,
            mei.id,
            start,
            room_id=clinic.clinic.rooms()[2].id,
        )
    )


def fill_course(dialog: CourseDialog, patient) -> None:
    dialog.patient_picker.search_edit.setText("hughes")
    dialog.patient_picker.choose_row(0)
    dialog.practitioner_combo.setCurrentIndex(0)  # Mei Chen
    dialog.sessions_spin.setValue(4)
    dialog.per_week_spin.setValue(2)
    dialog.weeks_spin.setValue(0)
    dialog.set_weekdays((0, 3))  # Mondays and Thursdays
    dialog.first_day_edit.setDate(QDate(2030, 3, 18))
    dialog.around_edit.setTime(QTime(10, 0))
    dialog.leeway_spin.setValue(0)


def test_course_preview_lists_the_collision_and_books_the_rest(
    page, clinic, patient, blocker, dialogs, qtbot
):
    seen = {}

    def plan(dialog: CourseDialog) -> None:
        fill_course(dialog, patient)
        assert not dialog.book_button.isEnabled()  # nothing to book before a preview
        dialog.preview_button.click()
        model = dialog.model
        seen["rows"] = model.rowCount()
        seen["unplaced"] = [(r.index, r.day, r.reason) for r in model.unplaced()]
        bad = next(i for i in range(model.rowCount()) if not model.rows[i].placed)
        seen["colour"] = model.data(model.index(bad, model.ROOM), 9)  # ForegroundRole
        seen["text"] = model.data(model.index(bad, model.TIME))
        # nothing is saved by a preview
        seen["before_book"] = len(clinic.appointments.for_patient(patient.id))
        assert dialog.book_button.isEnabled()
        dialog.book_button.click()

    dialogs.on("CourseDialog", plan)
    booked = page.book_course()

    assert seen["rows"] == 4
    assert seen["before_book"] == 0
    assert len(seen["unplaced"]) == 1
    index, day, reason = seen["unplaced"][0]
    assert index == 2 and day == THURSDAY
    assert "no free time near 10:00" in reason
    assert seen["colour"] == UNPLACED_COLOUR
    assert seen["text"] == "Not placed"

    saved = clinic.appointments.for_patient(patient.id)
    assert len(saved) == 3 == len(booked)
    assert {r.course_id for r in saved} == {saved[0].course_id} != {None}
    days = sorted(r.starts_at.astimezone(page.book.tz).date() for r in saved)
    assert days == [NEXT_MONDAY, NEXT_MONDAY + timedelta(days=7), THURSDAY + timedelta(days=7)]
    # the page shows the first session's day with it selected
    assert page.current_day == NEXT_MONDAY
    assert page.day_view.selected_id == booked[0].id


def test_changing_the_form_after_a_preview_asks_for_a_new_one(page, clinic, patient, dialogs):
    def plan(dialog: CourseDialog) -> None:
        fill_course(dialog, patient)
        dialog.preview()
        assert dialog.book_button.isEnabled()
        dialog.sessions_spin.setValue(6)
        assert not dialog.book_button.isEnabled()
        assert dialog.model.rowCount() == 0
        assert "Preview again" in dialog.status_label.text()
        dialog.set_weekdays((0, 2, 4))  # three days for two a week: refused in words
        dialog.preview()
        assert "Choose 2 weekdays" in dialog.status_label.text()
        dialog.reject()

    dialogs.on("CourseDialog", plan)
    assert page.book_course() == []
    assert clinic.appointments.for_patient(patient.id) == []


def test_moving_a_course_session_asks_this_one_or_the_following(
    page, clinic, patient, dialogs, questions
):
    def plan(dialog: CourseDialog) -> None:
        fill_course(dialog, patient)
        dialog.preview()
        dialog.book()

    dialogs.on("CourseDialog", plan)
    sessions = page.book_course()
    assert len(sessions) == 4
    first = sessions[0]
    questions.scope = CourseScope.THIS_AND_FOLLOWING
    moved = page.actions_handler.move(first, first.starts_at + timedelta(hours=1))
    assert moved is not None
    assert [kind for kind, _ in questions.asked] == ["course_scope"]
    after = sorted(clinic.appointments.for_patient(patient.id), key=lambda r: r.starts_at)
    assert all(
        a.starts_at - b.starts_at == timedelta(hours=1)
        for a, b in zip(after, sorted(sessions, key=lambda r: r.starts_at), strict=True)
    )
    page.undo_action.trigger()
    restored = sorted(clinic.appointments.for_patient(patient.id), key=lambda r: r.starts_at)
    assert [r.starts_at for r in restored] == sorted(r.starts_at for r in sessions)
    assert all(r.status is AppointmentStatus.BOOKED for r in restored)
