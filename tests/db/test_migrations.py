"""Schema migrations: from nothing to the current schema and back, and the safety copy."""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from frontdesk.db import guards, migrate
from frontdesk.db.engine import Database
from frontdesk.db.models import Base, ChangeCounter, Patient

DAY = datetime(2026, 3, 2, tzinfo=UTC)


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS))
    return config


def _downgrade(db: Database, revision: str) -> None:
    config = _alembic_config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


@pytest.fixture
def empty_db(empty_db_url: str) -> Iterator[Database]:
    db = Database(empty_db_url)
    yield db
    db.dispose()


def test_head_revision_is_the_newest_migration_script() -> None:
    scripts = ScriptDirectory.from_config(_alembic_config())
    # one head: two heads would mean two migrations that both think they are the newest
    assert scripts.get_heads() == [migrate.HEAD_REVISION]


def test_an_empty_database_is_migrated_to_the_current_schema(empty_db: Database) -> None:
    assert migrate.current_revision(empty_db) is None
    assert migrate.needs_upgrade(empty_db)

    copy = migrate.upgrade(empty_db)

    assert copy is None  # nothing to save in an empty database
    assert migrate.current_revision(empty_db) == migrate.HEAD_REVISION
    assert not migrate.needs_upgrade(empty_db)
    assert set(Base.metadata.tables) | {"alembic_version"} <= migrate.table_names(empty_db)
    with empty_db.read() as s:
        assert s.scalar(select(ChangeCounter.value)) == 0


def test_ensure_current_upgrades_once_then_leaves_the_database_alone(
    empty_db: Database,
) -> None:
    assert migrate.ensure_current(empty_db) is None
    assert migrate.current_revision(empty_db) == migrate.HEAD_REVISION
    assert migrate.ensure_current(empty_db) is None
    if empty_db.is_sqlite:
        folder = Path(empty_db.engine.url.database or "").parent
        assert not list(folder.glob("*before-upgrade*"))


def test_the_migrated_schema_matches_the_models(database: Database) -> None:
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_downgrade_to_nothing_and_upgrade_again(
    database: Database, make, insert_appointment
) -> None:
    _downgrade(database, "base")

    assert migrate.table_names(database) <= {"alembic_version"}
    assert migrate.current_revision(database) is None

    migrate.upgrade(database)

    assert migrate.current_revision(database) == migrate.HEAD_REVISION
    assert set(Base.metadata.tables) <= migrate.table_names(database)
    # the guards come back with the tables
    with database.write() as s:
        ids = make.basics(s)
        insert_appointment(s, ids, DAY.replace(hour=9))
    with pytest.raises(IntegrityError, match=guards.OVERLAP_PRACTITIONER), database.write() as s:
        insert_appointment(s, ids, DAY.replace(hour=9, minute=30), room=None)


# -- the safety copy of a SQLite clinic ------------------------------------------------------


def _patients_in(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [row[0] for row in conn.execute("SELECT legal_name FROM patients")]


def test_backup_before_upgrade_copies_the_clinic_next_to_it(sqlite_url: str, make) -> None:
    db = Database(sqlite_url)
    try:
        with db.write() as s:
            make.patient(s, legal_name="Wang Xiaoming")

        copy = migrate.backup_before_upgrade(db)
    finally:
        db.dispose()

    original = Path(db.engine.url.database or "")
    assert copy.parent == original.parent
    assert copy.name.startswith("clinic.before-upgrade-")
    assert copy.suffix == ".sqlite3"
    assert _patients_in(copy) == ["Wang Xiaoming"]
    # patient data: readable by the clinic's account only
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600


def test_upgrading_a_clinic_that_holds_data_takes_a_copy_first(sqlite_url: str, make) -> None:
    db = Database(sqlite_url)
    try:
        with db.write() as s:
            make.patient(s, legal_name="Margaret Okafor")

        copy = migrate.upgrade(db)
    finally:
        db.dispose()

    assert copy is not None
    assert _patients_in(copy) == ["Margaret Okafor"]


def test_upgrading_an_empty_sqlite_file_takes_no_copy(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    try:
        assert migrate.upgrade(db) is None
    finally:
        db.dispose()
    assert not list(tmp_path.glob("*before-upgrade*"))


def test_upgrading_on_postgresql_takes_no_file_copy(pg_url: str, make) -> None:
    db = Database(pg_url)
    try:
        with db.write() as s:
            make.patient(s)
        # the server's own backups cover it; there is no file to copy
        assert migrate.upgrade(db) is None
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(Patient)) == 1
    finally:
        db.dispose()
