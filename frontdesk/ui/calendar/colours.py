"""Colours of the calendar: statuses, shading and safety badges, light and dark.

Status colours are chosen so the dark text of a block keeps a contrast of at least 4.5:1
on every fill (WCAG AA); the dark scheme swaps fills for deep tones with light text.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from frontdesk.domain.enums import AppointmentStatus


@dataclass(frozen=True)
class StatusStyle:
    """How one status looks: block fill, outline, the icon's disc and its letter."""

    fill: QColor
    outline: QColor
    icon: QColor
    letter: str
    label: str


def is_dark() -> bool:
    """Whether the system asks for a dark colour scheme."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hints is not None else Qt.ColorScheme.Unknown
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


_LIGHT = {
    AppointmentStatus.BOOKED: ("#FFFFFF", "#8A96A3", "#5F6B78", "", "Booked"),
    AppointmentStatus.ARRIVED: ("#FFF1D0", "#B8860B", "#9A6700", "A", "Arrived"),
    AppointmentStatus.IN_TREATMENT: ("#DCEAFB", "#2F6DB5", "#1F5FAD", "T", "In treatment"),
    AppointmentStatus.COMPLETED: ("#E4F2E6", "#5E9A68", "#2E7D3A", "✓", "Completed"),
    AppointmentStatus.NO_SHOW: ("#FBE4E2", "#C0392B", "#B3261E", "N", "No-show"),
    AppointmentStatus.CANCELLED: ("#F1F2F4", "#B4BBC3", "#6B7480", "✕", "Cancelled"),
}
_DARK = {
    AppointmentStatus.BOOKED: ("#2B3138", "#6F7B88", "#9AA6B2", "", "Booked"),
    AppointmentStatus.ARRIVED: ("#4A3B12", "#D4A32A", "#D4A32A", "A", "Arrived"),
    AppointmentStatus.IN_TREATMENT: ("#1D3552", "#5B9BE0", "#5B9BE0", "T", "In treatment"),
    AppointmentStatus.COMPLETED: ("#1F3A26", "#6DB37A", "#6DB37A", "✓", "Completed"),
    AppointmentStatus.NO_SHOW: ("#4A1F1C", "#E06B5E", "#E06B5E", "N", "No-show"),
    AppointmentStatus.CANCELLED: ("#2A2D31", "#5A6169", "#8A929B", "✕", "Cancelled"),
}


def status_style(status: AppointmentStatus, dark: bool = False) -> StatusStyle:
    fill, outline, icon, letter, label = (_DARK if dark else _LIGHT)[status]
    return StatusStyle(QColor(fill), QColor(outline), QColor(icon), letter, label)


@dataclass(frozen=True)
class GridColours:
    """Background and lines of the time grid."""

    working: QColor
    closed: QColor
    hour_line: QColor
    grid_line: QColor
    header: QColor
    header_text: QColor
    text: QColor
    muted_text: QColor
    now_line: QColor
    selection: QColor
    drag_fill: QColor
    today_header: QColor


def grid_colours(dark: bool = False) -> GridColours:
    if dark:
        return GridColours(
            working=QColor("#23272C"),
            closed=QColor("#181A1D"),
            hour_line=QColor("#4A5058"),
            grid_line=QColor("#30353B"),
            header=QColor("#2B3036"),
            header_text=QColor("#E8EAED"),
            text=QColor("#ECEFF2"),
            muted_text=QColor("#B3BAC2"),
            now_line=QColor("#FF6B5E"),
            selection=QColor("#7FB2F0"),
            drag_fill=QColor(127, 178, 240, 70),
            today_header=QColor("#1D3552"),
        )
    return GridColours(
        working=QColor("#FFFFFF"),
        closed=QColor("#E9ECEF"),
        hour_line=QColor("#B9C0C8"),
        grid_line=QColor("#E6E9ED"),
        header=QColor("#F4F6F8"),
        header_text=QColor("#1F2328"),
        text=QColor("#1F2328"),
        muted_text=QColor("#4F5963"),
        now_line=QColor("#D93025"),
        selection=QColor("#1A73E8"),
        drag_fill=QColor(26, 115, 232, 50),
        today_header=QColor("#E3EEFC"),
    )


#: safety badges that must stand out: a referral advice first of all
URGENT_BADGES = frozenset({"REFER"})
MISSING_SCREEN_BADGE = "SCREEN?"


def badge_colours(badge: str) -> tuple[QColor, QColor]:
    """(fill, text) of a safety badge chip."""
    if badge in URGENT_BADGES:
        return QColor("#9B1C1C"), QColor("#FFFFFF")
    if badge == MISSING_SCREEN_BADGE:
        return QColor("#FFE08A"), QColor("#4D3800")
    return QColor("#C62828"), QColor("#FFFFFF")


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) of the way towards ``b``."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )
