"""Backups that are checked after writing, can be encrypted, and restore safely.

What a backup file holds:

- A SQLite clinic: a copy made with SQLite's online backup API (consistent while the
  program runs; never a plain file copy, which can catch a half-written page). The copy
  is checked before it is kept: ``PRAGMA integrity_check``, the schema revision, and the
  row count of every table equal to the clinic at the moment of the copy.
- A PostgreSQL clinic: the export format (``frontdesk export``, read in one consistent
  snapshot) wrapped with the users' password hashes, compressed with gzip; checked by
  reading it back.
- Either, encrypted with a passphrase: a header (format, version, payload kind, scrypt
  parameters and salt, nonce prefix, chunk size), then the payload in chunks sealed with
  AES-256-GCM. Every chunk is authenticated with the header and its position, and the last
  chunk is marked, so a changed, cut or reordered file is refused, as is a wrong passphrase.

Files are written under a temporary name and renamed into place (a crash never leaves a
half backup under the real name), owner-only (mode 0600).

Restore checks the backup first, keeps a copy of the current clinic, then replaces the
SQLite database through the backup API (other connections see the old data or the new,
never a mix); on PostgreSQL it loads into an EMPTY database only.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import logging
import os
import re
import secrets
import sqlite3
import struct
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any, BinaryIO
from zoneinfo import ZoneInfo

from sqlalchemy import Date, DateTime, LargeBinary, Table, text
from sqlalchemy.engine import Connection

from frontdesk import config
from frontdesk.db import migrate
from frontdesk.db.engine import Database
from frontdesk.db.models import Base, ClinicProfile
from frontdesk.db.types import UTCDateTime
from frontdesk.domain.errors import ConflictError, FrontdeskError, ValidationError
from frontdesk.domain.permissions import Permission
from frontdesk.services.base import ServiceBase
from frontdesk.services.maintenance import EXPORT_FORMAT, EXPORT_TABLES

log = logging.getLogger(__name__)

KIND_SQLITE = "sqlite"
KIND_EXPORT = "export"
_KIND_CODES = {KIND_SQLITE: 1, KIND_EXPORT: 2}

MAGIC = b"FDBACKUP"
FORMAT_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"
#: scrypt cost: 2**15 x 8 x 128 bytes = 32 MB of memory, about a tenth of a second
SCRYPT_LOG2_N = 15
SCRYPT_R = 8
SCRYPT_P = 1
CHUNK_SIZE = 1 << 20
TAG_SIZE = 16
NONCE_PREFIX_SIZE = 7
#: magic, version, kind, log2 n, r, p, salt, nonce prefix, chunk size
_HEADER = struct.Struct(f">8sBBBBB16s{NONCE_PREFIX_SIZE}sI")

#: the wrapper around the export that a PostgreSQL backup writes
BACKUP_FORMAT = "frontdesk-backup"
BACKUP_FORMAT_VERSION = 1

DAILY_KEEP = 14
MONTHLY_KEEP = 12
DAILY_PREFIX = "frontdesk-daily-"
MANUAL_PREFIX = "frontdesk-backup-"
EXTENSIONS = {KIND_SQLITE: ".sqlite3", KIND_EXPORT: ".json.gz"}
ENCRYPTED_EXTENSION = ".fdbackup"
#: the system password store's entry for the daily backups' passphrase (one per database)
DAILY_PASSPHRASE_STORE = "Frontdesk daily backups"
#: the clinic setting saying the daily backups are to be locked with a passphrase
DAILY_ENCRYPTED_SETTING = "daily_backup_encrypted"
_NAME = re.compile(
    r"^(?P<prefix>frontdesk-daily-|frontdesk-backup-)"
    r"(?P<day>\d{4}-\d{2}-\d{2})-(?P<time>\d{6})"
    r"(?P<ext>\.sqlite3|\.json\.gz|\.fdbackup)$"
)

WRONG_PASSPHRASE = (
    "The passphrase is wrong, or the backup file is damaged. Check the passphrase "
    "(capital letters count) and try again."
)

Progress = Callable[[str, float], None]


class BackupError(FrontdeskError):
    """A backup could not be made, checked or restored; the message says what to do."""


@dataclass(frozen=True)
class BackupResult:
    """A backup that was written and checked."""

    path: Path
    kind: str
    encrypted: bool
    size: int
    schema_revision: str | None
    counts: dict[str, int]
    seconds: float


@dataclass(frozen=True)
class RestoreResult:
    """What a restore put back, and where the replaced clinic was kept."""

    source: Path
    kind: str
    schema_revision: str | None
    counts: dict[str, int]
    #: the copy of the clinic as it was before (SQLite), None on PostgreSQL
    safety_copy: Path | None


@dataclass(frozen=True)
class BackupFile:
    """One backup in a backup folder."""

    path: Path
    taken_at: datetime
    daily: bool
    encrypted: bool
    size: int

    @property
    def day(self) -> date:
        return self.taken_at.date()


@dataclass(frozen=True)
class BackupInspection:
    """What a file looks like before it is opened (for the restore dialog)."""

    path: Path
    kind: str
    encrypted: bool
    size: int


# -- encryption ------------------------------------------------------------------------------


def _key(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    if not passphrase:
        raise ValidationError("Enter a passphrase.", field="passphrase")
    # the same passphrase typed on another keyboard or system must give the same key
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return Scrypt(salt=salt, length=32, n=1 << log2_n, r=r, p=p).derive(secret)


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", index) + (b"\x01" if last else b"\x00")


def encrypt_stream(source: BinaryIO, target: BinaryIO, passphrase: str, kind: str) -> str:
    """Encrypt ``source`` into ``target``; returns the SHA-256 of the plain data."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt = secrets.token_bytes(16)
    prefix = secrets.token_bytes(NONCE_PREFIX_SIZE)
    header = _HEADER.pack(
        MAGIC,
        FORMAT_VERSION,
        _KIND_CODES[kind],
        SCRYPT_LOG2_N,
        SCRYPT_R,
        SCRYPT_P,
        salt,
        prefix,
        CHUNK_SIZE,
    )
    cipher = AESGCM(_key(passphrase, salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P))
    digest = hashlib.sha256()
    target.write(header)
    index = 0
    chunk = source.read(CHUNK_SIZE)
    while True:
        following = source.read(CHUNK_SIZE)
        last = not following
        digest.update(chunk)
        target.write(cipher.encrypt(_nonce(prefix, index, last), chunk, header))
        if last:
            return digest.hexdigest()
        chunk = following
        index += 1


