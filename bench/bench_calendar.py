"""Switching the calendar to a full day or week, against showing the same view empty.

Measured through the real calendar page (offscreen, 1366x768): ``page.set_date(day)``,
then the view painted into a pixmap kept for the purpose (``viewport().render``), as the
screen's own buffer, which lasts as long as the window, would be. (``grab()`` would make
a new pixmap of the view's size every time: the first paint into fresh memory then also
pays for the system handing that memory over, which a window on screen does not.)

- Day: a full weekday of the demo clinic with 6 practitioners (one column each, about 60
  appointments).
- Week: one practitioner's full week (about 50 appointments).

Three ways of getting there are timed:

- **Stepping** to the next or previous day (week), the way a receptionist pages through
  the book. Once the calendar has rested on a date for a moment, it reads the dates on
  either side, the other view of the date shown and today, and draws each of them whole
  into a kept picture (``CalendarPage.read_ahead``, ``TimeGridView.prepare``); each timed
  step starts from a calendar that has forgotten every appointment and picture, shows
  the date, rests (read ahead, untimed), and then steps. The standing target (2x)
  applies here.
- **Switching view**, from the day view of a full date to its week or back, after the
  same rest. Target 2x.
- **Jumping** to a date that was not read ahead (Go to date, a click in the month):
  nothing kept from before, so the appointments are fetched (one services call) and
  every block is drawn afresh. Reported against the same 2x.

Floor: the same page, view and size switched the same way to a day (or week) with no
appointments: the same query (finding nothing), reading ahead (drawing the empty dates
ahead) and the same grid, hours and headers painted. The ratio is what the appointments
themselves cost. Steps and view switches are also set against the plainest floor:
painting the empty view afresh, with nothing drawn ahead and nothing else done (a step
or a switch that copies a picture drawn ahead can come in under it). The switches and
their floors are timed in alternating batches (the first run of each batch, which also
clears up after the other kind, is not counted), so a shared machine that speeds up or
slows down during the run moves both alike; each is given in wall time and, on a row
of its own, in the main thread's CPU time.
Further rows split the jump into the services call and the first paint, and show a
repaint (scrolling, the minute tick) once each block's picture is kept.

What a jump keeps, as the receptionist's screen does: the pictures of blocks already
drawn are dropped (each block's text is laid out and drawn afresh), but the pieces that
show no appointment's data stay, as they do on screen after the first day shown: block
backgrounds (card, status disc and badges, by status, service colour and size), the
table of letter widths and the safety flags of intakes already read. A last row shows
the first jump after the calendar opens, with none of those kept (the intakes' flags
are worked out afresh from their answers, as when the program has just started).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from bench.data import demo_database
from bench.harness import Row, time_calls

RATIO_TARGET = 2.0
#: runs in a row of one kind before the other kind's turn (the first is not counted)
BATCH = 5


def _median_p95(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[round(0.95 * (len(samples) - 1))]


#: a switch to time: what comes first, untimed (or None), and the switch itself
Switch = tuple[Callable[[], object] | None, Callable[[], object]]


def time_against_floor(
    case: Switch, floor: Switch, repeat: int
) -> tuple[tuple[float, float], float, float, float]:
    """Time ``case`` and ``floor`` in alternating batches of :data:`BATCH` runs, the first
    of each batch not counted; each run's untimed part runs just before it. Returns the
    case's wall-time (median, p95), the floor's wall median, and the CPU-time medians of
    the case and the floor (ms)."""
    wall: dict[object, list[float]] = {case: [], floor: []}
    cpu: dict[object, list[float]] = {case: [], floor: []}
    while len(wall[case]) < repeat:
        for switch in (floor, case):
            before, run = switch
            for index in range(BATCH):
                if before is not None:
                    before()
                started, used = time.perf_counter(), time.thread_time()
                run()
                if index:
                    cpu[switch].append((time.thread_time() - used) * 1000.0)
                    wall[switch].append((time.perf_counter() - started) * 1000.0)
    return (
        _median_p95(wall[case]),
        statistics.median(wall[floor]),
        statistics.median(cpu[case]),
        statistics.median(cpu[floor]),
    )


def rows_against_floor(
    case_name: str,
    case: Switch,
    floor_name: str,
    floor: Switch,
    repeat: int,
    afresh: float | None = None,
) -> list[Row]:
    """Two rows: ``case`` against ``floor`` (target 2x) in wall time, then in CPU time;
    and a third against ``afresh``, the empty view's paint alone, when given."""
    (med, p95), floor_ms, cpu, cpu_floor = time_against_floor(case, floor, repeat)
    rows = [
        Row("calendar", case_name, med, p95, floor_name, floor_ms, RATIO_TARGET),
        Row("calendar", "  the same in CPU time", cpu, cpu, "same, CPU time", cpu_floor),
    ]
    if afresh is not None:
        rows.append(
            Row(
                "calendar",
                "  the same against painting the empty view",
                med,
                p95,
                "empty view painted afresh",
                afresh,
                RATIO_TARGET,
            )
        )
    return rows


