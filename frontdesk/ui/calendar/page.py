"""The calendar page: the appointment book the front desk lives in all day.

Top: Today, previous and next, the date, go to date, day or week, practitioner or room
columns, the grid and a search box. Left: the month with busy days marked and the
patients waiting. Centre: the painted day or week view.

Data flow: the page asks :class:`AppointmentBook` for a layout when the date or the view
changes (one services call for a day or a week, then kept), hands it to the view, and
after any change tells the book to forget and asks again.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QPoint, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.enums import AppointmentStatus
from frontdesk.domain.errors import FrontdeskError
from frontdesk.domain.permissions import Permission
from frontdesk.services.records import AppointmentRecord
from frontdesk.ui.calendar.appointment_actions import AppointmentActions, allowed_statuses
from frontdesk.ui.calendar.day_view import DayView
from frontdesk.ui.calendar.month_navigator import MonthNavigator
from frontdesk.ui.calendar.time_grid import TimeGridView
from frontdesk.ui.calendar.waiting_panel import WaitingPanel
from frontdesk.ui.calendar.week_view import WeekView
from frontdesk.ui.dialogs.booking_dialog import BookingPrefill
from frontdesk.ui.models.appointments import (
    AppointmentBook,
    CalendarLayout,
    ColumnMode,
    status_counts,
    week_start,
)

if TYPE_CHECKING:
    from frontdesk.services.hub import Services

GRID_CHOICES = (5, 10, 15)
#: how long the calendar rests on a date before the dates next to it are read and drawn
READ_AHEAD_MS = 300
GRID_SETTING = "calendar/grid_minutes"
VIEW_SETTING = "calendar/view"
COLUMNS_SETTING = "calendar/columns"

#: menu wording of each status change
STATUS_MENU = {
    AppointmentStatus.ARRIVED: "&Arrived (check in)",
    AppointmentStatus.IN_TREATMENT: "&In treatment",
    AppointmentStatus.COMPLETED: "C&ompleted",
    AppointmentStatus.NO_SHOW: "&No-show",
    AppointmentStatus.CANCELLED: "&Cancel appointment…",
    AppointmentStatus.BOOKED: "&Back to booked",
}


def _settings() -> Any:
    from frontdesk.ui.settings import workstation_settings

    return workstation_settings()


class CalendarPage(QWidget):
    """Day and week views with navigation, booking, moving, statuses and walk-ins."""

    #: the date shown changed (for the window title or tests)
    date_changed = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.book = AppointmentBook(services, self)
        self.undo_stack = QUndoStack(self)
        self.actions_handler = AppointmentActions(
            services, self.book, self, undo_stack=self.undo_stack
        )
        self.current_day: date = self.book.today()
        self.view_mode = "day"
        self.column_mode = ColumnMode.PRACTITIONERS
        self.week_practitioner_id = self.book.practitioners[0].id if self.book.practitioners else 0
        self._month_shown: tuple[int, int] | None = None
        self._shown_once = False
        # once the desk rests on a date, the previous and next one (and today) are read
        # and their blocks drawn, so stepping through the book shows each date at once
        self.read_ahead_timer = QTimer(self)
        self.read_ahead_timer.setSingleShot(True)
        self.read_ahead_timer.setInterval(READ_AHEAD_MS)
        self.read_ahead_timer.timeout.connect(self.read_ahead)
        self._build()
        self._build_actions()
        self._wire()
        self._restore_settings()
        self.refresh()
        self.minute_timer = QTimer(self)
        self.minute_timer.setSingleShot(True)
        self.minute_timer.timeout.connect(self._minute_passed)
        self._schedule_minute()

    # -- building ----------------------------------------------------------------------

    def _build(self) -> None:
        self.today_button = QPushButton("Today")
        self.today_button.setToolTip("Show today (Ctrl+T)")
        self.previous_button = QPushButton("◀")
        self.previous_button.setAccessibleName("Previous day")
        self.previous_button.setToolTip("Previous day or week (Alt+Left)")
        self.next_button = QPushButton("▶")
        self.next_button.setAccessibleName("Next day")
        self.next_button.setToolTip("Next day or week (Alt+Right)")
        for button in (self.previous_button, self.next_button):
            button.setFixedWidth(button.fontMetrics().horizontalAdvance("◀") + 28)
        self.date_label = QLabel()
        self.date_label.setAccessibleName("Date shown")
        font = self.date_label.font()
        font.setBold(True)
        font.setPointSizeF(max(font.pointSizeF(), 1.0) * 1.2)
        self.date_label.setFont(font)
        self.goto_button = QPushButton("Go to date…")
        self.goto_button.setToolTip("Type a date to show (Ctrl+G)")
        self.view_combo = QComboBox()
        self.view_combo.addItem("Day", "day")
        self.view_combo.addItem("Week", "week")
        self.view_combo.setAccessibleName("View")
        self.view_combo.setToolTip(
            "A day with every practitioner (Ctrl+Shift+D), or one practitioner's week "
            "(Ctrl+Shift+W)"
        )
        self.columns_combo = QComboBox()
        self.columns_combo.addItem("Practitioners", ColumnMode.PRACTITIONERS.value)
        self.columns_combo.addItem("Rooms", ColumnMode.ROOMS.value)
        self.columns_combo.setAccessibleName("Columns")
        self.columns_combo.setToolTip("One column per practitioner, or one per room")
        self.practitioner_combo = QComboBox()
        self.practitioner_combo.setAccessibleName("Practitioner")
        self.practitioner_combo.setToolTip("Whose week to show")
        for practitioner in self.book.practitioners:
            self.practitioner_combo.addItem(practitioner.name, practitioner.id)
        self.grid_combo = QComboBox()
        for minutes in GRID_CHOICES:
            self.grid_combo.addItem(f"{minutes} min", minutes)
        self.grid_combo.setAccessibleName("Grid")
        self.grid_combo.setToolTip("Times snap to this grid when booking and moving")
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Find a patient (Ctrl+F)")
        self.search_edit.setAccessibleName("Find a patient in the calendar")
        self.search_edit.setToolTip(
            "Highlights the patient's appointments here; Enter jumps to their next appointment"
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(200)

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.today_button)
        top.addWidget(self.previous_button)
        top.addWidget(self.next_button)
        top.addWidget(self.date_label, 1)
        top.addWidget(self.goto_button)
        for caption, widget in (
            ("&Show:", self.view_combo),
            ("C&olumns:", self.columns_combo),
            ("&Whose:", self.practitioner_combo),
            ("G&rid:", self.grid_combo),
        ):
            label = QLabel(caption)
            label.setBuddy(widget)
            top.addWidget(label)
            top.addWidget(widget)
            widget.setProperty("caption", label)
        top.addWidget(self.search_edit)

        self.month = MonthNavigator()
        self.waiting_panel = WaitingPanel(self.services, self.book.tz)
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.month)
        side.addWidget(self.waiting_panel)
        side.setStretchFactor(1, 1)
        side.setChildrenCollapsible(False)

        self.day_view = DayView()
        self.week_view = WeekView()
        for view in (self.day_view, self.week_view):
            view.now_provider = self.book.now
        self.views = QStackedWidget()
        self.views.addWidget(self.day_view)
        self.views.addWidget(self.week_view)
        self.summary_label = QLabel()
        self.summary_label.setAccessibleName("Day summary")
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(4)
        centre_layout.addWidget(self.views, 1)
        centre_layout.addWidget(self.summary_label)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(side)
        self.splitter.addWidget(centre)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([250, 1100])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        order = [
            self.today_button,
            self.previous_button,
            self.next_button,
            self.goto_button,
            self.view_combo,
            self.columns_combo,
            self.practitioner_combo,
            self.grid_combo,
            self.search_edit,
            self.month,
            self.waiting_panel.table,
            self.day_view,
            self.week_view,
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    def _action(
        self, text: str, shortcut: str | QKeySequence.StandardKey | None, slot: Any, tip: str
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            tip = f"{tip} ({QKeySequence(shortcut).toString()})"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        # active whenever the calendar page is shown, wherever the focus is in the window
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.today_action = self._action("Today", "Ctrl+T", self.go_today, "Show today")
        self.previous_action = self._action(
            "Previous", "Alt+Left", lambda: self.step(-1), "Previous day or week"
        )
        self.next_action = self._action(
            "Next", "Alt+Right", lambda: self.step(1), "Next day or week"
        )
        self.goto_action = self._action("Go to date…", "Ctrl+G", self.ask_date, "Show a date")
        self.day_view_action = self._action(
            "Day view",
            "Ctrl+Shift+D",
            lambda: self.set_view_mode("day"),
            "Show the day, one column per practitioner or room",
        )
        self.week_view_action = self._action(
            "Week view",
            "Ctrl+Shift+W",
            lambda: self.set_view_mode("week"),
            "Show one practitioner's week",
        )
        self.search_action = self._action(
            "Find a patient",
            QKeySequence.StandardKey.Find,
            self.focus_search,
            "Find a patient in the calendar",
        )
        self.waitlist_action = self._action(
            "Add to the waiting list…",
            "Ctrl+Shift+L",
            lambda: self.actions_handler.add_to_waitlist(self.selected_record()),
            "Put a patient on the waiting list for an earlier or any free time",
        )
        self.book_action = self._action(
            "Book appointment…",
            "Ctrl+B",
            self.book_from_keyboard,
            "Book an appointment at the selected time",
        )
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        # window-wide actions, added to the window by install_in_window
        self.walk_in_action = QAction("Walk-in", self)
        self.walk_in_action.triggered.connect(lambda _c=False: self.walk_in())
        self.course_action = QAction("Book a course…", self)
        self.course_action.triggered.connect(lambda _c=False: self.book_course())
        self.print_action = QAction("Print day sheet…", self)
        self.print_action.triggered.connect(lambda _c=False: self.print_day_sheet())
        self.ics_action = QAction("Appointment card (.ics)…", self)
        self.ics_action.triggered.connect(lambda _c=False: self.save_appointment_card())

    def _wire(self) -> None:
        self.today_button.clicked.connect(self.go_today)
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.goto_button.clicked.connect(self.ask_date)
        self.view_combo.currentIndexChanged.connect(
            lambda: self.set_view_mode(self.view_combo.currentData())
        )
        self.columns_combo.currentIndexChanged.connect(
            lambda: self.set_column_mode(ColumnMode(self.columns_combo.currentData()))
        )
        self.practitioner_combo.currentIndexChanged.connect(
            lambda: self.set_week_practitioner(self.practitioner_combo.currentData())
        )
        self.grid_combo.currentIndexChanged.connect(
            lambda: self.set_grid_minutes(self.grid_combo.currentData())
        )
        self.search_edit.textChanged.connect(self._search_changed)
        self.search_edit.returnPressed.connect(self.jump_to_search)
        self.month.clicked.connect(self._month_clicked)
        self.month.activated.connect(self._month_clicked)
        self.month.currentPageChanged.connect(lambda year, month: self._load_month(year, month))
        self.waiting_panel.appointment_activated.connect(self.show_appointment)
        self.actions_handler.changed.connect(self._after_change)
        for view in (self.day_view, self.week_view):
            view.selection_changed.connect(self._selection_changed)
            view.book_requested.connect(self._book_requested)
            view.move_requested.connect(self._move_requested)
            view.activate_requested.connect(self._activate_requested)
            view.context_requested.connect(self._context_requested)
            view.cancel_requested.connect(self._cancel_requested)

    def _restore_settings(self) -> None:
        settings = _settings()
        default_grid = int(self.book.settings.get("grid_minutes", 15))
        try:
            grid = int(settings.value(GRID_SETTING, default_grid))
        except (TypeError, ValueError):
            grid = default_grid
        if grid not in GRID_CHOICES:
            grid = 15
        self.grid_combo.setCurrentIndex(GRID_CHOICES.index(grid))
        self.set_grid_minutes(grid, save=False)
        columns = settings.value(COLUMNS_SETTING, ColumnMode.PRACTITIONERS.value)
        if columns in (m.value for m in ColumnMode):
            self.column_mode = ColumnMode(columns)
            self.columns_combo.setCurrentIndex(self.columns_combo.findData(columns))
        view = settings.value(VIEW_SETTING, "day")
        if view in ("day", "week"):
            self.view_mode = view
            self.view_combo.setCurrentIndex(self.view_combo.findData(view))
        self._update_controls()

    def install_in_window(self, window: Any) -> None:
        """Put the walk-in, course and printing actions in the window's toolbar and menus,
        and Undo/Redo in an Edit menu."""
        self.walk_in_action = window.add_toolbar_action(
            "Walk-in",
            self._walk_in_from_window,
            "F2",
            "Book a walk-in at the earliest free time and check them in",
        )
        self.course_action = window.add_toolbar_action(
            "Book a course…",
            self._course_from_window,
            "Ctrl+Shift+K",
            "Book a series of sessions with a preview",
        )
        self.print_action = window.add_toolbar_action(
            "Print day sheet…",
            self.print_day_sheet,
            "Ctrl+Shift+P",
            "Print the day sheet of the date shown, or save it as a PDF",
        )
        self.ics_action = window.add_toolbar_action(
            "Appointment card…",
            self.save_appointment_card,
            "Ctrl+Shift+E",
            "Save the selected patient's upcoming appointments as a calendar file (.ics)",
        )
        bar = window.menuBar()
        edit = QMenu("&Edit", window)
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        view_menu = getattr(window, "view_menu", None)
        if view_menu is not None:
            bar.insertMenu(view_menu.menuAction(), edit)
        else:
            bar.addMenu(edit)
        self.edit_menu = edit
        self.window_ref = window

    def _show_in_window(self) -> None:
        window = getattr(self, "window_ref", None)
        if window is not None and hasattr(window, "show_page"):
            window.show_page("calendar")

    def _walk_in_from_window(self) -> None:
        self._show_in_window()
        self.walk_in()

    def _course_from_window(self) -> None:
        self._show_in_window()
        self.book_course()

    # -- what is shown -----------------------------------------------------------------

    @property
    def current_view(self) -> TimeGridView:
        return self.week_view if self.view_mode == "week" else self.day_view

    def set_date(self, day: date) -> None:
        """Show ``day`` (fetches it when not yet known) and repaint."""
        self.current_day = day
        self.refresh()
        self.date_changed.emit(day)

    def go_today(self) -> None:
        self.set_date(self.book.today())
        self.current_view.scroll_to_start()

    def step(self, direction: int) -> None:
        days = 7 if self.view_mode == "week" else 1
        self.set_date(self.current_day + timedelta(days=days * direction))

    def set_view_mode(self, mode: str) -> None:
        if mode not in ("day", "week") or (
            mode == self.view_mode and self.views.currentWidget() is self.current_view
        ):
            return
        self.view_mode = mode
        index = self.view_combo.findData(mode)
        if self.view_combo.currentIndex() != index:
            with QSignalBlocker(self.view_combo):  # (its signal would switch a second time)
                self.view_combo.setCurrentIndex(index)
        _settings().setValue(VIEW_SETTING, mode)
        self.refresh()

    def set_column_mode(self, mode: ColumnMode) -> None:
        if mode == self.column_mode:
            return
        self.column_mode = mode
        _settings().setValue(COLUMNS_SETTING, mode.value)
        self.refresh()

    def set_week_practitioner(self, practitioner_id: int) -> None:
        if practitioner_id is None or practitioner_id == self.week_practitioner_id:
            return
        self.week_practitioner_id = int(practitioner_id)
        index = self.practitioner_combo.findData(practitioner_id)
        if self.practitioner_combo.currentIndex() != index:
            self.practitioner_combo.setCurrentIndex(index)
        self.refresh()

    def set_grid_minutes(self, minutes: int, *, save: bool = True) -> None:
        for view in (self.day_view, self.week_view):
            view.set_grid_minutes(minutes)
        if save:
            _settings().setValue(GRID_SETTING, minutes)

    def current_layout(self) -> CalendarLayout:
        return self.layout_for(self.current_day)

    def layout_for(self, day: date, mode: str | None = None) -> CalendarLayout:
        """The layout the current view (or the view ``mode``) shows for ``day`` (its week,
        in the week view)."""
        if (mode or self.view_mode) == "week":
            return self.book.week_layout(day, self.week_practitioner_id)
        return self.book.day_layout(day, self.column_mode)

    def read_ahead(self) -> int:
        """Read what a receptionist goes to next and draw it into the views' kept
        pictures: the previous and next day (or week), the other view (day or week) of
        the date shown, and today, as the Today button shows it. Returns how many blocks
        were drawn. Runs once the calendar has rested on a date for a moment."""
        view = self.current_view
        if not self.isVisible() or view.dragging:
            return 0
        week = self.view_mode == "week"
        step = timedelta(days=7 if week else 1)
        shown = self.current_day
        other_mode, other_view = ("day", self.day_view) if week else ("week", self.week_view)
        today = self.book.today()
        # the likeliest last: a view with room for fewer pictures keeps the last drawn
        ahead: list[tuple[TimeGridView, date, str, bool]] = [
            (other_view, shown, other_mode, False),
            (view, today, self.view_mode, True),
            (view, shown - step, self.view_mode, False),
            (view, shown + step, self.view_mode, False),
        ]
        drawn = 0
        for target, day, mode, from_start in ahead:
            if mode == "week" and not self.week_practitioner_id:
                continue
            try:
                drawn += target.prepare(self.layout_for(day, mode), from_start=from_start)
            except FrontdeskError:
                break  # only a head start: the date is read again when it is shown
        return drawn

    def refresh(self) -> None:
        """Lay out the date shown (fetching only what is not known yet) and repaint."""
        self._update_controls()
        layout = self.current_layout()
        view = self.current_view
        self.views.setCurrentWidget(view)
        view.set_layout(layout)
        self._update_labels(layout)
        self._sync_month()
        self.read_ahead_timer.start()  # (again) from now

    def _update_controls(self) -> None:
        week = self.view_mode == "week"
        for widget, visible in ((self.columns_combo, not week), (self.practitioner_combo, week)):
            widget.setVisible(visible)
            caption = widget.property("caption")
            if isinstance(caption, QLabel):
                caption.setVisible(visible)
        noun = "week" if week else "day"
        self.previous_button.setAccessibleName(f"Previous {noun}")
        self.next_button.setAccessibleName(f"Next {noun}")

    def _update_labels(self, layout: CalendarLayout) -> None:
        day = self.current_day
        if self.view_mode == "week":
            first = week_start(day)
            last = first + timedelta(days=6)
            name = self.practitioner_combo.currentText()
            self.date_label.setText(f"{name}: {first.day} {first:%b} – {last.day} {last:%b %Y}")
        else:
            today = self.book.today()
            when = {
                today: " (today)",
                today + timedelta(days=1): " (tomorrow)",
                today - timedelta(days=1): " (yesterday)",
            }.get(day, "")
            self.date_label.setText(f"{day:%A} {day.day} {day:%B %Y}{when}")
        counts = status_counts(b.record for b in layout.blocks)
        live = sum(n for status, n in counts.items() if status.occupies_time)
        parts = [f"{live} appointment{'s' if live != 1 else ''}"]
        for status in (
            AppointmentStatus.ARRIVED,
            AppointmentStatus.IN_TREATMENT,
            AppointmentStatus.COMPLETED,
            AppointmentStatus.NO_SHOW,
            AppointmentStatus.CANCELLED,
        ):
            if counts.get(status):
                parts.append(f"{counts[status]} {status.label.lower()}")
        selected = self.selection_text()
        self.summary_label.setText(" · ".join(parts) + (f"    {selected}" if selected else ""))
        self.current_view.setAccessibleDescription(selected or self.summary_label.text())

    def _selection_changed(self, appointment_id: int) -> None:
        """Say in words which appointment is selected (the painted view has no text)."""
        self._update_labels(self.current_view.layout_data)

    def selection_text(self) -> str:
        record = self.selected_record()
        if record is None:
            return ""
        start = record.starts_at.astimezone(self.book.tz)
        text = (
            f"Selected: {start:%H:%M} {record.patient_name}, {record.service_name} with "
            f"{record.practitioner_name} ({record.status.label.lower()})"
        )
        if record.flags:
            text += f"; safety: {record.flag_summary or ', '.join(record.flags)}"
        return text

    def _sync_month(self) -> None:
        day = self.current_day
        qdate = QDate(day.year, day.month, day.day)
        if self.month.selectedDate() != qdate:
            self.month.blockSignals(True)
            self.month.setSelectedDate(qdate)
            self.month.blockSignals(False)
        if self._month_shown != (day.year, day.month):
            # the day comes first; the month's busy-day dots follow once it is painted
            self._month_shown = (day.year, day.month)
            QTimer.singleShot(0, self._load_current_month)

    def _load_current_month(self) -> None:
        self._load_month(self.current_day.year, self.current_day.month)

    def _load_month(self, year: int, month: int) -> None:
        """Mark the busy days of a month (one services call)."""
        self._month_shown = (year, month)
        first = date(year, month, 1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        summary = getattr(self.services.appointments, "day_summary", None)
        try:
            if summary is not None:
                counts = summary(first, last)
            else:
                counts = {}
                for record in self.services.appointments.between(
                    _start(first, self.book),
                    _start(last + timedelta(days=1), self.book),
                    include_freed=False,
                ):
                    key = record.starts_at.astimezone(self.book.tz).date()
                    counts[key] = counts.get(key, 0) + 1
        except FrontdeskError:
            counts = {}
        self.month.set_busy(counts)

    def _after_change(self, record: AppointmentRecord | None) -> None:
        if record is not None:
            day = record.starts_at.astimezone(self.book.tz).date()
            if self.view_mode == "week":
                if week_start(day) != week_start(self.current_day):
                    self.current_day = day
            else:
                self.current_day = day
        self._month_shown = None
        self.refresh()
        self.refresh_waiting()
        if record is not None:
            self.current_view.select(record.id)

    def refresh_waiting(self, *, from_book: bool = False) -> None:
        """Who is waiting: read afresh, or (``from_book``) from today's appointments when
        the calendar has just read them."""
        now = self.book.now()
        today = self.book.known_day(now.date()) if from_book else None
        self.waiting_panel.refresh(now, today)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        # the first time, the day just read to build the page is usually today: the
        # waiting room comes from it (the start of the program reads the day once)
        self.refresh_waiting(from_book=not self._shown_once)
        if not self._shown_once:
            # arrow keys walk the appointments straight away
            self._shown_once = True
            self.current_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _schedule_minute(self) -> None:
        now = self.book.now()
        # wake at the start of the next minute, so the red line moves with the clock
        self.minute_timer.start(max(1000, (60 - now.second) * 1000 - now.microsecond // 1000))

    def _minute_passed(self) -> None:
        self._schedule_minute()
        if not self.isVisible():
            return
        # other workstations book too: every minute the day shown and the waiting list
        # are read again (unchanged blocks keep their pictures, so the repaint is cheap)
        if not self.current_view.dragging:
            self.book.invalidate()
            self.refresh()
        self.refresh_waiting()

    def reload_from_database(self) -> None:
        """Another workstation changed the appointment book: read the shown dates again
        (not in the middle of a drag, which the next change or minute will catch up)."""
        if self.current_view.dragging:
            return
        self.book.invalidate()
        self.refresh()
        self.refresh_waiting()

    # -- navigation helpers ------------------------------------------------------------

    def ask_date(self) -> None:
        text, ok = QInputDialog.getText(
            self,
            "Go to date",
            "Date (e.g. 14/03/2026, 2026-03-14, +3 for three days on):",
            text=f"{self.current_day:%d/%m/%Y}",
        )
        if ok:
            found = parse_day(text, self.current_day)
            if found is None:
                self.actions_handler.questions.show_error(
                    FrontdeskError("That date was not understood. Try 14/03/2026.")
                )
                return
            self.set_date(found)

    def _month_clicked(self, qdate: QDate) -> None:
        self.set_date(date(qdate.year(), qdate.month(), qdate.day()))

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _search_changed(self, text: str) -> None:
        self.current_view.set_highlight(text)

    def jump_to_search(self) -> None:
        """Enter in the search box: show the first matching patient's next appointment."""
        text = self.search_edit.text().strip()
        if not text:
            return
        patients = self.services.patients.search(text, limit=5)
        now = self.book.now()
        for patient in patients:
            upcoming = [
                r
                for r in self.services.appointments.for_patient(patient.id)
                if r.ends_at >= now and r.status.occupies_time
            ]
            if upcoming:
                self.show_appointment(upcoming[0].id)
                return
        self.summary_label.setText(
            "No upcoming appointment for that patient." if patients else "No patient found."
        )

    def show_appointment(self, appointment_id: int) -> None:
        """Go to the appointment's day and select it."""
        record = self.book.find(appointment_id)
        if record is None:
            try:
                record = self.services.appointments.get(appointment_id)
            except FrontdeskError as error:
                self.actions_handler.questions.show_error(error)
                return
        day = record.starts_at.astimezone(self.book.tz).date()
        if self.view_mode == "week" and record.practitioner_id != self.week_practitioner_id:
            self.set_view_mode("day")
        self.set_date(day)
        self.current_view.select(record.id)
        self.current_view.setFocus()

    # -- requests from the views -------------------------------------------------------

    def selected_record(self) -> AppointmentRecord | None:
        block = self.current_view.selected_block()
        return block.record if block else None

    def prefill_for(self, column: int, start_minute: int, end_minute: int) -> BookingPrefill:
        layout = self.current_view.layout_data
        col = layout.columns[column]
        starts_at = layout.to_datetime(column, start_minute)
        ends_at = layout.to_datetime(column, end_minute) if end_minute > start_minute else None
        practitioner_id = col.practitioner_id
        if practitioner_id is None and self.book.practitioners:
            practitioner_id = self._free_practitioner(starts_at, ends_at)
        return BookingPrefill(
            starts_at=starts_at,
            ends_at=ends_at,
            practitioner_id=practitioner_id,
            room_id=col.room_id,
        )

    def _free_practitioner(self, starts_at: datetime, ends_at: datetime | None) -> int:
        """In room columns: the first working practitioner with nothing booked then."""
        end = ends_at or starts_at + timedelta(minutes=30)
        records = self.book.records_on(starts_at.astimezone(self.book.tz).date())
        for practitioner in self.book.practitioners:
            busy = any(
                r.practitioner_id == practitioner.id
                and r.status.occupies_time
                and r.starts_at < end
                and r.ends_at > starts_at
                for r in records
            )
            if not busy:
                return practitioner.id
        return self.book.practitioners[0].id

    def _book_requested(self, column: int, start_minute: int, end_minute: int) -> None:
        self.actions_handler.book_new(self.prefill_for(column, start_minute, end_minute))

    def book_from_keyboard(self) -> None:
        """Ctrl+B: book at the next grid time from now (today) or the first opening."""
        view = self.current_view
        layout = view.layout_data
        if not layout.columns:
            return
        now = self.book.now()
        column = 0
        selected = view.selected_block()
        if selected is not None:
            column = selected.column
        day = layout.columns[column].day
        if day == now.date():
            minute = view.snap_down(now.hour * 60 + now.minute + view.grid_minutes)
        else:
            opening = [s for s, _ in layout.columns[column].working]
            minute = min(opening, default=9 * 60)
        self.actions_handler.book_new(self.prefill_for(column, minute, -1))

    def _move_requested(self, appointment_id: int, column: int, start_minute: int) -> None:
        record = self.book.find(appointment_id)
        if record is None:
            return
        layout = self.current_view.layout_data
        target = layout.columns[column]
        starts_at = layout.to_datetime(column, start_minute)
        practitioner_id = target.practitioner_id
        room_id: int | bool | None = False
        if target.is_room:
            practitioner_id = record.practitioner_id
            room_id = target.room_id
        self.actions_handler.move(
            record, starts_at, practitioner_id=practitioner_id, room_id=room_id
        )

    def _cancel_requested(self, appointment_id: int) -> None:
        record = self.book.find(appointment_id)
        if record is None or not record.status.occupies_time:
            return
        if AppointmentStatus.CANCELLED not in allowed_statuses(record.status):
            return
        self.actions_handler.set_status(record, AppointmentStatus.CANCELLED)

    def _activate_requested(self, appointment_id: int) -> None:
        view = self.current_view
        block = view.layout_data.block_for(appointment_id)
        if block is None:
            return
        rect = view.block_rect(block)
        pos = view.viewport().mapToGlobal(rect.topLeft().toPoint() + QPoint(8, 8))
        self.appointment_menu(block.record).popup(pos)

    def _context_requested(
        self, appointment_id: int, column: int, minute: int, pos: QPoint
    ) -> None:
        if appointment_id:
            record = self.book.find(appointment_id)
            if record is not None:
                self.appointment_menu(record).popup(pos)
            return
        menu = QMenu(self)
        book = menu.addAction("&Book appointment here…")
        book.triggered.connect(
            lambda _c=False: self.actions_handler.book_new(self.prefill_for(column, minute, -1))
        )
        waitlist = menu.addAction("Add to the &waiting list…")
        waitlist.triggered.connect(lambda _c=False: self.actions_handler.add_to_waitlist())
        course = menu.addAction("Book a &course from here…")
        course.triggered.connect(
            lambda _c=False: self.book_course(self.prefill_for(column, minute, -1))
        )
        menu.popup(pos)

    def appointment_menu(self, record: AppointmentRecord) -> QMenu:
        """What can be done with an appointment (Enter, double-click or right-click)."""
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        allowed = allowed_statuses(record.status)
        for status, text in STATUS_MENU.items():
            if status not in allowed:
                continue
            action = menu.addAction(text)
            action.triggered.connect(
                lambda _c=False, s=status: self.actions_handler.set_status(record, s)
            )
        menu.addSeparator()
        if record.status.occupies_time and record.status is not AppointmentStatus.COMPLETED:
            reschedule = menu.addAction("&Reschedule…")
            reschedule.triggered.connect(lambda _c=False: self.actions_handler.reschedule(record))
        if record.status is AppointmentStatus.BOOKED:
            earlier = menu.addAction("Wants an &earlier time: waiting list…")
            earlier.triggered.connect(lambda _c=False: self.actions_handler.add_to_waitlist(record))
        treated = record.status in (
            AppointmentStatus.ARRIVED,
            AppointmentStatus.IN_TREATMENT,
            AppointmentStatus.COMPLETED,
        )
        if treated and self.services.can(Permission.EDIT_CLINICAL):
            visit = menu.addAction("Record the &visit…")
            visit.setToolTip("What was done: points, settings, pain before and after, notes")
            visit.triggered.connect(lambda _c=False: self.record_visit(record))
        if treated and self.services.can(Permission.PRINT_FORMS):
            handout = menu.addAction("Print the &aftercare handout…")
            handout.triggered.connect(lambda _c=False: self.print_aftercare(record))
        card = menu.addAction("Appointment card (.&ics)…")
        card.triggered.connect(lambda _c=False: self.save_appointment_card(record))
        return menu

    def record_visit(self, record: AppointmentRecord) -> None:
        from frontdesk.ui.dialogs.visit_dialog import VisitDialog

        if VisitDialog.ask(self.services, record.id, self) is not None:
            self.book.invalidate()
            self.refresh()
            self.refresh_waiting()

    def print_aftercare(self, record: AppointmentRecord) -> None:
        from frontdesk.ui.printing.actions import print_aftercare_for_appointment

        print_aftercare_for_appointment(
            self, self.services, record.id, patient_name=record.patient_name
        )

    # -- window actions ----------------------------------------------------------------

    def walk_in(self) -> AppointmentRecord | None:
        record = self.actions_handler.walk_in()
        if record is not None:
            self.refresh_waiting()
        return record

    def book_course(self, prefill: BookingPrefill | None = None) -> list[AppointmentRecord]:
        if prefill is None:
            selected = self.selected_record()
            if selected is not None:
                from frontdesk.services.records import PatientSummary

                prefill = BookingPrefill(
                    starts_at=selected.starts_at,
                    practitioner_id=selected.practitioner_id,
                    service_id=selected.service_id,
                    patient=PatientSummary(
                        selected.patient_id,
                        selected.patient_name,
                        selected.patient_name,
                        "",
                        None,
                        "",
                        "",
                        False,
                    ),
                )
        return self.actions_handler.book_course(prefill)

    def print_day_sheet(self) -> None:
        """The day sheet of the date shown (one practitioner's in the week view): in the
        print preview when the program has one, else saved straight to a PDF file."""
        practitioner = self.week_practitioner_id if self.view_mode == "week" else None
        try:
            from frontdesk.ui.printing.actions import print_day_sheet
        except ImportError:
            from frontdesk.ui.calendar.printing import save_day_sheet

            save_day_sheet(self, self.services, self.current_day, practitioner)
            return
        print_day_sheet(self, self.services, self.current_day, practitioner)

    def save_day_sheet_pdf(self) -> None:
        """Save the day sheet of the date shown as a PDF file, without a preview."""
        from frontdesk.ui.calendar.printing import save_day_sheet

        practitioner = self.week_practitioner_id if self.view_mode == "week" else None
        save_day_sheet(self, self.services, self.current_day, practitioner)

    def save_appointment_card(self, record: AppointmentRecord | None = None) -> None:
        from frontdesk.ui.calendar.printing import save_patient_ics

        record = record or self.selected_record()
        if record is None:
            self.actions_handler.questions.show_error(
                FrontdeskError(
                    "Select an appointment first: the card lists that patient's "
                    "upcoming appointments."
                )
            )
            return
        save_patient_ics(self, self.services, record.patient_id, record.patient_name)


def _start(day: date, book: AppointmentBook) -> datetime:
    from datetime import time as clock_time

    from frontdesk.domain.scheduling import local_datetime

    return local_datetime(day, clock_time(0), book.tz)


def parse_day(text: str, today: date) -> date | None:
    """Read a typed date: 14/03/2026, 14.03.2026, 2026-03-14, 14/03, +3 or -2 (days)."""
    import re

    text = text.strip()
    if re.fullmatch(r"[+-]\d{1,4}", text):
        return today + timedelta(days=int(text))
    found = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    try:
        if found:
            return date(int(found[1]), int(found[2]), int(found[3]))
        found = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?", text)
        if found:
            year = int(found[3]) if found[3] else today.year
            if year < 100:
                year += 2000
            return date(year, int(found[2]), int(found[1]))
    except ValueError:
        return None
    return None
