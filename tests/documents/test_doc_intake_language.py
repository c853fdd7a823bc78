"""The blank and fillable intake forms in the patient's language (English and Simplified
Chinese), from editable texts with built-in fall-backs."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from frontdesk.documents.data import ClinicHeader, IntakeFormContext, PatientLine
from frontdesk.documents.form_text_defaults import TEXTS
from frontdesk.documents.form_texts import (
    english_texts,
    load_form_texts,
    read_form_texts,
    reference_file,
    shipped_texts_dir,
)
from frontdesk.documents.intake_form import (
    read_fillable_form,
    render_blank_intake,
    render_fillable_intake,
)
from frontdesk.domain.intake import IntakeData

CLINIC = ClinicHeader("Harbour Acupuncture & TCM", ("12 Quay Street",), "+44 20 7946 0000")
CHINESE_PATIENT = IntakeFormContext(
    PatientLine("王小明", date(1958, 4, 2), preferred_language="zh-CN"), date(2025, 3, 4)
)


@pytest.fixture(scope="module")
def chinese_blank() -> bytes:
    return render_blank_intake(CLINIC, context=CHINESE_PATIENT)


@pytest.fixture(scope="module")
def chinese_fillable() -> bytes:
    return render_fillable_intake(CLINIC, language="zh")


def test_a_patient_who_prefers_chinese_gets_the_form_in_chinese(chinese_blank, pdf_text):
    text = pdf_text(chinese_blank)
    for chinese in (
        "患者登记表及健康史",
        "王小明 · 2025年3月4日",
        "您是否在服用抗凝血药",
        "7. 泡澡或淋浴时，您能分辨出热水和冷水吗？",
        "左脚底",
        "治疗知情同意书",
        "患者签名",
    ):
        assert chinese in text
    for english in ("Do you take a blood thinner", "Safety questions", "Left sole", "Page 1"):
        assert english not in text
    assert "Michigan Neuropathy Screening Instrument" in text  # the source stays as published


def test_every_page_of_the_chinese_form_is_numbered_in_chinese(chinese_blank, page_texts):
    pages = page_texts(chinese_blank)
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页，共 {len(pages)} 页" in " ".join(text.split())


def test_the_language_asked_for_wins_over_the_patients(pdf_text):
    text = pdf_text(render_blank_intake(CLINIC, context=CHINESE_PATIENT, language="en"))
    assert "Do you take a blood thinner" in text and "抗凝血药" not in text


def test_a_language_without_texts_prints_in_english(pdf_text):
    assert "Safety questions" in pdf_text(render_blank_intake(CLINIC, language="vi"))


def test_the_chinese_tablet_form_has_the_same_fields(chinese_fillable):
    english = PdfReader(io.BytesIO(render_fillable_intake(CLINIC))).get_fields() or {}
    chinese = PdfReader(io.BytesIO(chinese_fillable)).get_fields() or {}
    assert set(chinese) == set(english)
    assert chinese["safety-anticoagulant"]["/FT"] == "/Btn"
    assert "抗凝血药" in str(chinese["safety-anticoagulant"].get("/TU"))


def test_a_form_filled_in_chinese_reads_back(chinese_fillable):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(chinese_fillable)))
    values = {
        "chief_complaint-character": "灼热，刺麻、麻木",
        "causes-chemotherapy-started": "2019年2月1日",
        "safety-anticoagulant": "/yes",
        "consent-signer_name": "王小明",
        "consent-signed_on": "2025年3月4日",
    }
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    form = read_fillable_form(out.getvalue())
    assert form.problems == ()
    intake = IntakeData.from_dict(form.intake)
    assert intake.chief_complaint.character == ("灼热", "刺麻", "麻木")
    assert intake.causes.chemotherapy.started == date(2019, 2, 1)
    assert intake.safety.anticoagulant
    assert (intake.consent.signer_name, intake.consent.signed_on) == ("王小明", date(2025, 3, 4))


def test_the_shipped_chinese_texts_cover_every_line_of_the_form():
    texts = read_form_texts("zh")
    assert texts.language == "zh" and texts.problems == []
    untranslated = [k for k in english_texts() if k not in texts.texts and k != "separator"]
    assert untranslated == [], "add these keys to resources/intake_form/zh/form.txt"


def test_the_shipped_files_are_the_built_in_texts():
    for language in ("en", "zh"):
        shipped = (shipped_texts_dir() / language / "form.txt").read_text(encoding="utf-8")
        assert shipped == reference_file(language)


def test_the_clinics_own_wording_wins(tmp_path: Path, pdf_text):
    (tmp_path / "zh").mkdir()
    (tmp_path / "zh" / "form.txt").write_text(
        "# the clinic's edits\nsection.safety = 安全须知\nno.such.key = 不打印\n", encoding="utf-8"
    )
    texts = read_form_texts("zh", tmp_path)
    assert texts.get("section.safety", "") == "安全须知"
    assert texts.get("section.consent", "") == TEXTS["zh"]["section.consent"]  # built in
    assert any("no.such.key" in problem for problem in texts.problems)
    text = pdf_text(render_blank_intake(CLINIC, language="zh", texts_dir=tmp_path))
    assert "安全须知" in text and "不打印" not in text


def test_broken_texts_fall_back_and_never_stop_printing(tmp_path: Path, pdf_text):
    (tmp_path / "zh").mkdir()
    (tmp_path / "zh" / "form.txt").write_bytes(b"page = \xff\xfe broken {pages}\n")
    texts = read_form_texts("zh", tmp_path)  # unreadable: the shipped and built-in texts
    assert texts.word("page", page=1, total=2) == "第 1 页，共 2 页"
    (tmp_path / "zh" / "form.txt").write_text("page = 第 {pages} 页\n", encoding="utf-8")
    texts = load_form_texts("zh", tmp_path)  # an edit is picked up at the next form
    assert texts.word("page", page=1, total=2) == "第 1 页，共 2 页"  # the line before it
    assert any("placeholder" in problem for problem in texts.problems)
    text = pdf_text(render_blank_intake(CLINIC, language="zh", texts_dir=tmp_path))
    assert "第 1 页，共" in text


def test_english_edits_change_the_english_form(tmp_path: Path, pdf_text):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "form.txt").write_text(
        "field.safety-fasting_today = Have you skipped your meals today?\n", encoding="utf-8"
    )
    text = pdf_text(render_blank_intake(CLINIC, texts_dir=tmp_path))
    assert "Have you skipped your meals today?" in text
    assert "Have you not eaten anything today?" not in text


@pytest.mark.sqlite_only
def test_the_desk_prints_forms_in_the_patients_or_the_clinics_language(clinic, pdf_text):
    from frontdesk.services.patients import PatientInput
    from frontdesk.services.printing import PrintService

    printing = PrintService(clinic)
    patient = PatientInput(legal_name="Wang Xiaoming", preferred_language="zh")
    pid = clinic.patients.create(patient).id
    assert "您是否在服用抗凝血药" in pdf_text(printing.fillable_intake(pid))
    assert "Do you take a blood thinner" in pdf_text(printing.fillable_intake(pid, "en"))
    assert "Do you take a blood thinner" in pdf_text(printing.blank_intake())
    settings = clinic.clinic.profile().settings
    clinic.clinic.update_profile(settings={**settings, "language": "zh"})
    assert printing.form_language() == "zh"
    assert "您是否在服用抗凝血药" in pdf_text(printing.blank_intake())
    assert "Do you take a blood thinner" in pdf_text(printing.blank_intake("en"))


@pytest.mark.parametrize("paper", ["A4", "LETTER"])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_body_map_tables_keep_their_heading_row_on_every_paper(paper, language, page_texts):
    from frontdesk.documents.data import PrintOptions
    from frontdesk.domain.enums import PaperSize

    pdf = render_fillable_intake(
        CLINIC, context=CHINESE_PATIENT, language=language, options=PrintOptions(PaperSize[paper])
    )
    heading, row = ("side", "Forearm") if language == "en" else ("侧", "前臂")
    for text in page_texts(pdf):
        # the last row of a side's table is on the same page as that table's heading row
        assert text.count(row) <= text.count(heading)
