"""The one place where errors become dialogs.

A ``FrontdeskError`` is a refusal the user can act on: its message is shown as it is.
Anything else is a bug: the user sees a short apology with copyable details, and the
log gets the traceback (never patient data: tracebacks carry code, not field values).
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from frontdesk.domain.errors import FrontdeskError

log = logging.getLogger("frontdesk.errors")


def show_error(parent: QWidget | None, error: BaseException, title: str = "") -> None:
    """Tell the user what went wrong: a readable refusal, or a crash report."""
    if isinstance(error, FrontdeskError):
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(title or "Cannot do that")
        box.setText(error.message)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.exec()
        return
    show_crash(parent, type(error), error, error.__traceback__)


def show_crash(
    parent: QWidget | None,
    kind: type[BaseException],
    error: BaseException,
    tb: TracebackType | None,
) -> None:
    details = "".join(traceback.format_exception(kind, error, tb))
    log.error("unexpected error: %s", "".join(traceback.format_exception(kind, None, tb)))
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Something went wrong")
    box.setText(
        "Frontdesk ran into an unexpected problem. What you saved before is safe.\n"
        "If it happens again, copy the details below and send them to your support contact."
    )
    box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


class _CrashRelay(QObject):
    crashed = Signal(object, object, object)


_relay: _CrashRelay | None = None


def install_excepthook() -> None:
    """Route uncaught exceptions (from any thread) to a dialog on the main thread."""
    global _relay
    _relay = _CrashRelay()
    _relay.crashed.connect(
        lambda k, e, t: show_crash(QApplication.activeWindow(), k, e, t),
        Qt.ConnectionType.QueuedConnection,
    )

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        if _relay is not None:
            _relay.crashed.emit(kind, error, tb)

    sys.excepthook = hook
