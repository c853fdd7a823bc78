"""Upgrades keep every row: a clinic built at the first schema revision and filled with
data is upgraded to the newest revision, and every table still holds the same rows.

The rows are written with the tables as they were at the first revision (read from that
database, not from today's models), and compared over the columns that existed then.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import MetaData, Table, insert

from frontdesk.db import migrate
from frontdesk.db.engine import Database
from frontdesk.db.models import Base
from frontdesk.services.demo import DemoOptions
from frontdesk.services.hub import Services
from frontdesk.services.transfer import TableSum, table_checksum

FIRST_REVISION = "0001"


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it, not even the schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old' / 'clinic.sqlite3'}"
        return
    server = request.getfixturevalue("pg_server")
    name = f"upgrade_{uuid.uuid4().hex[:10]}"
    server.admin().execute(f"CREATE DATABASE {name}")
    yield server.url(name)
    server.admin().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _reflect(db: Database) -> dict[str, Table]:
    metadata = MetaData()
    metadata.reflect(bind=db.engine)
    return {name: table for name, table in metadata.tables.items() if name != "alembic_version"}


def _fill_as_at_first_revision(old: Database, tmp_path: Path) -> None:
    """Build a demo clinic with today's program, then write its rows into ``old`` through
    the tables as the first revision made them (columns added later are left out)."""
    scratch = Services.open(f"sqlite:///{tmp_path / 'scratch.sqlite3'}")
    try:
        scratch.demo.build(DemoOptions(patients=15, weeks=2, today=date(2025, 3, 12)))
        tables = _reflect(old)
        with scratch.db.engine.connect() as source, old.engine.begin() as target:
            for model in Base.metadata.sorted_tables:
                if model.name == "change_counter" or model.name not in tables:
                    continue
                then = tables[model.name]
                columns = [c for c in model.columns if c.name in then.c]
                rows = [dict(r._mapping) for r in source.execute(model.select())]
                if rows:
                    target.execute(
                        insert(then), [{c.name: r[c.name] for c in columns} for r in rows]
                    )
    finally:
        scratch.db.dispose()


def _sums(db: Database, tables: dict[str, Table]) -> dict[str, TableSum]:
    """Count and checksum of each table over the columns it had at the first revision."""
    now = _reflect(db)
    with db.engine.connect() as conn:
        return {
            name: table_checksum(conn, now[name], [c.name for c in before.columns])
            for name, before in tables.items()
        }


def test_a_clinic_at_the_first_revision_upgrades_with_every_row(
    empty_url: str, tmp_path: Path
) -> None:
    old = Database(empty_url)
    try:
        migrate.upgrade(old, FIRST_REVISION, backup=False)
        assert migrate.current_revision(old) == FIRST_REVISION
        _fill_as_at_first_revision(old, tmp_path)
        tables_then = _reflect(old)
        before = _sums(old, tables_then)
    finally:
        old.dispose()
    assert before["patients"].rows == 15 and before["appointments"].rows > 50
    assert before["intakes"].rows > 0

    # the program opens (and so upgrades) it as it does at start-up
    upgraded = Services.open(empty_url)
    try:
        assert migrate.current_revision(upgraded.db) == migrate.HEAD_REVISION
        after = _sums(upgraded.db, tables_then)
        for name in tables_then:
            assert after[name] == before[name], f"{name} changed in the upgrade"
        assert upgraded.maintenance.check().ok
        assert upgraded.patients.search("")  # the clinic works after the upgrade
    finally:
        upgraded.db.dispose()


def test_downgrade_to_nothing_and_upgrade_again(empty_url: str) -> None:
    from alembic import command
    from alembic.config import Config

    db = Database(empty_url)
    try:
        migrate.upgrade(db, backup=False)
        config = Config()
        config.set_main_option("script_location", str(migrate.MIGRATIONS))
        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
        assert migrate.table_names(db) <= {"alembic_version"}
        assert migrate.current_revision(db) is None
        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        assert migrate.current_revision(db) == migrate.HEAD_REVISION
        assert migrate.table_names(db) == set(Base.metadata.tables) | {"alembic_version"}
    finally:
        db.dispose()
    services = Services.open(empty_url)
    try:
        assert services.maintenance.check().ok
    finally:
        services.db.dispose()


def test_an_upgrade_writes_the_search_words_again(empty_url: str) -> None:
    """A clinic indexed by an earlier version (a phone number only in the form it was
    typed) finds the patient by the other form after the upgrade, key by key."""
    from sqlalchemy import text

    old = Database(empty_url)
    try:
        migrate.upgrade(old, FIRST_REVISION, backup=False)
        with old.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO patients (id, legal_name, preferred_name, other_script_name,"
                    " sex, phone, email, address, emergency_contact_name,"
                    " emergency_contact_phone, preferred_language, chart_number,"
                    " referral_source, archived, version, created_at, updated_at)"
                    " VALUES (1, 'Grace Old', '', '', 'unknown', '07700 900123', '', '', '',"
                    " '', 'en', '', '', false, 1, '2024-01-01 09:00:00', '2024-01-01 09:00:00')"
                )
            )
            for term in ("grace", "old", "07700900123"):
                conn.execute(
                    text("INSERT INTO patient_search_terms (term, patient_id) VALUES (:t, 1)"),
                    {"t": term},
                )
    finally:
        old.dispose()
    upgraded = Services.open(empty_url)
    try:
        for typed in ("+44 77", "+44 7700 900", "447700900123"):
            assert [p.legal_name for p in upgraded.patients.search(typed)] == ["Grace Old"]
    finally:
        upgraded.db.dispose()
