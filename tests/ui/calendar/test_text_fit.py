"""Names and time lines in calendar blocks: cut with "…" where Qt would cut them in the font
they are drawn in, no wider than the room they are given, and drawn unshaped only when
their letters need no shaping."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

from frontdesk.ui.calendar.text_fit import ELLIPSIS, TextFitter

LINES = [
    "Margaret Hughes",
    "Đỗ Văn Anh",
    "Jenny (Yang Lihua) 杨丽华",
    "Eleni Georgiou Ελένη Γεωργίου",
    "Wolfgang Taylor AV",
    "Mary-Jane Wilson-Hughes",
    "Kofi D'Souza",
    "Ivan Petrov Иван Петров",
    "09:30–10:15 First visit: history and acupuncture",
    "14:45–15:30 Massage (tui na)",
    "Late cancel: Unwell",
    "Arrived 09:55 · waiting 7 min",
    "Ahmed أحمد",  # Arabic letters are joined by shaping: Qt measures the line
    "Zoe\u0308 Mu\u0308ller",  # combining marks: Qt measures the line
    "A",
]


@pytest.fixture(params=[False, True], ids=["regular", "bold"])
def font(request: pytest.FixtureRequest, qapp: QApplication) -> QFont:
    font = QFont(qapp.font())
    font.setBold(request.param)
    return font


def qt_elided(metrics: QFontMetrics, text: str, room: float) -> str:
    if metrics.horizontalAdvance(text) <= room:
        return text
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(room))


def test_lines_are_cut_where_qt_cuts_them_and_always_fit(font: QFont) -> None:
    fitter = TextFitter(font)
    compared = differ = 0
    for text in LINES:
        metrics = QFontMetrics(fitter.fit(text, 1000)[1])  # the font the line is drawn in
        for room in range(0, 320, 3):
            got = fitter.elide(text, room + 0.5)
            assert fitter.fit(text, room + 0.5)[0] == got  # what the blocks draw
            compared += 1
            differ += got != qt_elided(metrics, text, room + 0.5)
            if got != text:
                kept = got.replace("\u200d", "")  # Qt joins an Arabic letter to the "…"
                assert kept in ("", ELLIPSIS) or (
                    kept.endswith(ELLIPSIS) and text.startswith(kept[:-1])
                )
                # (Qt itself measures the kept letters kerned to the next one, not to
                # the "…": a cut line can run a pixel or two over, as Qt's own does)
                assert metrics.horizontalAdvance(got) <= room + 3, (text, room, got)
    # kerning at the very edge may keep or drop one letter more than Qt, rarely
    assert differ <= compared // 100


def test_a_line_that_fits_is_left_whole_and_widths_match_qt(font: QFont) -> None:
    fitter = TextFitter(font)
    for text in LINES:
        width = QFontMetrics(fitter.fit(text, 1000)[1]).horizontalAdvance(text)
        assert fitter.elide(text, width + 1) == text
        assert abs(fitter.width(text) - width) <= 1
        assert fitter.width_up_to(text, 30) == min(30, fitter.width(text))
    assert fitter.elide("Margaret Hughes", 5) == ""  # not even room for "…"


def test_only_lines_that_need_shaping_are_drawn_in_the_shaped_font(font: QFont) -> None:
    fitter = TextFitter(font)
    unshaped = QFont.StyleStrategy.PreferNoShaping
    assert fitter.font.styleStrategy() & unshaped
    assert not fitter.shaped_font.styleStrategy() & unshaped
    assert fitter.font.family() == fitter.shaped_font.family() == font.family()
    assert fitter.font.bold() == fitter.shaped_font.bold() == font.bold()
    # Latin with accents, Polish, Vietnamese, Greek, Cyrillic and Chinese need no shaping
    for text in (
        "Margaret Hughes",
        "Małgorzata Dąbrowska",
        "Đỗ Văn Anh",
        "Trần Thị Bích Ngọc",
        "Jenny (Yang Lihua) 杨丽华",
        "Eleni Georgiou Ελένη Γεωργίου",
        "09:30–10:15 Massage (tui na)",
    ):
        assert fitter.fit(text, 400) == (text, fitter.font), text
        cut, drawn_in = fitter.fit(text, 60)
        assert cut.endswith(ELLIPSIS) and drawn_in is fitter.font
    # joined letters and combining marks are left to Qt's shaping, whole or cut
    for text in ("Ahmed أحمد", "Zoe\u0308 Mu\u0308ller", "Trần Thị"):
        decomposed = text if text != "Trần Thị" else "Tra\u0300n Thi\u0323"
        assert fitter.fit(decomposed, 400)[1] is fitter.shaped_font, decomposed
        assert fitter.fit(decomposed, 40)[1] is fitter.shaped_font, decomposed
