"""Moving a clinic from its SQLite file to an empty PostgreSQL database, every row checked;
and the workstation's choice of clinic server."""

from __future__ import annotations

import io
import json
import stat
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from frontdesk.db.engine import Database
from frontdesk.domain.errors import ConflictError
from frontdesk.services import transfer
from frontdesk.services.demo import DemoOptions
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput
from frontdesk.services.transfer import ServerSettings, TransferError


def export_of(services: Services) -> dict:
    out = io.StringIO()
    services.maintenance.export(out)
    document = json.loads(out.getvalue())
    document.pop("exported_at")
    return document


@pytest.fixture
def empty_pg(pg_server) -> Iterator[str]:
    """A new PostgreSQL database with nothing in it (not even the schema)."""
    name = f"empty_{uuid.uuid4().hex[:10]}"
    pg_server.admin().execute(f"CREATE DATABASE {name}")
    yield pg_server.url(name)
    pg_server.admin().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def sqlite_clinic(sqlite_url: str, clock) -> Iterator[Services]:
    clock.now = datetime(2025, 3, 12, 9, 30, tzinfo=UTC)
    services = Services(Database(sqlite_url), clock=clock)
    services.demo.build(DemoOptions(patients=25, weeks=2, today=date(2025, 3, 12)))
    # a merged patient points at a patient added after it: the copy must cope
    keep = services.patients.create(PatientInput(legal_name="Late Keeper"))
    first = services.patients.search("")[-1]
    services.patients.merge(keep.id, first.id)
    yield services
    services.db.dispose()


@pytest.mark.postgres
def test_a_sqlite_clinic_moves_to_an_empty_server_with_every_row(
    sqlite_clinic: Services, empty_pg: str, clock
) -> None:
    steps: list[str] = []
    report = sqlite_clinic.transfer.move_to(empty_pg, lambda m, _f: steps.append(m))
    assert "Checking every row" in steps
    counts = {t.name: t.rows for t in report.tables}
    assert counts["patients"] == 26 and counts["patient_search_terms"] > 26
    assert counts["appointments"] == sqlite_clinic.maintenance.check().counts["appointments"]
    assert "postgres@" in report.target

    moved = Services(Database(empty_pg), clock=clock)
    try:
        assert export_of(moved) == export_of(sqlite_clinic)
        assert moved.maintenance.check().ok
        # sequences continue after the copied ids; search works on the copied words
        added = moved.patients.create(PatientInput(legal_name="First On The Server"))
        assert added.id == 27
        assert moved.patients.search("Late Keeper")
    finally:
        moved.db.dispose()


@pytest.mark.postgres
def test_a_server_that_already_holds_a_clinic_is_refused(
    sqlite_clinic: Services, pg_url: str, clock
) -> None:
    other = Services(Database(pg_url), clock=clock)
    try:
        other.patients.create(PatientInput(legal_name="Already Here"))
        with pytest.raises(ConflictError, match=r"already holds clinic data \(1 patients"):
            sqlite_clinic.transfer.move_to(pg_url)
        assert [p.legal_name for p in other.patients.search("")] == ["Already Here"]
    finally:
        other.db.dispose()


def test_a_move_into_another_sqlite_file_works_too(sqlite_clinic: Services, tmp_path: Path) -> None:
    target = f"sqlite:///{tmp_path / 'copy' / 'clinic.sqlite3'}"
    report = sqlite_clinic.transfer.move_to(target)
    assert report.total_rows > 100
    with pytest.raises(ConflictError):
        sqlite_clinic.transfer.move_to(target)


def test_an_unreachable_server_gives_a_readable_message(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://frontdesk@/clinic?host={tmp_path}&port=5999"
    with pytest.raises(TransferError, match=r"Cannot connect to .*Check the server name"):
        transfer.check_connection(url)


@pytest.mark.postgres
def test_test_connection_tells_what_the_database_holds(pg_url: str, empty_pg: str) -> None:
    assert transfer.check_connection(empty_pg).empty
    assert "The database is empty" in transfer.check_connection(empty_pg).describe()
    found = transfer.check_connection(pg_url)
    assert not found.empty and found.clinic_name is None
    assert found.server.startswith("PostgreSQL")


def test_the_server_password_goes_to_the_keyring(memory_keyring) -> None:
    store = memory_keyring
    assert transfer.configured_database_url() is None
    settings = ServerSettings("clinic-server", "frontdesk", "desk", 5433, "s3cret:@/")
    saved = transfer.save_server_settings(settings)
    assert saved.password_kept_in == "keyring"
    path = transfer._server_file()
    assert "s3cret" not in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert transfer.load_server_settings() == settings
    url = transfer.configured_database_url()
    assert url is not None
    from sqlalchemy import make_url

    parsed = make_url(url)
    assert (parsed.host, parsed.port, parsed.database, parsed.username, parsed.password) == (
        "clinic-server",
        5433,
        "frontdesk",
        "desk",
        "s3cret:@/",
    )
    transfer.forget_server_settings()
    assert store.saved == {}
    assert transfer.configured_database_url() is None


def test_without_a_keyring_the_password_stays_in_a_private_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(transfer, "keyring_store", lambda: None)
    settings = ServerSettings("10.0.0.5", "clinic", "desk", password="pw")
    assert transfer.save_server_settings(settings).password_kept_in == "file"
    assert transfer.load_server_settings() == settings
    assert stat.S_IMODE(transfer._server_file().stat().st_mode) == 0o600
    not_kept = transfer.save_server_settings(settings, remember_password=False)
    assert not_kept.password_kept_in == "none"
    assert transfer.load_server_settings().password == ""