def _read_header(source: BinaryIO) -> tuple[bytes, str, tuple[int, int, int, bytes, bytes, int]]:
    header = source.read(_HEADER.size)
    if len(header) != _HEADER.size:
        raise BackupError(WRONG_PASSPHRASE)
    magic, version, kind_code, log2_n, r, p, salt, prefix, chunk_size = _HEADER.unpack(header)
    if magic != MAGIC:
        raise BackupError("This file is not an encrypted Frontdesk backup.")
    if version != FORMAT_VERSION:
        raise BackupError(
            "This backup was made by a newer version of Frontdesk. Update Frontdesk first."
        )
    kinds = {code: name for name, code in _KIND_CODES.items()}
    if kind_code not in kinds or not (10 <= log2_n <= 22) or chunk_size > 64 * CHUNK_SIZE:
        raise BackupError(WRONG_PASSPHRASE)
    return header, kinds[kind_code], (log2_n, r, p, salt, prefix, chunk_size)


def decrypt_stream(source: BinaryIO, target: BinaryIO | None, passphrase: str) -> tuple[str, str]:
    """Decrypt and authenticate ``source`` into ``target`` (None: only check it).

    Returns (payload kind, SHA-256 of the plain data). A wrong passphrase or any change to
    the file raises BackupError with the same message: the two cannot be told apart.
    """
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    header, kind, (log2_n, r, p, salt, prefix, chunk_size) = _read_header(source)
    cipher = AESGCM(_key(passphrase, salt, log2_n, r, p))
    digest = hashlib.sha256()
    size = chunk_size + TAG_SIZE
    index = 0
    sealed = source.read(size)
    while True:
        following = source.read(size)
        last = not following
        try:
            plain = cipher.decrypt(_nonce(prefix, index, last), sealed, header)
        except InvalidTag:
            raise BackupError(WRONG_PASSPHRASE) from None
        digest.update(plain)
        if target is not None:
            target.write(plain)
        if last:
            return kind, digest.hexdigest()
        sealed = following
        index += 1


