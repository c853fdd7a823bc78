"""Live updates: ``changed`` is emitted when another workstation changed the appointment book.

A timer asks the service's ``ChangeWatcher`` once a second (a one-row read on SQLite, a look
for arrived notifications on PostgreSQL: neither waits for the server), so a booking made at
the front desk shows in the treatment rooms within about a second.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from frontdesk.services.changes import ChangeWatcher
from frontdesk.services.hub import Services

if TYPE_CHECKING:
    from frontdesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)

POLL_MS = 1000


class LiveUpdates(QObject):
    """Polls for changes by other workstations and says so through ``changed``."""

    changed = Signal()

    def __init__(
        self, services: Services, parent: QObject | None = None, interval_ms: int = POLL_MS
    ) -> None:
        super().__init__(parent)
        self.watcher = ChangeWatcher(services)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check_now)
        self.watcher.poll()  # where things stand now; only later moves count

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.watcher.close()

    def check_now(self) -> None:
        """Look once; emit ``changed`` when the appointment book moved."""
        try:
            moved = self.watcher.poll()
        except Exception:  # a passing database hiccup must not stop the timer or the app
            log.warning("live updates: the check failed", exc_info=True)
            return
        if moved:
            self.changed.emit()


def install_live_updates(window: MainWindow, on_change: Callable[[], None]) -> LiveUpdates:
    """Start live updates for ``window``: ``on_change`` runs (on the main thread) whenever
    another workstation changes the appointment book. Stopped when the window goes."""
    live = LiveUpdates(window.services, window)
    live.changed.connect(on_change)
    window.destroyed.connect(lambda *_args: live.watcher.close())
    live.start()
    # the window keeps the Python object alive as long as it lives
    window.live_updates = live  # type: ignore[attr-defined]
    return live
