"""``frontdesk intake | visit | history``: JSON files in, versions and visits out, the same
safety rules as the window (``--acknowledge``, ``--override-reason``), and bad input refused
with the field named, exit status 1 and no traceback."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from frontdesk.cli.main import run
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.clinic import ClinicSetup
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput

INTAKE: dict[str, Any] = {
    "schema": 1,
    "chief_complaint": {"what": "Burning feet"},
    "causes": {"diabetes": {"present": True, "type": "type_2", "hba1c_percent": 7.4}},
    "pain": {"now": 6, "worst": 8, "average": 5},
    "mnsi": {str(n): True for n in range(1, 16)},
    "safety": {"implanted_device": True, "implanted_device_location": "left chest"},
}
VISIT: dict[str, Any] = {
    "services": ["acupuncture"],
    "points": ["st 36", "LIV3", "M-LE-8"],
    "needle_minutes": 25,
    "pain_before": 6,
    "pain_after": 4,
    "soap": {"subjective": "Soles burn at night"},
}


class Cli:
    def __init__(self, url: str, capsys: pytest.CaptureFixture[str], folder: Path) -> None:
        self.url = url
        self.capsys = capsys
        self.folder = folder
        self.out = ""
        self.err = ""

    def file(self, name: str, content: Any) -> str:
        path = self.folder / name
        text = content if isinstance(content, str) else json.dumps(content)
        path.write_text(text, encoding="utf-8")
        return str(path)

    def __call__(self, *args: str) -> int:
        status = run(["--db", self.url, *args])
        captured = self.capsys.readouterr()
        self.out, self.err = captured.out, captured.err
        assert "Traceback" not in self.err
        return status

    def json(self, *args: str) -> Any:
        assert self(*args, "--json") == 0, self.err
        return json.loads(self.out)

    def refused(self, *args: str) -> str:
        assert self(*args) == 1, self.out
        assert self.err.startswith("frontdesk: ") and "unexpected error" not in self.err
        return self.err


@pytest.fixture
def setting(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> tuple[Cli, int, int]:
    """The command line, a patient, and an appointment the patient has arrived for."""
    services = Services.open(sqlite_url)
    try:
        services.clinic.set_up(ClinicSetup(name="Riverside", practitioners=[("Mei Chen", "")]))
        pid = services.patients.create(PatientInput(legal_name="Ann Lee")).id
        appointment = services.appointments.book(
            BookingRequest(
                patient_id=pid,
                service_id=services.clinic.service_by_code("ACU").id,
                practitioner_id=1,
                room_id=1,
                starts_at=datetime(2026, 3, 3, 10, 0, tzinfo=UTC),
                acknowledged_warnings=True,
            )
        ).id
        services.appointments.check_in(appointment)
    finally:
        services.db.dispose()
    return Cli(sqlite_url, capsys, tmp_path), pid, appointment


def test_intake_add_list_show_and_compare(setting: tuple[Cli, int, int]) -> None:
    cli, pid, _ = setting
    first = cli.json("intake", "add", "--patient", str(pid), "--from", cli.file("a.json", INTAKE))
    assert first["version_no"] == 1 and first["source"] == "import"
    assert first["mnsi"]["score"] == 11 and first["mnsi"]["positive"] is True
    assert first["flags"]["badges"] == ["PM", "NUMB"]
    assert first["data"]["pain"]["now"] == 6

    later = {**INTAKE, "pain": {"now": 3}, "safety": {}}
    assert cli("intake", "add", "--patient", str(pid), "--from", cli.file("b.json", later)) == 0
    assert "Saved intake version 2" in cli.out
    assert "Safety flags: Numb skin" in cli.out

    versions = cli.json("intake", "list", "--patient", str(pid))
    assert [(v["version_no"], v["pain_now"]) for v in versions] == [(2, 3), (1, 6)]
    assert cli("intake", "list", "--patient", str(pid)) == 0 and "version 2" in cli.out

    shown = cli.json("intake", "show", str(first["id"]))
    assert shown["data"]["mnsi"] == INTAKE["mnsi"]
    assert cli("intake", "show", str(first["id"])) == 0
    assert "MNSI 11 of 13: positive" in cli.out and "Burning feet" in cli.out

    changes = cli.json("intake", "compare", str(first["id"]), str(versions[0]["id"]))
    assert "Pain (0-10) · Pain now: 6 → 3" in [c["text"] for c in changes]
    assert cli("intake", "compare", str(first["id"]), str(first["id"])) == 0
    assert "Nothing changed" in cli.out


def test_intake_add_refuses_bad_files_naming_the_problem(setting: tuple[Cli, int, int]) -> None:
    cli, pid, _ = setting
    add = ("intake", "add", "--patient", str(pid), "--from")
    assert "There is no file" in cli.refused(*add, str(cli.folder / "missing.json"))
    assert "not valid JSON" in cli.refused(*add, cli.file("broken.json", '{"schema": 1,'))
    reason = cli.refused(*add, cli.file("pain.json", {"schema": 1, "pain": {"now": 12}}))
    assert "Pain now must be a whole number from 0 to 10" in reason and "(at pain.now)" in reason
    assert "schema" in cli.refused(*add, cli.file("old.json", {"schema": 7}))
    assert "no patient number 999" in cli.refused(
        "intake", "add", "--patient", "999", "--from", cli.file("ok.json", INTAKE)
    )
    assert cli("intake", "list", "--patient", str(pid)) == 0 and "No intake saved yet." in cli.out


def test_visit_add_follows_the_safety_rules(setting: tuple[Cli, int, int]) -> None:
    cli, pid, appointment = setting
    cli("intake", "add", "--patient", str(pid), "--from", cli.file("a.json", INTAKE))
    visit_file = cli.file("visit.json", VISIT)
    add = ("visit", "add", "--appointment", str(appointment), "--from", visit_file)

    reason = cli.refused(*add)
    assert "Implanted device" in reason and "--acknowledge" in reason
    visit = cli.json(*add, "--acknowledge")
    assert visit["appointment_id"] == appointment
    assert visit["data"]["points"] == ["ST36", "LR3", "EX-LE10"]
    assert visit["data"]["pain_before"] == 6
    assert "already recorded" in cli.refused(*add, "--acknowledge")

    assert cli("visit", "show", str(visit["id"])) == 0
    assert "ST36 LR3 EX-LE10" in cli.out and "6/10 before, 4/10 after" in cli.out
    listed = cli.json("visit", "list", "--patient", str(pid))
    assert [v["id"] for v in listed] == [visit["id"]]


def test_a_safety_stop_needs_an_override_reason(
    setting: tuple[Cli, int, int], sqlite_url: str
) -> None:
    cli, pid, appointment = setting
    cli("intake", "add", "--patient", str(pid), "--from", cli.file("a.json", INTAKE))
    electro = {
        "services": ["electro_acupuncture"],
        "electro": {"frequency_hz": 2, "intensity": "low", "minutes": 20},
    }
    add = (
        "visit",
        "add",
        "--appointment",
        str(appointment),
        "--from",
        cli.file("ea.json", electro),
    )
    reason = cli.refused(*add, "--acknowledge")
    assert "Not allowed" in reason and "--override-reason" in reason
    assert "reason" in cli.refused(*add, "--override-reason", "ok")
    visit = cli.json(*add, "--override-reason", "Cardiologist cleared the legs")
    assert visit["overrides"][0]["reason"] == "Cardiologist cleared the legs"

    history = cli.json("history", str(pid))
    kinds = [event["kind"] for event in history["timeline"]]
    assert {"intake", "visit", "override"} <= set(kinds)
    assert history["mnsi_trend"][0]["score"] == 11
    assert cli("history", str(pid)) == 0 and "Safety rule overridden" in cli.out


def test_visit_add_refuses_bad_files_naming_the_field(setting: tuple[Cli, int, int]) -> None:
    cli, _, appointment = setting
    add = ("visit", "add", "--appointment", str(appointment), "--acknowledge", "--from")
    for content, words in (
        ({"points": ["ST99"]}, "'ST99' is not a known acupuncture point"),
        ({"pain_after": 11}, "(at pain_after)"),
        ({"services": ["acupuncture"], "cupping": {"minutes": 5}}, "(at cupping)"),
        ({"needles": 3}, "Unknown field 'needles'"),
        ([1, 2], "must be a JSON object"),
    ):
        assert words in cli.refused(*add, cli.file("bad.json", content))
    assert "no appointment number 999" in cli.refused(
        "visit", "add", "--appointment", "999", "--from", cli.file("ok.json", VISIT)
    )
    assert cli("visit", "list", "--patient", "1") == 0 and "No visit recorded yet." in cli.out


def test_a_visit_for_a_booked_appointment_is_refused(
    setting: tuple[Cli, int, int], sqlite_url: str
) -> None:
    cli, pid, _ = setting
    services = Services.open(sqlite_url)
    try:
        booked = services.appointments.book(
            BookingRequest(
                patient_id=pid,
                service_id=services.clinic.service_by_code("ACU").id,
                practitioner_id=1,
                room_id=1,
                starts_at=datetime(2026, 3, 4, 10, 0, tzinfo=UTC),
            )
        ).id
    finally:
        services.db.dispose()
    reason = cli.refused(
        "visit", "add", "--appointment", str(booked), "--from", cli.file("v.json", VISIT)
    )
    assert "Mark the patient as arrived first" in reason
