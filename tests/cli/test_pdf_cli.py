"""Printed documents from the command line (``pdf intake | aftercare | progress | day-sheet``)
and reading a filled form back in (``intake import-pdf``): files written whole, JSON reports,
nothing saved without --yes, refusals on stderr with exit status 1."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from frontdesk.cli.main import run
from frontdesk.db.engine import Database
from frontdesk.domain.enums import ServiceKind
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.clinic import ClinicSetup
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput
from frontdesk.services.visits import VisitInput

DAY = "2031-03-03"  # a Monday; London is on UTC
NAME = "Zoë Łukasz-Nguyễn 王小明"
INTAKE = {
    "schema": 1,
    "symptoms": {"sensory": ["numbness"]},
    "safety": {"numbness": True},
    "pain": {"now": 7},
}


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


@dataclass
class Desk:
    url: str
    services: Services
    patient: int
    visit: int
    appointment: int

    def run(self, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
        code = run(["--db", self.url, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    def json(self, capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
        code, out, err = self.run(capsys, *argv, "--json")
        assert (code, err) == (0, "")
        return json.loads(out)


@pytest.fixture
def desk(sqlite_url: str) -> Iterator[Desk]:
    db = Database(sqlite_url)
    services = Services(db)
    services.clinic.set_up(
        ClinicSetup(
            name="Riverside Acupuncture",
            timezone="Europe/London",
            practitioners=[("Mei Chen", "L.Ac.")],
            rooms=["Room 1"],
        )
    )
    pid = services.patients.create(
        PatientInput(legal_name="Zoë Łukasz-Nguyễn", other_script_name="王小明")
    ).id
    services.intakes.save(pid, INTAKE)
    appointment = services.appointments.book(
        BookingRequest(
            patient_id=pid,
            service_id=services.clinic.service_by_code("ACU").id,
            practitioner_id=1,
            room_id=1,
            starts_at=datetime(2031, 3, 3, 10, 0, tzinfo=UTC),
            acknowledged_warnings=True,
        )
    ).id
    services.appointments.check_in(appointment)
    visit = services.visits.record(
        appointment,
        VisitInput(services=(ServiceKind.ACUPUNCTURE,), points=("ST36",)),
        acknowledged=True,
    ).id
    try:
        yield Desk(sqlite_url, services, pid, visit, appointment)
    finally:
        db.dispose()


def test_blank_intake_form(desk: Desk, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "blank.pdf"
    code, out, err = desk.run(capsys, "pdf", "intake", "--blank", "-o", str(target))
    assert (code, err) == (0, "")
    pages = len(PdfReader(target).pages)
    assert out == f"Wrote the blank intake form ({pages} pages) to {target}.\n"
    assert "Patient intake and health history" in pdf_text(target.read_bytes())
    assert [p.name for p in target.parent.iterdir()] == ["blank.pdf"]  # no temporary file left


def test_aftercare_of_a_visit_as_json(
    desk: Desk, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "handout.pdf"
    report = desk.json(capsys, "pdf", "aftercare", "--visit", str(desk.visit), "-o", str(target))
    assert report["document"] == "aftercare handout"
    assert report["file"] == str(target) and report["visit_id"] == desk.visit
    assert report["pages"] == len(PdfReader(target).pages)
    text = pdf_text(target.read_bytes())
    assert NAME in text and "After acupuncture" in text and "After cupping" not in text


def test_aftercare_with_a_note(
    desk: Desk, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "handout.pdf"
    code, _out, err = desk.run(
        capsys,
        "pdf",
        "aftercare",
        "--appointment",
        str(desk.appointment),
        "--note",
        "Rest your feet this evening.",
        "-o",
        str(target),
    )
    assert (code, err) == (0, "")
    assert "Rest your feet this evening." in pdf_text(target.read_bytes())


def test_aftercare_for_a_day_writes_one_file_per_visit(
    desk: Desk, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "handouts"
    report = desk.json(capsys, "pdf", "aftercare", "--date", DAY, "-o", str(folder))
    name = f"aftercare-2031-03-03-1000-zoe-lukasz-nguyen-v{desk.visit}.pdf"
    assert report == {
        "date": DAY,
        "folder": str(folder),
        "handouts": [{"visit_id": desk.visit, "patient": NAME, "file": str(folder / name)}],
    }
    assert sorted(p.name for p in folder.iterdir()) == [name]

    code, out, err = desk.run(capsys, "pdf", "aftercare", "--date", "2031-03-04", "-o", str(folder))
    assert (code, err) == (0, "")
    assert out == "No visits were recorded on Tuesday 04 March 2031; nothing to print.\n"


def test_intake_summary_progress_and_day_sheet(
    desk: Desk, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pid = str(desk.patient)
    summary = desk.json(capsys, "pdf", "intake", "--patient", pid, "-o", str(tmp_path / "s.pdf"))
    assert summary["document"] == "intake summary" and summary["patient_id"] == desk.patient
    assert "Intake summary" in pdf_text((tmp_path / "s.pdf").read_bytes())

    progress = tmp_path / "p.pdf"
    code, out, err = desk.run(
        capsys, "pdf", "progress", "--patient", pid, "--for", "Dr A. Smith", "-o", str(progress)
    )
    assert (code, err) == (0, "")
    assert out.startswith(f"Wrote the progress report of patient #{pid} (")
    assert "Dr A. Smith" in pdf_text(progress.read_bytes())

    sheet = tmp_path / "day.pdf"
    code, out, err = desk.run(capsys, "pdf", "day-sheet", "--date", DAY, "-o", str(sheet))
    assert (code, err) == (0, "")
    assert out == f"Wrote the day sheet of Monday 03 March 2031 to {sheet}.\n"
    assert NAME in pdf_text(sheet.read_bytes())


def test_output_to_standard_output(desk: Desk, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code = run(["--db", desk.url, "pdf", "intake", "--blank", "--fillable", "-o", "-"])
    out, err = capsysbinary.readouterr()
    assert (code, err) == (0, b"")
    assert out.startswith(b"%PDF") and PdfReader(io.BytesIO(out)).get_fields()


def test_refusals_exit_1_with_the_reason(
    desk: Desk, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = desk.run(
        capsys, "pdf", "aftercare", "--visit", "999", "-o", str(tmp_path / "x.pdf")
    )
    assert (code, out) == (1, "")
    assert err == "frontdesk: There is no visit number 999.\n"
    code, _out, err = desk.run(
        capsys, "pdf", "intake", "--blank", "--patient-copy", "-o", str(tmp_path / "x.pdf")
    )
    assert code == 1 and "--patient" in err
    code, _out, err = desk.run(capsys, "pdf", "intake", "--blank", "-o", str(tmp_path))
    assert code == 1 and "is a folder" in err
    assert not (tmp_path / "x.pdf").exists()


# -- reading a filled form back ------------------------------------------------------------


def filled_form(desk: Desk, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The fillable form of the patient, which starts with their latest answers."""
    form = tmp_path / "form.pdf"
    code, _out, err = desk.run(
        capsys, "pdf", "intake", "--patient", str(desk.patient), "--fillable", "-o", str(form)
    )
    assert (code, err) == (0, "")
    return form


