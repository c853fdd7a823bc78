"""The fillable intake form's signature box: a signature field for PDF apps, a drawing made
in it with a finger or a pen read back as the consent's signature, and the round trip
through the intake import."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from frontdesk.documents.data import ClinicHeader
from frontdesk.documents.intake_form import (
    read_fillable_form,
    render_blank_intake,
    render_fillable_intake,
)
from frontdesk.domain.intake import IntakeData

HARD_NAME = "Zoë Łukasz-Nguyễn 王小明"
SIGNATURE = "consent-signature"


@pytest.fixture(scope="module")
def form() -> bytes:
    return render_fillable_intake(ClinicHeader("Harbour Acupuncture & TCM"))


def signature_box(pdf: bytes) -> tuple[int, tuple[float, float, float, float]]:
    """The page number and the rectangle of the signature field."""
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/T") == SIGNATURE:
                x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
                return number, (x0, y0, x1, y1)
    raise AssertionError("no signature field")


def fill(
    pdf: bytes,
    values: dict[str, str],
    *,
    ink: Sequence[Sequence[tuple[float, float]]] = (),
    extra: DictionaryObject | None = None,
    digital: dict[str, str] | None = None,
) -> bytes:
    """Fill the form as a tablet app would: typed fields, ink strokes in page points, an
    extra annotation, or a digital signature on the signature field."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    number, _box = signature_box(pdf)
    if ink:
        xs = [x for stroke in ink for x, _y in stroke]
        ys = [y for stroke in ink for _x, y in stroke]
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Ink"),
                NameObject("/Rect"): ArrayObject(
                    FloatObject(v) for v in (min(xs), min(ys), max(xs), max(ys))
                ),
                NameObject("/InkList"): ArrayObject(
                    ArrayObject(FloatObject(c) for point in stroke for c in point) for stroke in ink
                ),
            }
        )
        writer.add_annotation(number, annotation)
    if extra is not None:
        writer.add_annotation(number, extra)
    if digital is not None:
        signed = DictionaryObject(
            {NameObject("/Type"): NameObject("/Sig")}
            | {NameObject(k): TextStringObject(v) for k, v in digital.items()}
        )
        for ref in writer.pages[number]["/Annots"]:
            annot = ref.get_object()
            if annot.get("/T") == SIGNATURE:
                annot[NameObject("/V")] = writer._add_object(signed)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_fillable_form_has_a_signature_field_over_the_signing_box(form, page_texts):
    reader = PdfReader(io.BytesIO(form))
    fields = reader.get_fields() or {}
    assert fields[SIGNATURE]["/FT"] == "/Sig"
    assert int(reader.trailer["/Root"]["/AcroForm"]["/SigFlags"]) & 1
    number, (x0, y0, x1, y1) = signature_box(form)
    assert x1 - x0 > 300 and 30 < y1 - y0 < 60  # the framed box, as wide as the text
    text = page_texts(form)[number]
    assert "Name of the person signing" in text and "Signature of the patient" in text
    assert "tap the box below" in text


def test_the_paper_form_keeps_a_box_to_sign_by_hand(header, pdf_text):
    blank = render_blank_intake(header)
    assert "Signature of the patient" in pdf_text(blank)
    assert not PdfReader(io.BytesIO(blank)).get_fields()


def test_a_signature_drawn_in_the_box_becomes_the_consents_signature(form):
    _number, (x0, y0, x1, y1) = signature_box(form)
    width, height = x1 - x0, y1 - y0
    stroke = [(x0 + width * 0.1, y0 + height * 0.8), (x0 + width * 0.5, y0 + height * 0.2)]
    beyond = [(x0 + width * 0.9, y0 + height * 0.5), (x1 + 20, y0 + height * 0.5)]
    doodle = [(x0 + 10, y1 + 300), (x0 + 40, y1 + 320)]  # far above: not part of it
    filled = fill(
        form,
        {"consent-signer_name": HARD_NAME, "consent-signed_on": "2025-03-04"},
        ink=[stroke, beyond, doodle],
    )
    result = read_fillable_form(filled)
    assert result.problems == ()
    consent = IntakeData.from_dict(result.intake).consent
    assert consent.signature == (((0.1, 0.2), (0.5, 0.8)), ((0.9, 0.5), (1.0, 0.5)))
    assert consent.signer_name == HARD_NAME and consent.signed_on == date(2025, 3, 4)
    assert consent.is_signed