def inspect_file(path: Path) -> BackupInspection:
    """Which kind of backup ``path`` is and whether it needs a passphrase."""
    try:
        with path.open("rb") as f:
            start = f.read(_HEADER.size)
        size = path.stat().st_size
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror or error}.") from None
    if start.startswith(MAGIC):
        kinds = {code: name for name, code in _KIND_CODES.items()}
        kind = kinds.get(start[9], KIND_SQLITE) if len(start) > 9 else KIND_SQLITE
        return BackupInspection(path, kind, True, size)
    if start.startswith(SQLITE_MAGIC):
        return BackupInspection(path, KIND_SQLITE, False, size)
    if start.startswith(GZIP_MAGIC) or start.lstrip().startswith(b"{"):
        return BackupInspection(path, KIND_EXPORT, False, size)
    raise BackupError(f"{path.name} is not a Frontdesk backup.")


# -- files -----------------------------------------------------------------------------------


def _private_temp(folder: Path, name: str) -> Path:
    """A new empty owner-only file in ``folder`` (the same disk as the final file)."""
    folder.mkdir(parents=True, exist_ok=True)
    descriptor, path = tempfile.mkstemp(prefix=f".{name}.", suffix=".partial", dir=folder)
    os.close(descriptor)
    os.chmod(path, 0o600)
    return Path(path)


def _sync_file(path: Path) -> None:
    with path.open("rb+") as f:
        os.fsync(f.fileno())


def _put_in_place(partial: Path, target: Path) -> None:
    """Rename the finished file over the real name, and make the rename itself durable."""
    _sync_file(partial)
    os.replace(partial, target)
    with contextlib.suppress(OSError):  # not every system can open a folder to sync it
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(CHUNK_SIZE), b""):
            digest.update(block)
    return digest.hexdigest()


