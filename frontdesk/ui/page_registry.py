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
    from frontdesk.ui.calendar.page import CalendarPage

    page = CalendarPage(window.services)
    page.install_in_window(window)
    from frontdesk.ui.live_updates import install_live_updates

    # bookings made on other workstations show within a couple of seconds
    install_live_updates(window, page.reload_from_database)
    return page


def _patients(window: MainWindow) -> QWidget:
    from frontdesk.ui.patients.patients_page import PatientsPage

    page = PatientsPage(window.services)
    page.install_in_window(window)
    return page


def _history(window: MainWindow) -> QWidget:
    from frontdesk.ui.history.history_page import HistoryPage
    from frontdesk.ui.patients.patients_page import PatientsPage

    page = HistoryPage(window.services)
    patients = window.pages.get("patients")
    if patients is not None and isinstance(patients.widget, PatientsPage):
        # the History page follows the patient last opened on the Patients page
        patients.widget.patient_opened.connect(page.follow_patient)
        # the History page is built when first shown: start from whoever is open already
        opened = patients.widget.patient_view.patient_id
        if opened is not None:
            page.follow_patient(opened)
        patients.widget.patient_changed.connect(lambda _patient_id: page.mark_stale())
    return page


def pages() -> list[tuple[str, str, Factory, str]]:
    return [
        ("calendar", "Calendar", _calendar, "Ctrl+1"),
        ("patients", "Patients", _patients, "Ctrl+2"),
        ("history", "History", _history, "Ctrl+3"),
    ]
