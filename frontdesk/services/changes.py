"""Noticing that another workstation changed the appointment book.

Every change to appointments moves a counter in the database (a trigger, see
``frontdesk.db.guards``). On SQLite ``poll()`` reads that one row, which costs a fraction of
a millisecond. On PostgreSQL the same trigger also sends ``NOTIFY frontdesk_changes``: the
watcher LISTENs on a connection of its own and ``poll()`` only looks whether something
arrived, without waiting. If that connection breaks (server restarted, network gone), the
watcher says "changed" once it is back, because it cannot know what it missed.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

if TYPE_CHECKING:
    from frontdesk.services.hub import Services

log = logging.getLogger(__name__)

CHANNEL = "frontdesk_changes"
#: after a lost connection, try again at most this often (a down server must not slow
#: every poll with a connection attempt)
RECONNECT_SECONDS = 10.0
CONNECT_TIMEOUT_SECONDS = 3


class ChangeWatcher:
    """Tells whether the appointment book changed since the last ``poll()``."""

    def __init__(self, services: Services) -> None:
        self.db = services.db
        self._last_value: int | None = None
        self._listener: Any = None
        self._next_attempt = 0.0
        if not self.db.is_sqlite:
            self._connect()

    # -- PostgreSQL ----------------------------------------------------------------------

    def _connect(self) -> None:
        import psycopg

        self._next_attempt = time.monotonic() + RECONNECT_SECONDS
        dialect = self.db.engine.dialect
        args, params = dialect.create_connect_args(self.db.engine.url)
        params = {**params, "autocommit": True}
        params.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
        try:
            connection = psycopg.connect(*args, **params)
            connection.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as error:
            log.warning("live updates: cannot listen for changes (%s)", type(error).__name__)
            self._listener = None
            return
        self._listener = connection

    def _poll_postgres(self) -> bool:
        if self._listener is None or self._listener.closed:
            if time.monotonic() < self._next_attempt:
                return False
            self._connect()
            # back after a break: what happened meanwhile is unknown, so refresh
            return self._listener is not None
        import psycopg

        try:
            arrived = sum(1 for _ in self._listener.notifies(timeout=0))
        except psycopg.Error:
            log.warning("live updates: the connection to the server was lost")
            self.close()
            self._next_attempt = time.monotonic()
            return False
        return arrived > 0

    # -- SQLite --------------------------------------------------------------------------

    def _poll_sqlite(self) -> bool:
        with self.db.engine.connect() as conn:
            value = conn.execute(text("SELECT value FROM change_counter WHERE id = 1")).scalar()
        moved = self._last_value is not None and value != self._last_value
        self._last_value = value
        return moved

    # -- both ----------------------------------------------------------------------------

    def poll(self) -> bool:
        """True when the appointment book changed since the previous poll (the first poll
        only takes note of where things stand). Never waits for the server."""
        if self.db.is_sqlite:
            return self._poll_sqlite()
        return self._poll_postgres()

    @property
    def connected(self) -> bool:
        """Whether changes are being received (always true on SQLite)."""
        return self.db.is_sqlite or (self._listener is not None and not self._listener.closed)

    def close(self) -> None:
        """Stop listening (the dedicated connection is closed)."""
        if self._listener is not None:
            try:
                self._listener.close()
            except Exception:  # closing a broken connection may fail; it is gone either way
                log.debug("live updates: closing the listener failed", exc_info=True)
            self._listener = None
