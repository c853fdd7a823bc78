"""Printed documents built from the clinic's records: the aftercare handout of a visit (only
the services received, neuropathy home care, cautions from the intake, the next bookings, the
patient's language), intake forms and summaries, progress reports, day sheets; clinic header
and paper size from the profile; names in any script intact; every font embedded; who may
print what."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from frontdesk.db.engine import Database
from frontdesk.db.models import AuditEntry
from frontdesk.domain.enums import PaperSize, Role, ServiceKind
from frontdesk.domain.errors import NotFoundError, PermissionDenied, ValidationError
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.clinic import ClinicSetup
from frontdesk.services.context import Actor
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput
from frontdesk.services.printing import PrintService, handout_file_name
from frontdesk.services.visits import VisitInput

HARD_NAME = "Zoë Łukasz-Nguyễn 王小明"
TUESDAY = date(2026, 3, 3)  # London is on UTC in March
RECEPTIONIST = Actor(user_id=None, username="desk", role=Role.RECEPTIONIST)
PRACTITIONER = Actor(user_id=None, username="mei", role=Role.PRACTITIONER, practitioner_id=1)

NUMB_FEET_INTAKE: dict[str, Any] = {
    "schema": 1,
    "symptoms": {"sensory": ["numbness", "burning"]},
    "safety": {"numbness": True},
    "pain": {"now": 6},
    "mnsi": {"1": True, "2": True, "7": False},
    "causes": {"diabetes": {"present": True, "type": "type_2"}},
}


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def page_fonts(pdf: bytes) -> list[Any]:
    fonts = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources") or {}
        fonts += [ref.get_object() for ref in (resources.get("/Font") or {}).values()]
    return fonts


def assert_fonts_embedded(pdf: bytes) -> None:
    fonts = page_fonts(pdf)
    assert fonts
    for font in fonts:
        descriptor = font.get("/FontDescriptor")
        if descriptor is None and "/DescendantFonts" in font:
            descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
        assert descriptor is not None, f"{font.get('/BaseFont')} has no descriptor"
        descriptor = descriptor.get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font.get("/BaseFont")


def tiny_png() -> bytes:
    """A 2x2 teal PNG, written by hand so the test needs no image library."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + b"\x2e\x7d\x9a" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def image_count(pdf: bytes) -> int:
    count = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        objects = (page.get("/Resources") or {}).get("/XObject") or {}
        count += sum(1 for ref in objects.values() if ref.get_object()["/Subtype"] == "/Image")
    return count


# -- a small clinic with one treated patient -------------------------------------------------


class Clinic:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.printing = PrintService(services)

    def patient(self, intake: dict[str, Any] | None = None, **details: Any) -> int:
        details.setdefault("legal_name", "Zoë Łukasz-Nguyễn")
        details.setdefault("other_script_name", "王小明")
        pid = self.services.patients.create(PatientInput(**details)).id
        if intake is not None:
            self.services.intakes.save(pid, intake)
        return pid

    def book(self, patient_id: int, when: datetime, code: str = "ACU") -> int:
        return self.services.appointments.book(
            BookingRequest(
                patient_id=patient_id,
                service_id=self.services.clinic.service_by_code(code).id,
                practitioner_id=1,
                room_id=1,
                starts_at=when,
                acknowledged_warnings=True,
            )
        ).id

    def visit(
        self,
        patient_id: int,
        kinds: tuple[ServiceKind, ...] = (ServiceKind.ACUPUNCTURE,),
        hour: int = 10,
        code: str = "ACU",
    ) -> int:
        appointment = self.book(patient_id, datetime.combine(TUESDAY, _hour(hour)), code)
        self.services.appointments.check_in(appointment)
        record = self.services.visits.record(
            appointment,
            VisitInput(services=kinds, points=("ST36", "LR3"), pain_before=6, pain_after=4),
            acknowledged=True,
        )
        return record.id


def _hour(hour: int) -> Any:
    from datetime import time

    return time(hour, 0, tzinfo=UTC)


@pytest.fixture
def desk(clinic: Services, clock: Any) -> Clinic:
    clock.now = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    clinic.clinic.update_profile(phone="01632 960123", email="desk@riverside.example")
    return Clinic(clinic)


@pytest.fixture
def sqlite_desk(sqlite_url: str, clock: Any) -> Clinic:
    """The same clinic on SQLite only, for checks that do not depend on the database."""
    services = Services(Database(sqlite_url), clock=clock)
    services.clinic.set_up(
        ClinicSetup(
            name="Riverside Acupuncture",
            timezone="Europe/London",
            practitioners=[("Mei Chen", "L.Ac."), ("Tomasz Nowak", "L.Ac.")],
            rooms=["Room 1", "Room 2"],
            address="12 River Street\nLondon",
        )
    )
    clock.now = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    return Clinic(services)


