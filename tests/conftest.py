"""What every test shares: Qt off screen, a private home folder, and fresh clinic databases.

Fixtures (all function-scoped unless noted):

- ``frontdesk_home`` (autouse): ``FRONTDESK_HOME`` points into the test's ``tmp_path`` (the
  folder is not created: ``frontdesk.config`` creates it on first use) and ``FRONTDESK_DB_URL``
  is removed, so nothing touches the real clinic or another test's files.
- ``db_url``: the URL of a fresh, fully migrated, empty database, once on SQLite (id
  ``sqlite``) and once on a throwaway PostgreSQL server (id ``pg``, marked ``postgres``).
- ``sqlite_url`` / ``pg_url``: the same on one backend only.
- ``database``: ``Database(db_url)``, disposed afterwards.
- ``clock``: an ``AdjustableClock``: real time until a test sets ``clock.now`` (or calls
  ``clock.advance(minutes=...)``).
- ``services``: ``Services(database, clock=clock)``.
- ``clinic``: ``services`` after setting up "Riverside Acupuncture" (Europe/London; Mei Chen,
  Tomasz Nowak, Aisha Rahman; Room 1-3; the default services).

Markers: ``@pytest.mark.pg_only`` / ``@pytest.mark.sqlite_only`` keep one variant of a test
that uses ``db_url`` (or a fixture built on it); ``-m "not postgres"`` leaves PostgreSQL out.

PostgreSQL: a private cluster is created under /tmp on first need (initdb from PATH or
/usr/lib/postgresql/*/bin; run as the ``postgres`` user when the tests run as root), reached
over a Unix socket only, and removed at the end of the session. Without the server programs
the PostgreSQL variants are skipped, except when the ``CI`` variable is set: there they fail.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import itertools
import os
import pwd
import queue
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

# Before anything imports Qt: widgets are created off screen, also on a developer's desktop.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

if TYPE_CHECKING:
    from frontdesk.db.engine import Database
    from frontdesk.services.hub import Services

PG_TEMPLATE = "frontdesk_template"
PG_DIR_PREFIX = "frontdesk-pg-"
OWNER_FILE = "owner.pid"

CLINIC_NAME = "Riverside Acupuncture"
CLINIC_PRACTITIONERS = [
    ("Mei Chen", "L.Ac."),
    ("Tomasz Nowak", "L.Ac."),
    ("Aisha Rahman", "Dip. Ac."),
]
CLINIC_ROOMS = ["Room 1", "Room 2", "Room 3"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "pg_only: run only the PostgreSQL variant of db_url")
    config.addinivalue_line("markers", "sqlite_only: run only the SQLite variant of db_url")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    keep: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("db_url") if callspec else None
        if (backend == "sqlite" and item.get_closest_marker("pg_only")) or (
            backend == "postgresql" and item.get_closest_marker("sqlite_only")
        ):
            dropped.append(item)
        else:
            keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def pytest_report_header(config: pytest.Config) -> str:
    bin_dir = find_postgres_bin()
    where = (
        str(bin_dir)
        if bin_dir
        else "not found (its tests "
        + ("fail: CI is set)" if os.environ.get("CI") else "are skipped)")
    )
    return f"postgresql server programs: {where}"


# -- every test: its own home folder --------------------------------------------------------


@pytest.fixture(autouse=True)
def frontdesk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's FRONTDESK_HOME (not created yet); the real database URL is hidden."""
    home = tmp_path / "home"
    monkeypatch.setenv("FRONTDESK_HOME", str(home))
    monkeypatch.delenv("FRONTDESK_DB_URL", raising=False)
    # settings written through platformdirs or QSettings stay out of the developer's own
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    return home


# -- a clock tests can stop and move ----------------------------------------------------------


