"""Embedded TrueType fonts that show every script the clinic's patients write their names in.

A PDF viewer can only draw what the document embeds, and the 14 standard PDF fonts know
nothing beyond Western European letters. So the documents embed two fonts found on the
system: a Latin font with a real bold (DejaVu Sans, else Arial) that covers accented Latin,
Polish, Vietnamese, Greek and Cyrillic, and a CJK font (WenQuanYi Micro Hei, Microsoft YaHei,
SimSun, PingFang, STHeiti...) for Chinese. Text is cut into runs and each run goes to the
first font that has its glyphs, so "Zoë Łukasz-Nguyễn 王小明" prints as typed.

When no font is found the documents still print in Helvetica, after one warning.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

log = logging.getLogger(__name__)

#: names under which the fonts are registered with ReportLab
REGULAR = "FrontdeskSans"
BOLD = "FrontdeskSans-Bold"
CJK = "FrontdeskCJK"

#: the standard font used when nothing better is installed (not embedded, Latin-1 only)
FALLBACK_REGULAR = "Helvetica"
FALLBACK_BOLD = "Helvetica-Bold"


@dataclass(frozen=True)
class FontCandidate:
    """A font file worth trying, with the face to take from a collection (.ttc)."""

    path: Path
    subfont: int = 0


def _windows_font_dir() -> Path:
    return Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"


def _font_dirs() -> list[Path]:
    home = Path.home()
    if sys.platform.startswith("win"):
        local = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
        return [_windows_font_dir(), local / "Microsoft" / "Windows" / "Fonts"]
    if sys.platform == "darwin":
        return [
            Path("/System/Library/Fonts"),
            Path("/System/Library/Fonts/Supplemental"),
            Path("/Library/Fonts"),
            home / "Library" / "Fonts",
        ]
    return [
        Path("/usr/share/fonts/truetype/dejavu"),
        Path("/usr/share/fonts/dejavu"),
        Path("/usr/share/fonts/TTF"),
        Path("/usr/share/fonts/truetype/wqy"),
        Path("/usr/share/fonts/wqy-microhei"),
        Path("/usr/share/fonts/wenquanyi/wqy-microhei"),
        Path("/usr/share/fonts/truetype"),
        Path("/usr/local/share/fonts"),
        home / ".local" / "share" / "fonts",
        home / ".fonts",
    ]


# File names in order of preference. Only TrueType outlines work with ReportLab; the
# OpenType/CFF Noto CJK files are therefore not listed.
_LATIN_REGULAR = ("DejaVuSans.ttf", "arial.ttf", "Arial.ttf", "LiberationSans-Regular.ttf")
_LATIN_BOLD = ("DejaVuSans-Bold.ttf", "arialbd.ttf", "Arial Bold.ttf", "LiberationSans-Bold.ttf")
_CJK_FILES = (
    ("wqy-microhei.ttc", 0),
    ("wqy-zenhei.ttc", 0),
    ("msyh.ttc", 0),
    ("msyh.ttf", 0),
    ("simsun.ttc", 0),
    ("PingFang.ttc", 0),
    ("STHeiti Light.ttc", 0),
    ("STHeiti Medium.ttc", 0),
    ("Arial Unicode.ttf", 0),
    ("Arial Unicode MS.ttf", 0),
    ("DroidSansFallbackFull.ttf", 0),
)


def _find(names: Iterable[str], dirs: Sequence[Path]) -> Iterator[Path]:
    for name in names:
        for folder in dirs:
            candidate = folder / name
            if candidate.is_file():
                yield candidate


@dataclass
class FontSet:
    """The fonts a document uses, registered with ReportLab and ready to draw."""

    regular: str
    bold: str
    #: the CJK font's registered name, or None when no CJK font was found
    cjk: str | None
    #: whether the fonts are embedded TrueType (False only for the Helvetica fallback)
    embedded: bool
    files: tuple[Path, ...] = ()
    _regular_cmap: frozenset[int] | dict[int, int] = field(default_factory=frozenset, repr=False)
    _cjk_cmap: frozenset[int] | dict[int, int] = field(default_factory=frozenset, repr=False)
    _markup_cache: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _pieces_cache: dict[tuple[str, float, bool], tuple[tuple[str, str, float], ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def covers(self, char: str) -> bool:
        """Whether some font of the set has a glyph for ``char``."""
        code = ord(char)
        if not self.embedded:
            return code < 256
        return code in self._regular_cmap or code in self._cjk_cmap

    def runs(self, text: str) -> Iterator[tuple[str, bool]]:
        """Cut ``text`` into (run, needs_cjk_font) pieces."""
        if not text:
            return
        if self.cjk is None or not self.embedded:
            yield text, False
            return
        current: list[str] = []
        current_cjk = False
        for ch in text:
            code = ord(ch)
            if code in self._cjk_cmap and (0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF):
                # Chinese punctuation and full-width forms: a Latin font's versions are
                # narrow and crowd the characters around them
                is_cjk = True
            # spaces and characters both fonts lack stay with the run they are in
            elif code in self._regular_cmap or code not in self._cjk_cmap:
                is_cjk = current_cjk if ch.isspace() and current else False
            else:
                is_cjk = True
            if current and is_cjk != current_cjk:
                yield "".join(current), current_cjk
                current = []
            current_cjk = is_cjk
            current.append(ch)
        if current:
            yield "".join(current), current_cjk

    def markup(self, text: str) -> str:
        """Escape ``text`` for a ReportLab Paragraph and wrap CJK runs in the CJK font."""
        cached = self._markup_cache.get(text)
        if cached is not None:
            return cached
        parts = []
        for run, is_cjk in self.runs(text):
            escaped = escape(run)
            parts.append(f'<font name="{self.cjk}">{escaped}</font>' if is_cjk else escaped)
        result = "".join(parts)
        # handout texts repeat on every handout of the day: remember them (bounded)
        if len(self._markup_cache) < 4096:
            self._markup_cache[text] = result
        return result

    def _pieces(self, text: str, size: float, bold: bool) -> tuple[tuple[str, str, float], ...]:
        """(run, font, width) of each run of ``text``, remembered for repeated labels."""
        key = (text, size, bold)
        pieces = self._pieces_cache.get(key)
        if pieces is None:
            from reportlab.pdfbase.pdfmetrics import stringWidth

            base = self.bold if bold else self.regular
            pieces = tuple(
                (run, font, float(stringWidth(run, font, size)))
                for run, is_cjk in self.runs(text)
                for font in [self.cjk if is_cjk and self.cjk else base]
            )
            # headers, footers and figure titles repeat on every page: remember them (bounded)
            if len(self._pieces_cache) < 1024:
                self._pieces_cache[key] = pieces
        return pieces

    def draw_string(
        self,
        canvas: Any,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        align: str = "left",
    ) -> float:
        """Draw one line of text on a canvas, switching fonts per run; return its width."""
        return self.draw_strings(canvas, [(x, y, text)], size, bold=bold, align=align)[0]

    def draw_strings(
        self,
        canvas: Any,
        lines: Iterable[tuple[float, float, str]],
        size: float,
        *,
        bold: bool = False,
        align: str = "left",
    ) -> list[float]:
        """Draw single lines of text, each at its (x, y), in one text object; return widths.

        One text object with the fonts set inside it writes far fewer PDF operators than a
        string at a time, and nothing here changes the canvas's own font.
        """
        text_object = canvas.beginText()
        current: str | None = None
        widths = []
        for x, y, line in lines:
            pieces = self._pieces(line, size, bold)
            width = sum(w for _run, _font, w in pieces)
            widths.append(width)
            if align == "right":
                x -= width
            elif align == "center":
                x -= width / 2
            text_object.setTextOrigin(x, y)
            for run, font, _w in pieces:
                if font != current:
                    text_object.setFont(font, size)
                    current = font
                text_object.textOut(run)  # moves on by the run's width, ready for the next
        if current is not None:
            canvas.drawText(text_object)
        return widths

    def string_width(self, text: str, size: float, *, bold: bool = False) -> float:
        """Width of ``text`` in points as :meth:`draw_string` would draw it."""
        return sum(w for _run, _font, w in self._pieces(text, size, bold))


_lock = threading.Lock()
_cached: FontSet | None = None


def get_fonts() -> FontSet:
    """Find, load and register the fonts once per process; later calls are free."""
    global _cached
    with _lock:
        if _cached is None:
            _cached = load_fonts(_font_dirs())
        return _cached


def reset_fonts_for_tests() -> None:
    """Forget the loaded fonts so a test can load them from other folders."""
    global _cached
    with _lock:
        _cached = None


def _try_load(name: str, path: Path, subfont: int = 0) -> Any | None:
    from reportlab.pdfbase.ttfonts import TTFont

    try:
        return TTFont(name, str(path), subfontIndex=subfont)
    except Exception as exc:  # a broken or CFF-based file: try the next one
        log.info("font %s not usable: %s", path, exc)
        return None


def load_fonts(dirs: Sequence[Path], *, prefix: str = "Frontdesk") -> FontSet:
    """Load fonts from ``dirs`` (first usable file of each kind wins) and register them.

    Warns once (``warnings`` and ``logging``) when the documents will lack a script.
    ``prefix`` names the registered fonts ("FrontdeskSans"...); tests use another one so
    they do not replace the fonts other documents use.
    """
    regular_name, bold_name, cjk_name = f"{prefix}Sans", f"{prefix}Sans-Bold", f"{prefix}CJK"
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular: TTFont | None = None
    bold: TTFont | None = None
    cjk: TTFont | None = None
    cjk_source: tuple[Path, int] | None = None
    regular_source: tuple[Path, int] = (Path(), 0)
    for path in _find(_LATIN_REGULAR, dirs):
        regular = _try_load(regular_name, path)
        if regular is not None:
            regular_source = (path, 0)
            break
    for path in _find(_LATIN_BOLD, dirs):
        bold = _try_load(bold_name, path)
        if bold is not None:
            break
    for name, subfont in _CJK_FILES:
        for path in _find((name,), dirs):
            cjk = _try_load(cjk_name, path, subfont)
            if cjk is not None:
                cjk_source = (path, subfont)
                break
        if cjk is not None:
            break

    if regular is None and cjk_source is not None:
        # the CJK fonts carry Latin, Greek and Cyrillic too: use them for everything
        regular = _try_load(regular_name, *cjk_source)
        regular_source = cjk_source
    if regular is None:
        _warn(
            "No TrueType font found; documents use Helvetica and cannot show Polish, "
            "Vietnamese, Greek, Cyrillic or Chinese letters. Install DejaVu Sans and "
            "WenQuanYi Micro Hei (fonts-dejavu-core, fonts-wqy-microhei)."
        )
        return FontSet(FALLBACK_REGULAR, FALLBACK_BOLD, None, embedded=False)
    if bold is None:
        # no bold face: headings print in the regular weight rather than not at all
        bold = _try_load(bold_name, *regular_source)
    if cjk is None:
        _warn(
            "No Chinese font found; Chinese characters will not print. "
            "Install WenQuanYi Micro Hei (fonts-wqy-microhei)."
        )

    files: list[Path] = [regular_source[0]]
    if cjk_source is not None:
        files.append(cjk_source[0])
    for font in (regular, bold, cjk):
        if font is not None:
            pdfmetrics.registerFont(font)
    assert bold is not None
    pdfmetrics.registerFontFamily(
        regular_name, normal=regular_name, bold=bold_name, italic=regular_name, boldItalic=bold_name
    )
    if cjk is not None:
        pdfmetrics.registerFontFamily(
            cjk_name, normal=cjk_name, bold=cjk_name, italic=cjk_name, boldItalic=cjk_name
        )
    return FontSet(
        regular_name,
        bold_name,
        cjk_name if cjk is not None else None,
        embedded=True,
        files=tuple(files),
        _regular_cmap=regular.face.charToGlyph,
        _cjk_cmap=cjk.face.charToGlyph if cjk is not None else frozenset(),
    )


_warned: set[str] = set()


def _warn(message: str) -> None:
    if message in _warned:
        return
    _warned.add(message)
    log.warning(message)
    warnings.warn(message, RuntimeWarning, stacklevel=3)
