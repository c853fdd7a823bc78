"""Moving a clinic to a server, and which server this workstation opens.

``TransferService.move_to(url)`` copies the clinic (usually the SQLite file of a clinic that
started on one computer) into an EMPTY PostgreSQL database: the target is brought to the
current schema, every table is copied in dependency order in batches inside one
transaction, PostgreSQL's id sequences are set past the copied ids, and then every table is
compared on both sides (row count and a checksum of all rows). A target that already holds
data is refused, so nothing there is ever overwritten.

The workstation's choice of server (host, port, database, user) is kept in a small
owner-only file in the data folder; the password goes to the system keyring where one
exists (and only then to that file). ``configured_database_url()`` gives the start-up code
the URL to open, or None for this computer's own clinic file.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text, update
from sqlalchemy.engine import URL, make_url

from frontdesk import config
from frontdesk.db import migrate
from frontdesk.db.engine import Database
from frontdesk.db.models import Base
from frontdesk.domain.errors import ConflictError, FrontdeskError, ValidationError
from frontdesk.domain.permissions import Permission
from frontdesk.services.base import ServiceBase

log = logging.getLogger(__name__)

BATCH_ROWS = 1000
#: tables that the migrations fill themselves; their rows are not copied one by one
MIGRATION_TABLES = ("change_counter",)
SERVER_FILE = config.SERVER_SETTINGS_FILE
KEYRING_SERVICE = "Frontdesk clinic server"
CONNECT_TIMEOUT_SECONDS = 5

Progress = Callable[[str, float], None]


class TransferError(FrontdeskError):
    """The clinic could not be copied, or the copy did not match the original."""


# -- comparing rows on two databases -------------------------------------------------------


def _canonical(value: Any) -> Any:
    """A value in the same form whichever backend it was read from."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Decimal):
        return str(value)
    return value


@dataclass(frozen=True)
class TableSum:
    """How many rows a table holds and a checksum of all of them (independent of order)."""

    rows: int
    checksum: str


def table_checksum(
    conn: Connection, table: Table, columns: Sequence[str] | None = None
) -> TableSum:
    """Count and checksum the rows of ``table`` over ``columns`` (default: all).

    Each row is written as canonical JSON and hashed; the hashes are added up, so the result
    does not depend on the order the database returns rows in (text sorts differently on
    SQLite and PostgreSQL).
    """
    names = list(columns) if columns is not None else [c.name for c in table.columns]
    total = 0
    count = 0
    result = conn.execution_options(stream_results=True).execute(
        select(*[table.c[name] for name in names])
    )
    for batch in result.partitions(BATCH_ROWS):
        for row in batch:
            line = json.dumps(
                [_canonical(v) for v in row], sort_keys=True, ensure_ascii=False, default=str
            )
            total += int.from_bytes(hashlib.sha256(line.encode("utf-8")).digest(), "big")
            count += 1
    return TableSum(count, format(total % (1 << 256), "064x"))


def clinic_tables() -> list[Table]:
    """Every table of the clinic, each after the tables its rows point to."""
    return list(Base.metadata.sorted_tables)


def data_counts(conn: Connection) -> dict[str, int]:
    """Rows per clinic table (the tables the migrations fill themselves left out)."""
    return {
        table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        for table in clinic_tables()
        if table.name not in MIGRATION_TABLES
    }


def reset_sequences(conn: Connection) -> None:
    """On PostgreSQL, move each id sequence past the highest id copied in explicitly."""
    if conn.dialect.name != "postgresql":
        return
    for table in clinic_tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or keys[0].type.python_type is not int:
            continue
        column = keys[0].name
        sequence = conn.execute(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column}
        ).scalar()
        if sequence is None:
            continue
        conn.execute(
            text(
                f"SELECT setval(:s, coalesce((SELECT max({column}) FROM {table.name}), 1), "
                f"(SELECT max({column}) FROM {table.name}) IS NOT NULL)"
            ),
            {"s": sequence},
        )


