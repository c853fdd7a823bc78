"""Paper and files from the calendar: the day sheet as a PDF, a patient's appointment card.

The PDF is made on the task pool (ReportLab takes a moment) and saved where the desk
chooses; the in-app print preview comes later. The file dialogs go through ``ask_path``
so tests can name the file without a dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QWidget

from frontdesk.ui.calendar.appointment_actions import hub_service
from frontdesk.ui.tasks import Task, run_task

if TYPE_CHECKING:
    from frontdesk.services.hub import Services


def _ask_save_path(parent: QWidget | None, title: str, suggested: str, pattern: str) -> str:
    path, _selected = QFileDialog.getSaveFileName(parent, title, suggested, pattern)
    return path


#: (parent, title, suggested file name, filter) -> chosen path or "" (tests replace it)
ask_path: Callable[[QWidget | None, str, str, str], str] = _ask_save_path


def exporter(services: Services) -> Any:
    return hub_service(
        services,
        "calendar_export",
        "frontdesk.services.calendar_export",
        "CalendarExportService",
    )


def save_day_sheet(
    parent: QWidget | None,
    services: Services,
    day: date,
    practitioner_id: int | None = None,
    *,
    on_saved: Callable[[Path], None] | None = None,
) -> Task | None:
    """Ask where to save, then make the day sheet PDF in the background and write it."""
    export = exporter(services)
    if export is None:
        return None
    suggested = f"day-sheet-{day.isoformat()}.pdf"
    path = ask_path(parent, "Save the day sheet as PDF", suggested, "PDF files (*.pdf)")
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() != ".pdf":
        target = target.with_suffix(".pdf")

    def work() -> Path:
        target.write_bytes(export.day_sheet_pdf(day, practitioner_id))
        return target

    task = run_task(parent, work)
    if on_saved is not None:
        task.on_success(on_saved)
    return task.start()


def save_patient_ics(
    parent: QWidget | None, services: Services, patient_id: int, patient_name: str
) -> Path | None:
    """Save the patient's upcoming appointments as an .ics file (quick: no task needed)."""
    export = exporter(services)
    if export is None:
        return None
    stem = "".join(ch if ch.isalnum() else "-" for ch in patient_name.lower()).strip("-")
    suggested = f"appointments-{stem or patient_id}.ics"
    path = ask_path(parent, "Save the appointment card", suggested, "Calendar files (*.ics)")
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() != ".ics":
        target = target.with_suffix(".ics")
    from frontdesk.domain.errors import FrontdeskError
    from frontdesk.ui.errors import show_error

    try:
        target.write_bytes(export.patient_ics(patient_id))
    except (FrontdeskError, OSError) as error:
        if isinstance(error, OSError):
            error = FrontdeskError(f"The file could not be saved: {error.strerror}.")
        show_error(parent, error)
        return None
    return target