# -- aftercare --------------------------------------------------------------------------------


def test_aftercare_after_acupuncture_has_only_the_acupuncture_section(desk: Clinic) -> None:
    pid = desk.patient(NUMB_FEET_INTAKE)
    visit = desk.visit(pid)
    pdf = desk.printing.aftercare(visit)
    text = pdf_text(pdf)
    assert HARD_NAME in text
    assert "Riverside Acupuncture" in text
    assert "01632 960123" in text
    assert "After acupuncture" in text
    for absent in ("After massage", "After cupping", "After moxibustion", "After electro"):
        assert absent not in text
    assert "Mei Chen" in text
    assert_fonts_embedded(pdf)


def test_aftercare_lists_the_next_booked_appointments_but_not_cancelled_ones(
    desk: Clinic,
) -> None:
    pid = desk.patient(NUMB_FEET_INTAKE)
    visit = desk.visit(pid)
    desk.book(pid, datetime(2026, 3, 10, 11, 0, tzinfo=UTC), "CUP")
    cancelled = desk.book(pid, datetime(2026, 3, 12, 14, 0, tzinfo=UTC))
    desk.services.appointments.cancel(cancelled, reason="away")
    text = pdf_text(desk.printing.aftercare(visit))
    assert "Your next appointments" in text
    assert "10 Mar 2026" in text
    assert "12 Mar 2026" not in text
    data = desk.printing.aftercare_input(visit)
    assert [a.start.date() for a in data.next_appointments] == [date(2026, 3, 10)]


def test_aftercare_brings_neuropathy_home_care_and_cautions_from_the_intake(
    sqlite_desk: Clinic,
) -> None:
    numb = sqlite_desk.patient(NUMB_FEET_INTAKE)
    text = pdf_text(sqlite_desk.printing.aftercare(sqlite_desk.visit(numb)))
    assert "Caring for your feet and hands at home" in text
    assert "Special cautions for you" in text
    data = sqlite_desk.printing.aftercare_input(
        sqlite_desk.printing.day_visits(TUESDAY)[0].visit_id
    )
    assert "numb_skin" in data.cautions and data.neuropathy_symptoms

    plain = sqlite_desk.patient({"schema": 1, "safety": {}}, legal_name="Ann Lee")
    visit = sqlite_desk.visit(plain, (ServiceKind.MASSAGE,), hour=12, code="TUINA")
    text = pdf_text(sqlite_desk.printing.aftercare(visit))
    assert "After massage" in text
    assert "After acupuncture" not in text
    assert "Caring for your feet and hands at home" not in text
    assert "Special cautions for you" not in text


def test_aftercare_is_in_chinese_for_a_patient_who_prefers_chinese(sqlite_desk: Clinic) -> None:
    pid = sqlite_desk.patient(NUMB_FEET_INTAKE, preferred_language="zh")
    pdf = sqlite_desk.printing.aftercare(sqlite_desk.visit(pid))
    text = pdf_text(pdf)
    assert "治疗后注意事项" in text
    assert "针灸后" in text
    assert "After acupuncture" not in text
    assert "王小明" in text
    assert_fonts_embedded(pdf)


def test_aftercare_carries_the_practitioners_note(sqlite_desk: Clinic) -> None:
    pid = sqlite_desk.patient(None)
    visit = sqlite_desk.visit(pid)
    text = pdf_text(sqlite_desk.printing.aftercare(visit, "Walk 10 minutes after lunch."))
    assert "Walk 10 minutes after lunch." in text


def test_aftercare_prints_the_note_written_with_the_visit(sqlite_desk: Clinic) -> None:
    services = sqlite_desk.services
    pid = sqlite_desk.patient(None)
    appointment = sqlite_desk.book(pid, datetime.combine(TUESDAY, _hour(11)))
    services.appointments.check_in(appointment)
    visit = services.visits.record(
        appointment,
        VisitInput(pain_before=5, note_for_patient="Keep a warm pair of socks on at night."),
        acknowledged=True,
    )
    assert visit.data.note_for_patient == "Keep a warm pair of socks on at night."
    text = pdf_text(sqlite_desk.printing.aftercare(visit.id))
    assert "Keep a warm pair of socks on at night." in text
    # a note typed when printing replaces it
    text = pdf_text(sqlite_desk.printing.aftercare(visit.id, "Rest today."))
    assert "Rest today." in text and "warm pair of socks" not in text


