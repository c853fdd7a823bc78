"""Measuring, eliding and choosing the font of the short lines of appointment blocks.

A full day draws a name and a time line in each of some seventy blocks. Asking Qt for a
width shapes the text, and Qt's eliding shapes it again: together they cost more than
drawing it. Most lines are plain Latin, Greek, Cyrillic or Chinese letters, whose width in
a line is the sum of the letters' widths plus the kerning of each pair of neighbours.
Both are kept in tables, each letter and pair measured by Qt the first time it is met (a
clinic's names soon repeat them), and a line is measured by adding them up; the pairs
are added only near the line's room, where they can decide.

Such lines are drawn (and measured) in a copy of the font that asks Qt not to shape them
(``QFont.PreferNoShaping``): drawing a block's line then costs about a third less. The
price is kerning, a pixel or two in a small label, which Qt then leaves out (the pairs'
table then holds nothing but noughts). Lines with letters that shaping joins or places
(combining marks, Arabic, Indic scripts, emoji) are measured, cut and drawn by Qt in the
font as given, shaped as ever: :meth:`TextFitter.fit` says which font a line goes in.
"""

from __future__ import annotations

import math
import unicodedata
from bisect import bisect_left
from itertools import accumulate

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QFontMetricsF

_NO_SHAPING = QFont.StyleStrategy.PreferNoShaping

#: how far kerning can move the end of a line from the sum of its letters' widths (the
#: demo clinic's names and services: at most 2.8 pixels, always closer); further from its
#: room than this, a line is measured by its letters alone
KERNING_SLACK = 4.0
ELLIPSIS = "…"
#: pairs of letters that every font with kerning moves closer: when none of them is
#: kerned, the font (or Qt, when it does not shape) does not kern at all
_KERNING_PROBES = ("AV", "AW", "AT", "AY", "LT", "LV", "Ta", "Te", "To", "Vo", "Wa", "Yo", "r.")

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
    """Widths, right-elided forms and drawing fonts of one font's single-line texts."""

    def __init__(self, font: QFont) -> None:
        #: the font simple lines are drawn in: Qt draws them without shaping
        self.font = QFont(font)
        self.font.setStyleStrategy(font.styleStrategy() | _NO_SHAPING)
        #: the font lines that need shaping are drawn in
        self.shaped_font = QFont(font)
        self.shaped_font.setStyleStrategy(font.styleStrategy() & ~_NO_SHAPING)
        self.metrics = QFontMetricsF(self.font)
        self._shaped_metrics = QFontMetricsF(self.shaped_font)
        self._int_metrics = QFontMetrics(self.shaped_font)
        #: letter -> width; ``inf`` for letters that need Qt's shaping
        self._advances: dict[str, float] = {}
        #: two letters -> how much their kerning changes the sum of their widths
        self._pairs: dict[tuple[str, str], float] = {}
        self.ellipsis_width = self.metrics.horizontalAdvance(ELLIPSIS)
        measure = self.metrics.horizontalAdvance
        #: whether the drawing font's letters are kerned (Qt leaves kerning out when it
        #: does not shape): without it a line is exactly its letters' widths
        self.kerns = any(
            abs(measure(pair) - measure(pair[0]) - measure(pair[1])) > 0.001
            for pair in _KERNING_PROBES
        )
        self._slack = KERNING_SLACK if self.kerns else 0.0

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
        """The width of ``text`` in a line, drawn in the font :meth:`fit` gives for it."""
        letters = self._letters(text)
        if letters == math.inf:
            return self._shaped_metrics.horizontalAdvance(text)
        return letters + self._kerning(text, len(text) - 1) if self.kerns else letters

    def fit(self, text: str, room: float) -> tuple[str, QFont]:
        """``text`` as :meth:`elide` cuts it to ``room`` pixels, and the font to draw it in
        (the shaped font when its letters need shaping)."""
        # (runs for every line of every block shown: where each letter ends is worked
        # out once, in one pass, and serves both the measure and the cut)
        advances = self._advances
        try:
            ends = list(accumulate(map(advances.__getitem__, text)))
        except KeyError:
            self._letters(text)  # measures the letters not met before
            ends = list(accumulate(map(advances.__getitem__, text)))
        letters = ends[-1] if ends else 0.0
        if letters + self._slack <= room or len(text) <= 1:
            return text, self.font
        if letters == math.inf or self.kerns:
            elided = self._elide(text, room, letters)
            return elided, self.shaped_font if letters == math.inf else self.font
        # an unkerned line is its letters' widths: Qt keeps it whole when that rounds
        # into the room, else keeps the letters that end before the room left for "…"
        if round(letters) <= room:
            return text, self.font
        available = int(room) - self.ellipsis_width
        if available < 0:
            return "", self.font
        return text[: min(bisect_left(ends, available), len(text) - 1)] + ELLIPSIS, self.font

    def width_up_to(self, text: str, cap: float) -> float:
        """``min(width(text), cap)``, with the kerning added only when it could matter."""
        letters = self._letters(text)
        if letters - self._slack >= cap:
            return cap
        if self.kerns or letters == math.inf:
            return min(self.width(text), cap)
        return letters

    def elide(self, text: str, room: float) -> str:
        """``text`` when it fits ``room`` pixels, else its longest beginning followed by "…"
        that does: what ``QFontMetrics.elidedText`` with ``Qt.ElideRight`` gives."""
        return self._elide(text, room, self._letters(text))

    def _elide(self, text: str, room: float, letters: float) -> str:
        slack = self._slack
        if letters + slack <= room or len(text) <= 1:
            return text
        if letters == math.inf:
            if self._int_metrics.horizontalAdvance(text) <= room:
                return text
            return self._int_metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(room))
        last = len(text) - 1
        # near the room, kerning and whole pixels (as Qt measures) decide
        if letters - slack <= room + 0.5:
            kerning = self._kerning(text, last) if self.kerns else 0.0
            if round(letters + kerning) <= room:
                return text
        available = int(room) - self.ellipsis_width
        if available < 0:
            return ""
        # Qt keeps the letters that end before the room left for "…" (never all of them);
        # by their widths alone they end later than in the line, so at least these fit
        advances = self._advances
        ends = list(accumulate(map(advances.__getitem__, text)))
        cut = bisect_left(ends, available)
        if self.kerns and cut < last and ends[cut] - slack < available:
            # kerning may let more in: a letter ends where its kerning to the next does
            kerning = self._kerning(text, cut + 1)
            while cut < last and ends[cut] + kerning < available:
                cut += 1
                if cut < last:
                    kerning += self._kerning(text[cut:], 1)
        return text[: min(cut, last)] + ELLIPSIS
