"""The intake form: blank for paper, fillable on a tablet and read back, and the summary."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader, PdfWriter

from frontdesk.documents.data import IntakeFormContext, PatientLine
from frontdesk.documents.form_spec import NOT_ON_FORM, all_fields
from frontdesk.documents.intake_form import (
    read_fillable_form,
    read_fillable_intake,
    render_blank_intake,
    render_fillable_intake,
)
from frontdesk.documents.intake_summary import render_filled_intake
from frontdesk.domain import mnsi
from frontdesk.domain.intake import (
    CONSENT_RISKS,
    PRACTITIONER_ONLY_SECTIONS,
    IntakeData,
    Pulse,
    TcmFindings,
    diff,
)

HARD_NAME = "Zoë Łukasz-Nguyễn 王小明"


@pytest.fixture(scope="module")
def blank_fillable() -> bytes:
    from frontdesk.documents.data import ClinicHeader

    return render_fillable_intake(ClinicHeader("Harbour Acupuncture & TCM"))


def fill(pdf: bytes, values: dict[str, str]) -> bytes:
    """Fill form fields the way a tablet app would, with pypdf."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_blank_form_has_every_question_and_no_fields(header, pdf_text):
    pdf = render_blank_intake(header)
    text = pdf_text(pdf)
    for item in mnsi.ITEMS:
        assert item.question in text
    assert "Do you take a blood thinner" in text
    assert "Is one of your feet red, hot and swollen?" in text
    for risk in CONSENT_RISKS:
        assert risk.text[:40] in text
    assert "Signature of the patient" in text
    for view in ("Left foot, top", "Right sole", "Left hand, back", "Right palm"):
        assert view in text
    assert "N numbness, T tingling, B burning, P pain" in text
    assert "Pulse" not in text and "Tongue" not in text  # practitioner-only
    assert not PdfReader(io.BytesIO(pdf)).get_fields()


def test_fillable_form_has_text_check_and_radio_fields(blank_fillable):
    fields = PdfReader(io.BytesIO(blank_fillable)).get_fields()
    assert fields is not None
    assert fields["patient-name"]["/FT"] == "/Tx"
    assert fields["symptoms-sensory-numbness"]["/FT"] == "/Btn"
    assert fields["body_map-left-toes-numbness"]["/FT"] == "/Btn"
    radio_flag = 1 << 15
    for number in range(1, 16):
        field = fields[f"mnsi-{number}"]
        assert field["/FT"] == "/Btn" and int(field["/Ff"]) & radio_flag
    assert int(fields["pain-now"]["/Ff"]) & radio_flag
    assert all(not name.startswith("findings") for name in fields)


def test_every_patient_question_of_the_intake_is_on_the_form():
    names = {f.path for f in all_fields()}

    def leaves(data: object, path: tuple[str, ...]) -> list[tuple[str, ...]]:
        if isinstance(data, dict) and data and path[:1] not in (("mnsi",), ("body_map",)):
            return [leaf for k, v in data.items() for leaf in leaves(v, (*path, k))]
        return [path]

    template = IntakeData().to_dict()
    template.pop("schema")
    missing = [
        path
        for path in leaves(template, ())
        if path[0] not in PRACTITIONER_ONLY_SECTIONS
        and path not in NOT_ON_FORM
        and not any(p[: len(path)] == path for p in names)
    ]
    assert missing == []


def test_filled_on_a_tablet_reads_back_as_intake(blank_fillable):
    filled = fill(
        blank_fillable,
        {
            "patient-name": HARD_NAME,
            "patient-date_of_birth": "1958-04-02",
            "chief_complaint-what": "Numb feet\nworse at night",
            "chief_complaint-character": "burning, tingling; electric",
            "pain-now": "/6",
            "pain-worst": "/9",
            "mnsi-1": "/yes",
            "mnsi-7": "/no",
            "mnsi-13": "/yes",
            "symptoms-sensory-numbness": "/Yes",
            "symptoms-motor-falls": "/Yes",
            "body_map-left-toes-numbness": "/Yes",
            "body_map-right-sole-burning": "/Yes",
            "causes-diabetes-present": "/Yes",
            "causes-diabetes-type": "/type_2",
            "causes-diabetes-hba1c_percent": "7,4",
            "causes-chemotherapy-started": "2019-02-01",
            "medications-1-name": "Warfarin",
            "medications-1-dose": "3 mg",
            "medications-2-name": "Metformin",
            "medications-2-anticoagulant": "/Off",
            "supplements": "B12, magnesium",
            "safety-anticoagulant": "/yes",
            "safety-pregnant": "/no",
            "red_flags-hot_swollen_foot": "/yes",
            "lifestyle-smoking": "/former",
            "lifestyle-sleep_hours": "7.5",
            "lifestyle-stress": "/3",
            f"consent-risks_acknowledged-{CONSENT_RISKS[0].id}": "/Yes",
            "consent-may_stop_acknowledged": "/Yes",
            "consent-signer_name": HARD_NAME,
            "consent-signed_on": "04.03.2025",
        },
    )
    form = read_fillable_form(filled)
    assert form.problems == ()
    assert form.patient["name"] == HARD_NAME
    assert form.patient["date_of_birth"] == "1958-04-02"
    intake = IntakeData.from_dict(read_fillable_intake(filled))
    assert intake.chief_complaint.what == "Numb feet\nworse at night"
    assert intake.chief_complaint.character == ("burning", "tingling", "electric")
    assert (intake.pain.now, intake.pain.worst, intake.pain.average) == (6, 9, None)
    assert intake.mnsi == {1: True, 7: False, 13: True}
    assert intake.mnsi_result.score == 2  # item 1 yes and item 7 "no" (cannot tell hot/cold)
    assert intake.symptoms.sensory == {"numbness"} and intake.symptoms.motor == {"falls"}
    assert intake.body_map.to_dict() == {"left.toes": ["numbness"], "right.sole": ["burning"]}
    assert intake.causes.diabetes.present and intake.causes.diabetes.hba1c_percent == 7.4
    assert intake.causes.diabetes.type is not None and intake.causes.diabetes.type.value == "type_2"
    assert intake.causes.chemotherapy.started == date(2019, 2, 1)
    assert [m.name for m in intake.medications] == ["Warfarin", "Metformin"]
    assert intake.medications[0].is_blood_thinner
    assert intake.supplements == ("B12", "magnesium")
    assert intake.safety.anticoagulant and not intake.safety.pregnant
    assert intake.red_flags.hot_swollen_foot
    assert intake.lifestyle.sleep_hours == 7.5 and intake.lifestyle.stress == 3
    assert intake.consent.risks_acknowledged == {CONSENT_RISKS[0].id}
    assert intake.consent.may_stop_acknowledged
    assert intake.consent.signer_name == HARD_NAME
    assert intake.consent.signed_on == date(2025, 3, 4)


