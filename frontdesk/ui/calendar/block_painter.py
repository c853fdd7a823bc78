"""Painting one appointment block: rounded card, service bar, name, time, status, badges.

Kept apart from the view so the day and week views draw blocks the same way, and so the
rules for small blocks (fewer lines, fewer badges) live in one place.

Each block is drawn once into a pixmap and kept (keyed by the appointment record itself,
its size and selection): scrolling, the minute tick, hovering and going back to a day
already seen then copy pixmaps instead of laying out text again.
"""

from __future__ import annotations

from collections import OrderedDict
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

RADIUS = 5.0
BAR_WIDTH = 5.0
PADDING = 4.0
ICON_SIZE = 16.0
CHIP_GAP = 3.0
#: below this many pixels the name alone is shown, without badges beside it
MIN_NAME_WIDTH = 48.0
#: rendered blocks kept; a full week of six practitioners fits several times over
CACHE_SIZE = 1500
WHITE = QColor("#FFFFFF")
MORE_BADGES = (QColor("#C62828"), WHITE)


@dataclass
class BlockFonts:
    """Fonts and metrics used for blocks, made once per paint."""

    name: QFont
    detail: QFont
    chip: QFont

    def __post_init__(self) -> None:
        self.name_metrics = QFontMetrics(self.name)
        self.detail_metrics = QFontMetrics(self.detail)
        self.chip_metrics = QFontMetrics(self.chip)
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