def insert_rows(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows in batches; a reference to a row of the same table is set afterwards
    (a merged patient may point to a patient added after it)."""
    self_refs = [fk.parent.name for fk in table.foreign_keys if fk.column.table.name == table.name]
    keys = [c.name for c in table.primary_key.columns]
    later: list[tuple[dict[str, Any], dict[str, Any]]] = []
    count = 0
    batch: list[dict[str, Any]] = []
    for row in rows:
        if self_refs and any(row.get(name) is not None for name in self_refs):
            row = dict(row)
            later.append(({k: row[k] for k in keys}, {name: row[name] for name in self_refs}))
            for name in self_refs:
                row[name] = None
        batch.append(row)
        if len(batch) >= BATCH_ROWS:
            conn.execute(insert(table), batch)
            count += len(batch)
            batch = []
    if batch:
        conn.execute(insert(table), batch)
        count += len(batch)
    for key, values in later:
        condition = [table.c[k] == v for k, v in key.items()]
        conn.execute(update(table).where(*condition).values(**values))
    return count


# -- the move ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableCopy:
    name: str
    rows: int
    checksum: str


@dataclass
class TransferReport:
    """What was copied where, and the proof that both sides hold the same rows."""

    target: str
    tables: list[TableCopy] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)


def safe_url(url: str | URL) -> str:
    """The URL as it may be shown or logged: the password hidden."""
    return make_url(url).render_as_string(hide_password=True)


class TransferService(ServiceBase):
    """Copying this clinic into another (empty) database, checked row by row."""

    def move_to(self, target_url: str, progress: Progress | None = None) -> TransferReport:
        """Copy every row of this clinic into the empty database at ``target_url``.

        Raises ConflictError when the target already holds clinic data, TransferError when
        the copy does not match the original (nothing is left behind in the target then:
        the copy is one transaction).
        """
        self.hub.require(Permission.BACKUP)
        started = time.monotonic()
        report_progress = progress or (lambda _message, _fraction: None)
        if make_url(target_url) == make_url(self.db.engine.url):
            raise ValidationError("The clinic cannot be moved into the database it is in.")
        source_revision = migrate.current_revision(self.db)
        if source_revision != migrate.HEAD_REVISION:
            raise TransferError(
                "This clinic's database is not at the current schema version. "
                "Start Frontdesk once on it (it upgrades itself), then move it."
            )
        target = Database(target_url)
        try:
            return self._move(target, report_progress, started)
        finally:
            target.dispose()

    def _move(self, target: Database, progress: Progress, started: float) -> TransferReport:
        from sqlalchemy.exc import DBAPIError

        shown = safe_url(target.engine.url)
        try:
            revision = migrate.current_revision(target)
            if revision is not None and revision != migrate.HEAD_REVISION:
                raise ConflictError(
                    f"The database at {shown} belongs to a different version of Frontdesk "
                    f"(schema {revision}). Choose an empty database."
                )
            if revision is None:
                progress("Preparing the new database", 0.0)
                migrate.upgrade(target, backup=False)
            with target.engine.connect() as conn:
                counts = data_counts(conn)
        except DBAPIError as error:
            raise TransferError(
                f"Cannot use the database at {shown}: {str(error.orig).strip().splitlines()[0]}"
            ) from None
        filled = {name: n for name, n in counts.items() if n}
        if filled:
            listed = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in filled.items())
            raise ConflictError(
                f"The database at {shown} already holds clinic data ({listed}). "
                "Frontdesk only copies into an empty database, so that nothing there is "
                "overwritten. Create a new, empty database and try again."
            )
        tables = [t for t in clinic_tables() if t.name not in MIGRATION_TABLES]
        writer = target.engine.execution_options(frontdesk_write=True)
        source_sums: dict[str, TableSum] = {}
        with self.db.engine.connect() as source, source.begin(), writer.begin() as dest:
            for index, table in enumerate(tables):
                progress(f"Copying {table.name.replace('_', ' ')}", index / len(tables))
                rows = source.execution_options(stream_results=True).execute(select(table))
                insert_rows(
                    dest, table, (dict(r._mapping) for batch in rows.partitions(500) for r in batch)
                )
                source_sums[table.name] = table_checksum(source, table)
            counter = source.execute(text("SELECT value FROM change_counter WHERE id = 1"))
            dest.execute(
                text("UPDATE change_counter SET value = :v WHERE id = 1"),
                {"v": (counter.scalar() or 0) + 1},
            )
            reset_sequences(dest)
        progress("Checking every row", 0.95)
        report = TransferReport(target=shown)
        with target.engine.connect() as conn:
            for table in tables:
                copied = table_checksum(conn, table)
                original = source_sums[table.name]
                if copied != original:
                    raise TransferError(
                        f"The copy of {table.name.replace('_', ' ')} does not match the "
                        f"original ({original.rows} rows here, {copied.rows} there). The clinic "
                        "keeps using this database; empty the new one and try again."
                    )
                report.tables.append(TableCopy(table.name, copied.rows, copied.checksum))
        progress("Done", 1.0)
        report.seconds = time.monotonic() - started
        log.info("copied the clinic into %s (%d rows)", shown, report.total_rows)
        return report


# -- which server this workstation opens ---------------------------------------------------


@dataclass(frozen=True)
class ServerSettings:
    """Where the clinic server is and whom to sign in as."""

    host: str
    database: str
    user: str
    port: int = 5432
    password: str = ""

    def url(self, *, with_password: bool = True) -> str:
        """The SQLAlchemy URL (psycopg driver); the password left out unless asked for."""
        password = (self.password or None) if with_password else None
        if self.host.startswith("/"):
            # a local server's socket folder goes in the query (it cannot be a URL host)
            built = URL.create(
                "postgresql+psycopg",
                username=self.user or None,
                password=password,
                database=self.database,
                query={"host": self.host, "port": str(self.port)},
            )
        else:
            built = URL.create(
                "postgresql+psycopg",
                username=self.user or None,
                password=password,
                host=self.host or None,
                port=self.port or None,
                database=self.database,
            )
        return built.render_as_string(hide_password=False)

    @property
    def keyring_name(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.database}"


@dataclass(frozen=True)
class SavedServer:
    settings: ServerSettings
    #: "keyring", "file" (no keyring on this computer) or "none" (not remembered)
    password_kept_in: str


def _server_file() -> Path:
    return config.data_dir() / SERVER_FILE


def keyring_store() -> Any | None:
    """The keyring module when this computer has a working password store, else None."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception:  # no keyring package or a broken configuration: do without
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return None
    return keyring


def keyring_available() -> bool:
    """Whether passwords can go to the system's password store."""
    return keyring_store() is not None


def _write_private(path: Path, text_value: str) -> None:
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text_value)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)