def _app() -> object:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")  # type: ignore[attr-defined]
    return app


def _busiest_weekday(services: object, around: date) -> date:
    """The fullest day of the fortnight before ``around`` (a full, finished day)."""
    counts = services.appointments.day_summary(  # type: ignore[attr-defined]
        around - timedelta(days=14), around - timedelta(days=1)
    )
    return max(counts, key=lambda d: (counts[d], d))


def measure(quick: bool) -> list[Row]:
    _app()
    import tempfile

    from frontdesk.services.hub import Services
    from frontdesk.services.safety_checks import forget_kept_flags

    size = (2_000, 20) if quick else (100_000, 1400)
    repeat = 5 if quick else 25
    path = demo_database(size[0], size[1], practitioners=6)
    with tempfile.TemporaryDirectory() as home:
        os.environ["FRONTDESK_HOME"] = home  # the page's settings stay out of the user's
        services = Services.open(f"sqlite:///{path}")
        from PySide6.QtGui import QPixmap

        from frontdesk.ui.calendar.page import CalendarPage

        page = CalendarPage(services)
        page.resize(1366, 768)
        page.show()
        screen = QPixmap(page.day_view.viewport().size())

        def paint(view: Any) -> None:
            """Paint the view into the kept pixmap (both views have the same size)."""
            view.viewport().render(screen)

        today = page.book.today()
        full_day = _busiest_weekday(services, today)
        # the demo books a few weeks ahead at most: far beyond, the book is empty
        empty_day = full_day + timedelta(weeks=size[1] + 52)
        # the second full day in the same month, so both switches stay within one month
        other_full = next(
            (
                d
                for d in (
                    full_day - timedelta(days=7),
                    full_day + timedelta(days=7),
                    full_day - timedelta(days=1),
                    full_day + timedelta(days=1),
                )
                if d.month == full_day.month and d < today and d.weekday() < 5
            ),
            full_day - timedelta(days=7),
        )
        other_empty = empty_day + timedelta(days=7)

        def forget() -> None:
            """No appointment or block picture kept (as after the calendar has just
            opened on another date)."""
            page.book.invalidate()
            page.book._before.clear()
            page.day_view.forget_pictures()
            page.week_view.forget_pictures()

        def show(day: date) -> None:
            page.set_date(day)
            paint(page.current_view)

        def switch(days: tuple[date, date], *, as_opened: bool = False) -> Switch:
            """A jump to a date not read ahead, alternately to each of ``days``."""
            state = {"i": 0}

            def run() -> None:
                state["i"] ^= 1
                # no day kept: the day is fetched and every block drawn afresh
                forget()
                if as_opened:  # nor anything else: fonts, letter widths, backgrounds, flags
                    page.current_view._update_metrics()
                    forget_kept_flags()
                show(days[state["i"]])

            return None, run

        def step(first: date, days: int) -> Switch:
            """A step from ``first`` to the date ``days`` on, and back from there, after
            the calendar rested on the date it steps from (and read ahead)."""
            state = {"i": 0}
            ends = (first, first + timedelta(days=days))

            def rest() -> None:
                state["i"] ^= 1
                forget()
                show(ends[state["i"]])
                page.read_ahead()

            return rest, lambda: show(ends[1 - state["i"]])

        def toggle(day: date) -> Switch:
            """A switch from the day view of ``day`` to its week, or back, after the
            calendar rested on the view it switches from (and read ahead)."""
            state = {"mode": "week"}

            def rest() -> None:
                state["mode"] = "day" if state["mode"] == "week" else "week"
                forget()
                page.set_view_mode(state["mode"])
                show(day)
                page.read_ahead()

            def run() -> None:
                page.set_view_mode("week" if state["mode"] == "day" else "day")
                paint(page.current_view)

            return rest, run

        def first_paint(day: date) -> Callable[[], object]:
            """Painting the view shown with ``day``, nothing kept (drawn afresh)."""
            page.set_date(day)
            view = page.current_view

            def run() -> None:
                view.forget_pictures()
                paint(view)

            return run

        def painted_afresh(day: date) -> float:
            """The median of :func:`first_paint`."""
            return time_calls(first_paint(day), repeat)[0]

        rows: list[Row] = []
        page.set_view_mode("day")
        page.set_date(full_day)
        count = sum(1 for b in page.day_view.layout_data.blocks)
        columns = len(page.day_view.layout_data.columns)
        page.set_date(other_full)
        count_other = len(page.day_view.layout_data.blocks)
        # the full day it steps to and back from: the next working day, or the one before
        next_full = 1 if full_day.weekday() < 4 else -1
        page.set_date(full_day + timedelta(days=next_full))
        count_next = len(page.day_view.layout_data.blocks)
        rows += rows_against_floor(
            f"day: step to next/previous ({columns} cols, {min(count, count_next)}+ appts)",
            step(full_day, next_full),
            "same, days without appointments",
            step(empty_day, 1),
            repeat,
            painted_afresh(empty_day),
        )
        rows += rows_against_floor(
            f"day: jump, not read ahead ({columns} cols, {min(count, count_other)}+ appts)",
            switch((full_day, other_full)),
            "same, day without appointments",
            switch((empty_day, other_empty)),
            repeat,
        )

        # where the time goes: the services call, then the first paint of the day
        def fetch(day: date) -> Callable[[], object]:
            def run() -> None:
                page.book._days.clear()
                page.book.records_on(day)

            return run

        med, p95 = time_calls(fetch(full_day), repeat)
        floor, _ = time_calls(fetch(empty_day), repeat)
        rows.append(
            Row(
                "calendar",
                "  of which: AppointmentService.on_day",
                med,
                p95,
                "same, day without appointments",
                floor,
            )
        )
        view = page.day_view

        med, p95 = time_calls(first_paint(full_day), repeat)
        floor, _ = time_calls(first_paint(empty_day), repeat)
        rows.append(
            Row(
                "calendar", "  of which: first paint of the day", med, p95, "same, empty day", floor
            )
        )

        page.set_date(full_day)
        view.forget_pictures()
        paint(view)
        view.block_painter.cache_pending()
        repaint_full, repaint_p95 = time_calls(lambda: paint(view), repeat)
        page.set_date(empty_day)
        view.forget_pictures()
        paint(view)
        view.block_painter.cache_pending()
        repaint_empty, _ = time_calls(lambda: paint(view), repeat)
        rows.append(
            Row(
                "calendar",
                "day: repaint (scroll, minute tick), blocks kept",
                repaint_full,
                repaint_p95,
                "same, empty day",
                repaint_empty,
            )
        )

        page.set_view_mode("week")
        practitioner = page.book.practitioners[0].id
        page.set_week_practitioner(practitioner)
        page.set_date(full_day)
        week_count = len(page.week_view.layout_data.blocks)
        rows += rows_against_floor(
            f"week: step to next/previous (1 practitioner, {week_count}+ appts)",
            step(full_day, -7),
            "same, weeks without appointments",
            step(empty_day, 7),
            repeat,
            painted_afresh(empty_day),
        )
        rows += rows_against_floor(
            f"week: jump, not read ahead (1 practitioner, {week_count} appts)",
            switch((full_day, other_full)),
            "same, week without appointments",
            switch((empty_day, other_empty)),
            repeat,
        )
        rows += rows_against_floor(
            f"day <-> week of the same date ({columns} cols / {week_count}+ appts)",
            toggle(full_day),
            "same, a date without appointments",
            toggle(empty_day),
            repeat,
            painted_afresh(empty_day),
        )
        page.set_view_mode("day")
        floor, _ = time_calls(switch((empty_day, other_empty), as_opened=True)[1], repeat)
        med, p95 = time_calls(switch((full_day, other_full), as_opened=True)[1], repeat)
        rows.append(
            Row(
                "calendar",
                "day: the first jump after opening (nothing kept)",
                med,
                p95,
                "same, day without appointments",
                floor,
            )
        )
        page.close()
        services.db.dispose()
    return rows
