"""What every document shares: embedded fonts, exact bytes, paper sizes, page numbers."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path

import pytest
from pypdf import PdfReader

from frontdesk.documents.aftercare import render_aftercare
from frontdesk.documents.data import (
    AftercareInput,
    ClinicHeader,
    DaySheetInput,
    DaySheetRow,
    IntakeFormContext,
    MnsiPoint,
    PatientLine,
    PrintOptions,
    ProgressInput,
    VisitSummary,
)
from frontdesk.documents.day_sheet import render_day_sheet
from frontdesk.documents.fonts import load_fonts
from frontdesk.documents.intake_form import render_blank_intake, render_fillable_intake
from frontdesk.documents.intake_summary import render_filled_intake
from frontdesk.documents.progress import render_progress_report
from frontdesk.domain.enums import PaperSize, ServiceKind

HARD_NAME = "Zoë Łukasz-Nguyễn 王小明"
CLINIC = ClinicHeader("Harbour Acupuncture & TCM", ("12 Quay Street",), "+44 20 7946 0000")
PATIENT = PatientLine(HARD_NAME, date(1958, 4, 2), "P-1042")


def _documents() -> dict[str, Callable[[PrintOptions], bytes]]:
    from frontdesk.domain.intake import IntakeData, PainScores

    intake = IntakeData(pain=PainScores(now=5))
    context = IntakeFormContext(PATIENT, date(2025, 3, 4))
    return {
        "aftercare": lambda o: render_aftercare(
            AftercareInput(PATIENT, date(2025, 3, 4), "Mei Chen", (ServiceKind.CUPPING,)),
            CLINIC,
            options=o,
        ),
        "day_sheet": lambda o: render_day_sheet(
            DaySheetInput(
                date(2025, 3, 4), (DaySheetRow(time(9), HARD_NAME, "Acupuncture", "Mei Chen"),)
            ),
            CLINIC,
            options=o,
        ),
        "progress": lambda o: render_progress_report(
            ProgressInput(
                PATIENT,
                (VisitSummary(date(2025, 1, 6), ("Acupuncture",), "Mei Chen", 6, 4, ("ST36",)),),
                (MnsiPoint(date(2025, 1, 6), 8),),
            ),
            CLINIC,
            options=o,
        ),
        "blank_intake": lambda o: render_blank_intake(CLINIC, options=o, context=context),
        "fillable_intake": lambda o: render_fillable_intake(CLINIC, options=o, context=context),
        "filled_intake": lambda o: render_filled_intake(intake, CLINIC, options=o, context=context),
    }


DOCUMENTS = _documents()


@pytest.fixture(scope="module", params=sorted(DOCUMENTS))
def rendered(request) -> tuple[str, bytes]:
    return request.param, DOCUMENTS[request.param](PrintOptions())


def _page_fonts(pdf: bytes) -> list[tuple[str, object]]:
    fonts = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources") or {}
        for name, ref in (resources.get("/Font") or {}).items():
            fonts.append((name, ref.get_object()))
    return fonts


def test_every_font_is_embedded(rendered):
    _name, pdf = rendered
    fonts = _page_fonts(pdf)
    assert fonts
    for font_name, font in fonts:
        descriptor = font.get("/FontDescriptor")
        if descriptor is None and "/DescendantFonts" in font:
            descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
        assert descriptor is not None, f"{font_name} ({font.get('/BaseFont')}) has no descriptor"
        assert "/FontFile2" in descriptor.get_object(), f"{font.get('/BaseFont')} not embedded"


def test_hard_name_comes_back_intact(rendered, pdf_text):
    name, pdf = rendered
    if name == "blank_intake" or name == "fillable_intake":
        assert HARD_NAME in pdf_text(pdf)  # printed in the form's heading from the context
    else:
        assert HARD_NAME in pdf_text(pdf)


def test_same_input_gives_the_same_bytes(rendered):
    name, pdf = rendered
    assert DOCUMENTS[name](PrintOptions()) == pdf


def test_page_numbers_say_x_of_y(rendered, page_texts):
    _name, pdf = rendered
    pages = page_texts(pdf)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text


@pytest.mark.parametrize("name", ["aftercare", "blank_intake"])
def test_letter_and_a4(name):
    a4 = PdfReader(io.BytesIO(DOCUMENTS[name](PrintOptions(PaperSize.A4)))).pages[0].mediabox
    letter = PdfReader(io.BytesIO(DOCUMENTS[name](PrintOptions(PaperSize.LETTER)))).pages[0]
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)
    assert (round(float(letter.mediabox.width)), round(float(letter.mediabox.height))) == (612, 792)


def test_day_sheet_prints_turned():
    page = PdfReader(io.BytesIO(DOCUMENTS["day_sheet"](PrintOptions()))).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)


def test_creation_date_can_be_fixed():
    pdf = DOCUMENTS["aftercare"](PrintOptions(created=datetime(2025, 3, 4, 10, 30)))
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert info is not None and info["/CreationDate"].startswith("D:20250304103000")


def test_without_fonts_it_warns_and_falls_back_to_helvetica(tmp_path: Path):
    with pytest.warns(RuntimeWarning, match="No TrueType font found"):
        fonts = load_fonts([tmp_path])
    assert fonts.regular == "Helvetica" and not fonts.embedded
    assert fonts.markup("a < b") == "a &lt; b"


def test_chinese_runs_switch_to_the_cjk_font():
    from frontdesk.documents.fonts import get_fonts

    fonts = get_fonts()
    if fonts.cjk is None:
        pytest.skip("no CJK font installed")
    assert list(fonts.runs("Zoë 王小明 ok")) == [("Zoë ", False), ("王小明 ", True), ("ok", False)]


def test_importing_the_package_does_not_load_reportlab():
    code = (
        "import sys, frontdesk.documents as d; "
        "assert 'reportlab' not in sys.modules and 'pypdf' not in sys.modules; "
        "d.AftercareInput; print('light')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "light", result.stderr


def test_a_system_with_only_a_chinese_font_uses_it_for_everything(tmp_path: Path):
    wqy = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
    if not wqy.is_file():
        pytest.skip("WenQuanYi Micro Hei not installed")
    (tmp_path / "wqy-microhei.ttc").symlink_to(wqy)
    fonts = load_fonts([tmp_path], prefix="TestOnlyCjk")
    assert fonts.embedded and fonts.cjk == "TestOnlyCjkCJK"
    assert all(fonts.covers(ch) for ch in HARD_NAME + "Ελληνικά Кириллица ẠẢẤ")
    # the regular font already has every glyph, so no text is switched to the CJK font
    assert list(fonts.runs(HARD_NAME)) == [(HARD_NAME, False)]


def test_wording_parsed_once_prints_like_freshly_parsed_text():
    """Headings and handout texts are parsed once per process and shared between
    documents; a page break inside one of them must not change the next document."""
    from frontdesk.documents.layout import PageChrome, build_pdf
    from frontdesk.documents.styles import make_styles

    styles = make_styles()
    long_text = "Nerve damage dulls feeling, so small injuries can go unnoticed. " * 90

    def document(make) -> bytes:
        story = [make("Caring for your feet", styles.h1), make(long_text), make(long_text)]
        return build_pdf(story, fonts=styles.fonts, chrome=PageChrome(CLINIC, "Test"))

    fresh = document(styles.para)
    assert len(PdfReader(io.BytesIO(fresh)).pages) >= 3  # the texts break across pages
    assert document(styles.fixed) == fresh
    assert document(styles.fixed) == fresh  # now from the parsed copy


def test_a_paragraph_measured_at_two_widths_keeps_the_right_lines():
    from frontdesk.documents.styles import make_styles

    styles = make_styles()
    text = "Test bath and shower water with your elbow or a thermometer, never with your foot."
    paragraph = styles.para(text)
    narrow = paragraph.wrap(120, 1000)
    wide = paragraph.wrap(400, 1000)
    assert narrow[1] > wide[1]
    assert paragraph.wrap(120, 1000) == narrow == styles.para(text).wrap(120, 1000)
