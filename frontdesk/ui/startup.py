"""From an empty window to the open clinic.

The window's frame is on screen first; the database layer (the slowest part of a start)
loads and the clinic database opens on a worker thread meanwhile, so a double-click on
the icon is answered at once. Then, on the main thread: the set-up dialog for a new
clinic, the sign-in, and the pages.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from frontdesk.ui.tasks import run_task

if TYPE_CHECKING:
    from frontdesk.services.context import Actor
    from frontdesk.services.hub import Services
    from frontdesk.ui.main_window import MainWindow

log = logging.getLogger("frontdesk")


def open_clinic(url: str, on_upgrade: Callable[[], None] | None = None) -> Services:
    """Load the services and open (upgrading when needed) the database at ``url``.
    Runs on a worker thread: it touches no widget (``on_upgrade`` must not either)."""
    # the services the first screens use load here too, while the window waits anyway
    import frontdesk.services.intakes
    import frontdesk.services.walk_ins  # noqa: F401
    from frontdesk.services.hub import Services

    return Services.open(url, on_upgrade=on_upgrade)


class Startup(QObject):
    """Opens the clinic for ``window``; ``ready`` once the window shows the clinic,
    ``stopped(code)`` when the start ends early (cancelled, or the database failed)."""

    ready = Signal()
    stopped = Signal(int)
    #: from the worker thread: the database is being upgraded (queued to the window)
    upgrading = Signal()

    def __init__(self, window: MainWindow, url: str) -> None:
        super().__init__(window)
        self.window = window
        self.url = url
        self.upgrading.connect(self._say_upgrading, Qt.ConnectionType.QueuedConnection)

    def begin(self) -> None:
        run_task(self.window, lambda: open_clinic(self.url, self.upgrading.emit)).on_success(
            self._opened
        ).on_error(self._failed).start()

    def _say_upgrading(self) -> None:
        # the clinic file is copied before an upgrade; a server keeps its own backups
        copy = " A copy of the clinic file is kept first." if self.url.startswith("sqlite") else ""
        self.window.show_opening_message(
            "Updating the clinic database",
            "This version of Frontdesk brings the clinic database up to date, once."
            f"{copy} On a large clinic this can take a minute.",
        )

    def _failed(self, error: BaseException) -> None:
        # cannot reach or upgrade the database: say so, then stop
        log.error("cannot open the database", exc_info=error)
        QMessageBox.critical(
            self.window,
            "Cannot open the clinic database",
            f"Frontdesk could not open the clinic database.\n\n{error}",
        )
        self.stopped.emit(1)

    def _opened(self, services: Services) -> None:
        from frontdesk.domain.errors import FrontdeskError

        if not services.clinic.is_set_up():
            from frontdesk.ui.dialogs.first_run import FirstRunDialog

            self.window.show_opening_message(
                "A new clinic", "Set up the clinic to begin, or open a demo clinic to look around."
            )

            if FirstRunDialog.ask(services, self.window) is None:
                self.stopped.emit(0)
                return
        self.window.show_opening_message(
            services.clinic.profile().name, "Sign in to see the calendar and the patients."
        )
        actor = self._sign_in(services)
        if actor is None:
            self.stopped.emit(0)
            return
        services.actor = actor
        try:
            self.window.attach(services)
        except FrontdeskError as error:
            QMessageBox.critical(self.window, "Frontdesk", str(error))
            self.stopped.emit(1)
            return
        self.ready.emit()

    def _sign_in(self, services: Services) -> Actor | None:
        """Who is using this window: the first administrator on a new clinic, otherwise a
        sign-in (or FRONTDESK_USER / FRONTDESK_PASSWORD, for a kiosk or automation)."""
        if not services.users.has_users():
            from frontdesk.ui.dialogs.first_admin_dialog import FirstAdminDialog

            return FirstAdminDialog.ask(services, self.window)
        user, password = os.environ.get("FRONTDESK_USER"), os.environ.get("FRONTDESK_PASSWORD")
        if user and password:
            from frontdesk.domain.errors import FrontdeskError

            try:
                return services.users.sign_in(user, password)
            except FrontdeskError:
                log.warning("sign-in from the environment refused")
        from frontdesk.ui.dialogs.sign_in_dialog import DEMO_PASSWORD_HINT, SignInDialog

        demo = "(demo)" in services.clinic.profile().name
        return SignInDialog.ask(services, self.window, hint=DEMO_PASSWORD_HINT if demo else "")


def quit_with(code: int) -> None:
    """End the application's event loop with ``code`` as the exit status."""
    app = QApplication.instance()
    if app is not None:
        app.exit(code)
