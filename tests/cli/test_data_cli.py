"""The command line for backups, restores, patient import and moving to a server."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from frontdesk.cli.main import run
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput

pytestmark = pytest.mark.sqlite_only


def test_backup_and_restore_with_a_passphrase_from_the_environment(
    clinic: Services, db_url: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    clinic.patients.create(PatientInput(legal_name="Kept Patient"))
    monkeypatch.setenv("CLINIC_PASSPHRASE", "correct horse")
    target = tmp_path / "monday.fdbackup"
    assert (
        run(["--db", db_url, "backup", "-o", str(target), "--passphrase-env", "CLINIC_PASSPHRASE"])
        == 0
    )
    out = capsys.readouterr().out
    assert "encrypted" in out and "checked after writing" in out
    assert "correct horse" not in target.read_bytes().decode("latin-1")

    clinic.patients.create(PatientInput(legal_name="Added Later"))
    # without --yes and without a terminal nothing happens
    assert (
        run(["--db", db_url, "restore", str(target), "--passphrase-env", "CLINIC_PASSPHRASE"]) == 1
    )
    assert "--yes" in capsys.readouterr().err
    monkeypatch.setenv("WRONG", "incorrect horse")
    assert run(["--db", db_url, "restore", str(target), "--passphrase-env", "WRONG", "--yes"]) == 1
    assert "passphrase is wrong" in capsys.readouterr().err
    assert (
        run(
            [
                "--db",
                db_url,
                "restore",
                str(target),
                "--passphrase-env",
                "CLINIC_PASSPHRASE",
                "--yes",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Restored 1 patients" in out and "as it was before is kept" in out
    assert [p.legal_name for p in clinic.patients.search("")] == ["Kept Patient"]


def test_a_missing_passphrase_variable_is_refused(clinic: Services, db_url: str, capsys) -> None:
    assert run(["--db", db_url, "backup", "--passphrase-env", "NOT_SET_ANYWHERE"]) == 1
    assert "NOT_SET_ANYWHERE is not set" in capsys.readouterr().err


def test_daily_backup_and_the_list(clinic: Services, db_url: str, tmp_path: Path, capsys) -> None:
    folder = clinic.backups.set_folder(tmp_path / "daily")
    assert run(["--db", db_url, "backup", "--daily"]) == 0
    assert run(["--db", db_url, "backup", "--daily"]) == 0
    assert "already there" in capsys.readouterr().err
    assert run(["--db", db_url, "backup", "--encrypt", "-o", str(folder)]) == 1
    assert "--passphrase-env" in capsys.readouterr().err  # no terminal to ask in
    assert run(["--db", db_url, "backup"]) == 0
    capsys.readouterr()
    assert run(["--db", db_url, "backup", "--list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [b["daily"] for b in listed] in ([True, False], [False, True])
    assert all(Path(b["path"]).parent == folder for b in listed)


def test_the_daily_backups_locked_and_unlocked_from_the_command_line(
    clinic: Services, db_url: str, tmp_path: Path, memory_keyring, monkeypatch, capsys
) -> None:
    folder = clinic.backups.set_folder(tmp_path / "daily")
    monkeypatch.setenv("DAILY_PASSPHRASE", "correct horse battery")
    args = ["--db", db_url, "backup"]
    assert run([*args, "--lock-daily", "--passphrase-env", "DAILY_PASSPHRASE", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"daily_encryption": "on"}
    assert run([*args, "--daily"]) == 0
    daily = next(folder.iterdir())
    assert daily.suffix == ".fdbackup"
    assert run([*args, "--unlock-daily"]) == 0
    assert "without a passphrase" in capsys.readouterr().out
    assert clinic.backups.daily_encryption() == "off"
    assert memory_keyring.saved == {}


def test_import_patients_dry_run_then_for_real_then_again(
    clinic: Services, db_url: str, tmp_path: Path, capsys
) -> None:
    csv_file = tmp_path / "old-system.csv"
    csv_file.write_text(
        "Surname,Given name,Born,Cell,Ref\n"
        "Hughes,Margaret,02/06/1954,07700 900111,GP\n"
        "Zhang,Wei,not a date,,\n"
    )
    args = ["--db", db_url, "import", "patients", str(csv_file), "--dates", "dmy"]
    assert run([*args, "--map", "Ref=referral_source", "--dry-run", "--json"]) == 0
    preview = json.loads(capsys.readouterr().out)
    assert preview["would_import"] == 1
    assert preview["mapping"]["Ref"] == "referral_source"
    assert [b["line"] for b in preview["bad_rows"]] == [3]
    assert clinic.patients.search("") == []

    assert run([*args, "--map", "Ref=referral_source"]) == 0
    out = capsys.readouterr().out
    assert "Imported 1 patients" in out and "line 3:" in out
    record = clinic.patients.search("Hughes")[0]
    assert record.date_of_birth.isoformat() == "1954-06-02"
    assert run(args) == 0
    assert "Imported 0 patients; 1 were already there" in capsys.readouterr().out


def test_an_unknown_column_in_the_mapping_is_refused(
    clinic: Services, db_url: str, tmp_path: Path, capsys
) -> None:
    csv_file = tmp_path / "p.csv"
    csv_file.write_text("Name\nJo Bloggs\n")
    assert run(["--db", db_url, "import", "patients", str(csv_file), "--map", "Town=address"]) == 1
    assert "no column 'Town'" in capsys.readouterr().err


@pytest.mark.postgres
def test_move_to_an_empty_server(clinic: Services, db_url: str, pg_server, capsys) -> None:
    clinic.patients.create(PatientInput(legal_name="Moving Patient"))
    name = f"move_{uuid.uuid4().hex[:10]}"
    pg_server.admin().execute(f"CREATE DATABASE {name}")
    try:
        target = pg_server.url(name)
        assert run(["--db", db_url, "db", "move-to", target]) == 0
        out = capsys.readouterr().out
        assert "Every row was compared" in out and "patients" in out
        assert run(["--db", db_url, "db", "move-to", target]) == 1
        assert "already holds clinic data" in capsys.readouterr().err
        assert run(["--db", target, "patients", "search", "Moving", "--json"]) == 0
    finally:
        pg_server.admin().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
