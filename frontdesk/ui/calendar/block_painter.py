"""Painting one appointment block: rounded card, service bar, name, time, status, badges.

Kept apart from the view so the day and week views draw blocks the same way, and so the
rules for small blocks (fewer lines, fewer badges) live in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen

from frontdesk.domain.enums import AppointmentStatus
from frontdesk.services.records import AppointmentRecord
from frontdesk.ui.calendar.colours import (
    URGENT_BADGES,
    GridColours,
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


def block_fonts(base: QFont) -> BlockFonts:
    name = QFont(base)
    name.setBold(True)
    chip = QFont(base)
    chip.setBold(True)
    chip.setPointSizeF(max(7.0, base.pointSizeF() * 0.8))
    return BlockFonts(name, QFont(base), chip)


def hm(moment: datetime) -> str:
    return f"{moment:%H:%M}"


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
    return status.label if status is not AppointmentStatus.NO_SHOW else "No-show"


def paint_block(
    painter: QPainter,
    rect: QRectF,
    record: AppointmentRecord,
    fonts: BlockFonts,
    grid: GridColours,
    *,
    tz: object,
    now: datetime,
    dark: bool = False,
    selected: bool = False,
    dimmed: bool = False,
) -> None:
    """Draw one appointment into ``rect`` (view coordinates)."""
    style = status_style(record.status, dark)
    freed = not record.status.occupies_time
    painter.save()
    if freed or dimmed:
        painter.setOpacity(0.55 if freed else 0.35)
    card = rect.adjusted(1.0, 1.0, -2.0, -1.0)
    path = QPainterPath()
    path.addRoundedRect(card, RADIUS, RADIUS)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    service_colour = QColor(record.service_colour)
    fill = style.fill
    if record.status is AppointmentStatus.BOOKED:
        # a booked block carries a whisper of its service colour to tell services apart
        fill = mix(fill, service_colour, 0.10 if not dark else 0.18)
    painter.fillPath(path, fill)
    if record.status is AppointmentStatus.NO_SHOW:
        painter.save()
        painter.setClipPath(path)
        painter.fillPath(
            path, QColor(style.outline.red(), style.outline.green(), style.outline.blue(), 28)
        )
        pen = QPen(QColor(style.outline.red(), style.outline.green(), style.outline.blue(), 60))
        pen.setWidthF(1.0)
        painter.setPen(pen)
        step = 8.0
        x = card.left() - card.height()
        while x < card.right():
            painter.drawLine(QPointF(x, card.bottom()), QPointF(x + card.height(), card.top()))
            x += step
        painter.restore()
    # the service bar on the left
    painter.save()
    painter.setClipPath(path)
    painter.fillRect(QRectF(card.left(), card.top(), BAR_WIDTH, card.height()), service_colour)
    painter.restore()
    pen = QPen(grid.selection if selected else style.outline)
    pen.setWidthF(2.5 if selected else 1.0)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)

    inner = card.adjusted(BAR_WIDTH + PADDING, 2.0, -PADDING, -2.0)
    if inner.width() < 8 or inner.height() < 6:
        painter.restore()
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
    # the status line below (a tall block) or squeezed to the most urgent one and a count
    line_room = right - inner.left()
    name_need = min(
        float(fonts.name_metrics.horizontalAdvance(name)), max(MIN_NAME_WIDTH, 0.6 * line_room)
    )
    beside = fit_badges(record.flags, line_room - name_need, fonts.chip_metrics)
    lines_available = 1 + int((inner.height() - name_h + 2) // detail_h)
    badges_below = bool(record.flags) and beside != list(record.flags) and lines_available >= 3
    if not badges_below:
        right = _paint_chips(painter, beside, right, top, name_h, fonts)

    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setPen(grid.text)
    painter.setFont(fonts.name)
    name_width = max(0.0, right - inner.left())
    elided = fonts.name_metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(name_width))
    name_rect = QRectF(inner.left(), top, name_width, name_h)
    painter.drawText(
        name_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), elided
    )
    if record.status is AppointmentStatus.CANCELLED and elided:
        width = min(name_width, float(fonts.name_metrics.horizontalAdvance(elided)))
        y = name_rect.center().y() + 1
        painter.drawLine(QPointF(inner.left(), y), QPointF(inner.left() + width, y))
    if one_line:
        painter.restore()
        return
    painter.setFont(fonts.detail)
    painter.setPen(grid.muted_text)
    y = top + name_h
    lines = [detail_line(record, tz), status_line(record, tz, now)]
    for number, line in enumerate(lines):
        if y + detail_h > inner.bottom() + 2:
            break
        left = inner.left()
        if number == 1 and badges_below:
            chips = fit_badges(record.flags, inner.width(), fonts.chip_metrics)
            width = _chips_width(chips, fonts.chip_metrics)
            _paint_chips(painter, chips, left + width, y, detail_h, fonts)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setFont(fonts.detail)
            painter.setPen(grid.muted_text)
            left += width + CHIP_GAP
        if line and inner.right() - left > 8:
            text = fonts.detail_metrics.elidedText(
                line, Qt.TextElideMode.ElideRight, int(inner.right() - left)
            )
            painter.drawText(
                QRectF(left, y, inner.right() - left, detail_h),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
        y += detail_h
    painter.restore()


def _chip_width(label: str, metrics: QFontMetrics) -> float:
    return metrics.horizontalAdvance(label) + 8.0


def _chips_width(labels: list[str], metrics: QFontMetrics) -> float:
    if not labels:
        return 0.0
    return sum(_chip_width(label, metrics) for label in labels) + CHIP_GAP * (len(labels) - 1)


def fit_badges(badges: tuple[str, ...], room: float, metrics: QFontMetrics) -> list[str]:
    """The badges that fit in ``room`` pixels, most urgent first; the rest as "+N".

    A referral badge is always kept: it must never be hidden.
    """
    if not badges:
        return []
    if _chips_width(list(badges), metrics) <= room:
        return list(badges)
    kept: list[str] = []
    for index, badge in enumerate(badges):
        rest = len(badges) - index - 1
        trial = [*kept, badge] + ([f"+{rest}"] if rest else [])
        if _chips_width(trial, metrics) <= room or badge in URGENT_BADGES:
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
    x = right - _chips_width(labels, metrics)
    start = x
    for label in labels:
        width = _chip_width(label, metrics)
        chip = QRectF(x, top + (line_height - chip_h) / 2, width, chip_h)
        fill, text = (
            badge_colours(label)
            if not label.startswith("+")
            else (QColor("#C62828"), QColor("#FFFFFF"))
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(chip, 3.0, 3.0)
        painter.setPen(text)
        painter.drawText(chip, int(Qt.AlignmentFlag.AlignCenter), label)
        x += width + CHIP_GAP
    return start - CHIP_GAP


def _paint_status_icon(
    painter: QPainter, disc: QRectF, colour: QColor, letter: str, fonts: BlockFonts
) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(disc)
    painter.setPen(QColor("#FFFFFF"))
    painter.setFont(fonts.chip)
    painter.drawText(disc, int(Qt.AlignmentFlag.AlignCenter), letter)


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