class BlockPainter:
    """Draws appointment blocks for one view, keeping each drawn block as a pixmap."""

    def __init__(self, fonts: BlockFonts, grid: GridColours, *, dark: bool, dpr: float) -> None:
        self.fonts = fonts
        self.grid = grid
        self.dark = dark
        self.dpr = dpr
        self._styles: dict[AppointmentStatus, StatusStyle] = {
            status: status_style(status, dark) for status in AppointmentStatus
        }
        self._pixmaps: OrderedDict[tuple[object, ...], QImage] = OrderedDict()
        self._pending: dict[tuple[object, ...], tuple[object, ...]] = {}
        self._name_ascent = float(fonts.name_metrics.ascent())
        self._detail_ascent = float(fonts.detail_metrics.ascent())
        self.rendered = 0  # blocks drawn afresh (for tests and the benchmark)

    def clear(self) -> None:
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
        """Draw ``record`` into ``rect`` (view coordinates, snapped to whole pixels)."""
        left, top = round(rect.left()), round(rect.top())
        width = max(1, round(rect.right()) - left)
        height = max(1, round(rect.bottom()) - top)
        # the waiting minutes of an arrived patient change the picture every minute
        minute = (
            int((now - record.arrived_at).total_seconds() // 60)
            if record.status is AppointmentStatus.ARRIVED and record.arrived_at is not None
            else 0
        )
        key = (record, width, height, selected, minute)
        image = self._pixmaps.get(key)
        freed = not record.status.occupies_time
        painter.save()
        if freed or dimmed:
            painter.setOpacity(0.55 if freed and not dimmed else 0.35)
        if image is not None:
            self._pixmaps.move_to_end(key)
            painter.drawImage(left, top, image)
        else:
            # first sight: draw straight away (quicker than drawing into an image first)
            # and keep the picture for later paints once the screen is up to date
            painter.translate(left, top)
            self._draw(painter, QRectF(0, 0, width, height), record, tz, now, selected)
            self._pending[key] = (record, width, height, tz, now, selected)
        painter.restore()

    @property
    def has_pending(self) -> bool:
        return bool(self._pending)

    def cache_pending(self) -> int:
        """Draw the blocks seen for the first time into kept images; returns how many."""
        done = 0
        while self._pending:
            key, (record, width, height, tz, now, selected) = self._pending.popitem()
            if key in self._pixmaps:
                continue
            self._pixmaps[key] = self._render(
                record, width, height, tz=tz, now=now, selected=selected
            )
            done += 1
        while len(self._pixmaps) > CACHE_SIZE:
            self._pixmaps.popitem(last=False)
        return done

    def _render(
        self,
        record: AppointmentRecord,
        width: int,
        height: int,
        *,
        tz: object,
        now: datetime,
        selected: bool,
    ) -> QImage:
        self.rendered += 1
        # an image, not a pixmap: text is drawn into it noticeably faster
        pixmap = QImage(
            round(width * self.dpr),
            round(height * self.dpr),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        pixmap.setDevicePixelRatio(self.dpr)
        pixmap.fill(0)
        painter = QPainter(pixmap)
        try:
            self._draw(painter, QRectF(0, 0, width, height), record, tz, now, selected)
        finally:
            painter.end()
        return pixmap

    def _draw(
        self,
        painter: QPainter,
        rect: QRectF,
        record: AppointmentRecord,
        tz: object,
        now: datetime,
        selected: bool,
    ) -> None:
        fonts, grid = self.fonts, self.grid
        style = self._styles[record.status]
        card = rect.adjusted(1.0, 1.0, -2.0, -1.0)
        path = QPainterPath()
        path.addRoundedRect(card, RADIUS, RADIUS)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        service_colour = QColor(record.service_colour)
        fill = style.fill
        if record.status is AppointmentStatus.BOOKED:
            # a booked block carries a whisper of its service colour to tell services apart
            fill = mix(fill, service_colour, 0.10 if not self.dark else 0.18)
        painter.fillPath(path, fill)
        if record.status is AppointmentStatus.NO_SHOW:
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
        pen = QPen(grid.selection if selected else style.outline)
        pen.setWidthF(2.5 if selected else 1.0)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)

        inner = card.adjusted(BAR_WIDTH + PADDING, 2.0, -PADDING, -2.0)
        if inner.width() < 8 or inner.height() < 6:
            return
        name_h = float(fonts.name_metrics.height())
        detail_h = float(fonts.detail_metrics.height())
        top = inner.top()

        # the status disc on the right of the first line
        right = inner.right()
        if style.letter and inner.width() > ICON_SIZE + MIN_NAME_WIDTH * 0.5:
            disc = QRectF(right - ICON_SIZE, top + (name_h - ICON_SIZE) / 2, ICON_SIZE, ICON_SIZE)
            _paint_status_icon(painter, disc, style.icon, style.letter, fonts)
            right = disc.left() - CHIP_GAP
        one_line = inner.height() < name_h + detail_h - 2
        name = record.patient_name
        if one_line:
            name = f"{name} · {record.service_name}"
        # safety badges beside the name when the name keeps most of the line; otherwise on
        # the status line (a tall block), at the end of the time line (a two-line block),
        # or squeezed to the most urgent and a count (a one-line block)
        line_room = right - inner.left()
        name_need_full = float(fonts.name_metrics.horizontalAdvance(name))
        name_need = min(name_need_full, max(MIN_NAME_WIDTH, 0.6 * line_room))
        lines_available = 1 + int((inner.height() - name_h + 2) // detail_h)
        badge_line = 0  # 0: beside the name; 1: the time line; 2: the status line
        if record.flags and _chips_width(list(record.flags), fonts) > line_room - name_need:
            badge_line = 2 if lines_available >= 3 else 1 if lines_available == 2 else 0
        if badge_line == 0:
            beside = fit_badges(record.flags, line_room - name_need, fonts)
            right = _paint_chips(painter, beside, right, top, name_h, fonts)

        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(grid.text)
        painter.setFont(fonts.name)
        name_width = max(0.0, right - inner.left())
        elided = _elide(name, name_need_full, name_width, fonts.name_metrics)
        baseline = top + (name_h - fonts.name_metrics.height()) / 2 + self._name_ascent
        painter.drawText(QPointF(inner.left(), baseline), elided)
        if record.status is AppointmentStatus.CANCELLED and elided:
            width = min(name_width, float(fonts.name_metrics.horizontalAdvance(elided)))
            y = top + name_h / 2 + 1
            painter.drawLine(QPointF(inner.left(), y), QPointF(inner.left() + width, y))
        if one_line:
            return
        painter.setFont(fonts.detail)
        painter.setPen(grid.muted_text)
        y = top + name_h
        lines = [detail_line(record, tz), status_line(record, tz, now)]
        for number, line in enumerate(lines, start=1):
            if y + detail_h > inner.bottom() + 2:
                break
            left, end = inner.left(), inner.right()
            if number == badge_line:
                room = inner.width() if number == 2 else inner.width() * 0.6
                chips = fit_badges(record.flags, room, fonts)
                width = _chips_width(chips, fonts)
                if number == 2:  # the status line: badges first, the status after them
                    _paint_chips(painter, chips, left + width, y, detail_h, fonts)
                    left += width + CHIP_GAP
                else:  # the time line: badges at its end
                    _paint_chips(painter, chips, end, y, detail_h, fonts)
                    end -= width + CHIP_GAP
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
                painter.setFont(fonts.detail)
                painter.setPen(grid.muted_text)
            if line and end - left > 8:
                text = _elide(line, None, end - left, fonts.detail_metrics)
                painter.drawText(QPointF(left, y + self._detail_ascent), text)
            y += detail_h


def _elide(text: str, width: float | None, room: float, metrics: QFontMetrics) -> str:
    """``text`` cut with "…" to fit ``room``; ``width`` is its measured width when known."""
    if width is None:
        width = float(metrics.horizontalAdvance(text))
    if width <= room:
        return text
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(room))


def _chip_width(label: str, fonts: BlockFonts) -> float:
    return fonts.chip_advance(label) + 8.0


def _chips_width(labels: list[str], fonts: BlockFonts) -> float:
    if not labels:
        return 0.0
    return sum(_chip_width(label, fonts) for label in labels) + CHIP_GAP * (len(labels) - 1)


def fit_badges(badges: tuple[str, ...], room: float, fonts: BlockFonts) -> list[str]:
    """The badges that fit in ``room`` pixels, most urgent first; the rest as "+N".

    A referral badge is always kept: it must never be hidden.
    """
    if not badges:
        return []
    if _chips_width(list(badges), fonts) <= room:
        return list(badges)
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
    return kept


def _paint_chips(
    painter: QPainter,
    labels: list[str],
    right: float,
    top: float,
    line_height: float,
    fonts: BlockFonts,
) -> float:
    """Draw badge chips ending at ``right``; returns the new right edge for the text."""
    if not labels:
        return right
    metrics = fonts.chip_metrics
    chip_h = min(line_height - 2, metrics.height() + 2.0)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setFont(fonts.chip)
    x = right - _chips_width(labels, fonts)
    start = x
    for label in labels:
        width = _chip_width(label, fonts)
        chip = QRectF(x, top + (line_height - chip_h) / 2, width, chip_h)
        fill, text = badge_colours(label) if not label.startswith("+") else MORE_BADGES
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(chip, 3.0, 3.0)
        painter.setPen(text)
        _centred_text(painter, chip, label, fonts)
        x += width + CHIP_GAP
    return start - CHIP_GAP


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