def save_server_settings(
    settings: ServerSettings, *, remember_password: bool = True
) -> SavedServer:
    """Make this workstation open the clinic server next time it starts."""
    if not settings.host.strip() or not settings.database.strip():
        raise ValidationError("Enter the server's name or address and the database name.")
    kept_in = "none"
    stored: dict[str, Any] = {
        "host": settings.host.strip(),
        "port": int(settings.port),
        "database": settings.database.strip(),
        "user": settings.user.strip(),
    }
    if remember_password and settings.password:
        store = keyring_store()
        if store is not None:
            try:
                store.set_password(KEYRING_SERVICE, settings.keyring_name, settings.password)
                kept_in = "keyring"
            except Exception:  # a locked or broken store: fall back to the private file
                log.warning("the system keyring refused the password; keeping it in the file")
        if kept_in == "none":
            stored["password"] = settings.password
            kept_in = "file"
    stored["password_kept_in"] = kept_in
    _write_private(_server_file(), json.dumps(stored, indent=2))
    return SavedServer(settings, kept_in)


def load_server_settings() -> ServerSettings | None:
    """The server this workstation is set to open (with its password), or None."""
    path = _server_file()
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        log.warning("the clinic server settings could not be read; using the local file")
        return None
    settings = ServerSettings(
        host=str(stored.get("host", "")),
        database=str(stored.get("database", "")),
        user=str(stored.get("user", "")),
        port=int(stored.get("port", 5432)),
        password=str(stored.get("password", "")),
    )
    if stored.get("password_kept_in") == "keyring":
        store = keyring_store()
        if store is not None:
            try:
                password = store.get_password(KEYRING_SERVICE, settings.keyring_name)
            except Exception:
                password = None
            if password:
                settings = ServerSettings(
                    settings.host, settings.database, settings.user, settings.port, password
                )
    return settings


def forget_server_settings() -> None:
    """Go back to this computer's own clinic file (the saved password is removed too)."""
    settings = load_server_settings()
    if settings is not None:
        store = keyring_store()
        if store is not None:
            # nothing may have been kept there
            with contextlib.suppress(Exception):
                store.delete_password(KEYRING_SERVICE, settings.keyring_name)
    _server_file().unlink(missing_ok=True)


def configured_database_url() -> str | None:
    """The clinic server this workstation was connected to, or None (use the local file).

    The start-up code asks this after ``--db`` and ``FRONTDESK_DB_URL``.
    """
    settings = load_server_settings()
    return settings.url() if settings is not None else None


@dataclass(frozen=True)
class ConnectionCheck:
    """What a test connection found."""

    server: str
    clinic_name: str | None
    patients: int
    empty: bool

    def describe(self) -> str:
        if self.clinic_name:
            return (
                f"Connected to {self.server}. It holds the clinic {self.clinic_name} "
                f"with {self.patients} patients."
            )
        if self.empty:
            return (
                f"Connected to {self.server}. The database is empty: move this computer's "
                "clinic into it, or set up a new clinic there."
            )
        return f"Connected to {self.server}. The clinic there has not been set up yet."


def check_connection(url: str) -> ConnectionCheck:
    """Try the database at ``url``; a readable error when it cannot be reached."""
    from sqlalchemy.exc import DBAPIError

    from frontdesk.db.engine import make_engine

    extra: dict[str, Any] = {}
    if not url.startswith("sqlite"):
        # a wrong address should fail within seconds, not hang the dialog
        extra["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    db = Database(url, make_engine(url, **extra))
    try:
        with db.engine.connect() as conn:
            if db.is_sqlite:
                server = "the clinic file"
            else:
                version = str(conn.execute(text("SHOW server_version")).scalar() or "")
                server = f"PostgreSQL {version.split()[0] if version else ''}".strip()
        revision = migrate.current_revision(db)
        if revision is None:
            return ConnectionCheck(server, None, 0, True)
        with db.engine.connect() as conn:
            name = conn.execute(text("SELECT name FROM clinic_profile WHERE id = 1")).scalar()
            patients = int(conn.execute(text("SELECT count(*) FROM patients")).scalar() or 0)
        return ConnectionCheck(server, name, patients, False)
    except DBAPIError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise TransferError(
            f"Cannot connect to {safe_url(url)}: {reason}. Check the server name, port, "
            "database, user and password, and that the server lets this computer in."
        ) from None
    finally:
        db.dispose()
