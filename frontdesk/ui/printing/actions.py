"""What other screens call to print: each function opens the preview at once and makes the
document in the background (Print and Save as PDF are in the preview).

    from frontdesk.ui.printing.actions import print_aftercare
    print_aftercare(parent, services, visit_id)

Each returns the preview dialog (tests wait on its ``loaded`` signal). Refusals (a user
who may not print that document, a visit that does not exist) are shown through
``show_error`` and close the preview.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.printing import PrintService, file_stem, printing_service
from frontdesk.ui.errors import show_error
from frontdesk.ui.printing.day_handouts import DayHandoutsSaver
from frontdesk.ui.printing.pdf_preview_dialog import PdfPreviewDialog
from frontdesk.ui.printing.preview import preview_pdf
from frontdesk.ui.settings import workstation_settings
from frontdesk.ui.tasks import run_task

if TYPE_CHECKING:
    from frontdesk.services.hub import Services
    from frontdesk.services.intakes import IntakeVersion, PdfImport

__all__ = [
    "import_filled_intake",
    "preview_pdf",
    "print_aftercare",
    "print_aftercare_for_appointment",
    "print_blank_intake",
    "print_day_sheet",
    "print_fillable_intake",
    "print_intake_summary",
    "print_progress_report",
    "save_day_handouts",
]

_FOLDER_KEY = "printing/last_folder"


def _printing(services: Services) -> PrintService:
    return printing_service(services)


def _for(name: str) -> str:
    return f": {name}" if name else ""


# -- intake forms ----------------------------------------------------------------------------


def print_blank_intake(
    parent: QWidget | None, services: Services, language: str | None = None
) -> PdfPreviewDialog:
    """The paper intake form to fill in by hand, in ``language`` (default: the clinic's)."""
    printing = _printing(services)
    suffix = f"-{language}" if language else ""
    return preview_pdf(
        parent,
        "Blank intake form",
        lambda: printing.blank_intake(language),
        f"intake-form{suffix}.pdf",
    )


def print_fillable_intake(
    parent: QWidget | None,
    services: Services,
    patient_id: int | None = None,
    patient_name: str = "",
) -> PdfPreviewDialog:
    """The intake form with fields to fill in on a tablet; for a patient, their details
    (and, for a practitioner, their latest answers) start filled in."""
    printing = _printing(services)
    suggested = (
        f"intake-form-{file_stem(patient_name)}.pdf" if patient_name else "intake-form-fillable.pdf"
    )
    return preview_pdf(
        parent,
        f"Fillable intake form{_for(patient_name)}",
        lambda: printing.fillable_intake(patient_id),
        suggested,
    )


def print_intake_summary(
    parent: QWidget | None,
    services: Services,
    patient_id: int,
    intake_id: int | None = None,
    *,
    patient_copy: bool = False,
    patient_name: str = "",
) -> PdfPreviewDialog:
    """A saved intake (the latest unless ``intake_id``) as a summary; ``patient_copy``
    leaves out the practitioner's findings."""
    printing = _printing(services)
    return preview_pdf(
        parent,
        f"Intake summary{_for(patient_name)}",
        lambda: printing.filled_intake(
            patient_id, intake_id, include_practitioner_findings=not patient_copy
        ),
        f"intake-summary-{file_stem(patient_name) if patient_name else patient_id}.pdf",
    )


# -- aftercare -------------------------------------------------------------------------------


def print_aftercare(
    parent: QWidget | None,
    services: Services,
    visit_id: int,
    note: str = "",
    patient_name: str = "",
) -> PdfPreviewDialog:
    """The aftercare handout of a recorded visit, in the patient's language."""
    printing = _printing(services)
    suggested = (
        f"aftercare-{file_stem(patient_name)}.pdf" if patient_name else f"aftercare-v{visit_id}.pdf"
    )
    return preview_pdf(
        parent,
        f"Aftercare handout{_for(patient_name)}",
        lambda: printing.aftercare(visit_id, note),
        suggested,
    )


def print_aftercare_for_appointment(
    parent: QWidget | None,
    services: Services,
    appointment_id: int,
    note: str = "",
    patient_name: str = "",
) -> PdfPreviewDialog:
    """The aftercare handout of an appointment (for the calendar): the recorded visit's
    services, or the booked service when no visit is recorded yet."""
    printing = _printing(services)
    suggested = (
        f"aftercare-{file_stem(patient_name)}.pdf"
        if patient_name
        else f"aftercare-appointment-{appointment_id}.pdf"
    )
    return preview_pdf(
        parent,
        f"Aftercare handout{_for(patient_name)}",
        lambda: printing.aftercare_for_appointment(appointment_id, note),
        suggested,
    )


def _ask_folder(parent: QWidget | None, title: str) -> Path | None:
    settings = workstation_settings()
    start = settings.value(_FOLDER_KEY)
    if not isinstance(start, str) or not Path(start).is_dir():
        start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    chosen = QFileDialog.getExistingDirectory(parent, title, start)
    if not chosen:
        return None
    settings.setValue(_FOLDER_KEY, chosen)
    return Path(chosen)


def save_day_handouts(
    parent: QWidget | None, services: Services, day: date, folder: Path | None = None
) -> DayHandoutsSaver | None:
    """Save the handout of every visit recorded on ``day`` into a folder (asked for when
    not given), one file each, with a progress dialog. Returns the running saver."""
    if folder is None:
        folder = _ask_folder(parent, f"Folder for the aftercare handouts of {day:%d %B %Y}")
        if folder is None:
            return None
    return DayHandoutsSaver(_printing(services), day, folder, parent).start()


# -- progress report and day sheet -----------------------------------------------------------


def print_progress_report(
    parent: QWidget | None,
    services: Services,
    patient_id: int,
    patient_name: str = "",
    *,
    addressed_to: str = "",
    summary: str = "",
) -> PdfPreviewDialog:
    """A patient's progress report (pain and MNSI trends, visits, intake changes)."""
    printing = _printing(services)
    return preview_pdf(
        parent,
        f"Progress report{_for(patient_name)}",
        lambda: printing.progress_report(patient_id, addressed_to=addressed_to, summary=summary),
        f"progress-report-{file_stem(patient_name) if patient_name else patient_id}.pdf",
    )


def print_day_sheet(
    parent: QWidget | None,
    services: Services,
    day: date,
    practitioner_id: int | None = None,
    *,
    page_per_practitioner: bool = False,
) -> PdfPreviewDialog:
    """The day sheet of ``day``, for everyone or one practitioner."""
    printing = _printing(services)
    return preview_pdf(
        parent,
        f"Day sheet: {day:%A %d %B %Y}",
        lambda: printing.day_sheet(
            day, practitioner_id, page_per_practitioner=page_per_practitioner
        ),
        f"day-sheet-{day.isoformat()}.pdf",
    )


# -- reading a filled form back ---------------------------------------------------------------


def _ask_pdf_file(parent: QWidget | None) -> Path | None:
    settings = workstation_settings()
    start = settings.value(_FOLDER_KEY)
    if not isinstance(start, str) or not Path(start).is_dir():
        start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    chosen, _filter = QFileDialog.getOpenFileName(
        parent, "Choose the filled intake form", start, "PDF files (*.pdf)"
    )
    if not chosen:
        return None
    settings.setValue(_FOLDER_KEY, str(Path(chosen).parent))
    return Path(chosen)


def import_filled_intake(
    parent: QWidget | None,
    services: Services,
    patient_id: int,
    patient_name: str = "",
    path: Path | None = None,
) -> None:
    """Read a filled intake form (asked for when ``path`` is None) in the background, show
    what it says, and save it as a new intake version when the user says so."""
    if path is None:
        path = _ask_pdf_file(parent)
        if path is None:
            return
    chosen = path
    printing = _printing(services)

    def work() -> tuple[bytes, PdfImport, list[str]]:
        try:
            data = chosen.read_bytes()
        except OSError as error:
            raise FrontdeskError(f"{chosen.name} could not be read: {error.strerror}.") from None
        preview = services.intakes.import_fillable_pdf(patient_id, data, preview_only=True)
        return data, preview, printing.form_warnings(patient_id, preview.patient_details)

    def show(result: tuple[bytes, PdfImport, list[str]]) -> None:
        data, preview, warnings = result
        if not preview.filled:
            show_error(
                parent, FrontdeskError(f"Nothing is filled in on {chosen.name}: nothing to save.")
            )
            return
        from frontdesk.ui.printing.import_intake_dialog import ImportIntakeDialog

        saved = ImportIntakeDialog.ask(
            services,
            patient_id,
            patient_name or f"patient #{patient_id}",
            chosen.name,
            preview,
            warnings,
            data,
            parent,
        )
        if saved is not None:
            _tell_saved(parent, saved)

    run_task(parent, work).on_success(show).start()


def _tell_saved(parent: QWidget | None, saved: IntakeVersion) -> None:
    QMessageBox.information(
        parent,
        "Intake saved",
        f"The form's answers are saved as intake version {saved.version_no}.",
    )
