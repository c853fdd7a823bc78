"""Start-up: the application object, the crash hook, the database, then the main window."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frontdesk.services.context import Actor
    from frontdesk.services.hub import Services


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="frontdesk", add_help=True)
    parser.add_argument("--db", metavar="URL", help="database URL (default: the clinic file)")
    args, _unknown = parser.parse_known_args(argv)
    return args


def _configure_logging() -> None:
    from frontdesk.config import log_dir

    handler = logging.handlers.RotatingFileHandler(
        log_dir() / "frontdesk.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    (log_dir() / "frontdesk.log").chmod(0o600)


def _preload_services() -> None:
    import frontdesk.services.hub
    import frontdesk.services.intakes
    import frontdesk.services.walk_ins  # noqa: F401


def _sign_in(services: Services) -> Actor | None:
    """Who is using this window: the first administrator on a new clinic, otherwise a
    sign-in (or FRONTDESK_USER / FRONTDESK_PASSWORD, for a kiosk or automation)."""
    if not services.users.has_users():
        from frontdesk.ui.dialogs.first_admin_dialog import FirstAdminDialog

        return FirstAdminDialog.ask(services)
    user, password = os.environ.get("FRONTDESK_USER"), os.environ.get("FRONTDESK_PASSWORD")
    if user and password:
        from frontdesk.domain.errors import FrontdeskError

        try:
            return services.users.sign_in(user, password)
        except FrontdeskError:
            logging.getLogger("frontdesk").warning("sign-in from the environment refused")
    from frontdesk.ui.dialogs.sign_in_dialog import DEMO_PASSWORD_HINT, SignInDialog

    demo = "(demo)" in services.clinic.profile().name
    return SignInDialog.ask(services, hint=DEMO_PASSWORD_HINT if demo else "")


def run(argv: list[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    # The program's own modules load before Qt: PySide6 inspects the source of every
    # module imported after it (for its optional "feature" imports), which would add a
    # tenth of a second to every start for modules that never touch Qt.
    _preload_services()
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Frontdesk")
    app.setOrganizationName("Frontdesk")
    app.setStyle("Fusion")
    _configure_logging()

    from frontdesk.ui.errors import install_excepthook

    install_excepthook()

    from frontdesk.config import database_url
    from frontdesk.domain.errors import FrontdeskError
    from frontdesk.services.hub import Services

    try:
        services = Services.open(database_url(args.db))
    except Exception as error:  # cannot reach or upgrade the database: say so, then stop
        logging.getLogger("frontdesk").exception("cannot open the database")
        QMessageBox.critical(
            None,
            "Cannot open the clinic database",
            f"Frontdesk could not open the clinic database.\n\n{error}",
        )
        return 1

    if not services.clinic.is_set_up():
        from frontdesk.ui.dialogs.first_run import FirstRunDialog

        if FirstRunDialog.ask(services) is None:
            return 0
    actor = _sign_in(services)
    if actor is None:
        return 0
    services.actor = actor

    from frontdesk.ui.main_window import MainWindow

    try:
        window = MainWindow(services)
    except FrontdeskError as error:
        QMessageBox.critical(None, "Frontdesk", str(error))
        return 1
    window.show()
    if os.environ.get("FRONTDESK_EXIT_WHEN_IDLE"):
        # benchmarks: leave as soon as the window is up and the event queue is empty
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, app.quit)
    return app.exec()
