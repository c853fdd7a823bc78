"""How connections are set up, and what a unit of work promises."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from frontdesk.db.engine import SQLITE_BUSY_TIMEOUT_MS, Database
from frontdesk.db.models import Patient


def _pragma(database: Database, name: str) -> Any:
    with database.engine.connect() as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(sqlite_url: str) -> None:
    database = Database(sqlite_url)
    try:
        assert database.is_sqlite
        # readers never block the writer (and the reverse) with write-ahead logging
        assert _pragma(database, "journal_mode") == "wal"
        assert _pragma(database, "foreign_keys") == 1
        # a second workstation waits for the lock instead of failing at once
        assert _pragma(database, "busy_timeout") == SQLITE_BUSY_TIMEOUT_MS
    finally:
        database.dispose()


def test_a_brand_new_sqlite_file_gets_the_same_settings(tmp_path: Any) -> None:
    database = Database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    try:
        assert _pragma(database, "journal_mode") == "wal"
        assert _pragma(database, "foreign_keys") == 1
    finally:
        database.dispose()


def test_the_backend_is_reported(database: Database, db_url: str) -> None:
    assert database.is_sqlite == db_url.startswith("sqlite")
    assert database.dialect in ("sqlite", "postgresql")


def test_a_failed_unit_of_work_saves_nothing(database: Database, make: Any) -> None:
    class Interrupted(Exception):
        pass

    with pytest.raises(Interrupted), database.write() as s:
        make.patient(s)
        make.patient(s)
        raise Interrupted
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(Patient)) == 0


def test_a_unit_of_work_commits_everything_together(database: Database, make: Any) -> None:
    with database.write() as s:
        make.patient(s, legal_name="Chen Jing")
        make.patient(s, legal_name="Arthur Bell")
    # a second connection sees both
    other = Database(database.url)
    try:
        with other.read() as s:
            names = set(s.scalars(select(Patient.legal_name)))
    finally:
        other.dispose()
    assert names == {"Chen Jing", "Arthur Bell"}


def test_changes_made_in_a_read_session_are_not_saved(database: Database, make: Any) -> None:
    with database.write() as s:
        make.patient(s, legal_name="Chen Jing")
    with database.read() as s:
        s.scalars(select(Patient)).one().legal_name = "Someone Else"
    with database.read() as s:
        assert s.scalars(select(Patient.legal_name)).one() == "Chen Jing"


def test_loaded_rows_stay_readable_after_the_session(database: Database, make: Any) -> None:
    with database.write() as s:
        make.patient(s, legal_name="Chen Jing")
    with database.read() as s:
        patient = s.scalars(select(Patient)).one()
    assert patient.legal_name == "Chen Jing"
