"""The appointment book from the command line: book, list, cancel, check in, status, free
places, iCalendar files and the day sheet; refusals exit 1 with the reason on stderr."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from frontdesk.cli.main import run
from frontdesk.db.engine import Database
from frontdesk.db.models import Intake
from frontdesk.domain.intake import IntakeData, SafetyScreen
from frontdesk.services.clinic import ClinicSetup
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput

MONDAY = "2031-03-03"  # a Monday in winter time: London is on UTC
SUMMER_MONDAY = "2031-06-02"


@dataclass
class Desk:
    url: str
    ann: int
    bo: int
    device: int  # has a pacemaker on the intake

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
            practitioners=[("Mei Chen", "L.Ac."), ("Tomasz Nowak", "L.Ac.")],
            rooms=["Room 1", "Room 2"],
            address="12 River Street\nLondon",
        )
    )
    ann = services.patients.create(PatientInput(legal_name="Ann Lee")).id
    bo = services.patients.create(PatientInput(legal_name="Bo Chan")).id
    device = services.patients.create(PatientInput(legal_name="Cy Dee")).id
    with services.db.write() as s:
        for person, screen in ((ann, SafetyScreen()), (bo, SafetyScreen())):
            s.add(_intake(services, person, screen))
        s.add(_intake(services, device, SafetyScreen(implanted_device=True)))
    db.dispose()
    yield Desk(sqlite_url, ann, bo, device)


def _intake(services: Services, person: int, screen: SafetyScreen) -> Intake:
    return Intake(
        patient_id=person,
        version_no=1,
        data=IntakeData(safety=screen).to_dict(),
        created_at=services.clock(),
    )


def book(desk: Desk, capsys: pytest.CaptureFixture[str], person: int, *extra: str) -> Any:
    return desk.json(capsys, "book", "--patient", str(person), "--service", "ACU", *extra)


# -- book ----------------------------------------------------------------------------------


def test_book_with_everything_given_prints_the_appointment_as_json(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    found = book(
        desk, capsys, desk.ann, "--start", f"{MONDAY}T10:00", "--practitioner", "2", "--room", "2"
    )
    assert found["starts_at"] == "2031-03-03T10:00:00+00:00"
    assert found["ends_at"] == "2031-03-03T11:00:00+00:00"
    assert (found["practitioner_name"], found["room_name"]) == ("Tomasz Nowak", "Room 2")
    assert (found["status"], found["walk_in"], found["service_code"]) == ("booked", False, "ACU")
    assert found["patient_name"] == "Ann Lee"


def test_book_picks_the_first_free_practitioner_and_room(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    first = book(desk, capsys, desk.ann, "--start", f"{MONDAY}T10:00")
    second = book(desk, capsys, desk.bo, "--start", f"{MONDAY}T10:30")
    assert (first["practitioner_id"], first["room_id"]) == (1, 1)
    assert (second["practitioner_id"], second["room_id"]) == (2, 2)


def test_book_prints_a_readable_line_without_json(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = desk.run(
        capsys,
        "book",
        "--patient",
        str(desk.ann),
        "--service",
        "cons",
        "--start",
        f"{MONDAY}T09:00",
    )
    assert (code, err) == (0, "")
    assert out.startswith("Booked #1 Mon 03 Mar 2031 09:00-09:30 TCM consultation with Mei Chen")
    assert "Ann Lee" in out


def test_a_start_with_an_offset_is_taken_as_given(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    local = book(desk, capsys, desk.ann, "--start", f"{SUMMER_MONDAY}T10:00")
    offset = book(desk, capsys, desk.bo, "--start", f"{SUMMER_MONDAY}T12:00+01:00")
    assert local["starts_at"] == "2031-06-02T09:00:00+00:00"  # 10:00 summer time
    assert offset["starts_at"] == "2031-06-02T11:00:00+00:00"


def test_a_refused_booking_exits_1_with_the_clash_on_stderr(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    book(desk, capsys, desk.ann, "--start", f"{MONDAY}T10:00", "--practitioner", "1")
    code, out, err = desk.run(
        capsys,
        "book",
        "--patient",
        str(desk.bo),
        "--service",
        "ACU",
        "--start",
        f"{MONDAY}T10:30",
        "--practitioner",
        "1",
        "--room",
        "2",
        "--json",
    )
    assert (code, out) == (1, "")
    assert err.startswith("frontdesk: Mei Chen is already booked from 10:00 to 11:00")


def test_outside_working_hours_needs_the_flag(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["book", "--patient", str(desk.ann), "--service", "ACU", "--practitioner", "1"]
    code, _out, err = desk.run(capsys, *argv, "--start", f"{MONDAY}T19:00")
    assert code == 1
    assert "does not normally work at 19:00 on Monday" in err
    assert "--outside-hours" in err
    code, _out, err = desk.run(capsys, *argv, "--start", f"{MONDAY}T19:00", "--outside-hours")
    assert (code, err) == (0, "")


def test_nobody_free_is_refused_in_words(desk: Desk, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = desk.run(
        capsys, "book", "--patient", str(desk.ann), "--service", "ACU", "--start", f"{MONDAY}T21:00"
    )
    assert code == 1 and "No practitioner is free and working from 21:00" in err


def test_a_bad_time_or_unknown_service_is_refused(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = desk.run(
        capsys, "book", "--patient", str(desk.ann), "--service", "ACU", "--start", "Monday ten"
    )
    assert code == 1 and "is not a date and time like 2026-03-02T10:00" in err
    code, _out, err = desk.run(
        capsys, "book", "--patient", str(desk.ann), "--service", "XYZ", "--start", MONDAY
    )
    assert code == 1 and "There is no service with the code 'XYZ'" in err


def test_the_safety_rules_need_acknowledging_or_a_reason(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["book", "--patient", str(desk.device), "--start", f"{MONDAY}T10:00"]
    code, _out, err = desk.run(capsys, *base, "--service", "EA")
    assert code == 1 and "Electro-acupuncture" in err and "--override-reason" in err
    code, _out, err = desk.run(capsys, *base, "--service", "ACU")
    assert code == 1 and "--acknowledge" in err
    code, _out, err = desk.run(capsys, *base, "--service", "ACU", "--acknowledge")
    assert (code, err) == (0, "")


def test_a_walk_in_is_booked_and_checked_in(desk: Desk, capsys: pytest.CaptureFixture[str]) -> None:
    found = book(desk, capsys, desk.ann, "--start", "2031-03-04T11:00", "--walk-in")
    assert (found["walk_in"], found["status"]) == (True, "arrived")
    assert found["arrived_at"] is not None


# -- appointments ------------------------------------------------------------------------


def test_list_shows_the_day_in_time_order(desk: Desk, capsys: pytest.CaptureFixture[str]) -> None:
    book(desk, capsys, desk.ann, "--start", f"{MONDAY}T11:00")
    book(desk, capsys, desk.bo, "--start", f"{MONDAY}T09:00", "--practitioner", "2")
    book(desk, capsys, desk.bo, "--start", "2031-03-04T09:00")
    found = desk.json(capsys, "appointments", "list", "--date", MONDAY)
    assert [(a["patient_name"], a["starts_at"]) for a in found] == [
        ("Bo Chan", "2031-03-03T09:00:00+00:00"),
        ("Ann Lee", "2031-03-03T11:00:00+00:00"),
    ]
    mine = desk.json(capsys, "appointments", "list", "--date", MONDAY, "--practitioner", "1")
    assert [a["patient_name"] for a in mine] == ["Ann Lee"]
    code, out, _err = desk.run(capsys, "appointments", "list", "--date", MONDAY)
    assert code == 0 and out.splitlines()[0].startswith("#2 Mon 03 Mar 2031 09:00-10:00")
    code, out, _err = desk.run(capsys, "appointments", "list", "--date", "2031-03-05")
    assert (code, out) == (0, "No appointments on Wednesday 05 March 2031.\n")
    code, _out, err = desk.run(capsys, "appointments", "list", "--date", "5/3/31")
    assert code == 1 and "not a date like" in err


def test_cancel_checkin_and_status(desk: Desk, capsys: pytest.CaptureFixture[str]) -> None:
    first = book(desk, capsys, desk.ann, "--start", f"{MONDAY}T10:00")
    second = book(desk, capsys, desk.bo, "--start", f"{MONDAY}T12:00")
    cancelled = desk.json(capsys, "appointments", "cancel", str(first["id"]), "--reason", "Unwell")
    assert (cancelled["status"], cancelled["cancel_reason"]) == ("cancelled", "Unwell")
    arrived = desk.json(capsys, "appointments", "checkin", str(second["id"]))
    assert arrived["status"] == "arrived"
    treated = desk.json(capsys, "appointments", "status", str(second["id"]), "in-treatment")
    assert treated["status"] == "in_treatment"
    code, out, _err = desk.run(capsys, "appointments", "status", str(second["id"]), "completed")
    assert code == 0 and out.startswith(f"Changed #{second['id']} ") and "completed" in out
    code, _out, err = desk.run(capsys, "appointments", "status", str(second["id"]), "done")
    assert code == 1 and "Unknown status 'done'" in err
    code, _out, err = desk.run(capsys, "appointments", "status", str(second["id"]), "cancelled")
    assert code == 1 and "completed cannot be marked cancelled" in err
    code, _out, err = desk.run(capsys, "appointments", "checkin", "999")
    assert code == 1 and "There is no appointment number 999" in err


def test_cancel_needs_a_reason(desk: Desk, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        run(["--db", desk.url, "appointments", "cancel", "1"])
    assert stopped.value.code == 2
    assert "--reason" in capsys.readouterr().err


def test_free_lists_places_for_a_service(desk: Desk, capsys: pytest.CaptureFixture[str]) -> None:
    book(desk, capsys, desk.ann, "--start", f"{MONDAY}T09:00", "--practitioner", "1")
    found = desk.json(
        capsys, "appointments", "free", "--date", MONDAY, "--service", "ACU", "--practitioner", "1"
    )
    assert found[0]["starts_at"] == "2031-03-03T10:00:00+00:00"
    assert (found[0]["practitioner"], found[0]["room"]) == ("Mei Chen", "Room 1")


# -- files -----------------------------------------------------------------------------------


def test_ics_writes_a_calendar_file(
    desk: Desk, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    book(desk, capsys, desk.ann, "--start", f"{MONDAY}T10:00")
    book(desk, capsys, desk.ann, "--start", "2031-03-06T15:00")
    target = tmp_path / "ann.ics"
    code, out, err = desk.run(capsys, "ics", "--patient", str(desk.ann), "-o", str(target))
    assert (code, err) == (0, "")
    assert out == f"Wrote 2 appointments to {target}.\n"
    calendar = Calendar.from_ical(target.read_bytes())
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert summaries == ["Acupuncture follow-up at Riverside Acupuncture"] * 2


def test_pdf_day_sheet_writes_a_pdf(
    desk: Desk, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    book(desk, capsys, desk.ann, "--start", f"{MONDAY}T10:00")
    target = tmp_path / "day.pdf"
    code, out, err = desk.run(
        capsys, "pdf", "day-sheet", "--date", MONDAY, "--practitioner", "1", "-o", str(target)
    )
    assert (code, err) == (0, "")
    assert out == f"Wrote the day sheet of Monday 03 March 2031 to {target}.\n"
    assert target.read_bytes().startswith(b"%PDF")