def test_unreadable_answers_are_left_out_and_named(blank_fillable):
    filled = fill(
        blank_fillable,
        {
            "causes-chemotherapy-started": "next May",
            "causes-diabetes-hba1c_percent": "95",  # beyond the intake's range
            "lifestyle-sleep_hours": "a lot",
            "medications-3-dose": "2 a day",
            "allergies-other": "penicillin",
        },
    )
    form = read_fillable_form(filled)
    intake = IntakeData.from_dict(form.intake)  # what comes back always loads
    assert intake.allergies.other == "penicillin"
    assert intake.causes.chemotherapy.started is None
    assert intake.causes.diabetes.hba1c_percent is None
    assert len(form.problems) == 4
    assert any("next May" in p for p in form.problems)
    assert any("Medicine 3" in p for p in form.problems)


def test_prefilled_form_reads_back_unchanged_but_for_the_signing(header, rich_intake):
    details = {"name": HARD_NAME, "phone": "+48 600 100 200", "date_of_birth": "1958-04-02"}
    pdf = render_fillable_intake(header, intake=rich_intake, patient_details=details)
    form = read_fillable_form(pdf)
    assert form.problems == ()
    # the patient signs, names and dates each form anew: an old signing never comes back
    unsigned_consent = replace(rich_intake.consent, signer_name="", signed_on=None)
    unsigned = replace(rich_intake, consent=unsigned_consent)
    assert diff(unsigned, IntakeData.from_dict(form.intake)) == []
    assert form.patient["name"] == HARD_NAME and form.patient["phone"] == "+48 600 100 200"


def test_prefill_never_puts_practitioner_findings_on_the_form(header, rich_intake):
    secret = replace(rich_intake, findings=TcmFindings(pattern="Kidney yang vacuity"))
    pdf = render_fillable_intake(header, intake=secret)
    fields = PdfReader(io.BytesIO(pdf)).get_fields() or {}
    assert not any("Kidney" in str(f.get("/V")) for f in fields.values())


def test_filled_summary_for_a_referring_doctor(header, rich_intake, pdf_text):
    context = IntakeFormContext(
        PatientLine(HARD_NAME, date(1958, 4, 2), "P-1042"), date(2025, 3, 4), 2, "Mei Chen"
    )
    with_findings = replace(rich_intake, findings=TcmFindings(pulse=Pulse(left_cun="thin")))
    text = pdf_text(render_filled_intake(with_findings, header, context=context))
    assert HARD_NAME in text
    assert "4 March 2025 (version 2)" in text
    assert "Warning signs: advise medical care first" in text and "Charcot" in text
    for flag in ("Blood thinner", "Numb skin", "Open sore"):
        assert flag in text
    assert "left heel" in text
    assert "6 of 10 (moderate)" in text and "8 of 10 (severe)" in text
    assert rich_intake.mnsi_result.describe()[:20] in text
    assert "left foot: numbness, tingling" in text
    assert "Apixaban" in text and "oxaliplatin" in text
    assert "Pulse: Left cun" in text
    patient_copy = pdf_text(
        render_filled_intake(
            with_findings, header, context=context, include_practitioner_findings=False
        )
    )
    assert "Pulse" not in patient_copy


def test_summary_of_an_empty_intake(header, pdf_text):
    text = pdf_text(render_filled_intake(IntakeData().to_dict(), header))
    assert "No safety flags" in text
    assert "MNSI questionnaire not answered." in text
