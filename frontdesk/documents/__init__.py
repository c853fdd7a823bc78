"""Printed documents: ReportLab builders that take plain data and return PDF bytes.

Importing this package is cheap: the input dataclasses load at once, while each renderer
(and ReportLab with it) loads on first use, so the GUI pays for ReportLab only when it
prints. Public entry points::

    render_aftercare(AftercareInput, ClinicHeader, *, options, texts_dir, texts) -> bytes
    render_blank_intake(ClinicHeader, *, options, context, language, texts_dir) -> bytes
    render_fillable_intake(ClinicHeader, *, options, context, intake, patient_details,
                           language, texts_dir) -> bytes
    read_fillable_intake(pdf_bytes) -> dict            (IntakeData.from_dict input)
    read_fillable_form(pdf_bytes) -> FilledForm        (intake, patient details, problems)
    render_filled_intake(intake, ClinicHeader, *, context, options, ...) -> bytes
    render_progress_report(ProgressInput, ClinicHeader, *, options) -> bytes
    render_day_sheet(DaySheetInput, ClinicHeader, *, options, landscape) -> bytes
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from frontdesk.documents.data import (
    AftercareInput,
    ClinicHeader,
    DaySheetInput,
    DaySheetRow,
    IntakeChange,
    IntakeFormContext,
    MnsiPoint,
    NextAppointment,
    PatientLine,
    PrintOptions,
    ProgressInput,
    VisitSummary,
)

if TYPE_CHECKING:
    from frontdesk.documents.aftercare import render_aftercare
    from frontdesk.documents.day_sheet import render_day_sheet
    from frontdesk.documents.form_spec import FilledForm
    from frontdesk.documents.form_texts import FormTexts, load_form_texts
    from frontdesk.documents.from_domain import aftercare_cautions, intake_changes, mnsi_trend
    from frontdesk.documents.handout_texts import HandoutTexts, load_handout_texts
    from frontdesk.documents.intake_form import (
        read_fillable_form,
        read_fillable_intake,
        render_blank_intake,
        render_fillable_intake,
    )
    from frontdesk.documents.intake_summary import render_filled_intake
    from frontdesk.documents.progress import render_progress_report

_LAZY = {
    "render_aftercare": "aftercare",
    "render_day_sheet": "day_sheet",
    "render_progress_report": "progress",
    "render_blank_intake": "intake_form",
    "render_fillable_intake": "intake_form",
    "read_fillable_intake": "intake_form",
    "read_fillable_form": "intake_form",
    "render_filled_intake": "intake_summary",
    "FilledForm": "form_spec",
    "FormTexts": "form_texts",
    "load_form_texts": "form_texts",
    "HandoutTexts": "handout_texts",
    "load_handout_texts": "handout_texts",
    "aftercare_cautions": "from_domain",
    "intake_changes": "from_domain",
    "mnsi_trend": "from_domain",
}

__all__ = [
    "AftercareInput",
    "ClinicHeader",
    "DaySheetInput",
    "DaySheetRow",
    "FilledForm",
    "FormTexts",
    "HandoutTexts",
    "IntakeChange",
    "IntakeFormContext",
    "MnsiPoint",
    "NextAppointment",
    "PatientLine",
    "PrintOptions",
    "ProgressInput",
    "VisitSummary",
    "aftercare_cautions",
    "intake_changes",
    "load_form_texts",
    "load_handout_texts",
    "mnsi_trend",
    "read_fillable_form",
    "read_fillable_intake",
    "render_aftercare",
    "render_blank_intake",
    "render_day_sheet",
    "render_fillable_intake",
    "render_filled_intake",
    "render_progress_report",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'frontdesk.documents' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"frontdesk.documents.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value
