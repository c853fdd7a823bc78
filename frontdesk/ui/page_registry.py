"""Which sections the main window shows, in order, and how each is built.

Each area of the program (calendar, patients, history) provides a factory taking the
main window; keeping the list here keeps the window itself free of every page's imports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from frontdesk.ui.main_window import MainWindow

Factory = Callable[["MainWindow"], QWidget]


def _calendar(window: MainWindow) -> QWidget:
    from frontdesk.ui.main_window import placeholder

    return placeholder(
        "Calendar", "The appointment book is coming: day and week views, walk-ins and courses."
    )(window)


def _patients(window: MainWindow) -> QWidget:
    from frontdesk.ui.main_window import placeholder

    return placeholder(
        "Patients", "The patient list with instant search and the intake form are coming."
    )(window)


def _history(window: MainWindow) -> QWidget:
    from frontdesk.ui.main_window import placeholder

    return placeholder(
        "History", "The health history (timeline, intake changes and pain trends) is coming."
    )(window)


def pages() -> list[tuple[str, str, Factory, str]]:
    return [
        ("calendar", "Calendar", _calendar, "Ctrl+1"),
        ("patients", "Patients", _patients, "Ctrl+2"),
        ("history", "History", _history, "Ctrl+3"),
    ]
