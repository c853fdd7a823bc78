"""The main window's Print menu: every printed document, and reading a filled form back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from frontdesk.domain.errors import FrontdeskError
from frontdesk.domain.permissions import Permission
from frontdesk.ui.errors import show_error

if TYPE_CHECKING:
    from types import ModuleType

    from frontdesk.services.hub import Services
    from frontdesk.ui.main_window import MainWindow


#: the languages the intake forms are written in (shown name, language tag)
FORM_LANGUAGES = (("English", "en"), ("简体中文 (Simplified Chinese)", "zh"))


def _actions() -> ModuleType:
    # the preview, the PDF engine and the printing service load at the first print,
    # not when the window opens
    from frontdesk.ui.printing import actions

    return actions


def clinic_today(services: Services) -> date:
    """Today in the clinic's time zone (the computer's zone may differ on a server)."""
    return services.clock().astimezone(services.appointments.clinic_timezone()).date()


def choose_patient(
    parent: QWidget | None, services: Services, title: str
) -> tuple[int, str] | None:
    """Ask for a patient: the patient search dialog, or the patient number without it."""
    try:
        from frontdesk.ui.patients.choose_patient_dialog import ChoosePatientDialog
    except ImportError:
        number, ok = QInputDialog.getInt(parent, title, "Patient number:", 1, 1, 10**9)
        if not ok:
            return None
        try:
            return number, services.patients.get(number).display_name
        except FrontdeskError as error:
            show_error(parent, error)
            return None
    patient = ChoosePatientDialog.ask(services, title, parent)
    return None if patient is None else (patient.id, patient.display_name)


class PrintMenu:
    """The menu's actions and what they do; enabled by what the signed-in user may do."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.menu = QMenu("&Print", window)
        self.menu.setToolTipsVisible(True)
        self.needs: dict[QAction, Permission] = {}
        self.blank = self._add(
            "&Blank intake form", "The paper form to fill in by hand", Permission.PRINT_FORMS
        )
        self.blank_in_language = self._add(
            "Blank intake form in another &language...",
            "The paper form in English or Simplified Chinese, whatever the clinic's language",
            Permission.PRINT_FORMS,
        )
        self.fillable = self._add(
            "&Fillable intake form",
            "The form with fields to fill in on a tablet or computer",
            Permission.PRINT_FORMS,
        )
        self.fillable_for_patient = self._add(
            "Fillable intake form for a pa&tient...",
            "The fillable form with the patient's details already filled in",
            Permission.PRINT_FORMS,
        )
        self.menu.addSeparator()
        self.summary = self._add(
            "Intake &summary for a patient...",
            "The patient's latest intake as a summary, with flags and scores",
            Permission.VIEW_CLINICAL,
        )
        self.progress = self._add(
            "&Progress report for a patient...",
            "Pain and MNSI trends, visits and points, intake changes",
            Permission.VIEW_CLINICAL,
        )
        self.menu.addSeparator()
        self.aftercare = self._add(
            "&Aftercare handout for a visit...",
            "The handout for one visit, in the patient's language",
            Permission.PRINT_FORMS,
        )
        self.day_handouts = self._add(
            "Aftercare handouts for a &day...",
            "Save the handout of every visit of a day into a folder",
            Permission.PRINT_FORMS,
        )
        self.day_sheet = self._add(
            "Day &sheet for a date...",
            "The day's appointments with safety notes, per practitioner",
            Permission.PRINT_FORMS,
        )
        self.menu.addSeparator()
        self.import_form = self._add(
            "&Import a filled intake form (PDF)...",
            "Read a filled fillable form and save it as a new intake version",
            Permission.EDIT_CLINICAL,
        )
        self._wire()

    @property
    def services(self) -> Services:
        return self.window.services

    def _add(self, text: str, tip: str, needs: Permission) -> QAction:
        action = self.menu.addAction(text)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        self.needs[action] = needs
        return action

    def _wire(self) -> None:
        w = self.window

        def connect(action: QAction, slot: Callable[[], object]) -> None:
            action.triggered.connect(lambda _checked=False: slot())

        connect(self.blank, lambda: _actions().print_blank_intake(w, self.services))
        connect(self.blank_in_language, self.blank_form_in_language)
        connect(self.fillable, lambda: _actions().print_fillable_intake(w, self.services))
        connect(self.fillable_for_patient, self.fillable_form_for_patient)
        connect(self.summary, self.intake_summary)
        connect(self.progress, self.progress_report)
        connect(self.aftercare, self.aftercare_for_visit)
        connect(self.day_handouts, self.handouts_for_day)
        connect(self.day_sheet, self.day_sheet_for_date)
        connect(self.import_form, self.import_filled_form)

    def update(self, *_args: object) -> None:
        """Enable what the signed-in user may do (the services refuse the rest anyway)."""
        for action, permission in self.needs.items():
            action.setEnabled(self.services.can(permission))

    # -- the actions -----------------------------------------------------------------------

    def blank_form_in_language(self) -> None:
        names = [name for name, _code in FORM_LANGUAGES]
        chosen, ok = QInputDialog.getItem(
            self.window, "Blank intake form", "Language of the form:", names, 0, False
        )
        if ok:
            code = dict(FORM_LANGUAGES)[chosen]
            _actions().print_blank_intake(self.window, self.services, code)

    def fillable_form_for_patient(self) -> None:
        chosen = choose_patient(self.window, self.services, "Fillable intake form for")
        if chosen:
            _actions().print_fillable_intake(self.window, self.services, chosen[0], chosen[1])

    def intake_summary(self) -> None:
        chosen = choose_patient(self.window, self.services, "Intake summary for")
        if chosen:
            _actions().print_intake_summary(
                self.window, self.services, chosen[0], patient_name=chosen[1]
            )

    def progress_report(self) -> None:
        chosen = choose_patient(self.window, self.services, "Progress report for")
        if chosen:
            _actions().print_progress_report(self.window, self.services, chosen[0], chosen[1])

    def aftercare_for_visit(self) -> None:
        from frontdesk.services.printing import printing_service
        from frontdesk.ui.printing.choose_visit_dialog import ChooseVisitDialog

        printing = printing_service(self.services)
        visit = ChooseVisitDialog.ask(printing, clinic_today(self.services), self.window)
        if visit is not None:
            _actions().print_aftercare(
                self.window, self.services, visit.visit_id, patient_name=visit.patient_name
            )

    def handouts_for_day(self) -> None:
        from frontdesk.ui.printing.choose_day_dialog import ChooseDayDialog

        choice = ChooseDayDialog.ask(
            self.window,
            "Aftercare handouts for a day",
            "Every visit recorded on this day gets its handout, saved as one PDF file each "
            "in a folder you choose next.",
            clinic_today(self.services),
            ok_text="Choose folder...",
        )
        if choice is not None:
            _actions().save_day_handouts(self.window, self.services, choice.day)

    def day_sheet_for_date(self) -> None:
        from frontdesk.ui.printing.choose_day_dialog import ChooseDayDialog

        try:
            practitioners = self.services.clinic.practitioners()
        except FrontdeskError as error:
            show_error(self.window, error)
            return
        choice = ChooseDayDialog.ask(
            self.window,
            "Day sheet",
            "The appointments of the day with their safety notes, grouped by practitioner.",
            clinic_today(self.services),
            practitioners,
            ok_text="Preview",
        )
        if choice is not None:
            _actions().print_day_sheet(
                self.window, self.services, choice.day, choice.practitioner_id
            )

    def import_filled_form(self) -> None:
        chosen = choose_patient(self.window, self.services, "Filled intake form of")
        if chosen:
            _actions().import_filled_intake(self.window, self.services, chosen[0], chosen[1])


def install_print_menu(window: MainWindow) -> PrintMenu:
    """Add the Print menu (before Help) to the main window and keep it in step with the
    signed-in user."""
    print_menu = PrintMenu(window)
    bar = window.menuBar()
    bar.insertMenu(window.help_menu.menuAction(), print_menu.menu)
    window.user_changed.connect(print_menu.update)
    print_menu.update()
    window.print_menu = print_menu  # type: ignore[attr-defined]
    return print_menu