class AdjustableClock:
    """A service clock: real time until ``now`` is set, then that instant until moved."""

    def __init__(self) -> None:
        self._now: datetime | None = None

    def __call__(self) -> datetime:
        return self._now if self._now is not None else datetime.now(UTC)

    @property
    def now(self) -> datetime | None:
        return self._now

    @now.setter
    def now(self, when: datetime | None) -> None:
        if when is not None and when.tzinfo is None:
            raise ValueError("set the test clock to a timezone-aware time")
        self._now = when

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move the clock on (stopping it first if it was running) and return the new time."""
        self._now = self() + (delta or timedelta()) + timedelta(**kwargs)
        return self._now


@pytest.fixture
def clock() -> AdjustableClock:
    return AdjustableClock()


# -- SQLite: one migrated template per session, a copy per test -----------------------------


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from frontdesk.db import migrate
    from frontdesk.db.engine import Database

    path = tmp_path_factory.mktemp("sqlite-template") / "clinic.sqlite3"
    db = Database(f"sqlite:///{path}")
    try:
        migrate.upgrade(db, backup=False)
        # everything into the main file, so copying that one file copies the database
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.dispose()
    return path


def _fresh_sqlite(template: Path, folder: Path) -> str:
    target = folder / "clinic.sqlite3"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def sqlite_url(_sqlite_template: Path, tmp_path: Path) -> str:
    """A fresh migrated SQLite database file in the test's tmp_path."""
    return _fresh_sqlite(_sqlite_template, tmp_path)


# -- PostgreSQL: a throwaway cluster per session, a database per test -----------------------


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path))


def find_postgres_bin() -> Path | None:
    """The folder holding initdb and pg_ctl: PATH first, then Debian's versioned folders."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return Path(initdb).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True):
        if os.access(Path(folder, "initdb"), os.X_OK) and os.access(
            Path(folder, "pg_ctl"), os.X_OK
        ):
            return Path(folder)
    return None


def _server_user() -> str | None:
    """The OS user to run the server as: PostgreSQL refuses to run as root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root and no 'postgres' user exists to run PostgreSQL")


def _as_user(command: list[str], user: str | None) -> list[str]:
    if user is None:
        return command
    if shutil.which("runuser"):
        return ["runuser", "-u", user, "--", *command]
    return ["su", user, "-s", "/bin/sh", "-c", shlex.join(command)]


def _free_port() -> int:
    # Only the socket file's name uses the port (no TCP listener), but a port no one else
    # uses also keeps PostgreSQL's shared-memory keys apart from other servers'.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class PostgresServer:
    """A private PostgreSQL cluster under /tmp, reachable only through its Unix socket."""

    bin_dir: Path
    root: Path = field(init=False)
    port: int = field(init=False)
    user: str | None = field(init=False)
    _admin: Any = field(default=None, init=False)
    _running: bool = field(default=False, init=False)

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.root}&port={self.port}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            _as_user([str(self.bin_dir / args[0]), *args[1:]], self.user),
            cwd=self.root,
            capture_output=True,
            text=True,
            check=False,
        )

    def start(self) -> None:
        self.user = _server_user()
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix=PG_DIR_PREFIX))
        (self.root / OWNER_FILE).write_text(str(os.getpid()))
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        base = ["initdb", "-D", str(self.data), "--auth=trust", "-U", "postgres", "-E", "UTF8"]
        # Sort and compare text as a clinic's server would (English rules, not byte order),
        # so code that needs byte order has to ask for it; fall back where ICU is missing.
        attempts = [
            ["--locale-provider=icu", "--icu-locale=en-GB", "--locale=C.UTF-8"],
            ["--locale=C.UTF-8"],
            ["--no-locale"],
        ]
        for extra in attempts:
            result = self._run(*base, *extra, "--no-sync")
            if result.returncode == 0:
                break
            shutil.rmtree(self.data, ignore_errors=True)
        else:
            raise RuntimeError(f"initdb failed:\n{result.stdout}\n{result.stderr}")
        options = " ".join(
            [
                f"-k {self.root}",
                f"-p {self.port}",
                "-c listen_addresses=''",
                # a throwaway server: durability only costs time here
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
            ]
        )
        log = self.root / "server.log"
        result = self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(log), "-w", "-t", "60", "-o", options, "start"
        )
        self._running = True
        if result.returncode != 0:
            text = log.read_text(errors="replace") if log.exists() else ""
            self.stop()
            raise RuntimeError(f"PostgreSQL did not start:\n{result.stderr}\n{text}")

    def connect(self, database: str = "postgres") -> Any:
        """A new autocommit psycopg connection as the superuser."""
        import psycopg

        return psycopg.connect(
            host=str(self.root), port=self.port, user="postgres", dbname=database, autocommit=True
        )

    def admin(self) -> Any:
        """The session's connection to the ``postgres`` database, for CREATE/DROP DATABASE."""
        if self._admin is None:
            self._admin = self.connect()
        return self._admin

    def stop(self) -> None:
        """Stop the server and remove its files; safe to call more than once."""
        if self._admin is not None:
            with contextlib.suppress(Exception):
                self._admin.close()
            self._admin = None
        if self._running:
            self._running = False
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        if getattr(self, "root", None) is not None and self.root.exists():
            shutil.rmtree(self.root, ignore_errors=True)


