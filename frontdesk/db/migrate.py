"""Bring a clinic database to the current schema.

Start-up asks one cheap question (which revision is the database at?) with plain SQL;
Alembic, which costs a few hundred milliseconds to import, is loaded only when an upgrade
is actually due. Before upgrading a SQLite clinic that already holds data, a copy of the
file is taken through SQLite's online backup API.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from frontdesk.db.engine import Database

log = logging.getLogger(__name__)

#: the newest migration; a test checks it against Alembic's own view of the scripts
HEAD_REVISION = "0002"
MIGRATIONS = Path(__file__).with_name("migrations")


def current_revision(db: Database) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with db.engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:
            conn.rollback()
            return None


def needs_upgrade(db: Database) -> bool:
    return current_revision(db) != HEAD_REVISION


def upgrade(db: Database, revision: str = "head", *, backup: bool = True) -> Path | None:
    """Upgrade to ``revision``; returns the path of the safety copy taken, if any."""
    copy = None
    if backup and db.is_sqlite and current_revision(db) is not None:
        copy = backup_before_upgrade(db)
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    return copy


def ensure_current(db: Database, on_upgrade: Callable[[], None] | None = None) -> Path | None:
    """Upgrade when needed (the cheap check first; ``on_upgrade`` is told before an
    existing clinic's database is upgraded); returns the safety copy, if any."""
    if needs_upgrade(db):
        if on_upgrade is not None and current_revision(db) is not None:
            on_upgrade()  # an existing clinic brought up to date (a new one is only created)
        return upgrade(db)
    return None


def backup_before_upgrade(db: Database) -> Path:
    import sqlite3

    source_path = Path(db.engine.url.database or "")
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = source_path.with_name(f"{source_path.stem}.before-upgrade-{stamp}.sqlite3")
    source = sqlite3.connect(source_path)
    try:
        dest = sqlite3.connect(target)
        with dest:
            source.backup(dest)
        dest.close()
    finally:
        source.close()
    target.chmod(0o600)
    log.info("copied the database before upgrading it")
    return target


def table_names(db: Database) -> set[str]:
    return set(inspect(db.engine).get_table_names())
