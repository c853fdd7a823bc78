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

Each block is also drawn once into an image and kept (keyed by the appointment record
itself, its size, selection and fading): scrolling, the minute tick, hovering and going
back to a day already seen then copy images instead of drawing text again.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Sequence
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
        self._pixmaps: OrderedDict[tuple[object, ...], QImage] = OrderedDict()
        self._pending: list[tuple[tuple[object, ...], tuple[object, ...]]] = []
        #: block backgrounds (card, disc, badges): pictures without the appointment's text
        self._backgrounds: OrderedDict[tuple[object, ...], QImage] = OrderedDict()
        self._pens = {
            opacity: (_faded(grid.text, opacity), _faded(grid.muted_text, opacity))
            for opacity in (1.0, FREED_OPACITY, DIMMED_OPACITY)
        }
        # whole pixels (text is drawn at whole pixels anyway)
        self._name_ascent = fonts.name_metrics.ascent()
        self._detail_ascent = fonts.detail_metrics.ascent()
        self._name_h = fonts.name_metrics.height()
        self._detail_h = fonts.detail_metrics.height()
        self._two_lines_height = self._name_h + self._detail_h - 2
        self._chip_h = float(fonts.chip_metrics.height()) + 2.0
        self._with_disc = frozenset(s for s, style in self._styles.items() if style.letter)
        self._badge_places: dict[tuple[object, ...], tuple[int, tuple[str, ...], float]] = {}
        self.rendered = 0  # blocks drawn afresh (for tests and the benchmark)

    def clear(self) -> None:
        """Forget every block drawn (the backgrounds, which show no appointment's data,
        are kept)."""
        self._pixmaps.clear()
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
        self.paint_at(
            painter,
            left,
            top,
            round(rect.right()) - left,
            round(rect.bottom()) - top,
            record,
            tz,
            now,
            selected,
            dimmed,
        )

    def paint_at(
        self,
        painter: QPainter,
        left: int,
        top: int,
        width: int,
        height: int,
        record: AppointmentRecord,
        tz: object,
        now: datetime,
        selected: bool = False,
        dimmed: bool = False,
    ) -> None:
        """:meth:`paint` at whole pixels (the views' loop, without a rectangle to build)."""
        width = max(1, width)
        height = max(1, height)
        status = record.status
        # the waiting minutes of an arrived patient change the picture every minute
        minute = (
            int((now - record.arrived_at).total_seconds() // 60)
            if status is _ARRIVED and record.arrived_at is not None
            else 0
        )
        opacity = DIMMED_OPACITY if dimmed else 1.0 if status in _OCCUPYING else FREED_OPACITY
        key = (record, width, height, selected, minute, opacity)
        image = self._pixmaps.get(key)
        if image is not None:
            self._pixmaps.move_to_end(key)
            painter.drawImage(left, top, image)
            return
        # first sight: draw straight away (quicker than drawing into an image first)
        # and keep the picture for later paints once the screen is up to date
        self._draw(painter, left, top, width, height, record, tz, now, selected, opacity)
        self._pending.append((key, (record, width, height, tz, now, selected, opacity)))

    @property
    def has_pending(self) -> bool:
        return bool(self._pending)

    def cache_pending(self) -> int:
        """Draw the blocks seen for the first time into kept images; returns how many."""
        done = 0
        while self._pending:
            key, (record, width, height, tz, now, selected, opacity) = self._pending.pop()
            if key in self._pixmaps:
                continue
            self._pixmaps[key] = self._render(
                record,  # type: ignore[arg-type]
                width,  # type: ignore[arg-type]
                height,  # type: ignore[arg-type]
                tz=tz,
                now=now,  # type: ignore[arg-type]
                selected=selected,  # type: ignore[arg-type]
                opacity=opacity,  # type: ignore[arg-type]
            )
            done += 1
        while len(self._pixmaps) > CACHE_SIZE:
            self._pixmaps.popitem(last=False)
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

    def _render(
        self,
        record: AppointmentRecord,
        width: int,
        height: int,
        *,
        tz: object,
        now: datetime,
        selected: bool,
        opacity: float = 1.0,
    ) -> QImage:
        self.rendered += 1
        image = self._image(width, height)
        painter = QPainter(image)
        try:
            self._draw(painter, 0, 0, width, height, record, tz, now, selected, opacity)
        finally:
            painter.end()
        return image

    # -- one block ---------------------------------------------------------------------------

    def _draw(
        self,
        painter: QPainter,
        x0: int,
        y0: int,
        width: int,
        height: int,
        record: AppointmentRecord,
        tz: object,
        now: datetime,
        selected: bool,
        opacity: float,
    ) -> None:
        """The block at (x0, y0): its background from a kept image, then its text."""
        # (run for every block of every day shown: kept to plain arithmetic and lookups)
        # the card is the block less a pixel (two on the right); text starts past the bar
        inner_width = width - _INNER_SIDES
        inner_height = height - _INNER_TOP_BOTTOM
        status = record.status
        if inner_width < 8 or inner_height < 6:
            painter.drawImage(
                x0 - 1, y0 - 1, self._background(record, width, height, selected, opacity)
            )
            return
        fonts = self.fonts
        # what is left of the first line after the status disc on its right
        line_room = inner_width
        if status in self._with_disc and inner_width > DISC_MIN_WIDTH:
            line_room -= ICON_SIZE + CHIP_GAP
        one_line = inner_height < self._two_lines_height
        name = record.patient_name
        if one_line:
            name = f"{name} · {record.service_name}"
        flags = record.flags
        if flags:
            need = fonts.name_fit.width_up_to(name, max(MIN_NAME_WIDTH, 0.6 * line_room))
            badge_line, chips, chips_width = self._badges(
                flags, line_room, need, inner_width, inner_height
            )
        else:
            badge_line, chips, chips_width = _BESIDE_NAME, (), 0.0
        painter.drawImage(
            x0 - 1,
            y0 - 1,
            self._background(record, width, height, selected, opacity, badge_line, chips),
        )

        left = x0 + _TEXT_LEFT
        top = y0 + _TEXT_TOP
        name_width = line_room
        if chips and badge_line == _BESIDE_NAME:
            name_width = max(0.0, name_width - chips_width - CHIP_GAP)
        text_pen, muted_pen = self._pens[opacity]
        painter.setPen(text_pen)
        elided, font = fonts.name_fit.fit(name, name_width)
        painter.setFont(font)
        painter.drawText(left, top + self._name_ascent, elided)
        if status is _CANCELLED and elided:
            strike = min(name_width, fonts.name_fit.width(elided))
            y = top + self._name_h / 2 + 1
            painter.drawLine(QPointF(left, y), QPointF(left + strike, y))
        if one_line:
            return
        detail_h = self._detail_h
        limit = top + inner_height + 2
        y = top + self._name_h
        if y + detail_h > limit:
            return
        painter.setPen(muted_pen)
        # the time line (with the badges at its end when they go there)
        start = record.starts_at.astimezone(tz)  # type: ignore[arg-type]
        end = record.ends_at.astimezone(tz)  # type: ignore[arg-type]
        line = (
            f"{_CLOCK[start.hour * 60 + start.minute]}–{_CLOCK[end.hour * 60 + end.minute]} "
            f"{record.service_name}"
        )
        room = inner_width
        if chips and badge_line == _TIME_LINE:
            room -= chips_width + CHIP_GAP
        if room > 8:
            elided, font = fonts.detail_fit.fit(line, room)
            painter.setFont(font)
            painter.drawText(left, y + self._detail_ascent, elided)
        y += detail_h
        if y + detail_h > limit:
            return
        # the status line (after the badges when they go there)
        line = status_line(record, tz, now)
        room = inner_width
        line_left: float = left
        if chips and badge_line == _STATUS_LINE:
            room -= chips_width + CHIP_GAP
            line_left += chips_width + CHIP_GAP
        if line and room > 8:
            elided, font = fonts.detail_fit.fit(line, room)
            painter.setFont(font)
            painter.drawText(QPointF(line_left, y + self._detail_ascent), elided)

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
        record: AppointmentRecord,
        width: int,
        height: int,
        selected: bool,
        opacity: float,
        badge_line: int = _BESIDE_NAME,
        chips: tuple[str, ...] = (),
    ) -> QImage:
        """The block without its text, one pixel larger all round (the selection's thick
        outline spills over): drawn once per look and size, then kept."""
        status = record.status
        colour = record.service_colour
        key = (status, colour, width, height, selected, opacity, badge_line, chips)
        image = self._backgrounds.get(key)
        if image is not None:
            self._backgrounds.move_to_end(key)
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
        while len(self._backgrounds) > BACKGROUND_CACHE_SIZE:
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
