"""``frontdesk init | demo | check | export | patients``: readable results, JSON on request,
and a refusal as one line on stderr with exit status 1, never a traceback."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from frontdesk.cli.main import run
from frontdesk.domain.enums import ServiceKind
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.hub import Services
from frontdesk.services.visits import ElectroSettings, VisitInput


class Cli:
    """Runs the command line in-process against one database and keeps what it printed."""

    def __init__(self, url: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.url = url
        self.capsys = capsys
        self.out = ""
        self.err = ""

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
        """Run a command that must fail; return its one-line reason."""
        assert self(*args) == 1
        assert self.err.startswith("frontdesk: ")
        assert "unexpected error" not in self.err
        return self.err


@pytest.fixture
def cli(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(sqlite_url, capsys)


@pytest.fixture
def clinic_cli(cli: Cli) -> Cli:
    assert cli("init", "--name", "Riverside Acupuncture", "--practitioner", "Mei Chen,L.Ac.") == 0
    return cli


def test_init_sets_up_the_clinic_once(cli: Cli) -> None:
    profile = cli.json(
        "init", "--name", "Riverside Acupuncture", "--practitioner", "Mei Chen,L.Ac.", "--room", "A"
    )
    assert profile["name"] == "Riverside Acupuncture"
    assert profile["timezone"] == "Europe/London"
    assert "already set up" in cli.refused("init", "--name", "Again", "--practitioner", "X Y")


def test_init_needs_a_practitioner_and_a_real_timezone(cli: Cli) -> None:
    assert "practitioner" in cli.refused("init", "--name", "Riverside")
    assert cli.refused(
        "init", "--name", "Riverside", "--practitioner", "Mei Chen", "--timezone", "Mars/Base"
    )


def test_a_small_demo_is_built_and_checked(cli: Cli) -> None:
    summary = cli.json("demo", "--patients", "40", "--weeks", "2", "--seed", "3")
    assert summary["patients"] == 40 and summary["appointments"] > 0
    assert summary["extra"]["safety_showcase"] == 16
    assert summary["extra"]["intakes"] > 0
    report = cli.json("check")
    assert report["ok"] is True
    assert report["counts"]["intakes"] == summary["extra"]["intakes"]
    assert cli("check") == 0 and "Healthy." in cli.out
    assert "empty database" in cli.refused("demo", "--patients", "5")


def test_patients_add_warns_about_a_likely_duplicate(clinic_cli: Cli) -> None:
    cli = clinic_cli
    added = cli.json(
        "patients", "add", "--name", "Zoë Adams", "--dob", "1956-03-14", "--phone", "07700 900123"
    )
    assert added["chart_number"] == f"{added['id']:06d}"
    reason = cli.refused("patients", "add", "--name", "Zoe Adams", "--dob", "1956-03-14")
    assert f"#{added['id']} Zoë Adams" in reason and "--force" in reason
    assert "the same phone number" in cli.refused(
        "patients", "add", "--name", "Other Person", "--phone", "+44 7700 900123"
    )
    assert cli("patients", "add", "--name", "Zoe Adams", "--dob", "1956-03-14", "--force") == 0


def test_patients_add_refuses_bad_input(clinic_cli: Cli) -> None:
    assert "date" in clinic_cli.refused("patients", "add", "--name", "Ann Lee", "--dob", "14 March")
    assert clinic_cli.refused("patients", "add", "--name", "Ann Lee", "--phone", "call me")
    assert clinic_cli.refused("patients", "add", "--name", "   ")


def test_patients_search_finds_by_name_phone_and_birth_date(clinic_cli: Cli) -> None:
    cli = clinic_cli
    cli("patients", "add", "--name", "Zoë Adams", "--dob", "1956-03-14", "--phone", "07700 900123")
    cli("patients", "add", "--name", "Wang Xiaoming", "--other-script-name", "王小明")
    for query, name in (
        ("zoe", "Zoë Adams"),
        ("900 123", "Zoë Adams"),
        ("14.03.1956", "Zoë Adams"),
        ("小明", "Wang Xiaoming"),
    ):
        found = cli.json("patients", "search", query)
        assert [p["legal_name"] for p in found] == [name]
    assert cli("patients", "search", "nobody") == 0 and "No patient matches." in cli.out


def test_patients_show_includes_flags_and_scores(clinic_cli: Cli, sqlite_url: str) -> None:
    cli = clinic_cli
    pid = cli.json("patients", "add", "--name", "Ann Lee")["id"]
    shown = cli.json("patients", "show", str(pid))
    assert shown["flags"] == "No safety screen yet" and shown["has_intake"] is False
    services = Services.open(sqlite_url)
    try:
        services.intakes.save(
            pid,
            {
                "schema": 1,
                "pain": {"now": 6, "worst": 8, "average": 5},
                "mnsi": {str(n): True for n in range(1, 16)},
                "safety": {"implanted_device": True},
            },
        )
    finally:
        services.db.dispose()
    shown = cli.json("patients", "show", str(pid))
    assert shown["legal_name"] == "Ann Lee"
    assert shown["flag_badges"] == ["PM", "NUMB"]
    assert shown["mnsi_score"] == 11 and shown["mnsi_positive"] is True
    assert (shown["pain_now"], shown["pain_worst"], shown["pain_average"]) == (6, 8, 5)
    assert cli("patients", "show", str(pid)) == 0
    assert "Implanted device" in cli.out
    assert "no patient number 999" in cli.refused("patients", "show", "999")


# -- export ----------------------------------------------------------------------------------


def test_export_holds_every_intake_version_visit_override_and_the_mnsi_answers(
    db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from frontdesk.services.clinic import ClinicSetup
    from frontdesk.services.patients import PatientInput

    services = Services.open(db_url)
    try:
        services.clinic.set_up(ClinicSetup(name="Riverside", practitioners=[("Mei Chen", "")]))
        pid = services.patients.create(PatientInput(legal_name="Ann Lee")).id
        answers = {"1": True, "2": True, "7": False, "13": True}
        services.intakes.save(pid, {"schema": 1, "mnsi": answers})
        services.intakes.save(
            pid, {"schema": 1, "mnsi": answers, "safety": {"implanted_device": True}}
        )
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
        services.visits.record(
            appointment,
            VisitInput(
                services=(ServiceKind.ELECTRO_ACUPUNCTURE,),
                points=("ST36",),
                electro=ElectroSettings(2, "low", 20),
                pain_before=6,
                pain_after=4,
            ),
            override_reason="Cardiologist cleared stimulation of the legs",
        )
    finally:
        services.db.dispose()

    target = tmp_path / "export.json"
    cli = Cli(db_url, capsys)
    assert cli("export", "-o", str(target)) == 0
    assert "Exported" in cli.err
    tables = json.loads(target.read_text(encoding="utf-8"))["tables"]
    intakes = tables["intakes"]
    assert [row["version_no"] for row in intakes] == [1, 2]
    for row in intakes:
        assert row["data"]["mnsi"] == answers
        assert row["mnsi_score"] == 3  # items 1 and 2 yes, item 7 no
    assert tables["visits"][0]["data"]["points"] == ["ST36"]
    assert tables["visits"][0]["pain_before"] == 6
    override = tables["safety_overrides"][0]
    assert override["visit_id"] == tables["visits"][0]["id"]
    assert "Cardiologist" in override["reason"]
    assert not (tmp_path / "export.json.partial").exists()
