"""How blocks look: the first paint of a day and every later paint (scrolling, the minute
tick, coming back to the day) show the same pixels; a faded block, a block with safety
badges and a selected block each look as they should."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from frontdesk.services.appointments import BookingRequest

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def full_morning(clinic, page):
    """Mei's morning: a booked patient with a pregnancy flag, one cancelled, one no-show;
    Tomasz: one arrived."""
    acu = clinic.clinic.service_by_code("ACU").id
    mei, tomasz = clinic.clinic.practitioners()[:2]
    room, other_room = (r.id for r in clinic.clinic.rooms()[:2])
    at = page.book.now().replace(minute=0, second=0, microsecond=0)
    from frontdesk.services.patients import PatientInput

    people = [
        clinic.patients.create(PatientInput(legal_name=name)).id
        for name in ("Margaret Hughes", "Đỗ Văn Anh", "Jenny (Yang Lihua) 杨丽华", "Tom Brown")
    ]

    def book(person: int, practitioner: int, hour: int, where: int = room):
        return clinic.appointments.book(
            BookingRequest(person, acu, practitioner, at.replace(hour=hour), room_id=where)
        )

    flagged = book(people[0], mei.id, 9)
    clinic.intakes.save(people[0], {"schema": 1, "safety": {"pregnant": True}})
    gone = book(people[1], mei.id, 11)
    clinic.appointments.cancel(gone.id, "Unwell")
    missed = book(people[2], mei.id, 13)
    clinic.appointments.no_show(missed.id)
    here = book(people[3], tomasz.id, 10, other_room)
    clinic.appointments.check_in(here.id)
    page.book.invalidate()
    page.refresh()
    page.day_view.scroll_to_minute(8 * 60 + 30)
    return flagged, gone, missed, here


def _differing(a: QImage, b: QImage) -> int:
    """How many pixels differ by more than rounding."""
    count = 0
    for y in range(0, a.height(), 2):
        for x in range(0, a.width(), 2):
            pa, pb = QColor(a.pixel(x, y)), QColor(b.pixel(x, y))
            if max(abs(pa.red() - pb.red()), abs(pa.green() - pb.green())) > 3:
                count += 1
    return count


def test_later_paints_show_the_same_blocks_as_the_first(page, full_morning):
    view = page.day_view
    view.block_painter.clear()
    first = view.viewport().grab().toImage()
    assert view.block_painter.has_pending
    assert view.block_painter.cache_pending() == 4
    kept = view.viewport().grab().toImage()
    assert _differing(first, kept) == 0
    # another day and back: the same pictures, not drawn again
    page.set_date(page.current_day + timedelta(days=1))
    page.set_date(page.current_day - timedelta(days=1))
    drawn = view.block_painter.rendered
    again = view.viewport().grab().toImage()
    assert view.block_painter.cache_pending() == 0 and view.block_painter.rendered == drawn
    assert _differing(first, again) == 0


def test_block_pictures_are_kept_once_the_view_rests_on_a_day(qtbot, page, full_morning):
    """Flipping through days draws each day once and keeps nothing; a day the
    receptionist stays on has its block pictures kept a moment later."""
    view = page.day_view
    view.block_painter.clear()
    view.viewport().grab()
    QApplication.processEvents()  # the event loop's next turn, as after a key press
    assert view.block_painter.has_pending  # not kept straight after the first paint
    qtbot.waitUntil(lambda: not view.block_painter.has_pending, timeout=3000)
    assert view.block_painter.rendered >= 4


def test_badges_fading_and_selection_are_painted(page, full_morning):
    flagged, gone, _missed, here = full_morning
    view = page.day_view
    blocks = {b.record.id: b for b in view.layout_data.blocks}
    assert blocks[flagged.id].record.flags == ("PREG",)
    image = view.viewport().grab().toImage()

    def colour_in(block_id: int, dx: float, dy: float) -> QColor:
        rect = view.block_rect(blocks[block_id])
        return QColor(image.pixel(round(rect.left() + dx), round(rect.top() + dy)))

    # the pregnancy badge: a red chip at the right of the name line
    rect = view.block_rect(blocks[flagged.id])
    reds = [
        QColor(image.pixel(x, round(rect.top() + 10)))
        for x in range(round(rect.center().x()), round(rect.right()) - 4)
    ]
    assert any(c.red() > 150 and c.green() < 80 for c in reds)
    # the cancelled block is faded: its fill is lighter than a live block's outline colour
    faded = colour_in(gone.id, 30, 28)
    assert faded.lightness() > 200
    # the arrived block keeps its amber fill
    assert colour_in(here.id, rect.width() / 2, 30).name() in ("#fff1d0", "#fff0cf", "#fff1cf")
    # selecting a block draws the blue selection outline round it
    view.select(here.id, ensure_visible=False)
    selected = view.viewport().grab().toImage()
    here_rect = view.block_rect(blocks[here.id])
    x, top = round(here_rect.center().x()), round(here_rect.top())
    edge = [QColor(selected.pixel(x, top + dy)) for dy in range(4)]
    assert any(c.blue() > 180 and c.red() < 120 for c in edge), [c.name() for c in edge]


def test_the_minute_reading_redraws_only_blocks_that_changed(page, clinic, full_morning):
    flagged, _gone, _missed, here = full_morning
    view = page.day_view
    view.viewport().grab()
    view.block_painter.cache_pending()
    before = view.viewport().grab().toImage()
    drawn = view.block_painter.rendered
    # the calendar reads the day again every minute: nothing changed, nothing drawn again
    page.book.invalidate()
    page.refresh()
    again = view.viewport().grab().toImage()
    assert view.block_painter.cache_pending() == 0 and view.block_painter.rendered == drawn
    assert _differing(before, again) == 0
    # another desk checks a patient in: that block, and only that one, is drawn afresh
    clinic.appointments.check_in(flagged.id)
    page.book.invalidate()
    page.refresh()
    view.viewport().grab()
    assert view.block_painter.cache_pending() == 1
    block = view.layout_data.block_for(flagged.id)
    assert block.record.status.value == "arrived"
    rect = view.block_rect(block)
    image = view.viewport().grab().toImage()
    fill = QColor(image.pixel(round(rect.center().x()), round(rect.bottom()) - 4))
    assert fill.name() in ("#fff1d0", "#fff0cf", "#fff1cf")  # the arrived amber, not white
    assert view.layout_data.block_for(here.id).record is not None


@pytest.mark.parametrize(
    "name",
    [
        "Małgorzata Wiśniewska",
        "Trần Thị Bích Ngọc",
        "Jenny (Yang Lihua) 杨丽华",
        "Zoe\u0308 Mu\u0308ller",
    ],
)
def test_names_in_every_script_are_drawn_where_they_were_measured(page, clinic, name):
    """Polish, Vietnamese and Chinese letters are drawn unshaped, letters with combining
    marks shaped by Qt; either way the ink of the name ends where its width was worked out,
    clear of the status disc."""
    from frontdesk.services.patients import PatientInput

    person = clinic.patients.create(PatientInput(legal_name=name)).id
    mei = clinic.clinic.practitioners()[0]
    at = page.book.now().replace(hour=14, minute=0, second=0, microsecond=0)
    clinic.appointments.book(
        BookingRequest(person, clinic.clinic.service_by_code("ACU").id, mei.id, at, room_id=1)
    )
    page.book.invalidate()
    page.refresh()
    view = page.day_view
    view.scroll_to_minute(13 * 60 + 30)
    block = view.layout_data.blocks[0]
    rect = view.block_rect(block)
    image = view.viewport().grab().toImage()
    fitter = view.block_painter.fonts.name_fit
    shown, font = fitter.fit(name, rect.width() - 20)
    assert shown == name  # a wide column: the whole name
    assert (font is fitter.shaped_font) == ("\u0308" in name)
    left = round(rect.left()) + 10  # past the card's edge, the service bar and the padding
    top = round(rect.top()) + 3
    ink = [
        x
        for x in range(left, round(rect.right()) - 2)
        for y in range(top, top + view.block_painter.fonts.name_metrics.height())
        if QColor(image.pixel(x, y)).lightness() < 100
    ]
    assert ink, "the name is drawn"
    assert min(ink) - left <= 2
    assert abs(max(ink) + 1 - (left + fitter.width(name))) <= 2


def _book_tomorrow_at_ten(clinic, page, name: str = "Grace O'Neill"):
    from frontdesk.services.patients import PatientInput

    mei = clinic.clinic.practitioners()[0]
    acu = clinic.clinic.service_by_code("ACU").id
    tomorrow = page.book.now().replace(hour=10, minute=0, second=0, microsecond=0)
    tomorrow += timedelta(days=1)
    person = clinic.patients.create(PatientInput(legal_name=name)).id
    room = clinic.clinic.rooms()[0].id
    return clinic.appointments.book(BookingRequest(person, acu, mei.id, tomorrow, room_id=room))


def test_the_next_day_is_read_and_drawn_while_the_calendar_rests(qtbot, clinic, page, full_morning):
    """Once the desk rests on a day, the day after it is read and drawn whole, so stepping
    forward shows it at once: no database read, no text drawn, the same pixels as drawing
    it afresh."""
    tomorrow = _book_tomorrow_at_ten(clinic, page).starts_at.astimezone(page.book.tz)
    page.book.invalidate()
    page.refresh()
    view = page.day_view
    view.forget_pictures()
    view.viewport().grab()
    fetches = page.book.fetch_count
    # the calendar reads ahead by itself a moment after the last change of date
    qtbot.waitUntil(lambda: page.book.known_day(tomorrow.date()) is not None, timeout=3000)
    assert page.book.fetch_count > fetches
    drawn, fetches = view.block_painter.rendered, page.book.fetch_count
    shown = view.frames_shown
    page.next_action.trigger()
    stepped = view.viewport().grab().toImage()
    assert [b.record.patient_name for b in view.layout_data.blocks] == ["Grace O'Neill"]
    assert page.book.fetch_count == fetches
    assert view.frames_shown == shown + 1  # the picture drawn ahead, copied whole
    assert not view.block_painter.has_pending and view.block_painter.rendered == drawn
    # what was drawn ahead is what drawing the day afresh shows
    view.forget_pictures()
    fresh = view.viewport().grab().toImage()
    assert view.block_painter.has_pending
    assert view.frames_shown == shown + 1
    assert _differing(stepped, fresh) == 0


def test_a_day_drawn_ahead_follows_what_changes_after_it_was_drawn(qtbot, clinic, page):
    """The picture drawn ahead is shown only while it is exactly what the view shows:
    a selection, a search or a scroll after stepping draws the day afresh, and a day drawn
    ahead yesterday is not shown once it has become today (it lacks the time line)."""
    booked = _book_tomorrow_at_ten(clinic, page)
    page.book.invalidate()
    page.refresh()
    page.read_ahead()
    view = page.day_view
    shown = view.frames_shown
    page.next_action.trigger()
    plain = view.viewport().grab().toImage()
    assert view.frames_shown == shown + 1
    view.select(booked.id)
    selected = view.viewport().grab().toImage()
    assert view.frames_shown == shown + 1
    assert _differing(plain, selected) > 0  # the selection's outline shows
    view.select(0)
    assert _differing(plain, view.viewport().grab().toImage()) == 0
    page.search_edit.setText("nobody")
    faded = view.viewport().grab().toImage()
    assert _differing(plain, faded) > 0  # the block fades: not the one searched for
    page.search_edit.clear()

    # back a day, rest, then the next morning comes before stepping forward again
    page.previous_action.trigger()
    page.read_ahead()
    shown = view.frames_shown
    next_day = booked.starts_at - timedelta(minutes=90)
    view.now_provider = lambda: next_day
    page.next_action.trigger()
    view.viewport().grab()
    assert view.frames_shown == shown  # drawn afresh, with the time line
    view.scroll_to_minute(8 * 60)
    image = view.viewport().grab().toImage()
    y = round(view.y_of(8 * 60 + 30))
    x = round(view.x_of(0) + view.column_width / 2)
    colours = [image.pixelColor(x, y + dy) for dy in (-1, 0, 1)]
    assert any(c.red() > 150 and c.green() < 120 for c in colours)  # the red time line


def test_today_drawn_ahead_shows_the_time_line_and_waiting_patient(page, full_morning):
    """Stepping back to today after resting on yesterday copies today's picture drawn
    ahead, with the current-time line drawn over it: the same pixels as drawing today
    afresh (a patient waiting, the line, today's label in the gutter)."""
    view = page.day_view
    page.previous_action.trigger()
    page.read_ahead()
    shown = view.frames_shown
    page.next_action.trigger()
    view.scroll_to_minute(8 * 60 + 30)  # (where it was: today had been shown so)
    stepped = view.viewport().grab().toImage()
    assert view.frames_shown == shown + 1
    assert any(b.record.status.value == "arrived" for b in view.layout_data.blocks)
    view.forget_pictures()
    fresh = view.viewport().grab().toImage()
    assert view.frames_shown == shown + 1
    assert _differing(stepped, fresh) == 0
    now = view.now_provider().astimezone(view.layout_data.tz)
    y = round(view.y_of(now.hour * 60 + now.minute))
    x = round(view.x_of(0) + view.column_width / 2)
    colours = [stepped.pixelColor(x, y + dy) for dy in (-1, 0, 1)]
    assert any(c.red() > 150 and c.green() < 120 for c in colours)  # the red time line


def test_the_week_and_today_are_drawn_ahead_too(page, full_morning):
    """Resting on a date also draws ahead that date in the other view (day or week), once
    that view has been shown, and today as the Today button shows it: switching to
    either copies a picture, and shows what drawing it afresh shows."""
    day_view, week_view = page.day_view, page.week_view
    page.set_view_mode("week")  # (a view never shown has no size yet to draw at)
    page.set_view_mode("day")
    page.read_ahead()
    shown = week_view.frames_shown
    page.set_view_mode("week")
    as_drawn_ahead = week_view.viewport().grab().toImage()
    assert week_view.frames_shown == shown + 1
    assert "Margaret Hughes" in [b.record.patient_name for b in week_view.layout_data.blocks]
    week_view.forget_pictures()
    assert _differing(as_drawn_ahead, week_view.viewport().grab().toImage()) == 0

    page.set_view_mode("day")
    page.set_date(page.current_day + timedelta(days=9))
    page.read_ahead()
    shown = day_view.frames_shown
    page.today_action.trigger()
    as_drawn_ahead = day_view.viewport().grab().toImage()
    assert day_view.frames_shown == shown + 1
    day_view.forget_pictures()
    assert _differing(as_drawn_ahead, day_view.viewport().grab().toImage()) == 0


def test_a_large_screen_keeps_fewer_pictures_the_next_date_last(page, full_morning, monkeypatch):
    """Pictures drawn ahead are kept within a memory budget: with room for one, the next
    date's is the one kept (stepping forward is the likeliest move)."""
    from frontdesk.ui.calendar import time_grid

    view = page.day_view
    one = view.viewport().width() * view.viewport().height() * 4
    monkeypatch.setattr(time_grid, "FRAMES_BUDGET", one + one // 2)
    view.forget_pictures()
    page.read_ahead()
    shown = view.frames_shown
    page.next_action.trigger()
    view.viewport().grab()
    assert view.frames_shown == shown + 1
    page.previous_action.trigger()
    page.previous_action.trigger()
    view.viewport().grab()
    assert view.frames_shown == shown + 1  # the day before was not kept: drawn afresh