def _sweep_stale_clusters(bin_dir: Path) -> None:
    """Remove clusters left by test runs that were killed before they could clean up."""
    for folder in glob.glob(os.path.join(tempfile.gettempdir(), PG_DIR_PREFIX + "*")):
        root = Path(folder)
        try:
            owner = int((root / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue
        if _pid_alive(owner):
            continue
        with contextlib.suppress(Exception):
            user = pwd.getpwuid(root.stat().st_uid).pw_name if os.geteuid() == 0 else None
            if (root / "data" / "postmaster.pid").exists():
                subprocess.run(
                    _as_user(
                        [
                            str(bin_dir / "pg_ctl"),
                            "-D",
                            str(root / "data"),
                            "-m",
                            "immediate",
                            "-w",
                            "stop",
                        ],
                        user if user != "root" else None,
                    ),
                    cwd=tempfile.gettempdir(),
                    capture_output=True,
                    check=False,
                    timeout=60,
                )
            shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """The session's throwaway PostgreSQL server (skipped, or failed under CI, if absent)."""
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        message = (
            "PostgreSQL server programs (initdb, pg_ctl) were not found on PATH or in "
            "/usr/lib/postgresql/*/bin; install the 'postgresql' package"
        )
        if os.environ.get("CI"):
            pytest.fail(
                message + " (CI is set: PostgreSQL tests may not be skipped)", pytrace=False
            )
        pytest.skip(message)
    _sweep_stale_clusters(bin_dir)
    server = PostgresServer(bin_dir)
    atexit.register(server.stop)
    try:
        server.start()
        yield server
    finally:
        server.stop()


class PgDatabasePool:
    """Fresh databases copied from the migrated template, made ahead of need.

    Copying a database costs PostgreSQL a tenth of a second or more (the system catalogues
    alone are several megabytes), so a background thread keeps the next few copies ready while
    tests run, and drops the used ones. The waiting happens inside libpq, which lets go of
    the GIL, so the copying overlaps the tests instead of adding to them.
    """

    def __init__(self, server: PostgresServer, template: str, ahead: int = 2) -> None:
        self.server = server
        self.template = template
        self._ready: queue.Queue[str] = queue.Queue()
        self._room = threading.Semaphore(ahead)
        self._used: queue.Queue[str] = queue.Queue()
        self._stopping = threading.Event()
        self._error: BaseException | None = None
        self._numbers = itertools.count(1)
        self._thread = threading.Thread(target=self._fill, name="frontdesk-pg-copies", daemon=True)
        self._thread.start()

    def _fill(self) -> None:
        try:
            with self.server.connect() as admin:
                while not self._stopping.is_set():
                    self._drop_used(admin)
                    if not self._room.acquire(timeout=0.2):
                        continue
                    name = f"t_{next(self._numbers)}"
                    admin.execute(f"CREATE DATABASE {name} TEMPLATE {self.template}")
                    self._ready.put(name)
        except BaseException as error:  # handed to the test waiting in take()
            self._error = error

    def _drop_used(self, admin: Any) -> None:
        while True:
            try:
                name = self._used.get_nowait()
            except queue.Empty:
                return
            # FORCE: a test may leave a connection open; the database goes regardless
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def take(self) -> str:
        """The name of a fresh database (waits for the copy if none is ready yet)."""
        while True:
            try:
                name = self._ready.get(timeout=0.5)
            except queue.Empty:
                if self._error is not None or not self._thread.is_alive():
                    raise RuntimeError("could not copy the test database") from self._error
                continue
            self._room.release()
            return name

    def give_back(self, name: str) -> None:
        self._used.put(name)

    def close(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=30)


@pytest.fixture(scope="session")
def _pg_databases(pg_server: PostgresServer) -> Iterator[PgDatabasePool]:
    from frontdesk.db import migrate
    from frontdesk.db.engine import Database

    pg_server.admin().execute(f"CREATE DATABASE {PG_TEMPLATE}")
    db = Database(pg_server.url(PG_TEMPLATE))
    try:
        migrate.upgrade(db, backup=False)
    finally:
        # CREATE DATABASE ... TEMPLATE needs the template to have no connections
        db.dispose()
    pool = PgDatabasePool(pg_server, PG_TEMPLATE)
    try:
        yield pool
    finally:
        pool.close()


@contextlib.contextmanager
def _fresh_pg(pool: PgDatabasePool) -> Iterator[str]:
    name = pool.take()
    try:
        yield pool.server.url(name)
    finally:
        pool.give_back(name)


@pytest.fixture
def pg_url(_pg_databases: PgDatabasePool) -> Iterator[str]:
    """A fresh migrated PostgreSQL database, dropped after the test."""
    with _fresh_pg(_pg_databases) as url:
        yield url


# -- both backends --------------------------------------------------------------------------


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    ids=["sqlite", "pg"],
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh migrated database: the test runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield _fresh_sqlite(request.getfixturevalue("_sqlite_template"), tmp_path)
        return
    with _fresh_pg(request.getfixturevalue("_pg_databases")) as url:
        yield url


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    from frontdesk.db.engine import Database

    db = Database(db_url)
    try:
        yield db
    finally:
        db.dispose()


@pytest.fixture
def services(database: Database, clock: AdjustableClock) -> Services:
    from frontdesk.services.hub import Services

    return Services(database, clock=clock)


@pytest.fixture
def clinic(services: Services) -> Services:
    """Services over a clinic that has been set up with three practitioners and three rooms."""
    from frontdesk.services.clinic import ClinicSetup

    services.clinic.set_up(
        ClinicSetup(
            name=CLINIC_NAME,
            timezone="Europe/London",
            practitioners=list(CLINIC_PRACTITIONERS),
            rooms=list(CLINIC_ROOMS),
        )
    )
    return services


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its real cost takes ~100 ms and 64 MB a hash; tests use the same
    algorithm with tiny parameters so the suite stays fast."""
    from argon2 import PasswordHasher

    from frontdesk.services import users

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(users, "_hasher", lambda: cheap)


class MemoryKeyring:
    """A password store held in memory (the system's is not touched by tests)."""

    priority = 10

    def __init__(self) -> None:
        self.saved: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, user: str, password: str) -> None:
        self.saved[(service, user)] = password

    def get_password(self, service: str, user: str) -> str | None:
        return self.saved.get((service, user))

    def delete_password(self, service: str, user: str) -> None:
        del self.saved[(service, user)]


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    """This computer's password store, replaced by one in memory."""
    from frontdesk.services import transfer

    store = MemoryKeyring()
    monkeypatch.setattr(transfer, "keyring_store", lambda: store)
    return store