def test_import_shows_what_was_filled_and_saves_only_with_yes(
    desk: Desk, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    form = filled_form(desk, tmp_path, capsys)
    pid = str(desk.patient)
    code, out, err = desk.run(capsys, "intake", "import-pdf", "--patient", pid, str(form))
    assert (code, err) == (0, "")
    assert "Pain (0-10) · Pain now: 7" in out
    assert "Full name" not in out and "Name: Zoë Łukasz-Nguyễn" in out
    assert out.endswith("Not saved. Run again with --yes to save it.\n")
    assert desk.services.intakes.version_count(desk.patient) == 1

    report = desk.json(capsys, "intake", "import-pdf", "--patient", pid, str(form), "--yes")
    assert {"section": "Pain (0-10)", "field": "Pain now", "value": "7", "path": "pain.now"} in (
        report["filled"]
    )
    assert report["problems"] == [] and report["warnings"] == []
    assert report["changes"] == []  # the same answers as the saved version
    assert report["saved"]["version_no"] == 2
    assert desk.services.intakes.version_count(desk.patient) == 2


def test_import_warns_when_the_form_names_someone_else(
    desk: Desk, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    form = filled_form(desk, tmp_path, capsys)
    other = desk.services.patients.create(PatientInput(legal_name="Ann Lee")).id
    code, out, _err = desk.run(capsys, "intake", "import-pdf", "--patient", str(other), str(form))
    assert code == 0
    assert "CHECK: The name on the form, Zoë Łukasz-Nguyễn, is not the name of patient" in out
    assert desk.services.intakes.version_count(other) == 0


def test_import_refuses_a_file_that_is_not_a_form(
    desk: Desk, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    junk = tmp_path / "letter.pdf"
    junk.write_bytes(b"not a pdf at all")
    code, out, err = desk.run(
        capsys, "intake", "import-pdf", "--patient", str(desk.patient), str(junk), "--yes"
    )
    assert (code, out) == (1, "")
    assert "could not be read as a filled intake form" in err
    code, _out, err = desk.run(
        capsys, "intake", "import-pdf", "--patient", str(desk.patient), str(tmp_path / "no.pdf")
    )
    assert code == 1 and "Cannot read" in err
