"""Painting one appointment block: rounded card, service bar, name, time, status, badges.

Kept apart from the view so the day and week views draw blocks the same way, and so the
rules for small blocks (fewer lines, fewer badges) live in one place.

Switching to a full day draws some seventy blocks afresh, so a block costs little more
than its text:

- Everything in a block but its text (the card with its service bar, the status disc and
  the safety badges) depends only on the status, the service colour, the block's size and
  which badges show where. It is drawn once into a small image and kept: a clinic has a
  handful of services, lengths and badges, so a day reuses a few dozen of them, the way
  Qt keeps the letters of text. (Antialiased rounded outlines cost more than all the rest
  of a block put together.)
- Text is measured and elided by :class:`~frontdesk.ui.calendar.text_fit.TextFitter`
  (Qt's own eliding shapes each line a second time), and drawn in the font it gives:
  unshaped (a third quicker to draw) unless its letters need shaping.
- Fading (cancelled, no-show, not matching the search) is in the images' alpha and the
  text colour, not the painter's opacity, which sends every drawing down a slow path.
- The blocks of a paint are drawn together (:meth:`BlockPainter.paint_blocks`): the
  backgrounds first, then every name, then the other lines, so the painter's font and
  colour change a few times a paint instead of four times a block.

Each block is also drawn once into an image and kept (keyed by the record object, its
size, selection and fading; the appointment book hands out the same object again while
the appointment is unchanged, so the key needs no comparing of records): scrolling, the
minute tick, hovering and going back to a day already seen then copy images instead of
drawing text again.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPainterPath, QPen

from frontdesk.domain.enums import AppointmentStatus
from frontdesk.services.records import AppointmentRecord
from frontdesk.ui.calendar.colours import (
    URGENT_BADGES,
    GridColours,
    StatusStyle,
    badge_colours,
    mix,
    status_style,
)
from frontdesk.ui.calendar.text_fit import TextFitter

RADIUS = 5.0
BAR_WIDTH = 5.0
PADDING = 4.0
ICON_SIZE = 16.0
CHIP_GAP = 3.0
#: below this many pixels the name alone is shown, without badges beside it
MIN_NAME_WIDTH = 48.0
#: rendered blocks kept; a full week of six practitioners fits several times over
CACHE_SIZE = 1500
#: block backgrounds kept: a day uses a few dozen (statuses x services x lengths x badges)
BACKGROUND_CACHE_SIZE = 200
#: a narrower first line has no status disc
DISC_MIN_WIDTH = ICON_SIZE + MIN_NAME_WIDTH * 0.5
#: a cancelled or no-show block, and a block not matching the search, are faded
FREED_OPACITY = 0.55
DIMMED_OPACITY = 0.35
WHITE = QColor("#FFFFFF")
MORE_BADGES = (QColor("#C62828"), WHITE)
_CARD_LEFT, _CARD_TOP, _CARD_RIGHT, _CARD_BOTTOM = 1, 1, 2, 1
#: the text's room inside a block: past the card's edge, the service bar and the padding
_TEXT_LEFT = _CARD_LEFT + int(BAR_WIDTH + PADDING)
_TEXT_TOP = _CARD_TOP + 2
_INNER_SIDES = _TEXT_LEFT + _CARD_RIGHT + int(PADDING)
_INNER_TOP_BOTTOM = _TEXT_TOP + _CARD_BOTTOM + 2
_CANCELLED = AppointmentStatus.CANCELLED
_ARRIVED = AppointmentStatus.ARRIVED
_OCCUPYING = frozenset(status for status in AppointmentStatus if status.occupies_time)
#: "HH:MM" of each minute of the day, looked up rather than formatted for every block
_CLOCK = tuple(f"{minute // 60:02d}:{minute % 60:02d}" for minute in range(24 * 60))


@dataclass
class BlockFonts:
    """Fonts and metrics used for blocks, made once per view."""

    name: QFont
    detail: QFont
    chip: QFont

    def __post_init__(self) -> None:
        self.name_metrics = QFontMetrics(self.name)
        self.detail_metrics = QFontMetrics(self.detail)
        self.chip_metrics = QFontMetrics(self.chip)
        self.name_fit = TextFitter(self.name)
        self.detail_fit = TextFitter(self.detail)
        self._chip_advances: dict[str, float] = {}

    def chip_advance(self, label: str) -> float:
        """Width of a badge's text; the same few badges recur, so each is measured once."""
        width = self._chip_advances.get(label)
        if width is None:
            width = float(self.chip_metrics.horizontalAdvance(label))
            self._chip_advances[label] = width
        return width