def test_aftercare_of_an_appointment_without_a_visit_uses_the_booked_service(
    sqlite_desk: Clinic,
) -> None:
    pid = sqlite_desk.patient(None)
    appointment = sqlite_desk.book(pid, datetime(2026, 3, 3, 9, 0, tzinfo=UTC), "CUP")
    text = pdf_text(sqlite_desk.printing.aftercare_for_appointment(appointment))
    assert "After cupping" in text and "After acupuncture" not in text
    sqlite_desk.services.appointments.cancel(appointment, reason="ill")
    with pytest.raises(ValidationError):
        sqlite_desk.printing.aftercare_for_appointment(appointment)


def test_a_days_handouts_come_one_per_visit_with_safe_file_names(desk: Clinic) -> None:
    first = desk.visit(desk.patient(NUMB_FEET_INTAKE), hour=10)
    second = desk.visit(
        desk.patient(None, legal_name="Seán O'Brien", other_script_name=""), hour=12
    )
    handouts = desk.printing.aftercare_for_day(TUESDAY)
    assert [h.visit_id for h in handouts] == [first, second]
    assert handouts[0].patient_name == HARD_NAME
    assert handouts[0].file_name == f"aftercare-2026-03-03-1000-zoe-lukasz-nguyen-v{first}.pdf"
    assert handouts[1].file_name == f"aftercare-2026-03-03-1200-sean-o-brien-v{second}.pdf"
    assert all(h.pdf.startswith(b"%PDF") for h in handouts)
    assert desk.printing.aftercare_for_day(TUESDAY + timedelta(days=1)) == []
    visits = desk.printing.day_visits(TUESDAY)
    assert [v.file_name for v in visits] == [h.file_name for h in handouts]


def test_file_names_are_plain_ascii_for_any_script() -> None:
    when = datetime(2026, 3, 3, 9, 30)
    assert handout_file_name(7, "王小明", when) == "aftercare-2026-03-03-0930-wangxiaoming-v7.pdf"
    assert handout_file_name(8, "../..", when) == "aftercare-2026-03-03-0930-patient-v8.pdf"


# -- common to every document ------------------------------------------------------------------


def test_paper_size_and_logo_come_from_the_clinic_profile(sqlite_desk: Clinic) -> None:
    pid = sqlite_desk.patient(NUMB_FEET_INTAKE)
    visit = sqlite_desk.visit(pid)
    a4 = PdfReader(io.BytesIO(sqlite_desk.printing.aftercare(visit))).pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)
    sqlite_desk.services.clinic.update_profile(paper_size=PaperSize.LETTER, logo=tiny_png())
    for pdf in (sqlite_desk.printing.aftercare(visit), sqlite_desk.printing.blank_intake()):
        box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (612, 792)
        assert image_count(pdf) >= 1


def test_the_same_record_prints_the_same_bytes(sqlite_desk: Clinic) -> None:
    pid = sqlite_desk.patient(NUMB_FEET_INTAKE)
    visit = sqlite_desk.visit(pid)
    assert sqlite_desk.printing.aftercare(visit) == sqlite_desk.printing.aftercare(visit)


# -- intake forms -------------------------------------------------------------------------------


def test_filled_intake_summary_names_the_patient_and_version(sqlite_desk: Clinic) -> None:
    pid = sqlite_desk.patient(NUMB_FEET_INTAKE)
    pdf = sqlite_desk.printing.filled_intake(pid)
    text = pdf_text(pdf)
    assert "Intake summary" in text
    assert HARD_NAME in text
    assert_fonts_embedded(pdf)
    with sqlite_desk.services.db.read() as s:
        printed = s.scalars(select(AuditEntry).where(AuditEntry.action == "print")).all()
    assert [(e.entity, e.patient_id) for e in printed] == [("intake", pid)]


def test_filled_intake_of_a_patient_without_intake_is_refused(sqlite_desk: Clinic) -> None:
    pid = sqlite_desk.patient(None)
    with pytest.raises(NotFoundError, match="no intake yet"):
        sqlite_desk.printing.filled_intake(pid)
    other = sqlite_desk.patient(NUMB_FEET_INTAKE, legal_name="Ann Lee")
    intake_id = sqlite_desk.services.intakes.latest(other).id  # type: ignore[union-attr]
    with pytest.raises(NotFoundError):
        sqlite_desk.printing.filled_intake(pid, intake_id)


