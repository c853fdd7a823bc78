"""Measuring and eliding the short lines of appointment blocks, quickly.

A full day draws a name and a time line in each of some seventy blocks. Asking Qt for a
width shapes the text, and Qt's eliding shapes it again: together they cost more than
drawing it. Most lines are plain Latin, Greek, Cyrillic or Chinese letters, whose width in
a line is the sum of the letters' widths plus the kerning of each pair of neighbours (a
few tenths of a pixel, nearly always closer). Both are kept in tables, each letter and
pair measured by Qt the first time it is met (a clinic's names soon repeat them), and a
line is measured by adding them up; the pairs are added only near the line's room, where
they can decide. Lines with letters that shaping may join or move (combining marks,
Arabic, Indic scripts, emoji) are left to Qt.
"""

from __future__ import annotations

import math
import unicodedata
from bisect import bisect_left
from itertools import accumulate

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QFontMetricsF

#: how far kerning can move the end of a line from the sum of its letters' widths (the
#: demo clinic's names and services: at most 2.8 pixels, always closer); further from its
#: room than this, a line is measured by its letters alone
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
        #: two letters -> how much their kerning changes the sum of their widths
        self._pairs: dict[tuple[str, str], float] = {}
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

    def _kerning(self, text: str, count: int) -> float:
        """The kerning of the first ``count`` pairs of neighbours in ``text``."""
        pairs = self._pairs
        firsts, seconds = text[:count], text[1 : count + 1]
        try:
            return sum(map(pairs.__getitem__, zip(firsts, seconds, strict=False)))
        except KeyError:
            advances, measure = self._advances, self.metrics.horizontalAdvance
            for first, second in zip(firsts, seconds, strict=False):
                if (first, second) not in pairs:
                    pairs[first, second] = (
                        measure(first + second) - advances[first] - advances[second]
                    )
            return sum(map(pairs.__getitem__, zip(firsts, seconds, strict=False)))

    def width(self, text: str) -> float:
        """The width of ``text`` in a line."""
        letters = self._letters(text)
        if letters == math.inf:
            return self.metrics.horizontalAdvance(text)
        return letters + self._kerning(text, len(text) - 1)

    def width_up_to(self, text: str, cap: float) -> float:
        """``min(width(text), cap)``, with the kerning added only when it could matter."""
        if self._letters(text) - KERNING_SLACK >= cap:
            return cap
        return min(self.width(text), cap)

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
        last = len(text) - 1
        # near the room, kerning decides (in whole pixels, as Qt measures)
        if letters - KERNING_SLACK <= room and round(letters + self._kerning(text, last)) <= room:
            return text
        available = int(room) - self.ellipsis_width
        if available < 0:
            return ""
        # Qt keeps the letters that end before the room left for "…" (never all of them);
        # by their widths alone they end later than in the line, so at least these fit
        advances = self._advances
        ends = list(accumulate(map(advances.__getitem__, text)))
        cut = bisect_left(ends, available)
        if cut < last and ends[cut] - KERNING_SLACK < available:
            # kerning may let more in: a letter ends where its kerning to the next does
            kerning = self._kerning(text, cut + 1)
            while cut < last and ends[cut] + kerning < available:
                cut += 1
                if cut < last:
                    kerning += self._kerning(text[cut:], 1)
        return text[: min(cut, last)] + ELLIPSIS