def block_fonts(base: QFont) -> BlockFonts:
    name = QFont(base)
    name.setBold(True)
    chip = QFont(base)
    chip.setBold(True)
    if base.pointSizeF() > 0:
        chip.setPointSizeF(max(7.0, base.pointSizeF() * 0.8))
    else:
        chip.setPixelSize(max(9, round(base.pixelSize() * 0.8)))
    return BlockFonts(name, QFont(base), chip)


def hm(moment: datetime) -> str:
    # plain formatting: strftime is slow enough to show when painting a full week
    return f"{moment.hour:02d}:{moment.minute:02d}"


def detail_line(record: AppointmentRecord, tz: object) -> str:
    start = record.starts_at.astimezone(tz)  # type: ignore[arg-type]
    end = record.ends_at.astimezone(tz)  # type: ignore[arg-type]
    return f"{hm(start)}–{hm(end)} {record.service_name}"


def status_line(record: AppointmentRecord, tz: object, now: datetime) -> str:
    """The third line: what the desk needs to know about the status right now."""
    status = record.status
    if status is AppointmentStatus.ARRIVED and record.arrived_at is not None:
        waited = max(0, int((now - record.arrived_at).total_seconds() // 60))
        arrived = record.arrived_at.astimezone(tz)  # type: ignore[arg-type]
        return f"Arrived {hm(arrived)} · waiting {waited} min"
    if status is AppointmentStatus.CANCELLED:
        late = "Late cancel" if record.late_cancel else "Cancelled"
        return f"{late}: {record.cancel_reason}" if record.cancel_reason else late
    if status is AppointmentStatus.BOOKED:
        extra = []
        if record.walk_in:
            extra.append("Walk-in")
        if record.course_id is not None:
            extra.append("Course")
        if record.notes:
            extra.append(record.notes)
        return " · ".join(extra)
    if status is AppointmentStatus.COMPLETED:
        return ""  # the green fill and the tick say it; the line stays free
    return status.label if status is not AppointmentStatus.NO_SHOW else "No-show"


def _faded(colour: QColor, opacity: float) -> QColor:
    faded = QColor(colour)
    faded.setAlphaF(colour.alphaF() * opacity)
    return faded


#: where a block's badges go: beside the name, at the end of the time line, or at the
#: start of the status line
_BESIDE_NAME, _TIME_LINE, _STATUS_LINE = 0, 1, 2
_MINUTES_PER_DAY = 24 * 60

#: one line of a block's text: where it starts and its baseline (from the block's top left
#: corner), the text, its font and its pen
TextLine = tuple[float, int, str, QFont, QPen]
#: the strike-through of a cancelled name: from x to x at height y (from the top left)
Strike = tuple[float, float, float]
#: one block to draw: left, top, width, height (whole pixels), the record, its start and
#: end as minutes since the local midnight of its column's day (-1: not known), whether it
#: is selected and whether it is faded (not matching the search)
PlacedBlock = tuple[int, int, int, int, AppointmentRecord, int, int, bool, bool]


class BlockPainter:
    """Draws appointment blocks for one view, keeping each drawn block as an image."""

    def __init__(self, fonts: BlockFonts, grid: GridColours, *, dark: bool, dpr: float) -> None:
        self.fonts = fonts
        self.grid = grid
        self.dark = dark
        self.dpr = dpr
        self._styles: dict[AppointmentStatus, StatusStyle] = {
            status: status_style(status, dark) for status in AppointmentStatus
        }
        #: drawn blocks: (record's identity, size, selection, minute, fading) -> (the record,
        #: its picture); the record is held so that its identity cannot pass to another
        self._kept: OrderedDict[tuple[object, ...], tuple[AppointmentRecord, QImage]] = (
            OrderedDict()
        )
        #: blocks drawn on screen but not yet kept: key, record, size and what was drawn
        self._pending: list[
            tuple[
                tuple[object, ...],
                AppointmentRecord,
                int,
                int,
                QImage,
                tuple[TextLine, ...],
                Strike | None,
            ]
        ] = []
        #: block backgrounds (card, disc, badges): pictures without the appointment's text
        self._backgrounds: OrderedDict[tuple[object, ...], QImage] = OrderedDict()
        self._pens = {
            opacity: (QPen(_faded(grid.text, opacity)), QPen(_faded(grid.muted_text, opacity)))
            for opacity in (1.0, FREED_OPACITY, DIMMED_OPACITY)
        }
        # whole pixels (text is drawn at whole pixels anyway)
        self._name_ascent = fonts.name_metrics.ascent()
        self._detail_ascent = fonts.detail_metrics.ascent()
        self._name_h = fonts.name_metrics.height()
        self._detail_h = fonts.detail_metrics.height()
        self._two_lines_height = self._name_h + self._detail_h - 2
        #: a block lower than this has its name running past its bottom edge
        self._name_bottom = _TEXT_TOP + self._name_h
        self._chip_h = float(fonts.chip_metrics.height()) + 2.0
        self._with_disc = frozenset(s for s, style in self._styles.items() if style.letter)
        self._badge_places: dict[tuple[object, ...], tuple[int, tuple[str, ...], float]] = {}
        self.rendered = 0  # blocks drawn into kept images (for tests and the benchmark)

    def clear(self) -> None:
        """Forget every block drawn (the backgrounds, which show no appointment's data,
        are kept)."""
        self._kept.clear()
        self._pending.clear()

    def paint(
        self,
        painter: QPainter,
        rect: QRectF,
        record: AppointmentRecord,
        *,
        tz: object,
        now: datetime,
        selected: bool = False,
        dimmed: bool = False,
    ) -> None:
        """Draw ``record`` into ``rect`` (view coordinates, snapped to whole pixels).

        Leaves the painter's pen and font changed.
        """
        left, top = round(rect.left()), round(rect.top())
        self.paint_blocks(
            painter,
            [
                (
                    left,
                    top,
                    round(rect.right()) - left,
                    round(rect.bottom()) - top,
                    record,
                    -1,
                    -1,
                    selected,
                    dimmed,
                )
            ],
            tz,
            now,
        )

    def paint_blocks(
        self, painter: QPainter, blocks: Iterable[PlacedBlock], tz: object, now: datetime
    ) -> None:
        """Draw blocks at whole pixels, in order (a later block covers an earlier one).

        A block drawn before at the same size and look is copied from its kept picture.
        Otherwise its background is copied from a kept picture without text, then its text
        is drawn, all the blocks' names first and then their other lines, so the painter's
        font and colour change a few times rather than four times a block (the text of
        a block lower than its name is drawn at once instead, and the block below covers
        what runs past its edge). Leaves the painter's pen and font changed.
        """
        # Run for every block of every day and week shown: one loop, the values it needs
        # taken out of ``self`` once, plain arithmetic and lookups.
        kept, pending, backgrounds = self._kept, self._pending, self._backgrounds
        fonts = self.fonts
        fit_name, fit_detail = fonts.name_fit.fit, fonts.detail_fit.fit
        name_width_up_to = fonts.name_fit.width_up_to
        with_disc, pens = self._with_disc, self._pens
        two_lines_height = self._two_lines_height
        name_h, detail_h, name_bottom = self._name_h, self._detail_h, self._name_bottom
        name_baseline = _TEXT_TOP + self._name_ascent
        time_top = _TEXT_TOP + name_h  # where the time line starts
        time_baseline = time_top + self._detail_ascent
        strike_y = _TEXT_TOP + name_h / 2 + 1
        draw_image = painter.drawImage
        later: list[tuple[int, int, tuple[TextLine, ...], Strike | None]] = []
        for left, top, width, height, record, start, end, selected, dimmed in blocks:
            width = width if width > 1 else 1
            height = height if height > 1 else 1
            status = record.status
            arrived = record.arrived_at
            # the waiting minutes of an arrived patient change the picture every minute
            minute = (
                int((now - arrived).total_seconds() // 60)
                if status is _ARRIVED and arrived is not None
                else 0
            )
            opacity = DIMMED_OPACITY if dimmed else 1.0 if status in _OCCUPYING else FREED_OPACITY
            key = (id(record), width, height, selected, minute, opacity)
            found = kept.get(key)
            if found is not None and found[0] is record:
                kept.move_to_end(key)
                draw_image(left, top, found[1])
                continue
            # the card is the block less a pixel (two on the right); text starts past the bar
            inner_width = width - _INNER_SIDES
            inner_height = height - _INNER_TOP_BOTTOM
            colour = record.service_colour
            lines: tuple[TextLine, ...] = ()
            strike: Strike | None = None
            if inner_width < 8 or inner_height < 6:
                background = backgrounds.get(
                    (status, colour, width, height, selected, opacity, _BESIDE_NAME, ())
                )
                if background is None:
                    background = self._background(status, colour, width, height, selected, opacity)
            else:
                # what is left of the first line after the status disc on its right
                line_room: float = inner_width
                if status in with_disc and inner_width > DISC_MIN_WIDTH:
                    line_room -= ICON_SIZE + CHIP_GAP
                one_line = inner_height < two_lines_height
                name = record.patient_name
                if one_line:
                    name = f"{name} · {record.service_name}"
                flags = record.flags
                if flags:
                    need = name_width_up_to(name, max(MIN_NAME_WIDTH, 0.6 * line_room))
                    badge_line, chips, chips_width = self._badges(
                        flags, line_room, need, inner_width, inner_height
                    )
                else:
                    badge_line, chips, chips_width = _BESIDE_NAME, (), 0.0
                background = backgrounds.get(
                    (status, colour, width, height, selected, opacity, badge_line, chips)
                )
                if background is None:
                    background = self._background(
                        status, colour, width, height, selected, opacity, badge_line, chips
                    )
                if chips and badge_line == _BESIDE_NAME:
                    line_room = max(0.0, line_room - chips_width - CHIP_GAP)
                text_pen, muted_pen = pens[opacity]
                text, font = fit_name(name, line_room)
                lines = ((_TEXT_LEFT, name_baseline, text, font, text_pen),)
                if status is _CANCELLED and text:
                    strike = (
                        _TEXT_LEFT,
                        strike_y,
                        _TEXT_LEFT + min(line_room, fonts.name_fit.width(text)),
                    )
                limit = _TEXT_TOP + inner_height + 2  # the lowest a line may reach
                if not one_line and time_top + detail_h <= limit:
                    # the time line (with the badges at its end when they go there)
                    room: float = inner_width
                    if chips and badge_line == _TIME_LINE:
                        room -= chips_width + CHIP_GAP
                    if room > 8:
                        text, font = fit_detail(_time_line(record, start, end, tz), room)
                        lines += ((_TEXT_LEFT, time_baseline, text, font, muted_pen),)
                    if time_top + 2 * detail_h <= limit:
                        # the status line (after the badges when they go there)
                        text = status_line(record, tz, now)
                        room = inner_width
                        line_left: float = _TEXT_LEFT
                        if chips and badge_line == _STATUS_LINE:
                            room -= chips_width + CHIP_GAP
                            line_left += chips_width + CHIP_GAP
                            if line_left == int(line_left):
                                line_left = int(line_left)
                        if text and room > 8:
                            text, font = fit_detail(text, room)
                            lines += ((line_left, time_baseline + detail_h, text, font, muted_pen),)
            draw_image(left - 1, top - 1, background)
            # kept once the screen is up to date (drawing into an image first is slower)
            pending.append((key, record, width, height, background, lines, strike))
            if lines:
                if height < name_bottom:
                    _draw_lines(painter, left, top, lines, strike)
                else:
                    later.append((left, top, lines, strike))
        if later:
            self._draw_later(painter, later)

    @staticmethod
    def _draw_later(
        painter: QPainter, later: list[tuple[int, int, tuple[TextLine, ...], Strike | None]]
    ) -> None:
        """The blocks' names (and strike-throughs), then their other lines, setting the
        font and colour only when they change."""
        font: QFont | None = None
        pen: QPen | None = None
        draw_text = painter.drawText
        for left, top, lines, strike in later:
            x, y, text, line_font, line_pen = lines[0]
            if line_font is not font:
                font = line_font
                painter.setFont(font)
            if line_pen is not pen:
                pen = line_pen
                painter.setPen(pen)
            draw_text(left + x, top + y, text)  # type: ignore[call-overload]
            if strike is not None:
                strike_x, strike_y, strike_end = strike
                painter.drawLine(
                    QPointF(left + strike_x, top + strike_y),
                    QPointF(left + strike_end, top + strike_y),
                )
        for left, top, lines, _strike in later:
            for x, y, text, line_font, line_pen in lines[1:]:
                if line_font is not font:
                    font = line_font
                    painter.setFont(font)
                if line_pen is not pen:
                    pen = line_pen
                    painter.setPen(pen)
                if type(x) is int:
                    draw_text(left + x, top + y, text)
                else:
                    draw_text(QPointF(left + x, top + y), text)

    @property
    def has_pending(self) -> bool:
        return bool(self._pending)

    def cache_pending(self) -> int:
        """Draw the blocks seen for the first time into kept images; returns how many."""
        done = 0
        kept = self._kept
        while self._pending:
            key, record, width, height, background, lines, strike = self._pending.pop()
            if key in kept:
                continue
            self.rendered += 1
            image = self._image(width, height)
            painter = QPainter(image)
            try:
                painter.drawImage(-1, -1, background)
                if lines:
                    _draw_lines(painter, 0, 0, lines, strike)
            finally:
                painter.end()
            kept[key] = (record, image)
            done += 1
        while len(kept) > CACHE_SIZE:
            kept.popitem(last=False)
        return done

    def _image(self, width: float, height: float) -> QImage:
        # an image, not a pixmap: text is drawn into it noticeably faster
        image = QImage(
            max(1, math.ceil(width * self.dpr)),
            max(1, math.ceil(height * self.dpr)),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        image.setDevicePixelRatio(self.dpr)
        image.fill(0)
        return image

    # -- one block ---------------------------------------------------------------------------

    def _badges(
        self,
        flags: tuple[str, ...],
        line_room: float,
        name_need: float,
        inner_width: float,
        inner_height: float,
    ) -> tuple[int, tuple[str, ...], float]:
        """Where a block's safety badges go and which show: (line, badges, their width).

        Beside the name when the name keeps most of the line; otherwise on the status line
        (a tall block), at the end of the time line (a two-line block), or squeezed to the
        most urgent and a count (a one-line block). A few answers serve a whole day."""
        key = (flags, line_room, name_need, inner_width, inner_height)
        found = self._badge_places.get(key)
        if found is not None:
            return found
        fonts = self.fonts
        badge_line = _BESIDE_NAME
        if _chips_width(flags, fonts) > line_room - name_need:
            lines_available = 1 + int((inner_height - self._name_h + 2) // self._detail_h)
            if lines_available >= 3:
                badge_line = _STATUS_LINE
            elif lines_available == 2:
                badge_line = _TIME_LINE
        if badge_line == _BESIDE_NAME:
            chips = fit_badges(flags, line_room - name_need, fonts)
        else:
            room = inner_width if badge_line == _STATUS_LINE else inner_width * 0.6
            chips = fit_badges(flags, room, fonts)
        found = (badge_line, chips, _chips_width(chips, fonts))
        if len(self._badge_places) > BACKGROUND_CACHE_SIZE:
            self._badge_places.clear()
        self._badge_places[key] = found
        return found

    def _background(
        self,
        status: AppointmentStatus,
        colour: str,
        width: int,
        height: int,
        selected: bool,
        opacity: float,
        badge_line: int = _BESIDE_NAME,
        chips: tuple[str, ...] = (),
    ) -> QImage:
        """The block without its text, one pixel larger all round (the selection's thick
        outline spills over): drawn once per look and size, then kept."""
        key = (status, colour, width, height, selected, opacity, badge_line, chips)
        image = self._backgrounds.get(key)
        if image is not None:
            return image
        image = self._image(width + 2, height + 2)
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setOpacity(opacity)
            painter.translate(1, 1)
            self._paint_background(
                painter, width, height, status, QColor(colour), selected, badge_line, chips
            )
        finally:
            painter.end()
        self._backgrounds[key] = image
        while len(self._backgrounds) > BACKGROUND_CACHE_SIZE:  # the oldest made go first
            self._backgrounds.popitem(last=False)
        return image

    def _paint_background(
        self,
        painter: QPainter,
        width: int,
        height: int,
        status: AppointmentStatus,
        service_colour: QColor,
        selected: bool,
        badge_line: int,
        chips: tuple[str, ...],
    ) -> None:
        fonts = self.fonts
        style = self._styles[status]
        card = QRectF(0, 0, width, height).adjusted(
            _CARD_LEFT, _CARD_TOP, -_CARD_RIGHT, -_CARD_BOTTOM
        )
        _paint_card(painter, card, style, service_colour, selected, self)
        inner = card.adjusted(BAR_WIDTH + PADDING, 2.0, -PADDING, -2.0)
        if inner.width() < 8 or inner.height() < 6:
            return
        name_h, detail_h = self._name_h, self._detail_h
        right = inner.right()
        top = inner.top()
        if style.letter and inner.width() > DISC_MIN_WIDTH:
            disc = QRectF(right - ICON_SIZE, top + (name_h - ICON_SIZE) / 2, ICON_SIZE, ICON_SIZE)
            _paint_status_icon(painter, disc, style.icon, style.letter, fonts)
            right = disc.left() - CHIP_GAP
        if not chips:
            return
        if badge_line == _BESIDE_NAME:
            self._paint_chips(painter, chips, right, top, name_h)
            return
        y = top + name_h + (detail_h if badge_line == _STATUS_LINE else 0.0)
        if y + detail_h > inner.bottom() + 2:
            return  # the line is not shown: the block is too short
        if badge_line == _STATUS_LINE:
            self._paint_chips(
                painter, chips, inner.left() + _chips_width(chips, fonts), y, detail_h
            )
        else:
            self._paint_chips(painter, chips, inner.right(), y, detail_h)

    def _paint_chips(
        self,
        painter: QPainter,
        labels: Sequence[str],
        right: float,
        top: float,
        line_height: float,
    ) -> None:
        """Badge chips ending at ``right``."""
        fonts = self.fonts
        chip_h = min(line_height - 2, self._chip_h)
        x = right - _chips_width(labels, fonts)
        for label in labels:
            width = _chip_width(label, fonts)
            chip = QRectF(x, top + (line_height - chip_h) / 2, width, chip_h)
            fill, text = badge_colours(label) if not label.startswith("+") else MORE_BADGES
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(chip, 3.0, 3.0)
            painter.setPen(text)
            painter.setFont(fonts.chip)
            _centred_text(painter, chip, label, fonts)
            x += width + CHIP_GAP


def _paint_card(
    painter: QPainter,
    card: QRectF,
    style: StatusStyle,
    service_colour: QColor,
    selected: bool,
    owner: BlockPainter,
) -> None:
    """The rounded card with its service bar, fill, status pattern and outline."""
    path = QPainterPath()
    path.addRoundedRect(card, RADIUS, RADIUS)
    fill = style.fill
    if style is owner._styles[AppointmentStatus.BOOKED]:
        # a booked block carries a whisper of its service colour to tell services apart
        fill = mix(fill, service_colour, 0.10 if not owner.dark else 0.18)
    painter.fillPath(path, fill)
    if style is owner._styles[AppointmentStatus.NO_SHOW]:
        painter.save()
        painter.setClipPath(path, Qt.ClipOperation.IntersectClip)
        hatch = QColor(style.outline)
        hatch.setAlpha(60)
        pen = QPen(hatch)
        pen.setWidthF(1.0)
        painter.setPen(pen)
        x = card.left() - card.height()
        while x < card.right():
            painter.drawLine(QPointF(x, card.bottom()), QPointF(x + card.height(), card.top()))
            x += 8.0
        painter.restore()
    # the service bar on the left: rounded on the outside, squared off inside (no clip)
    bar = QPainterPath()
    bar.addRoundedRect(
        QRectF(card.left(), card.top(), BAR_WIDTH + RADIUS, card.height()), RADIUS, RADIUS
    )
    painter.fillPath(bar, service_colour)
    painter.fillRect(
        QRectF(card.left() + BAR_WIDTH, card.top() + 0.5, RADIUS, card.height() - 1), fill
    )
    pen = QPen(owner.grid.selection if selected else style.outline)
    pen.setWidthF(2.5 if selected else 1.0)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)


def _chip_width(label: str, fonts: BlockFonts) -> float:
    return fonts.chip_advance(label) + 8.0


def _chips_width(labels: Sequence[str], fonts: BlockFonts) -> float:
    if not labels:
        return 0.0
    return sum(_chip_width(label, fonts) for label in labels) + CHIP_GAP * (len(labels) - 1)


def fit_badges(badges: Sequence[str], room: float, fonts: BlockFonts) -> tuple[str, ...]:
    """The badges that fit in ``room`` pixels, most urgent first; the rest as "+N".

    A referral badge is always kept: it must never be hidden.
    """
    if not badges:
        return ()
    if _chips_width(badges, fonts) <= room:
        return tuple(badges)
    kept: list[str] = []
    for index, badge in enumerate(badges):
        rest = len(badges) - index - 1
        trial = [*kept, badge] + ([f"+{rest}"] if rest else [])
        if _chips_width(trial, fonts) <= room or badge in URGENT_BADGES:
            kept.append(badge)
        else:
            break
    hidden = len(badges) - len(kept)
    if hidden:
        kept.append(f"+{hidden}")
    return tuple(kept)


def _paint_status_icon(
    painter: QPainter, disc: QRectF, colour: QColor, letter: str, fonts: BlockFonts
) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(disc)
    painter.setPen(WHITE)
    painter.setFont(fonts.chip)
    _centred_text(painter, disc, letter, fonts)


def _centred_text(painter: QPainter, box: QRectF, text: str, fonts: BlockFonts) -> None:
    """Chip text centred in ``box`` (placed at a point: much cheaper than a laid-out draw)."""
    metrics = fonts.chip_metrics
    x = box.center().x() - fonts.chip_advance(text) / 2
    y = box.center().y() + (metrics.ascent() - metrics.descent()) / 2
    painter.drawText(QPointF(x, y), text)


def _time_line(record: AppointmentRecord, start: int, end: int, tz: object) -> str:
    """The time line, "09:30–10:15 Acupuncture": from the block's minutes when it lies
    inside its day (the layout worked them out from the same times), else from the record's
    times."""
    if 0 < start < end < _MINUTES_PER_DAY:
        return f"{_CLOCK[start]}–{_CLOCK[end]} {record.service_name}"
    local_start = record.starts_at.astimezone(tz)  # type: ignore[arg-type]
    local_end = record.ends_at.astimezone(tz)  # type: ignore[arg-type]
    return (
        f"{_CLOCK[local_start.hour * 60 + local_start.minute]}–"
        f"{_CLOCK[local_end.hour * 60 + local_end.minute]} {record.service_name}"
    )


def _draw_lines(
    painter: QPainter, left: int, top: int, lines: Sequence[TextLine], strike: Strike | None
) -> None:
    """One block's text at (left, top): the name, its strike-through, the other lines."""
    for index, (x, y, text, font, pen) in enumerate(lines):
        painter.setFont(font)
        painter.setPen(pen)
        painter.drawText(QPointF(left + x, top + y), text)
        if index == 0 and strike is not None:
            strike_x, strike_y, strike_end = strike
            painter.drawLine(
                QPointF(left + strike_x, top + strike_y), QPointF(left + strike_end, top + strike_y)
            )


def tooltip_html(record: AppointmentRecord, tz: object, now: datetime) -> str:
    """The details shown when the pointer rests on a block."""
    from html import escape

    start = record.starts_at.astimezone(tz)  # type: ignore[arg-type]
    end = record.ends_at.astimezone(tz)  # type: ignore[arg-type]
    rows = [
        ("When", f"{start:%a} {start.day} {start:%b}, {hm(start)}–{hm(end)}"),
        ("Patient", record.patient_name),
        ("Service", record.service_name),
        ("Practitioner", record.practitioner_name),
        ("Room", record.room_name or "No room"),
        ("Status", record.status.label + (" (late cancel)" if record.late_cancel else "")),
    ]
    if record.status is AppointmentStatus.ARRIVED and record.arrived_at is not None:
        rows.append(("Arrived", status_line(record, tz, now)))
    if record.cancel_reason:
        rows.append(("Reason", record.cancel_reason))
    if record.walk_in:
        rows.append(("Walk-in", "Yes"))
    if record.course_id is not None:
        rows.append(("Course", "Part of a treatment course"))
    if record.notes:
        rows.append(("Notes", record.notes))
    if record.flags:
        summary = record.flag_summary or ", ".join(record.flags)
        rows.append(("Safety", f"<b style='color:#B3261E'>{escape(summary)}</b>"))
    body = "".join(
        f"<tr><td style='padding-right:8px'><b>{escape(k)}</b></td><td>"
        f"{v if k == 'Safety' else escape(v)}</td></tr>"
        for k, v in rows
    )
    return f"<table>{body}</table>"
