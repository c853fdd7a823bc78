"""Measuring and eliding the short lines of appointment blocks, quickly.

A full day draws a name and a time line in each of some seventy blocks. Asking Qt for a
width shapes the text, and Qt's eliding shapes it again: together they cost more than
drawing it. Most lines are plain Latin, Greek, Cyrillic or Chinese letters, whose width in
a line is the sum of the letters' widths less a little kerning (a few tenths of a pixel
for some pairs). So the letters' widths are kept in a table (each measured by Qt the first
time it is met), a line is measured by adding them up, and Qt measures only the lines
within a few pixels of their room, where kerning can decide. Lines with letters that
shaping may join or move (combining marks, Arabic, Indic scripts, emoji) are left to Qt.
"""

from __future__ import annotations

import math
import unicodedata
from bisect import bisect_left
from itertools import accumulate

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QFontMetricsF

#: how far kerning can move the end of a line from the sum of its letters' widths (the
#: demo clinic's names and services: at most 2.8 pixels, always closer)
KERNING_SLACK = 4.0
ELLIPSIS = "…"

#: letters whose width on their own is their width in a line (no shaping between them)
_SIMPLE_RANGES = (
    (0x0020, 0x0590),  # Latin, Greek, Cyrillic, Armenian (combining marks excluded below)
    (0x1E00, 0x2000),  # Latin and Greek extended (Vietnamese)
    (0x2010, 0x2028),  # dashes, quotes, the ellipsis
    (0x2030, 0x205F),
    (0x20A0, 0x20C0),  # currency signs
    (0x2100, 0x2BFF),  # letter-like symbols, arrows, ticks and crosses
    (0x2E80, 0xA000),  # Chinese, Japanese
    (0xAC00, 0xD7A4),  # Korean syllables
    (0xF900, 0xFB00),
    (0xFF01, 0xFFEF),  # full-width forms
    (0x20000, 0x2FFFF),  # rarer Chinese characters
)


def _simple(char: str) -> bool:
    code = ord(char)
    if not any(low <= code < high for low, high in _SIMPLE_RANGES):
        return False
    return not unicodedata.combining(char) and unicodedata.category(char) not in ("Cf", "Mn")


class TextFitter:
    """Widths and right-elided forms of one font's single-line texts."""

    def __init__(self, font: QFont) -> None:
        self.metrics = QFontMetricsF(font)
        self._int_metrics = QFontMetrics(font)
        #: letter -> width; ``inf`` for letters that need Qt's shaping
        self._advances: dict[str, float] = {}
        self.ellipsis_width = self.metrics.horizontalAdvance(ELLIPSIS)

    def _letters(self, text: str) -> float:
        """The sum of the letters' widths (``inf`` when the line needs Qt's shaping)."""
        advances = self._advances
        try:
            return sum(map(advances.__getitem__, text))
        except KeyError:
            for char in text:
                if char not in advances:
                    advances[char] = (
                        self.metrics.horizontalAdvance(char) if _simple(char) else math.inf
                    )
            return sum(map(advances.__getitem__, text))

    def width(self, text: str) -> float:
        """The width of ``text`` in a line (Qt's measure)."""
        return self.metrics.horizontalAdvance(text)

    def width_up_to(self, text: str, cap: float) -> float:
        """``min(width(text), cap)``, measured by Qt only when kerning could matter."""
        if self._letters(text) - KERNING_SLACK >= cap:
            return cap
        return min(self.metrics.horizontalAdvance(text), cap)

    def elide(self, text: str, room: float) -> str:
        """``text`` when it fits ``room`` pixels, else its longest beginning followed by "…"
        that does: what ``QFontMetrics.elidedText`` with ``Qt.ElideRight`` gives."""
        letters = self._letters(text)
        if letters + KERNING_SLACK <= room or len(text) <= 1:
            return text
        if letters == math.inf:
            if self._int_metrics.horizontalAdvance(text) <= room:
                return text
            return self._int_metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(room))
        # near the room, kerning decides (in whole pixels, as Qt measures)
        if letters - KERNING_SLACK <= room and self._int_metrics.horizontalAdvance(text) <= room:
            return text
        available = int(room) - self.ellipsis_width
        if available < 0:
            return ""
        # Qt keeps the letters that end before the room left for "…" (never all of them);
        # by their widths alone they end later than in the line, so at least these fit
        advances = self._advances
        ends = list(accumulate(map(advances.__getitem__, text)))
        cut = bisect_left(ends, available)
        # kerning may let a letter more in: its end in the line is measured with the
        # letter after it (whose kerning counts), less that letter's own width
        exact = self.metrics.horizontalAdvance
        last = len(text) - 1
        while (
            cut < last
            and ends[cut] - KERNING_SLACK < available
            and exact(text[: cut + 2]) - advances[text[cut + 1]] < available
        ):
            cut += 1
        return text[: min(cut, last)] + ELLIPSIS