def test_a_typed_name_and_date_without_a_drawing_are_kept(form):
    filled = fill(form, {"consent-signer_name": "Anna Kowalska", "consent-signed_on": "4.3.2025"})
    consent = IntakeData.from_dict(read_fillable_form(filled).intake).consent
    assert (consent.signer_name, consent.signed_on) == ("Anna Kowalska", date(2025, 3, 4))
    assert consent.signature == () and not consent.is_signed


def test_a_digital_signature_gives_the_name_and_date_left_empty(form):
    filled = fill(form, {}, digital={"/Name": "Anna Kowalska", "/M": "D:20250304101500+00'00'"})
    result = read_fillable_form(filled)
    consent = IntakeData.from_dict(result.intake).consent
    assert (consent.signer_name, consent.signed_on) == ("Anna Kowalska", date(2025, 3, 4))
    [problem] = result.problems
    assert "digital signature by Anna Kowalska" in problem and "keep the signed PDF" in problem
    typed = fill(
        form,
        {"consent-signer_name": HARD_NAME, "consent-signed_on": "2025-03-05"},
        digital={"/Name": "Anna Kowalska", "/M": "D:20250304101500+00'00'"},
    )
    consent = IntakeData.from_dict(read_fillable_form(typed).intake).consent
    assert (consent.signer_name, consent.signed_on) == (HARD_NAME, date(2025, 3, 5))


def test_a_stamp_in_the_signature_box_is_named_not_taken(form):
    _number, box = signature_box(form)
    stamp = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Stamp"),
            NameObject("/Rect"): ArrayObject(FloatObject(v) for v in box),
        }
    )
    result = read_fillable_form(fill(form, {}, extra=stamp))
    assert IntakeData.from_dict(result.intake).consent.signature == ()
    [problem] = result.problems
    assert "picture or a stamp" in problem


def test_a_prefilled_form_never_carries_an_earlier_signature(header, rich_intake):
    signed = rich_intake.to_dict()
    signed["consent"]["signature"] = [[[0.1, 0.5], [0.9, 0.5]]]
    pdf = render_fillable_intake(header, intake=signed)
    fields = PdfReader(io.BytesIO(pdf)).get_fields() or {}
    assert str(fields["consent-signer_name"].get("/V") or "") == ""
    consent = IntakeData.from_dict(read_fillable_form(pdf).intake).consent
    assert consent.signature == () and consent.signed_on is None
    assert consent.risks_acknowledged == rich_intake.consent.risks_acknowledged


@pytest.mark.sqlite_only
def test_a_signed_tablet_form_saves_a_signed_consent(clinic: Any, clock: Any, form) -> None:
    from datetime import UTC, datetime

    from frontdesk.services.patients import PatientInput

    clock.now = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
    pid = clinic.patients.create(PatientInput(legal_name="Zoë Łukasz-Nguyễn")).id
    _number, (x0, y0, _x1, y1) = signature_box(form)
    filled = fill(
        form,
        {
            "pain-now": "/5",
            "consent-may_stop_acknowledged": "/Yes",
            "consent-signer_name": "Zoë Łukasz-Nguyễn",
            "consent-signed_on": "2025-03-04",
        },
        ink=[[(x0 + 20, y0 + 10), (x0 + 60, y1 - 10), (x0 + 100, y0 + 12)]],
    )
    preview = clinic.intakes.import_fillable_pdf(pid, filled)
    assert preview.problems == ()
    assert any(c.path == "consent.signature" and c.new == "signed" for c in preview.filled)
    saved = clinic.intakes.import_fillable_pdf(pid, filled, preview_only=False).saved
    assert saved is not None
    consent = clinic.intakes.get(saved.id).data.consent
    assert consent.is_signed and consent.signer_name == "Zoë Łukasz-Nguyễn"
    assert len(consent.signature[0]) == 3