def test_fillable_form_round_trips_through_import(sqlite_desk: Clinic) -> None:
    pid = sqlite_desk.patient(NUMB_FEET_INTAKE)
    pdf = sqlite_desk.printing.fillable_intake(pid)
    assert HARD_NAME in pdf_text(pdf)
    preview = sqlite_desk.services.intakes.import_fillable_pdf(pid, pdf)
    assert preview.data.pain.now == 6
    assert "numbness" in preview.data.symptoms.sensory
    assert preview.patient_details["name"] == "Zoë Łukasz-Nguyễn"
    assert sqlite_desk.printing.form_warnings(pid, preview.patient_details) == []
    other = sqlite_desk.patient(None, legal_name="Ann Lee")
    [warning] = sqlite_desk.printing.form_warnings(other, preview.patient_details)
    assert "is not the name of patient" in warning


def test_fillable_form_for_the_desk_has_details_but_no_earlier_answers(
    sqlite_desk: Clinic,
) -> None:
    pid = sqlite_desk.patient(NUMB_FEET_INTAKE, phone="07700 900123")
    desk = PrintService(sqlite_desk.services.as_user(RECEPTIONIST))
    preview = sqlite_desk.services.intakes.import_fillable_pdf(pid, desk.fillable_intake(pid))
    assert preview.patient_details["name"] == "Zoë Łukasz-Nguyễn"
    assert preview.data.pain.now is None
    assert not preview.data.symptoms.sensory


def test_blank_forms_print_for_the_desk(sqlite_desk: Clinic) -> None:
    desk = PrintService(sqlite_desk.services.as_user(RECEPTIONIST))
    blank = desk.blank_intake()
    assert "Patient intake and health history" in pdf_text(blank)
    assert_fonts_embedded(blank)
    assert desk.fillable_intake().startswith(b"%PDF")


# -- progress report and day sheet --------------------------------------------------------------


def test_progress_report_lists_visits_points_and_intake_changes(sqlite_desk: Clinic) -> None:
    pid = sqlite_desk.patient(NUMB_FEET_INTAKE)
    sqlite_desk.visit(pid, hour=9)
    sqlite_desk.services.intakes.save(pid, {**NUMB_FEET_INTAKE, "pain": {"now": 3}})
    pdf = sqlite_desk.printing.progress_report(pid, addressed_to="Dr A. Smith")
    text = pdf_text(pdf)
    assert "Progress report" in text and HARD_NAME in text
    assert "ST36" in text and "Dr A. Smith" in text
    assert "Pain now" in text  # the intake change from 6 to 3
    assert_fonts_embedded(pdf)
    data = PrintService(sqlite_desk.services.as_user(PRACTITIONER)).progress_input(pid)
    assert data.prepared_by == "Mei Chen"


def test_day_sheet_lists_the_days_patients(sqlite_desk: Clinic) -> None:
    pid = sqlite_desk.patient(NUMB_FEET_INTAKE)
    sqlite_desk.visit(pid)
    pdf = sqlite_desk.printing.day_sheet(TUESDAY)
    text = pdf_text(pdf)
    assert HARD_NAME in text and "Mei Chen" in text
    assert_fonts_embedded(pdf)


# -- who may print what ---------------------------------------------------------------------------


def test_the_desk_prints_handouts_but_not_clinical_summaries(sqlite_desk: Clinic) -> None:
    pid = sqlite_desk.patient(NUMB_FEET_INTAKE)
    visit = sqlite_desk.visit(pid)
    desk = PrintService(sqlite_desk.services.as_user(RECEPTIONIST))
    assert desk.aftercare(visit).startswith(b"%PDF")
    with pytest.raises(PermissionDenied):
        desk.filled_intake(pid)
    with pytest.raises(PermissionDenied):
        desk.progress_report(pid)
    admin = Actor(user_id=None, username="boss", role=Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied):
        PrintService(sqlite_desk.services.as_user(admin)).blank_intake()


def test_files_are_written_whole_and_for_the_owner_only(tmp_path: Any) -> None:
    from frontdesk.domain.errors import FrontdeskError
    from frontdesk.services.printing import write_whole

    target = tmp_path / "handout.pdf"
    write_whole(target, b"%PDF-1.4 test")
    assert target.read_bytes() == b"%PDF-1.4 test"
    assert target.stat().st_mode & 0o077 == 0
    assert [p.name for p in tmp_path.iterdir()] == ["handout.pdf"]
    with pytest.raises(FrontdeskError, match="Cannot write into"):
        write_whole(tmp_path / "missing" / "x.pdf", b"x")
