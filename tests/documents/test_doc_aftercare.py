"""The aftercare handout prints what concerns the visit, and nothing else."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from frontdesk.documents.aftercare import plan_handout, render_aftercare
from frontdesk.documents.data import AftercareInput, ClinicHeader, NextAppointment, PatientLine
from frontdesk.documents.handout_texts import load_handout_texts
from frontdesk.domain.enums import ServiceKind

HARD_NAME = "Zoë Łukasz-Nguyễn 王小明"


def visit(patient: PatientLine, *services: ServiceKind | str, **kw: object) -> AftercareInput:
    return AftercareInput(patient, date(2025, 3, 4), "Mei Chen", tuple(services), **kw)  # type: ignore[arg-type]


def test_acupuncture_only_visit_has_no_other_service_sections(header, patient, pdf_text):
    text = pdf_text(render_aftercare(visit(patient, ServiceKind.ACUPUNCTURE), header))
    assert "After acupuncture" in text
    assert "press on it with clean cotton" in text.lower() or "Press on it" in text
    for absent in ("After massage", "After cupping", "After electro-acupuncture", "moxibustion"):
        assert absent not in text
    assert "Caring for your feet and hands" not in text


def test_each_service_received_gets_its_section(header, patient, pdf_text):
    data = visit(patient, ServiceKind.CUPPING, "massage", ServiceKind.MOXIBUSTION)
    text = pdf_text(render_aftercare(data, header))
    assert "After cupping" in text and "After massage" in text and "After moxibustion" in text
    assert "After acupuncture" not in text


def test_electro_acupuncture_also_prints_the_acupuncture_advice(header, patient, pdf_text):
    text = pdf_text(render_aftercare(visit(patient, ServiceKind.ELECTRO_ACUPUNCTURE), header))
    assert text.index("After acupuncture") < text.index("After electro-acupuncture")
    assert "Electro-acupuncture" in text  # the treatment line


def test_neuropathy_home_care_only_for_patients_with_symptoms(header, patient, pdf_text):
    without = pdf_text(render_aftercare(visit(patient, ServiceKind.MASSAGE), header))
    with_symptoms = pdf_text(
        render_aftercare(visit(patient, ServiceKind.MASSAGE, neuropathy_symptoms=True), header)
    )
    assert "Caring for your feet and hands at home" not in without
    assert "Caring for your feet and hands at home" in with_symptoms
    assert "elbow or a thermometer" in with_symptoms
    # the foot red flags in the urgent-care box follow the same rule
    assert "toe turns cold" not in without
    assert "toe turns cold" in with_symptoms


def test_chest_warning_only_after_needling(header, patient, pdf_text):
    massage = pdf_text(render_aftercare(visit(patient, ServiceKind.MASSAGE), header))
    needles = pdf_text(render_aftercare(visit(patient, ServiceKind.ACUPUNCTURE), header))
    assert "chest pain" not in massage
    assert "chest pain" in needles
    assert "urgent medical help" in massage and "urgent medical help" in needles


def test_patient_cautions_come_from_their_flags(header, patient, pdf_text):
    plain = pdf_text(render_aftercare(visit(patient, ServiceKind.ACUPUNCTURE), header))
    flagged = pdf_text(
        render_aftercare(
            visit(
                patient,
                ServiceKind.ACUPUNCTURE,
                cautions=("numb_skin", "anticoagulant"),
                extra_cautions=("Keep the left foot dressing dry.",),
            ),
            header,
        )
    )
    assert "Special cautions for you" not in plain
    assert "Special cautions for you" in flagged
    assert "Never put heat on numb areas" in flagged
    assert "5 minutes or more" in flagged
    assert "Keep the left foot dressing dry." in flagged


def test_unknown_caution_key_is_skipped_not_fatal(header, patient, pdf_text):
    data = visit(patient, ServiceKind.ACUPUNCTURE, cautions=("no_such_caution",))
    assert "Special cautions" not in pdf_text(render_aftercare(data, header))


def test_note_next_appointments_and_phone(header, patient, pdf_text):
    data = visit(
        patient,
        ServiceKind.ACUPUNCTURE,
        practitioner_note="Walk 20 minutes every day.",
        next_appointments=(
            NextAppointment(datetime(2025, 3, 11, 9, 0), "acupuncture", "Mei Chen", 45),
            NextAppointment(datetime(2025, 3, 7, 10, 30), "Cupping", "Mei Chen"),
        ),
    )
    text = pdf_text(render_aftercare(data, header))
    assert "A note from your practitioner" in text and "Walk 20 minutes every day." in text
    assert text.index("Fri 7 Mar 2025 10:30") < text.index("Tue 11 Mar 2025 09:00")
    assert "Clinic phone: +44 20 7946 0000" in text
    assert "When to call the clinic" in text


def test_no_booking_says_how_to_book(header, patient, pdf_text):
    text = pdf_text(render_aftercare(visit(patient, ServiceKind.CUPPING), header))
    assert "No further appointment is booked" in text


def test_hard_name_survives(header, patient, pdf_text):
    text = pdf_text(render_aftercare(visit(patient, ServiceKind.ACUPUNCTURE), header))
    assert HARD_NAME in text


def test_chinese_for_patients_who_prefer_it(header, patient, pdf_text):
    zh = replace(patient, preferred_language="zh-CN")
    text = pdf_text(
        render_aftercare(visit(zh, ServiceKind.ACUPUNCTURE, ServiceKind.CUPPING), header)
    )
    assert "治疗后注意事项" in text
    assert "针灸后" in text and "拔罐后" in text
    assert "推拿按摩后" not in text
    assert "After acupuncture" not in text
    assert "第 1 页，共 1 页" in text or "第 1 页" in text


def test_unknown_language_falls_back_to_english(header, patient, pdf_text):
    fr = replace(patient, preferred_language="fr")
    text = pdf_text(render_aftercare(visit(fr, ServiceKind.ACUPUNCTURE), header))
    assert "After acupuncture" in text


def test_clinic_override_folder_wins(tmp_path: Path, header, patient, pdf_text):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "acupuncture.md").write_text(
        "# After your needles\nOur own words about resting.\n\n- Sip warm water.\n",
        encoding="utf-8",
    )
    text = pdf_text(
        render_aftercare(visit(patient, ServiceKind.ACUPUNCTURE), header, texts_dir=tmp_path)
    )
    assert "After your needles" in text and "Sip warm water." in text
    assert "After acupuncture" not in text


def test_broken_override_falls_back_to_the_shipped_text(tmp_path: Path, header, patient):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "acupuncture.md").write_bytes(b"\xff\xfe not text at all \x80")
    (tmp_path / "en" / "cupping.md").write_text("no heading here\n", encoding="utf-8")
    texts = load_handout_texts("en", tmp_path)
    assert texts.sections["acupuncture"].heading == "After acupuncture"
    assert texts.sections["cupping"].heading == "After cupping"
    assert any("cupping.md" in problem for problem in texts.problems)


def test_missing_files_use_built_in_texts(tmp_path: Path):
    texts = load_handout_texts("zh", resources_dir=tmp_path)
    assert texts.sections["massage"].heading == "推拿按摩后"
    assert texts.label("title") == "治疗后注意事项"


def test_a_new_language_folder_prints_untranslated_parts_in_english(tmp_path: Path):
    (tmp_path / "vi").mkdir()
    (tmp_path / "vi" / "massage.md").write_text(
        "# Sau khi xoa bóp\n- Uống nước.\n", encoding="utf-8"
    )
    texts = load_handout_texts("vi-VN", tmp_path)
    assert texts.language == "vi"
    assert texts.sections["massage"].heading == "Sau khi xoa bóp"
    assert texts.sections["cupping"].heading == "After cupping"


def test_plan_lists_services_in_the_patients_language(patient):
    texts = load_handout_texts("zh")
    data = visit(patient, ServiceKind.ACUPUNCTURE, "consultation", "Foot bath")
    plan = plan_handout(data, texts)
    assert plan.service_labels == ("针灸", "中医咨询", "Foot bath")
    assert [s.key for s in plan.sections] == ["acupuncture"]


def test_logo_prints_and_a_broken_logo_does_not_stop_printing(header, patient, pdf_text):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (47, 111, 115)).save(buffer, format="PNG")
    with_logo = replace(header, logo=buffer.getvalue())
    broken = replace(header, logo=b"not an image")
    data = visit(patient, ServiceKind.ACUPUNCTURE)
    assert b"/Subtype /Image" in render_aftercare(data, with_logo)
    assert "After acupuncture" in pdf_text(render_aftercare(data, broken))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_shipped_texts_are_complete_and_parse(language):
    texts = load_handout_texts(language)
    assert texts.problems == []
    assert texts.language == language


def test_clinic_with_only_a_name(patient, pdf_text):
    bare = ClinicHeader("Quiet Needle Clinic")
    text = pdf_text(render_aftercare(visit(patient, ServiceKind.ACUPUNCTURE), bare))
    assert "Quiet Needle Clinic" in text
    assert "Clinic phone" not in text


def test_an_edited_text_is_picked_up_at_the_next_handout(tmp_path: Path):
    folder = tmp_path / "en"
    folder.mkdir()
    (folder / "massage.md").write_text("# After tui na\n- Drink water.\n", encoding="utf-8")
    assert load_handout_texts("en", tmp_path).sections["massage"].heading == "After tui na"
    (folder / "massage.md").write_text("# After your massage today\n- Rest.\n", encoding="utf-8")
    texts = load_handout_texts("en", tmp_path)
    assert texts.sections["massage"].heading == "After your massage today"


def test_a_label_with_a_broken_placeholder_prints_the_english_one(tmp_path: Path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "labels.txt").write_text(
        "phone = Ring us: {telephone}\ntitle = Looking after yourself\n", encoding="utf-8"
    )
    texts = load_handout_texts("en", tmp_path)
    assert texts.label("title") == "Looking after yourself"
    assert texts.label("phone", phone="123") == "Clinic phone: 123"
