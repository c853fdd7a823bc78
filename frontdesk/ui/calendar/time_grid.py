"""The painted time grid shared by the day and week views.

One scroll area paints everything with QPainter: column headers, the time gutter, working
and closed time, grid lines, appointment blocks, the current-time line and drag previews.
It reads only a :class:`CalendarLayout` prepared beforehand, never the database, so a
paint costs the same whether the clinic has a hundred patients or a hundred thousand.

The view reports what the user asks for through signals (book this stretch, move that
block, open, cancel); the calendar page carries the requests out.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QToolTip, QWidget

from frontdesk.domain.enums import AppointmentStatus
from frontdesk.domain.search_text import fold
from frontdesk.ui.calendar.block_painter import (
    BlockPainter,
    PlacedBlock,
    block_fonts,
    tooltip_html,
)
from frontdesk.ui.calendar.colours import grid_colours, is_dark
from frontdesk.ui.models.appointments import Block, CalendarLayout

MIN_COLUMN_WIDTH = 140
_OCCUPYING = frozenset(status for status in AppointmentStatus if status.occupies_time)
MIN_PIXELS_PER_MINUTE = 1.2
MAX_PIXELS_PER_MINUTE = 2.4
#: pixels from an edge of the view where dragging scrolls it
SCROLL_MARGIN = 24


@dataclass
class _Drag:
    """A drag in progress: booking a stretch of empty time, or moving a block."""

    column: int
    press_minute: int
    block: Block | None = None
    grab_offset: int = 0  # minutes between the block's start and the pointer
    current_column: int = 0
    current_minute: int = 0
    active: bool = False


#: how long the view rests on a day before the pictures of its blocks are kept
CACHE_AFTER_MS = 250
#: whole pictures of the view drawn ahead (the dates on either side of the one shown,
#: today), at most so many and so much memory (a large screen keeps fewer; the picture
#: drawn last is always kept)
FRAMES_KEPT = 4
FRAMES_BUDGET = 48 * 1024 * 1024


class TimeGridView(QAbstractScrollArea):
    """Columns of time with appointment blocks; subclasses name the columns."""

    #: column, start minute, end minute (-1: the service's default length)
    book_requested = Signal(int, int, int)
    #: appointment id, target column, new start minute
    move_requested = Signal(int, int, int)
    #: appointment id (0 when nothing is selected)
    selection_changed = Signal(int)
    #: Enter or double-click on a block: show what can be done with it
    activate_requested = Signal(int)
    #: appointment id (0 on empty time), column, minute, global position
    context_requested = Signal(int, int, int, QPoint)
    #: Delete on a selected block
    cancel_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_data = CalendarLayout((), ())
        self._booked: Counter[int] = Counter()
        self.grid_minutes = 15
        self.selected_id = 0
        self.highlight = ""
        self.min_column_width = MIN_COLUMN_WIDTH
        self._scrolled = False
        self._anchor_minute = 0.0
        # the pictures of the blocks shown are kept once the view has rested on a day for
        # a moment: a receptionist flipping through days does not wait for them
        self._cache_timer = QTimer(self)
        self._cache_timer.setSingleShot(True)
        self._cache_timer.setInterval(CACHE_AFTER_MS)
        self._cache_timer.timeout.connect(self._cache_blocks)
        self._ppm = MIN_PIXELS_PER_MINUTE
        self._column_width = float(MIN_COLUMN_WIDTH)
        self._restoring = False
        #: whole pictures of dates drawn ahead by :meth:`prepare`, keyed by what they show
        self._frames: OrderedDict[tuple[object, ...], tuple[CalendarLayout, QImage]] = OrderedDict()
        #: while a picture is drawn ahead: the scroll position it is drawn at
        self._frame_scroll: tuple[int, int] | None = None
        self.frames_shown = 0  # pictures drawn ahead that reached the screen (for tests)
        self.now_provider: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._drag: _Drag | None = None
        self._press_pos: QPoint | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.viewport().setMouseTracking(True)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._dark = is_dark()
        self._colours = grid_colours(self._dark)
        self._update_metrics()

    # -- data ------------------------------------------------------------------------------

    def set_layout(self, layout: CalendarLayout) -> None:
        """Show new data; keeps the scroll position and the selection when still there."""
        first_changed = layout.first_minute != self.layout_data.first_minute or not self._scrolled
        self.layout_data = layout
        self._booked = _booked_counts(layout)
        if self.selected_id and layout.block_for(self.selected_id) is None:
            self.selected_id = 0
            self.selection_changed.emit(0)
        self._update_scrollbars()
        if first_changed:
            self.scroll_to_start()
        self.viewport().update()

    def set_grid_minutes(self, minutes: int) -> None:
        self.grid_minutes = minutes
        self.viewport().update()

    def set_highlight(self, text: str) -> None:
        """Fade every block whose patient name does not contain ``text``."""
        self.highlight = fold(text.strip()) if text.strip() else ""
        self.viewport().update()

    def select(self, appointment_id: int, *, ensure_visible: bool = True) -> None:
        if appointment_id != self.selected_id:
            self.selected_id = appointment_id
            self.selection_changed.emit(appointment_id)
        block = self.layout_data.block_for(appointment_id) if appointment_id else None
        if block is not None and ensure_visible:
            self.ensure_block_visible(block)
        self.viewport().update()

    @property
    def dragging(self) -> bool:
        """A mouse drag (booking or moving) is under way."""
        return self._drag is not None

    def selected_block(self) -> Block | None:
        return self.layout_data.block_for(self.selected_id) if self.selected_id else None

    # -- geometry --------------------------------------------------------------------------

    def _update_metrics(self) -> None:
        metrics = QFontMetrics(self.font())
        self.gutter_width = metrics.horizontalAdvance("00:00") + 20
        bold = QFont(self.font())
        bold.setBold(True)
        self.header_height = QFontMetrics(bold).height() + metrics.height() + 16
        self._fonts = block_fonts(self.font())
        self.block_painter = BlockPainter(
            self._fonts, self._colours, dark=self._dark, dpr=self.devicePixelRatioF()
        )
        self._frames.clear()  # drawn in the old fonts or colours

    @property
    def pixels_per_minute(self) -> float:
        return self._ppm

    @property
    def column_width(self) -> float:
        return self._column_width

    def _recompute(self) -> None:
        """Scale and column width for the current size and layout (kept, not recomputed
        for every block painted)."""
        self._ppm, self._column_width = self._scale(self.layout_data)

    def _scale(self, layout: CalendarLayout) -> tuple[float, float]:
        """Pixels per minute and column width for showing ``layout`` at the current size."""
        span = max(60, layout.last_minute - layout.first_minute)
        room = self.viewport().height() - self.header_height
        ppm = max(MIN_PIXELS_PER_MINUTE, min(MAX_PIXELS_PER_MINUTE, room / span))
        count = max(1, len(layout.columns))
        width = self.viewport().width() - self.gutter_width
        return ppm, max(float(self.min_column_width), width / count)

    def _visible_size(self) -> tuple[int, int]:
        """Width and height of the time shown, less the gutter and the headers."""
        viewport = self.viewport()
        return viewport.width() - self.gutter_width, viewport.height() - self.header_height

    def _scroll_limits(self, layout: CalendarLayout, ppm: float, col_w: float) -> tuple[int, int]:
        """The furthest the view scrolls across and down when showing ``layout`` at that
        scale (the scroll bars' ranges)."""
        visible_w, visible_h = self._visible_size()
        content_h = round((layout.last_minute - layout.first_minute) * ppm)
        content_w = round(col_w * len(layout.columns))
        return max(0, content_w - visible_w), max(0, content_h - visible_h)

    def _update_scrollbars(self) -> None:
        self._recompute()
        visible_w, visible_h = self._visible_size()
        widest, highest = self._scroll_limits(self.layout_data, self._ppm, self._column_width)
        self.verticalScrollBar().setPageStep(max(1, visible_h))
        self.verticalScrollBar().setSingleStep(max(1, round(15 * self.pixels_per_minute)))
        self.verticalScrollBar().setRange(0, highest)
        self.horizontalScrollBar().setPageStep(max(1, visible_w))
        self.horizontalScrollBar().setSingleStep(max(1, round(self.column_width / 4)))
        self.horizontalScrollBar().setRange(0, widest)

    def _scroll_y(self) -> int:
        if self._frame_scroll is not None:
            return self._frame_scroll[1]
        return self.verticalScrollBar().value()

    def _scroll_x(self) -> int:
        if self._frame_scroll is not None:
            return self._frame_scroll[0]
        return self.horizontalScrollBar().value()

    def y_of(self, minute: float) -> float:
        return (
            self.header_height
            + (minute - self.layout_data.first_minute) * self.pixels_per_minute
            - self._scroll_y()
        )

    def x_of(self, column: int) -> float:
        return self.gutter_width + column * self.column_width - self._scroll_x()

    def minute_at(self, y: float) -> float:
        return (
            y - self.header_height + self._scroll_y()
        ) / self.pixels_per_minute + self.layout_data.first_minute

    def column_at(self, x: float) -> int | None:
        if x < self.gutter_width:
            return None
        index = int((x - self.gutter_width + self._scroll_x()) // self.column_width)
        return index if 0 <= index < len(self.layout_data.columns) else None

    def snap_down(self, minute: float) -> int:
        step = self.grid_minutes
        value = int(minute // step * step)
        return max(self.layout_data.first_minute, min(self.layout_data.last_minute - step, value))

    def block_rect(self, block: Block) -> QRectF:
        width = self.column_width
        left = self.x_of(block.column) + block.left * width
        top = self.y_of(block.start)
        bottom = self.y_of(block.end)
        return QRectF(left, top, block.width * width, max(6.0, bottom - top))

    def block_at(self, pos: QPointF | QPoint) -> Block | None:
        point = QPointF(pos)
        if point.y() < self.header_height or point.x() < self.gutter_width:
            return None
        # later blocks paint on top, so hit-test from the end
        for block in reversed(self.layout_data.blocks):
            if self.block_rect(block).contains(point):
                return block
        return None

    def point_for(self, column: int, minute: float) -> QPoint:
        """Viewport coordinates of a column's middle at a minute (for tests and menus)."""
        x = self.x_of(column) + self.column_width / 2
        return QPoint(round(x), round(self.y_of(minute)))

    def scroll_to_minute(self, minute: float) -> None:
        """Put ``minute`` at the top of the visible time (as far as the scroll range allows)."""
        self._anchor_minute = minute
        offset = (minute - self.layout_data.first_minute) * self.pixels_per_minute
        self._restoring = True
        self.verticalScrollBar().setValue(round(offset))
        self._restoring = False

    def scroll_to_start(self) -> None:
        """Scroll to an hour before now (today), or just before the first opening."""
        self._scrolled = True
        self.scroll_to_minute(self._start_of_interest())

    def ensure_block_visible(self, block: Block) -> None:
        rect = self.block_rect(block)
        visible_top = self.header_height
        visible_bottom = self.viewport().height()
        bar = self.verticalScrollBar()
        if rect.top() < visible_top:
            bar.setValue(bar.value() - round(visible_top - rect.top()) - 8)
        elif rect.bottom() > visible_bottom:
            bar.setValue(bar.value() + round(rect.bottom() - visible_bottom) + 8)
        left = self.x_of(block.column)
        hbar = self.horizontalScrollBar()
        if left < self.gutter_width:
            hbar.setValue(hbar.value() - round(self.gutter_width - left))
        elif left + self.column_width > self.viewport().width():
            hbar.setValue(hbar.value() + round(left + self.column_width - self.viewport().width()))

    def _start_of_interest(self, layout: CalendarLayout | None = None) -> int:
        """Where to scroll when a day is shown: an hour before now, or the first opening."""
        layout = layout or self.layout_data
        now = self.now_provider().astimezone(layout.tz)
        if now.date() in layout.days:
            return max(layout.first_minute, now.hour * 60 + now.minute - 60)
        openings = [start for c in layout.columns for start, _ in c.working]
        return max(layout.first_minute, min(openings, default=layout.first_minute) - 30)

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.devicePixelRatioF() != self.block_painter.dpr:
            # moved to a screen with another scale: draw the blocks afresh, sharp
            self._update_metrics()
        painter = QPainter(self.viewport())
        try:
            now = self.now_provider()
            frame = self._frame_to_show(now) if self._frames else None
            if frame is not None:
                painter.drawImage(0, 0, frame)
                self._paint_time(painter, now)
                self.frames_shown += 1
            else:
                self._paint(painter, event.rect())
        finally:
            painter.end()

    def _frame_key(
        self, layout: CalendarLayout, scroll_x: int, scroll_y: int, selected: int, now: datetime
    ) -> tuple[object, ...]:
        """What a whole picture of the view shows, but for the current-time line: the
        layout, size, scroll, selection, search fading, grid and scale, which day is
        today (its header stands out in the week) and the minutes waited by patients
        who have arrived."""
        viewport = self.viewport()
        waited = tuple(
            int((now - record.arrived_at).total_seconds() // 60)
            for record, *_ in layout.blocks
            if record.status is AppointmentStatus.ARRIVED and record.arrived_at is not None
        )
        return (
            id(layout),
            viewport.width(),
            viewport.height(),
            scroll_x,
            scroll_y,
            selected,
            self.highlight,
            self.grid_minutes,
            self.devicePixelRatioF(),
            now.astimezone(layout.tz).date(),
            waited,
        )

    def _frame_to_show(self, now: datetime) -> QImage | None:
        """The picture drawn ahead of exactly what the view shows now, if there is one."""
        if self._drag is not None:
            return None
        layout = self.layout_data
        key = self._frame_key(
            layout,
            self.horizontalScrollBar().value(),
            self.verticalScrollBar().value(),
            self.selected_id,
            now,
        )
        found = self._frames.get(key)
        return found[1] if found is not None and found[0] is layout else None

    def _paint(self, painter: QPainter, dirty: QRect, *, with_time: bool = True) -> None:
        colours = self._colours
        layout = self.layout_data
        width = self.viewport().width()
        height = self.viewport().height()
        painter.fillRect(QRect(0, 0, width, height), colours.closed)
        ppm = self.pixels_per_minute
        col_w = self.column_width
        top = self.header_height
        content = self._content_rect()
        painter.save()
        painter.setClipRect(content)
        y_first = self.y_of(layout.first_minute)
        y_last = self.y_of(layout.last_minute)
        # working time, per column
        for column in layout.columns:
            x = self.x_of(column.index)
            if x > width or x + col_w < self.gutter_width:
                continue
            for start, end in column.working:
                painter.fillRect(
                    QRectF(x, self.y_of(start), col_w, (end - start) * ppm), colours.working
                )
        # grid lines: faint every grid step, stronger every hour
        first_visible = max(layout.first_minute, int(self.minute_at(top)))
        last_visible = min(layout.last_minute, int(self.minute_at(height)) + 1)
        step = max(5, self.grid_minutes)
        minute = first_visible // step * step
        left = self.gutter_width
        grid_pen = QPen(colours.grid_line)
        grid_pen.setWidth(1)
        hour_pen = QPen(colours.hour_line)
        hour_pen.setWidth(1)
        while minute <= last_visible:
            if minute >= layout.first_minute:
                y = round(self.y_of(minute))
                painter.setPen(hour_pen if minute % 60 == 0 else grid_pen)
                painter.drawLine(left, y, width, y)
            minute += step
        painter.setPen(hour_pen)
        for column in layout.columns:
            x = round(self.x_of(column.index))
            painter.drawLine(x, round(y_first), x, round(y_last))
        end_x = round(self.x_of(len(layout.columns)))
        painter.drawLine(end_x, round(y_first), end_x, round(y_last))
        # appointment blocks: only those showing below the headers (the rest would be
        # clipped away, text and all)
        now = self.now_provider()
        placed = self._placed_blocks(
            layout,
            QRectF(dirty).intersected(content),
            ppm,
            col_w,
            self._scroll_x(),
            self._scroll_y(),
        )
        if placed:
            self.block_painter.paint_blocks(painter, placed, layout.tz, now)
        if self.block_painter.has_pending:
            self._cache_timer.start()  # (again) from now
        self._paint_drag(painter)
        if with_time:
            self._paint_now_line(painter, now)
        painter.restore()
        self._paint_gutter(painter, now if with_time else None)
        self._paint_header(painter)

    def _paint_time(self, painter: QPainter, now: datetime) -> None:
        """The current-time line and its label in the gutter, over a picture drawn ahead
        without them (both are drawn last, each within its own part of the view)."""
        layout = self.layout_data
        if now.astimezone(layout.tz).date() not in layout.days:
            return
        painter.save()
        painter.setClipRect(self._content_rect())
        self._paint_now_line(painter, now)
        painter.restore()
        painter.save()
        painter.setClipRect(self._gutter_rect())
        self._paint_now_label(painter, now)
        painter.restore()

    def _content_rect(self) -> QRectF:
        """The part of the view showing time: right of the gutter, below the headers."""
        return QRectF(self.gutter_width, self.header_height, *self._visible_size())

    def _gutter_rect(self) -> QRect:
        """The hours down the left, below the headers."""
        top = self.header_height
        return QRect(0, top, self.gutter_width, self.viewport().height() - top)

    def _placed_blocks(
        self,
        layout: CalendarLayout,
        visible: QRectF,
        ppm: float,
        col_w: float,
        scroll_x: int,
        scroll_y: int,
    ) -> list[PlacedBlock]:
        """The blocks of ``layout`` showing in ``visible`` (viewport coordinates) at that
        scale and scroll, snapped to whole pixels as :meth:`BlockPainter.paint` snaps
        :meth:`block_rect`'s rectangle (its arithmetic, spelt out once for all blocks)."""
        seen_top, seen_bottom = visible.top(), visible.bottom()
        seen_left, seen_right = visible.left(), visible.right()
        top, gutter, first = self.header_height, self.gutter_width, layout.first_minute
        highlight, selected_id = self.highlight, self.selected_id
        placed: list[PlacedBlock] = []
        for record, column, start, end, left, fraction in layout.blocks:
            block_top = top + (start - first) * ppm - scroll_y
            block_height = top + (end - first) * ppm - scroll_y - block_top
            if block_height < 6.0:
                block_height = 6.0
            if block_top >= seen_bottom or block_top + block_height <= seen_top:
                continue
            block_left = gutter + column * col_w - scroll_x + left * col_w
            block_width = fraction * col_w
            if block_left >= seen_right or block_left + block_width <= seen_left:
                continue
            x, y = round(block_left), round(block_top)
            placed.append(
                (
                    x,
                    y,
                    round(block_left + block_width) - x,
                    round(block_top + block_height) - y,
                    record,
                    start,
                    end,
                    record.id == selected_id,
                    bool(highlight) and highlight not in fold(record.patient_name),
                )
            )
        return placed

    def prepare(self, layout: CalendarLayout, *, from_start: bool = False) -> int:
        """Draw ahead the whole view as it will look showing ``layout`` (a day or week
        about to be shown, read while the desk is idle) at this size and scroll, but for
        the current-time line, and keep the picture: switching to it copies one picture
        and draws that line. ``from_start``: as scrolled by :meth:`scroll_to_start` (the
        Today button). The blocks drawn are kept too (as pictures of their own), for the
        repaints after. Works while the view is hidden behind the other view, once it
        has its size. Returns how many blocks were drawn."""
        if (
            not self.window().isVisible()
            or self.testAttribute(Qt.WidgetAttribute.WA_PendingResizeEvent)
            or self._drag is not None
        ):
            return 0
        ppm, col_w = self._scale(layout)
        widest, highest = self._scroll_limits(layout, ppm, col_w)
        bar = self.verticalScrollBar()
        if (
            layout.first_minute == self.layout_data.first_minute
            and self._scrolled
            and not from_start
        ):
            scroll_y = min(bar.value(), highest)  # set_layout keeps the scroll position
        else:  # set_layout scrolls to where the day starts
            start = self._start_of_interest(layout)
            scroll_y = max(0, min(highest, round((start - layout.first_minute) * ppm)))
        scroll_x = min(self.horizontalScrollBar().value(), widest)
        self._draw_frame(layout, ppm, col_w, scroll_x, scroll_y)
        return self.block_painter.cache_pending()

    def _draw_frame(
        self, layout: CalendarLayout, ppm: float, col_w: float, scroll_x: int, scroll_y: int
    ) -> None:
        """Draw the view showing ``layout`` at that scale and scroll (without the
        current-time line) into a picture kept for :meth:`paintEvent`."""
        now = self.now_provider()
        selected = self.selected_id if layout.block_for(self.selected_id) else 0
        key = self._frame_key(layout, scroll_x, scroll_y, selected, now)
        if key in self._frames:
            self._frames.move_to_end(key)
            return
        viewport = self.viewport()
        dpr = self.devicePixelRatioF()
        width, height = round(viewport.width() * dpr), round(viewport.height() * dpr)
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.setDevicePixelRatio(dpr)
        shown = (self.layout_data, self._booked, self._ppm, self._column_width, self.selected_id)
        self.layout_data, self._booked = layout, _booked_counts(layout)
        self._ppm, self._column_width, self.selected_id = ppm, col_w, selected
        self._frame_scroll = (scroll_x, scroll_y)
        painter = QPainter(image)
        try:
            self._paint(painter, viewport.rect(), with_time=False)
        finally:
            painter.end()
            self._frame_scroll = None
            (self.layout_data, self._booked, self._ppm, self._column_width, self.selected_id) = (
                shown
            )
        self._frames[key] = (layout, image)
        used = sum(picture.sizeInBytes() for _, picture in self._frames.values())
        while len(self._frames) > 1 and (len(self._frames) > FRAMES_KEPT or used > FRAMES_BUDGET):
            used -= self._frames.popitem(last=False)[1][1].sizeInBytes()

    def forget_pictures(self) -> None:
        """Drop every picture kept of blocks and of dates drawn ahead (the next paint
        draws everything afresh)."""
        self.block_painter.clear()
        self._frames.clear()

    def _cache_blocks(self) -> None:
        self.block_painter.cache_pending()

    def _paint_drag(self, painter: QPainter) -> None:
        drag = self._drag
        if drag is None or not drag.active:
            return
        colours = self._colours
        if drag.block is None:
            start, end = sorted((drag.press_minute, drag.current_minute))
            end = max(end + self.grid_minutes, start + self.grid_minutes)
            rect = QRectF(
                self.x_of(drag.column) + 2,
                self.y_of(start),
                self.column_width - 4,
                (end - start) * self.pixels_per_minute,
            )
            label = f"{_hm(start)}–{_hm(end)}"
        else:
            length = drag.block.end - drag.block.start
            start = drag.current_minute
            rect = QRectF(
                self.x_of(drag.current_column) + 2,
                self.y_of(start),
                self.column_width - 4,
                length * self.pixels_per_minute,
            )
            label = f"{_hm(start)}–{_hm(start + length)}  {drag.block.record.patient_name}"
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(colours.drag_fill)
        pen = QPen(colours.selection)
        pen.setWidthF(2.0)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRoundedRect(rect, 5.0, 5.0)
        painter.setPen(colours.text)
        painter.setFont(self._fonts.name)
        painter.drawText(
            rect.adjusted(8, 2, -4, -2),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
            label,
        )

    def _paint_now_line(self, painter: QPainter, now: datetime) -> None:
        layout = self.layout_data
        local = now.astimezone(layout.tz)
        minute = local.hour * 60 + local.minute + local.second / 60
        if not layout.first_minute <= minute <= layout.last_minute:
            return
        y = self.y_of(minute)
        pen = QPen(self._colours.now_line)
        pen.setWidthF(2.0)
        painter.setPen(pen)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for column in layout.columns:
            if column.day != local.date():
                continue
            x = self.x_of(column.index)
            painter.drawLine(QPointF(x, y), QPointF(x + self.column_width, y))
            painter.setBrush(self._colours.now_line)
            painter.drawEllipse(QPointF(x + 1, y), 4.0, 4.0)

    def _paint_gutter(self, painter: QPainter, now: datetime | None) -> None:
        """The hours down the left, with the current time's label when ``now`` is given."""
        colours = self._colours
        layout = self.layout_data
        height = self.viewport().height()
        top = self.header_height
        painter.save()
        gutter = self._gutter_rect()
        painter.fillRect(gutter, colours.header)
        painter.setClipRect(gutter)
        painter.setPen(colours.muted_text)
        painter.setFont(self.font())
        metrics = QFontMetrics(self.font())
        hour = layout.first_minute // 60 * 60
        while hour <= layout.last_minute:
            y = self.y_of(hour)
            painter.drawText(
                QRectF(0, y - 2, self.gutter_width - 8, metrics.height()),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
                _hm(hour),
            )
            hour += 60
        if now is not None:
            self._paint_now_label(painter, now)
        painter.setPen(QPen(colours.hour_line))
        painter.drawLine(self.gutter_width - 1, top, self.gutter_width - 1, height)
        painter.restore()

    def _paint_now_label(self, painter: QPainter, now: datetime) -> None:
        """The current time in a red box in the gutter, level with the time line."""
        layout = self.layout_data
        local = now.astimezone(layout.tz)
        if local.date() not in layout.days:
            return
        minute = local.hour * 60 + local.minute
        if not layout.first_minute <= minute <= layout.last_minute:
            return
        metrics = QFontMetrics(self.font())
        y = self.y_of(minute)
        box = QRectF(2, y - metrics.height() / 2, self.gutter_width - 6, metrics.height())
        painter.setBrush(self._colours.now_line)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(QPen(Qt.GlobalColor.white))
        painter.setFont(self.font())
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), _hm(minute))

    def header_subtitles(self, index: int) -> list[str]:
        """Second-line texts of a column header, longest first: the first that fits is used."""
        column = self.layout_data.columns[index]
        count = self._booked.get(index, 0)
        booked = f"{count} booked"
        if not column.working:
            return (
                [f"Not working · {booked}", "Not working", "Off"]
                if count
                else ["Not working", "Off"]
            )
        hours = ", ".join(f"{_hm(s)}–{_hm(e)}" for s, e in column.working)
        return [f"{hours} · {booked}", booked, hours] if count else [hours]

    def header_highlighted(self, index: int) -> bool:
        """Whether a column header stands out (today in the week view)."""
        return False

    def _paint_header(self, painter: QPainter) -> None:
        colours = self._colours
        width = self.viewport().width()
        height = self.header_height
        painter.save()
        painter.fillRect(QRect(0, 0, width, height), colours.header)
        painter.setClipRect(QRect(self.gutter_width, 0, width - self.gutter_width, height))
        bold = QFont(self.font())
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        metrics = QFontMetrics(self.font())
        col_w = self.column_width
        for column in self.layout_data.columns:
            x = self.x_of(column.index)
            if x > width or x + col_w < self.gutter_width:
                continue
            if self.header_highlighted(column.index):
                painter.fillRect(QRectF(x, 0, col_w, height), colours.today_header)
            painter.fillRect(QRectF(x + 1, height - 5, col_w - 2, 4), _qcolour(column.colour))
            painter.setPen(colours.header_text)
            painter.setFont(bold)
            text_rect = QRectF(x + 8, 4, col_w - 16, bold_metrics.height())
            painter.drawText(
                text_rect,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                bold_metrics.elidedText(
                    column.title, Qt.TextElideMode.ElideRight, int(text_rect.width())
                ),
            )
            painter.setFont(self.font())
            painter.setPen(colours.muted_text)
            sub_rect = QRectF(x + 8, 4 + bold_metrics.height(), col_w - 16, metrics.height())
            choices = self.header_subtitles(column.index)
            subtitle = next(
                (t for t in choices if metrics.horizontalAdvance(t) <= sub_rect.width()),
                choices[-1],
            )
            painter.drawText(
                sub_rect,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                metrics.elidedText(subtitle, Qt.TextElideMode.ElideRight, int(sub_rect.width())),
            )
            painter.setPen(QPen(colours.hour_line))
            painter.drawLine(round(x), 0, round(x), height)
        painter.setClipping(False)
        painter.setPen(QPen(colours.hour_line))
        painter.drawLine(0, height - 1, width, height - 1)
        painter.fillRect(QRect(0, 0, self.gutter_width - 1, height - 1), colours.header)
        painter.restore()

    # -- events ----------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_scrollbars()
        self.scroll_to_minute(self._anchor_minute)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (
            QEvent.Type.FontChange,
            QEvent.Type.PaletteChange,
            QEvent.Type.StyleChange,
        ):
            self._dark = is_dark()
            self._colours = grid_colours(self._dark)
            self._update_metrics()
            self._update_scrollbars()
            self.viewport().update()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        if not self._restoring:
            # remember where the user scrolled to, in minutes, to keep it across resizes
            self._anchor_minute = self.minute_at(self.header_height)
        self.viewport().update()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = event.pos()  # type: ignore[attr-defined]
            block = self.block_at(pos)
            if block is not None:
                QToolTip.showText(
                    event.globalPos(),  # type: ignore[attr-defined]
                    tooltip_html(block.record, self.layout_data.tz, self.now_provider()),
                    self.viewport(),
                    self.block_rect(block).toRect(),
                )
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        pos = event.position()
        column = self.column_at(pos.x())
        if column is None or pos.y() < self.header_height:
            return
        block = self.block_at(pos)
        if event.button() == Qt.MouseButton.RightButton:
            if block is not None:
                self.select(block.record.id, ensure_visible=False)
            minute = self.snap_down(self.minute_at(pos.y()))
            self.context_requested.emit(
                block.record.id if block else 0, column, minute, event.globalPosition().toPoint()
            )
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self._press_pos = pos.toPoint()
        minute = self.snap_down(self.minute_at(pos.y()))
        if block is not None:
            self.select(block.record.id, ensure_visible=False)
            grab = int(self.minute_at(pos.y())) - block.start
            self._drag = _Drag(column, minute, block, grab, block.column, block.start)
        else:
            self._drag = _Drag(column, minute, None, 0, column, minute)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        drag = self._drag
        if drag is None or self._press_pos is None:
            return
        pos = event.position()
        if not drag.active:
            distance = (pos.toPoint() - self._press_pos).manhattanLength()
            if distance < QApplication.startDragDistance():
                return
            if drag.block is not None and not _movable(drag.block):
                return
            drag.active = True
        self._autoscroll(pos.y())
        if drag.block is None:
            drag.current_minute = self.snap_down(self.minute_at(pos.y()))
        else:
            column = self.column_at(pos.x())
            if column is not None:
                drag.current_column = column
            start = self.minute_at(pos.y()) - drag.grab_offset
            step = self.grid_minutes
            snapped = int(round(start / step) * step)
            length = drag.block.end - drag.block.start
            drag.current_minute = max(
                self.layout_data.first_minute, min(self.layout_data.last_minute - length, snapped)
            )
        self.viewport().update()

    def _autoscroll(self, y: float) -> None:
        bar = self.verticalScrollBar()
        if y < self.header_height + SCROLL_MARGIN:
            bar.setValue(bar.value() - bar.singleStep() // 2)
        elif y > self.viewport().height() - SCROLL_MARGIN:
            bar.setValue(bar.value() + bar.singleStep() // 2)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        self._press_pos = None
        if drag is None or event.button() != Qt.MouseButton.LeftButton:
            return
        self.viewport().update()
        if not drag.active:
            if drag.block is None:
                self.select(0)
            return
        if drag.block is None:
            start, end = sorted((drag.press_minute, drag.current_minute))
            end = max(end + self.grid_minutes, start + self.grid_minutes)
            self.book_requested.emit(drag.column, start, end)
            return
        block = drag.block
        if drag.current_column != block.column or drag.current_minute != block.start:
            self.move_requested.emit(block.record.id, drag.current_column, drag.current_minute)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self._drag = None
        pos = event.position()
        column = self.column_at(pos.x())
        if column is None or pos.y() < self.header_height:
            return
        block = self.block_at(pos)
        if block is not None:
            self.select(block.record.id, ensure_visible=False)
            self.activate_requested.emit(block.record.id)
            return
        self.book_requested.emit(column, self.snap_down(self.minute_at(pos.y())), -1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape and self._drag is not None:
            self._drag = None
            self.viewport().update()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right) and (
            event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            self._move_selection(key)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_id:
            self.activate_requested.emit(self.selected_id)
            return
        if key == Qt.Key.Key_Delete and self.selected_id:
            self.cancel_requested.emit(self.selected_id)
            return
        if key == Qt.Key.Key_Escape and self.selected_id:
            self.select(0)
            return
        super().keyPressEvent(event)

    def _move_selection(self, key: Qt.Key) -> None:
        """Arrow keys walk between blocks: up/down in a column, left/right across columns."""
        blocks = sorted(self.layout_data.blocks, key=lambda b: (b.column, b.start, b.left))
        if not blocks:
            return
        current = self.selected_block()
        if current is None:
            self.select(blocks[0].record.id)
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            same = [b for b in blocks if b.column == current.column]
            index = same.index(current)
            index += -1 if key == Qt.Key.Key_Up else 1
            if 0 <= index < len(same):
                self.select(same[index].record.id)
            return
        step = -1 if key == Qt.Key.Key_Left else 1
        column = current.column + step
        while 0 <= column < len(self.layout_data.columns):
            candidates = [b for b in blocks if b.column == column]
            if candidates:
                nearest = min(candidates, key=lambda b: (abs(b.start - current.start), b.start))
                self.select(nearest.record.id)
                return
            column += step


def _booked_counts(layout: CalendarLayout) -> Counter[int]:
    """Each column's appointments taking up time (the headers' "n booked"), counted once
    per layout rather than on every paint."""
    return Counter(b.column for b in layout.blocks if b.record.status in _OCCUPYING)


def _movable(block: Block) -> bool:
    return block.record.status.occupies_time and block.record.status is not (
        AppointmentStatus.COMPLETED
    )


def _hm(minute: float) -> str:
    whole = int(minute)
    return f"{whole // 60 % 24:02d}:{whole % 60:02d}"


def _qcolour(text: str) -> object:
    from PySide6.QtGui import QColor

    return QColor(text)