def _sqlite_facts(path: Path) -> tuple[list[str], str | None, dict[str, int]]:
    """(integrity check lines, schema revision, rows per table) of a SQLite file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        return problems, _sqlite_revision(conn), _sqlite_counts(conn)
    except sqlite3.DatabaseError as error:
        return [str(error)], None, {}
    finally:
        conn.close()


def _sqlite_revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        str(r[0])
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {n: int(conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]) for n in names}


def _known_revision(revision: str | None) -> bool:
    """Whether this program can open a database at ``revision`` (it may upgrade it)."""
    if revision is None:
        return False
    scripts = migrate.MIGRATIONS / "versions"
    return any(p.name.startswith(f"{revision}_") for p in scripts.glob("*.py"))


# -- turning an export back into rows --------------------------------------------------------


def _converter(table: Table) -> Callable[[dict[str, Any]], dict[str, Any]]:
    import base64

    parse: dict[str, Callable[[Any], Any]] = {}
    for column in table.columns:
        kind = column.type
        if isinstance(kind, UTCDateTime | DateTime):
            parse[column.name] = datetime.fromisoformat
        elif isinstance(kind, Date):
            parse[column.name] = date.fromisoformat
        elif isinstance(kind, LargeBinary):
            parse[column.name] = base64.b64decode

    def convert(row: dict[str, Any]) -> dict[str, Any]:
        return {
            k: (parse[k](v) if v is not None and k in parse else v)
            for k, v in row.items()
            if k in table.c
        }

    return convert


def unwrap(document: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """(the export, user password hashes by user id) from a backup or a plain export."""
    if document.get("format") == BACKUP_FORMAT:
        if int(document.get("format_version", 0)) > BACKUP_FORMAT_VERSION:
            raise BackupError(
                "This backup was made by a newer version of Frontdesk. Update Frontdesk first."
            )
        return dict(document["export"]), dict(document.get("user_passwords") or {})
    if document.get("format") == EXPORT_FORMAT:
        return document, {}
    raise BackupError("This file is not a Frontdesk backup or export.")


def load_export(db: Database, document: dict[str, Any]) -> dict[str, int]:
    """Write the rows of an export (or a PostgreSQL backup) into the EMPTY database ``db``.

    One transaction: all rows or none. Search words are rebuilt from the patients, the
    change counter moves so open screens refresh, id sequences are set past the ids.
    """
    from frontdesk.services.patients import search_terms_for
    from frontdesk.services.transfer import data_counts, insert_rows, reset_sequences

    export, passwords = unwrap(document)
    revision = export.get("schema_revision")
    if revision != migrate.current_revision(db):
        raise BackupError(
            f"This backup has schema version {revision}; this Frontdesk uses "
            f"{migrate.current_revision(db)}. Restore it with the matching version of Frontdesk."
        )
    tables = export.get("tables") or {}
    counts: dict[str, int] = {}
    writer = db.engine.execution_options(frontdesk_write=True)
    with writer.begin() as conn:
        filled = {k: v for k, v in data_counts(conn).items() if v}
        if filled:
            raise ConflictError(
                "The database already holds clinic data, so the backup was not loaded into "
                "it. Restore into a new, empty database."
            )
        for name in EXPORT_TABLES:
            table = Base.metadata.tables[name]
            convert = _converter(table)
            rows = (convert(r) for r in tables.get(name, []))
            if name == "users" and passwords:
                rows = ({**r, "password_hash": passwords.get(str(r["id"]))} for r in rows)
            counts[name] = insert_rows(conn, table, rows)
        _rebuild_search_terms(conn, search_terms_for)
        conn.execute(text("UPDATE change_counter SET value = value + 1 WHERE id = 1"))
        reset_sequences(conn)
    return counts


def _rebuild_search_terms(conn: Connection, terms_of: Callable[[dict[str, Any]], set[str]]) -> None:
    from frontdesk.services.transfer import insert_rows

    patients = Base.metadata.tables["patients"]
    terms = Base.metadata.tables["patient_search_terms"]

    def rows() -> Iterator[dict[str, Any]]:
        # merged duplicates have no search words (the merge removed them)
        query = patients.select().where(patients.c.merged_into_id.is_(None))
        for row in conn.execute(query).mappings():
            for term in sorted(terms_of(dict(row))):
                yield {"term": term, "patient_id": row["id"]}

    insert_rows(conn, terms, rows())


def read_document(stream: IO[bytes]) -> dict[str, Any]:
    """The JSON document of an export or PostgreSQL backup (gzip or plain)."""
    head = stream.read(2)
    stream.seek(0)
    try:
        if head == GZIP_MAGIC:
            with gzip.open(stream, "rt", encoding="utf-8") as plain:
                document = json.load(plain)
        else:
            document = json.load(io.TextIOWrapper(stream, encoding="utf-8"))
    except (OSError, EOFError, ValueError) as error:
        raise BackupError(f"The backup file is damaged ({error}).") from None
    if not isinstance(document, dict):
        raise BackupError("This file is not a Frontdesk backup or export.")
    return document


# -- pruning ---------------------------------------------------------------------------------


def to_keep(backups: list[BackupFile]) -> set[Path]:
    """The daily backups to keep: the newest of each of the last 14 days that have one,
    and the newest of each of the last 12 months that have one."""
    daily = sorted((b for b in backups if b.daily), key=lambda b: b.taken_at, reverse=True)
    keep: set[Path] = set()
    days: set[date] = set()
    months: set[tuple[int, int]] = set()
    for backup in daily:
        if backup.day not in days and len(days) < DAILY_KEEP:
            days.add(backup.day)
            keep.add(backup.path)
        month = (backup.day.year, backup.day.month)
        if month not in months and len(months) < MONTHLY_KEEP:
            months.add(month)
            keep.add(backup.path)
    return keep


def list_backups(folder: Path) -> list[BackupFile]:
    """The Frontdesk backups in ``folder``, oldest first (other files are left alone)."""
    found: list[BackupFile] = []
    try:
        entries = list(folder.iterdir())
    except FileNotFoundError:
        return []
    for path in entries:
        match = _NAME.match(path.name)
        if match is None or not path.is_file():
            continue
        try:
            taken_at = datetime.strptime(f"{match['day']} {match['time']}", "%Y-%m-%d %H%M%S")
        except ValueError:
            continue
        found.append(
            BackupFile(
                path=path,
                taken_at=taken_at,
                daily=match["prefix"] == DAILY_PREFIX,
                encrypted=match["ext"] == ENCRYPTED_EXTENSION,
                size=path.stat().st_size,
            )
        )
    return sorted(found, key=lambda b: (b.taken_at, b.path.name))


def prune(folder: Path) -> list[Path]:
    """Delete the daily backups that fall outside the 14 daily / 12 monthly; returns them.
    Manual backups are never deleted."""
    backups = list_backups(folder)
    keep = to_keep(backups)
    removed: list[Path] = []
    for backup in backups:
        if backup.daily and backup.path not in keep:
            backup.path.unlink(missing_ok=True)
            removed.append(backup.path)
    return removed


# -- the service -----------------------------------------------------------------------------


class BackupService(ServiceBase):
    """Backing up and restoring the clinic, by hand and once a day."""

    # -- where -------------------------------------------------------------------------

    def folder(self) -> Path:
        """The clinic's backup folder (``settings["backup_folder"]``; default: the data
        folder's ``backups``)."""
        with self.db.read() as s:
            profile = s.get(ClinicProfile, 1)
            chosen = (profile.settings or {}).get("backup_folder") if profile else None
        return Path(chosen).expanduser() if chosen else config.backup_dir()

    def set_folder(self, folder: Path | str) -> Path:
        """Choose the folder the daily backups go to (kept in the clinic's settings)."""
        path = Path(folder).expanduser()
        if not str(folder).strip():
            raise ValidationError("Choose a folder for the backups.", field="backup_folder")
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ValidationError(
                f"Cannot use {path} for backups: {error.strerror or error}.",
                field="backup_folder",
            ) from None
        settings = dict(self.hub.clinic.profile().settings)
        settings["backup_folder"] = str(path.resolve())
        self.hub.clinic.update_profile(settings=settings)
        return path.resolve()

    def suggested_name(self, *, encrypted: bool, daily: bool = False) -> str:
        """A file name for a backup taken now: prefix, local date and time, extension."""
        local = self.now().astimezone(self._timezone())
        kind = KIND_SQLITE if self.db.is_sqlite else KIND_EXPORT
        extension = ENCRYPTED_EXTENSION if encrypted else EXTENSIONS[kind]
        prefix = DAILY_PREFIX if daily else MANUAL_PREFIX
        return f"{prefix}{local:%Y-%m-%d-%H%M%S}{extension}"

    def _timezone(self) -> ZoneInfo:
        with self.db.read() as s:
            profile = s.get(ClinicProfile, 1)
            return ZoneInfo(profile.timezone if profile else "UTC")

    # -- backing up --------------------------------------------------------------------

    def backup(self, target_path: Path | str, passphrase: str | None = None) -> BackupResult:
        """Write a checked backup of the whole clinic to ``target_path``.

        With a passphrase the file is encrypted. Nothing is left under the target name
        unless the backup was verified; an existing file there is replaced only then.
        """
        self.hub.require(Permission.BACKUP)
        return self._write_backup(target_path, passphrase)

    def _write_backup(self, target_path: Path | str, passphrase: str | None) -> BackupResult:
        started = time.monotonic()
        target = Path(target_path).expanduser()
        if target.is_dir():
            target = target / self.suggested_name(encrypted=bool(passphrase))
        if self.db.is_sqlite and self._sqlite_path().resolve() == target.resolve():
            raise ValidationError("Choose another file: that is the clinic database itself.")
        kind = KIND_SQLITE if self.db.is_sqlite else KIND_EXPORT
        # an unencrypted copy is only ever written beside the final file, or (encrypting)
        # in the data folder that already holds the clinic: never plain onto a stick
        plain_folder = config.data_dir() if passphrase else target.parent
        try:
            plain = _private_temp(plain_folder, target.name)
        except OSError as error:
            raise BackupError(
                f"Cannot write to {target.parent}: {error.strerror or error}."
            ) from None
        try:
            if kind == KIND_SQLITE:
                revision, counts = self._sqlite_snapshot(plain)
            else:
                revision, counts = self._export_snapshot(plain)
            if passphrase:
                sealed = _private_temp(target.parent, target.name)
                try:
                    with plain.open("rb") as source, sealed.open("wb") as out:
                        digest = encrypt_stream(source, out, passphrase, kind)
                    with sealed.open("rb") as check:
                        _kind, read_back = decrypt_stream(check, None, passphrase)
                    if read_back != digest:
                        raise BackupError("The encrypted backup did not read back the same.")
                    _put_in_place(sealed, target)
                except BaseException:
                    sealed.unlink(missing_ok=True)
                    raise
            else:
                _put_in_place(plain, target)
        finally:
            plain.unlink(missing_ok=True)
        log.info("backup written (%s, %d bytes)", kind, target.stat().st_size)
        return BackupResult(
            path=target,
            kind=kind,
            encrypted=bool(passphrase),
            size=target.stat().st_size,
            schema_revision=revision,
            counts=counts,
            seconds=time.monotonic() - started,
        )

    def _sqlite_path(self) -> Path:
        name = self.db.engine.url.database
        if not name or name == ":memory:" or name.startswith("file:"):
            raise BackupError("This clinic is not kept in a file, so it cannot be backed up.")
        return Path(name).expanduser()

    def _sqlite_snapshot(self, copy: Path) -> tuple[str | None, dict[str, int]]:
        """Copy the clinic into ``copy`` with the online backup API, then check the copy
        against the counts read in the same snapshot."""
        source = sqlite3.connect(self._sqlite_path(), isolation_level=None, timeout=30)
        try:
            # a read transaction: the counts and the copy see the same moment
            source.execute("BEGIN")
            revision = _sqlite_revision(source)
            counts = _sqlite_counts(source)
            target = sqlite3.connect(copy)
            try:
                source.backup(target)
                # a backup is one self-contained file: no write-ahead log beside it
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
            source.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            raise BackupError(f"The clinic database could not be copied: {error}.") from None
        finally:
            source.close()
        problems, copied_revision, copied_counts = _sqlite_facts(copy)
        if problems != ["ok"]:
            raise BackupError(
                "The backup copy failed its integrity check, so it was not kept: "
                + "; ".join(problems[:3])
            )
        if copied_revision != revision or copied_counts != counts:
            raise BackupError(
                "The backup copy does not hold the same rows as the clinic, so it was not kept."
            )
        return revision, {k: v for k, v in counts.items() if k != "alembic_version"}

    def _export_snapshot(self, copy: Path) -> tuple[str | None, dict[str, int]]:
        """The export (one repeatable-read snapshot) with the password hashes, gzipped,
        then read back and checked."""
        from frontdesk.services.hub import Services

        snapshot_engine = self.db.engine.execution_options(isolation_level="REPEATABLE READ")
        snapshot = Database(self.db.url, snapshot_engine)
        users = Base.metadata.tables["users"]
        with snapshot_engine.connect() as conn:
            passwords = {
                str(r.id): r.password_hash
                for r in conn.execute(users.select().where(users.c.password_hash.is_not(None)))
            }
        revision = migrate.current_revision(self.db)
        with gzip.open(copy, "wt", encoding="utf-8") as out:
            out.write("{\n")
            out.write(f'"format": {json.dumps(BACKUP_FORMAT)},\n')
            out.write(f'"format_version": {BACKUP_FORMAT_VERSION},\n')
            out.write(f'"user_passwords": {json.dumps(passwords)},\n')
            out.write('"export": ')
            counts = Services(snapshot, self.actor, self.hub.clock).maintenance.export(out)
            out.write("}\n")
        with copy.open("rb") as stream:
            export, _passwords = unwrap(read_document(stream))
        written = {name: len(rows) for name, rows in (export.get("tables") or {}).items()}
        if written != counts or export.get("schema_revision") != revision:
            raise BackupError("The backup did not read back the same, so it was not kept.")
        return revision, counts

    # -- restoring ---------------------------------------------------------------------

    def inspect(self, path: Path | str) -> BackupInspection:
        """The kind of backup at ``path`` and whether it is encrypted (a passphrase needed)."""
        return inspect_file(Path(path).expanduser())

    def restore(self, path: Path | str, passphrase: str | None = None) -> RestoreResult:
        """Put the clinic back as it was in the backup at ``path``.

        The backup is decrypted and checked first. SQLite: the current clinic is copied
        aside (``safety_copy``), then replaced in one step; other open connections see the
        restored data from their next read. PostgreSQL: only into an empty database.
        """
        self.hub.require(Permission.BACKUP)
        source = Path(path).expanduser()
        found = inspect_file(source)
        if found.encrypted and not passphrase:
            raise BackupError("This backup is encrypted. Enter its passphrase.")
        work = _private_temp(config.data_dir(), "restore")
        try:
            if found.encrypted:
                with source.open("rb") as sealed, work.open("wb") as out:
                    kind, _digest = decrypt_stream(sealed, out, passphrase or "")
            else:
                kind = found.kind
                with source.open("rb") as original, work.open("wb") as out:
                    for block in iter(lambda: original.read(CHUNK_SIZE), b""):
                        out.write(block)
            if kind == KIND_SQLITE:
                return self._restore_sqlite_file(source, work)
            with work.open("rb") as stream:
                document = read_document(stream)
            return self._restore_document(source, document)
        finally:
            work.unlink(missing_ok=True)

    def _check_sqlite_backup(self, path: Path) -> tuple[str | None, dict[str, int]]:
        problems, revision, counts = _sqlite_facts(path)
        if problems != ["ok"]:
            raise BackupError(
                "The backup file is damaged (it fails SQLite's integrity check). "
                "Choose another backup."
            )
        if revision is None or "clinic_profile" not in counts:
            raise BackupError("This file is not a Frontdesk clinic backup.")
        if not _known_revision(revision):
            raise BackupError(
                f"This backup was made by a newer version of Frontdesk (schema {revision}). "
                "Update Frontdesk first."
            )
        return revision, counts

    def _restore_sqlite_file(self, source: Path, plain: Path) -> RestoreResult:
        revision, counts = self._check_sqlite_backup(plain)
        counts.pop("alembic_version", None)
        if not self.db.is_sqlite:
            from frontdesk.services.transfer import TransferService

            from_file = Database(f"sqlite:///{plain}")
            try:
                migrate.ensure_current(from_file)
                from frontdesk.services.hub import Services

                TransferService(Services(from_file, self.actor, self.hub.clock)).move_to(
                    self.db.url
                )
            finally:
                from_file.dispose()
            return RestoreResult(source, KIND_SQLITE, revision, counts, None)
        live = self._sqlite_path()
        safety = self._copy_aside(live)
        self.db.dispose()
        backup = sqlite3.connect(plain)
        target = sqlite3.connect(live, timeout=30)
        try:
            # one write transaction on the live file: readers see all of it or none
            backup.backup(target)
        except sqlite3.DatabaseError as error:
            raise BackupError(
                f"The clinic could not be replaced ({error}); it is unchanged. "
                f"A copy of it is at {safety}."
            ) from None
        finally:
            target.close()
            backup.close()
        self.db.dispose()
        migrate.ensure_current(self.db)
        log.info("clinic restored from a backup (schema %s)", revision)
        return RestoreResult(source, KIND_SQLITE, revision, counts, safety)

    def _copy_aside(self, live: Path) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        aside = live.with_name(f"{live.stem}.before-restore-{stamp}.sqlite3")
        source = sqlite3.connect(live, timeout=30)
        try:
            target = sqlite3.connect(aside)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
        aside.chmod(0o600)
        return aside

    def _restore_document(self, source: Path, document: dict[str, Any]) -> RestoreResult:
        export, _passwords = unwrap(document)
        revision = export.get("schema_revision")
        if not self.db.is_sqlite:
            counts = load_export(self.db, document)
            return RestoreResult(source, KIND_EXPORT, revision, counts, None)
        # a SQLite clinic from an export: build a new file, then swap it in like a backup
        built = _private_temp(config.data_dir(), "restore-built")
        built_db = Database(f"sqlite:///{built}")
        try:
            migrate.upgrade(built_db, backup=False)
            counts = load_export(built_db, document)
            with built_db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            built_db.dispose()
            result = self._restore_sqlite_file(source, built)
            return RestoreResult(source, KIND_EXPORT, revision, counts, result.safety_copy)
        finally:
            built_db.dispose()
            for leftover in (built, Path(f"{built}-wal"), Path(f"{built}-shm")):
                leftover.unlink(missing_ok=True)

    # -- every day ---------------------------------------------------------------------

    def backups(self, folder: Path | str | None = None) -> list[BackupFile]:
        """The backups in ``folder`` (default: the clinic's backup folder), oldest first."""
        return list_backups(Path(folder) if folder else self.folder())

    def daily_backup(self, folder: Path | str | None = None) -> BackupResult | None:
        """Make today's backup unless one exists, then keep only the last 14 daily and
        12 monthly ones. Returns the new backup, or None when today's was already there.

        When the clinic has chosen to lock its daily backups, they are encrypted with the
        passphrase this computer keeps; without it, no backup is written (never a plain
        one in place of a locked one) and the error says how to give it."""
        where = Path(folder).expanduser() if folder else self.folder()
        today = self.now().astimezone(self._timezone()).date()
        if any(b.daily and b.day == today for b in list_backups(where)):
            return None
        locked = self._daily_locked()
        passphrase = self._daily_passphrase() if locked else None
        if locked and not passphrase:
            raise BackupError(
                "The daily backups are to be locked with a passphrase, but this computer "
                "does not have it. Use Data > Back up now, lock the backup with the "
                'passphrase and tick "Lock the daily backups with it too".'
            )
        # the program's own routine: made whoever is signed in at the desk
        result = self._write_backup(
            where / self.suggested_name(encrypted=passphrase is not None, daily=True), passphrase
        )
        removed = prune(where)
        if removed:
            log.info("removed %d old daily backups", len(removed))
        return result

    # -- locking the daily backups -------------------------------------------------------

    def daily_encryption(self) -> str:
        """Whether the daily backups are locked: "off"; "on" (this computer keeps the
        passphrase); "missing" (the clinic locks them, this computer lacks the passphrase)."""
        if not self._daily_locked():
            return "off"
        return "on" if self._daily_passphrase() else "missing"

    def _daily_locked(self) -> bool:
        """Whether the clinic has chosen to lock its daily backups."""
        return bool(self.hub.clinic.profile().settings.get(DAILY_ENCRYPTED_SETTING))

    def set_daily_passphrase(self, passphrase: str | None) -> None:
        """Lock the daily backups with ``passphrase`` from now on (kept in this computer's
        password store, never in the database), or stop locking them (None)."""
        from frontdesk.services.transfer import keyring_store

        self.hub.require(Permission.BACKUP)
        store = keyring_store()
        key = self._daily_store_key()
        if passphrase:
            if store is None:
                raise ValidationError(
                    "This computer has no password store to keep the passphrase in, so the "
                    "daily backups cannot be locked here. Lock each backup by hand instead.",
                    field="passphrase",
                )
            store.set_password(DAILY_PASSPHRASE_STORE, key, passphrase)
        elif store is not None:
            with contextlib.suppress(Exception):  # nothing kept: nothing to forget
                store.delete_password(DAILY_PASSPHRASE_STORE, key)
        settings = dict(self.hub.clinic.profile().settings)
        settings[DAILY_ENCRYPTED_SETTING] = bool(passphrase)
        self.hub.clinic.update_profile(settings=settings)

    def _daily_store_key(self) -> str:
        # one entry per clinic database (a computer may reach more than one)
        return self.db.engine.url.render_as_string(hide_password=True)

    def _daily_passphrase(self) -> str | None:
        from frontdesk.services.transfer import keyring_store

        store = keyring_store()
        if store is None:
            return None
        try:
            found = store.get_password(DAILY_PASSPHRASE_STORE, self._daily_store_key())
        except Exception:  # a locked or broken password store: as if nothing were kept
            log.warning("the password store could not be read")
            return None
        return str(found) if found else None

    def last_backup_age(self, folder: Path | str | None = None) -> timedelta | None:
        """How long ago the newest backup in the folder was taken (None: there is none)."""
        found = self.backups(folder)
        if not found:
            return None
        local_now = self.now().astimezone(self._timezone()).replace(tzinfo=None)
        return local_now - found[-1].taken_at


__all__ = [
    "BackupError",
    "BackupFile",
    "BackupInspection",
    "BackupResult",
    "BackupService",
    "RestoreResult",
]
