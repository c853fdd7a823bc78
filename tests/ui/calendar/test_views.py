"""What the calendar shows: columns, blocks that never overlap, navigation, settings, tooltips."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtTest import QTest

from frontdesk.domain.enums import AppointmentStatus
from frontdesk.services.appointments import BookingRequest
from frontdesk.ui.calendar.block_painter import tooltip_html
from frontdesk.ui.calendar.page import parse_day
from frontdesk.ui.models.appointments import ColumnMode
from frontdesk.ui.settings import workstation_settings

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def busy_morning(clinic, patient, page):
    """Mei: a cancelled 11:00 and its replacement at 11:00, and a later one; Tomasz: one."""
    acu = clinic.clinic.service_by_code("ACU").id
    mei, tomasz = clinic.clinic.practitioners()[:2]
    rooms = clinic.clinic.rooms()
    at = page.book.now().replace(minute=0, second=0, microsecond=0)
    cancelled = clinic.appointments.book(
        BookingRequest(patient.id, acu, mei.id, at.replace(hour=11), room_id=rooms[0].id)
    )
    clinic.appointments.cancel(cancelled.id, "Unwell")
    replacement = clinic.appointments.book(
        BookingRequest(patient.id, acu, mei.id, at.replace(hour=11), room_id=rooms[0].id)
    )
    later = clinic.appointments.book(
        BookingRequest(patient.id, acu, mei.id, at.replace(hour=14), room_id=rooms[0].id)
    )
    with_tomasz = clinic.appointments.book(
        BookingRequest(patient.id, acu, tomasz.id, at.replace(hour=11), room_id=rooms[1].id)
    )
    clinic.appointments.check_in(with_tomasz.id)
    page.book.invalidate()
    page.refresh()
    return cancelled, replacement, later, with_tomasz


def test_day_view_columns_blocks_and_no_overlap(page, busy_morning):
    cancelled, replacement, _later, _with_tomasz = busy_morning
    view = page.day_view
    titles = [c.title for c in view.layout_data.columns]
    assert titles == ["Mei Chen", "Tomasz Nowak", "Aisha Rahman"]
    assert view.layout_data.columns[0].working == ((9 * 60, 18 * 60),)
    rects = {b.record.id: view.block_rect(b) for b in view.layout_data.blocks}
    assert len(rects) == 4
    items = list(rects.values())
    for i, a in enumerate(items):
        for b in items[:i]:
            assert not a.intersects(b) or a.intersected(b).width() < 1.5
    # the live appointment is wider than the cancelled one beside it
    assert rects[replacement.id].width() > rects[cancelled.id].width()
    assert "4 appointments" not in page.summary_label.text()
    assert page.summary_label.text().startswith("3 appointments")
    assert "1 cancelled" in page.summary_label.text() and "1 arrived" in page.summary_label.text()
    image = view.viewport().grab().toImage()
    # the arrived block is painted in the arrived colour (amber fill)
    block = view.layout_data.block_for(busy_morning[3].id)
    view.ensure_block_visible(block)
    image = view.viewport().grab().toImage()
    point = view.block_rect(block).center().toPoint() + QPoint(0, 12)
    assert QColor(image.pixel(point)).name() in ("#fff1d0", "#fff0cf", "#fff1cf")


def test_room_columns_and_week_view(page, busy_morning):
    page.columns_combo.setCurrentIndex(page.columns_combo.findData(ColumnMode.ROOMS.value))
    titles = [c.title for c in page.day_view.layout_data.columns]
    assert titles == ["Room 1", "Room 2", "Room 3"]
    assert workstation_settings().value("calendar/columns") == "rooms"

    page.view_combo.setCurrentIndex(page.view_combo.findData("week"))
    week = page.week_view
    assert page.views.currentWidget() is week
    assert week.layout_data.columns[0].day == date(2030, 3, 11)
    assert len(week.layout_data.columns) == 7
    assert {b.record.practitioner_name for b in week.layout_data.blocks} == {"Mei Chen"}
    assert page.date_label.text().startswith("Mei Chen: 11 Mar")
    page.practitioner_combo.setCurrentIndex(1)
    assert {b.record.practitioner_name for b in week.layout_data.blocks} == {"Tomasz Nowak"}
    page.step(1)
    assert page.current_day == date(2030, 3, 18)
    assert week.layout_data.blocks == ()


def test_navigation_shortcuts_and_one_fetch_per_day(page, busy_morning, qtbot):
    start = page.current_day
    fetches = page.book.fetch_count
    page.next_action.trigger()
    assert page.current_day == start + timedelta(days=1)
    page.previous_action.trigger()
    assert page.current_day == start
    # the day was fetched before: going back does not ask the database again
    assert page.book.fetch_count == fetches + 1
    page.set_date(start + timedelta(days=30))
    page.today_action.trigger()
    assert page.current_day == start
    assert page.today_action.shortcut() == QKeySequence("Ctrl+T")
    assert page.next_action.shortcut() == QKeySequence("Alt+Right")
    assert page.goto_action.shortcut() == QKeySequence("Ctrl+G")
    page.search_action.trigger()
    assert page.search_edit.hasFocus()
    assert page.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)


def test_search_highlights_and_jumps_to_the_next_appointment(page, busy_morning, qtbot):
    page.set_date(page.current_day + timedelta(days=3))
    qtbot.keyClicks(page.search_edit, "hughes")
    assert page.day_view.highlight == "hughes"
    QTest.keyClick(page.search_edit, Qt.Key.Key_Return)
    # the next appointment still to come: the 11:00 with Mei (the cancelled one is skipped)
    assert page.current_day == date(2030, 3, 11)
    assert page.day_view.selected_id == busy_morning[1].id


def test_grid_setting_is_kept_for_the_workstation(page, clinic, questions, dialogs, qtbot):
    page.grid_combo.setCurrentIndex(page.grid_combo.findData(5))
    assert page.day_view.grid_minutes == 5
    assert int(workstation_settings().value("calendar/grid_minutes")) == 5

    from frontdesk.ui.calendar.page import CalendarPage

    again = CalendarPage(clinic)
    qtbot.addWidget(again)
    assert again.grid_combo.currentData() == 5
    assert again.day_view.snap_down(10 * 60 + 13) == 10 * 60 + 10


def test_tooltip_and_the_current_time_line(page, busy_morning):
    record = page.book.find(busy_morning[3].id)
    html = tooltip_html(record, page.book.tz, page.book.now())
    for text in ("Margaret Hughes", "Acupuncture follow-up", "Tomasz Nowak", "Room 2", "Arrived"):
        assert text in html
    view = page.day_view
    view.scroll_to_minute(9 * 60)
    image = view.viewport().grab().toImage()
    y = round(view.y_of(10 * 60 + 2))
    x = round(view.x_of(2) + view.column_width / 2)
    red = QColor(image.pixel(x, y))
    assert red.red() > 180 and red.green() < 90  # the red line at 10:02


def test_status_changes_from_the_menu_follow_the_life_cycle(page, busy_morning):
    _cancelled, replacement, _later, with_tomasz = busy_morning
    menu = page.appointment_menu(page.book.find(replacement.id))
    texts = [a.text() for a in menu.actions() if a.text()]
    assert "&Arrived (check in)" in texts and "&No-show" in texts
    assert "C&ompleted" not in texts
    arrived = page.book.find(with_tomasz.id)
    after = page.actions_handler.set_status(arrived, AppointmentStatus.IN_TREATMENT)
    assert after.status is AppointmentStatus.IN_TREATMENT
    done = page.actions_handler.set_status(after, AppointmentStatus.COMPLETED)
    assert done.status is AppointmentStatus.COMPLETED
    menu = page.appointment_menu(page.book.find(with_tomasz.id))
    assert "&Reschedule…" not in [a.text() for a in menu.actions()]
    page.undo_action.trigger()
    page.undo_action.trigger()
    assert page.book.find(with_tomasz.id).status is AppointmentStatus.ARRIVED
    assert [r.id for r in page.waiting_panel.model.records] == [with_tomasz.id]


def test_typed_dates():
    today = date(2030, 3, 11)
    assert parse_day("14/03/2030", today) == date(2030, 3, 14)
    assert parse_day("2030-04-01", today) == date(2030, 4, 1)
    assert parse_day("2.4", today) == date(2030, 4, 2)
    assert parse_day("+3", today) == date(2030, 3, 14)
    assert parse_day("31/02/2030", today) is None
    assert parse_day("soon", today) is None


def test_bookings_from_another_workstation_appear_within_a_minute(page, clinic, patient):
    other_desk = clinic.appointments.book(
        BookingRequest(
            patient.id,
            clinic.clinic.service_by_code("CONS").id,
            clinic.clinic.practitioners()[2].id,
            page.book.now().replace(hour=16, minute=0, second=0, microsecond=0),
        )
    )
    assert page.day_view.layout_data.block_for(other_desk.id) is None
    page._minute_passed()
    assert page.day_view.layout_data.block_for(other_desk.id) is not None


def test_month_marks_busy_days_after_the_day_is_shown(page, clinic, patient, qtbot):
    clinic.appointments.book(
        BookingRequest(
            patient.id,
            clinic.clinic.service_by_code("CONS").id,
            clinic.clinic.practitioners()[0].id,
            page.book.now().replace(day=20, hour=9, minute=0, second=0, microsecond=0),
        )
    )
    page.set_date(date(2030, 4, 2))
    page.set_date(date(2030, 3, 11))
    qtbot.waitUntil(lambda: page.month.busy.get(date(2030, 3, 20)) == 1)


def test_the_calendar_opens_with_one_reading_of_today(qtbot, clinic, patient, monday, monkeypatch):
    """At the start of the program the page reads today once: the day view and the waiting
    room both come from it; later showings of the page read the waiting room afresh."""
    from frontdesk.ui.calendar.page import CalendarPage

    rooms = clinic.clinic.rooms()
    arrived = clinic.appointments.book(
        BookingRequest(
            patient.id,
            clinic.clinic.service_by_code("ACU").id,
            clinic.clinic.practitioners()[0].id,
            monday.replace(hour=11, minute=0),
            room_id=rooms[0].id,
        )
    )
    clinic.appointments.check_in(arrived.id)
    reads: list[date] = []
    on_day = clinic.appointments.on_day
    monkeypatch.setattr(
        clinic.appointments, "on_day", lambda day, **kw: reads.append(day) or on_day(day, **kw)
    )
    page = CalendarPage(clinic)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    assert reads == [monday.date()]
    assert [b.record.id for b in page.day_view.layout_data.blocks] == [arrived.id]
    assert page.waiting_panel.model.rowCount() == 1
    assert "1 waiting" in page.waiting_panel.title.text()
    # shown again later (back from another page): the waiting room is read again
    page.hide()
    page.show()
    qtbot.waitExposed(page)
    assert reads == [monday.date(), monday.date()]


def test_day_and_week_views_from_the_keyboard(page, busy_morning, qtbot):
    """Ctrl+Shift+W shows the week of the date shown, Ctrl+Shift+D its day again, from
    wherever the focus is on the page; the Show list follows."""
    page.search_edit.setFocus()
    QTest.keyClick(
        page.search_edit,
        Qt.Key.Key_W,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert page.view_mode == "week"
    assert page.views.currentWidget() is page.week_view
    assert page.view_combo.currentData() == "week"
    assert page.current_day in page.week_view.layout_data.days
    QTest.keyClick(
        page.week_view,
        Qt.Key.Key_D,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert page.view_mode == "day"
    assert page.views.currentWidget() is page.day_view
    assert page.view_combo.currentData() == "day"
