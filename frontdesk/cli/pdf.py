"""``pdf intake | aftercare | progress | day-sheet`` and ``intake import-pdf``: printed
documents from the command line, and reading a filled fillable intake form back in.

Every ``pdf`` command writes one PDF file (``-o -`` writes it to standard output), except
``pdf aftercare --date D -o DIR``, which writes one handout per visit of that day into the
folder. A file is written whole or not at all: it is written beside its final name and then
renamed, so a failure never leaves half a PDF behind.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

from frontdesk.cli.appointments import parse_day
from frontdesk.cli.common import add_json_flag, print_json
from frontdesk.domain.errors import FrontdeskError, ValidationError
from frontdesk.services.hub import Services
from frontdesk.services.printing import printing_service, write_whole


def register(sub: Any) -> None:
    pdf = sub.add_parser("pdf", help="print documents as PDF files")
    psub = pdf.add_subparsers(dest="pdf_command", metavar="DOCUMENT", required=True)

    p = psub.add_parser(
        "intake",
        help="an intake form: blank, fillable, or a patient's saved intake as a summary",
        description="--blank prints the paper form; --patient ID prints the patient's latest "
        "saved intake as a summary (or --intake N for another version); add --fillable for "
        "a form with fields to fill in on a tablet (for a patient: their details filled in).",
    )
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--blank", action="store_true", help="the form with nothing filled in")
    who.add_argument("--patient", type=int, metavar="ID", help="patient number")
    p.add_argument("--fillable", action="store_true", help="with fields to fill in on screen")
    p.add_argument(
        "--intake", type=int, metavar="N", help="intake number of an older version (summary)"
    )
    p.add_argument(
        "--patient-copy",
        action="store_true",
        help="leave out the practitioner's findings (pulse, tongue, pattern, plan)",
    )
    p.add_argument(
        "--language",
        metavar="CODE",
        help="the language of a blank or fillable form, e.g. en or zh (Simplified Chinese); "
        "default: the patient's preferred language, else the clinic's",
    )
    _add_output(p)
    p.set_defaults(handler=cmd_pdf_intake)

    p = psub.add_parser(
        "aftercare",
        help="the aftercare handout of a visit, or of every visit of a day",
        description="--visit ID -o FILE prints one handout; --date D -o FOLDER prints the "
        "handout of every visit recorded that day, one file each.",
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--visit", type=int, metavar="ID", help="visit number")
    which.add_argument(
        "--appointment",
        type=int,
        metavar="ID",
        help="appointment number (the booked service when no visit is recorded yet)",
    )
    which.add_argument("--date", metavar="D", help="YYYY-MM-DD, today or tomorrow")
    p.add_argument("--note", default="", metavar="TEXT", help="the practitioner's personal note")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE|FOLDER",
        help="the PDF file to write (- for standard output); with --date, the folder",
    )
    add_json_flag(p)
    p.set_defaults(handler=cmd_pdf_aftercare)

    p = psub.add_parser("progress", help="a patient's progress report (trends, visits, changes)")
    p.add_argument("--patient", type=int, required=True, metavar="ID", help="patient number")
    p.add_argument(
        "--for", dest="addressed_to", default="", metavar="TEXT", help="e.g. the referring doctor"
    )
    p.add_argument("--summary", default="", metavar="TEXT", help="the practitioner's summary")
    _add_output(p)
    p.set_defaults(handler=cmd_pdf_progress)

    p = psub.add_parser("day-sheet", help="the day's appointments, per practitioner")
    p.add_argument("--date", required=True, metavar="D", help="YYYY-MM-DD, today or tomorrow")
    p.add_argument("--practitioner", type=int, metavar="ID", help="only this practitioner")
    p.add_argument(
        "--page-per-practitioner",
        action="store_true",
        help="start each practitioner on a new page",
    )
    _add_output(p)
    p.set_defaults(handler=cmd_pdf_day_sheet)


def register_import_pdf(intake_actions: Any) -> None:
    """Add ``import-pdf`` to the ``intake`` command's actions."""
    p = intake_actions.add_parser(
        "import-pdf",
        help="read a filled fillable intake form and save it as the next version",
        description="Shows what the form filled in and what could not be read; saves a new "
        "intake version only with --yes, or after you answer y at the prompt.",
    )
    p.add_argument("--patient", type=int, required=True, metavar="ID", help="patient number")
    p.add_argument("file", metavar="FILE", help="the filled PDF form")
    p.add_argument("--yes", action="store_true", help="save without asking")
    add_json_flag(p)
    p.set_defaults(handler=cmd_intake_import_pdf)


def _add_output(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="the PDF file to write (- for standard output)",
    )
    add_json_flag(p)


# -- writing files -------------------------------------------------------------------------


def page_count(pdf: bytes) -> int:
    """How many pages a PDF has."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _deliver(args: argparse.Namespace, pdf: bytes, what: str, message: str, **extra: Any) -> int:
    """Write the PDF where ``-o`` says and report it (text or JSON)."""
    pages = page_count(pdf)
    if args.output == "-":
        sys.stdout.buffer.write(pdf)
        sys.stdout.flush()
        return 0
    target = Path(args.output)
    if target.is_dir():
        raise ValidationError(f"{target} is a folder; give a file name ending in .pdf.")
    write_whole(target, pdf)
    if getattr(args, "json", False):
        print_json(
            {"document": what, "file": str(target), "pages": pages, "bytes": len(pdf), **extra}
        )
    else:
        print(message.format(file=target, pages=pages, s="" if pages == 1 else "s"))
    return 0


# -- commands ------------------------------------------------------------------------------


def cmd_pdf_intake(args: argparse.Namespace, services: Services) -> int:
    printing = printing_service(services)
    if args.language and not (args.blank or args.fillable):
        raise ValidationError("--language is for a blank or fillable form (--blank or --fillable).")
    if args.blank:
        if args.intake is not None or args.patient_copy:
            raise ValidationError("--intake and --patient-copy need --patient.")
        if args.fillable:
            pdf = printing.fillable_intake(language=args.language)
            return _deliver(
                args, pdf, "fillable intake form", "Wrote the fillable intake form to {file}."
            )
        pdf = printing.blank_intake(args.language)
        return _deliver(
            args, pdf, "blank intake form", "Wrote the blank intake form ({pages} pages) to {file}."
        )
    if args.fillable:
        if args.intake is not None or args.patient_copy:
            raise ValidationError(
                "A fillable form always starts from the latest intake; leave out --intake "
                "and --patient-copy."
            )
        pdf = printing.fillable_intake(args.patient, args.language)
        return _deliver(
            args,
            pdf,
            "fillable intake form",
            f"Wrote the fillable intake form of patient #{args.patient} to {{file}}.",
            patient_id=args.patient,
        )
    pdf = printing.filled_intake(
        args.patient, args.intake, include_practitioner_findings=not args.patient_copy
    )
    return _deliver(
        args,
        pdf,
        "intake summary",
        f"Wrote the intake summary of patient #{args.patient} ({{pages}} page{{s}}) to {{file}}.",
        patient_id=args.patient,
    )


def cmd_pdf_aftercare(args: argparse.Namespace, services: Services) -> int:
    printing = printing_service(services)
    if args.date is None:
        if args.visit is not None:
            pdf = printing.aftercare(args.visit, args.note)
            subject = f"visit #{args.visit}"
        else:
            pdf = printing.aftercare_for_appointment(args.appointment, args.note)
            subject = f"appointment #{args.appointment}"
        return _deliver(
            args,
            pdf,
            "aftercare handout",
            f"Wrote the aftercare handout of {subject} to {{file}}.",
            visit_id=args.visit,
            appointment_id=args.appointment,
        )
    if args.note:
        raise ValidationError("A note is written for one visit: use --visit with --note.")
    day = parse_day(args.date, services)
    folder = Path(args.output)
    if args.output == "-" or folder.is_file():
        raise ValidationError("With --date, -o names a folder to write the handouts into.")
    handouts = printing.aftercare_for_day(day)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FrontdeskError(f"Cannot make the folder {folder}: {error.strerror}.") from None
    written = []
    for handout in handouts:
        target = folder / handout.file_name
        write_whole(target, handout.pdf)
        written.append(
            {"visit_id": handout.visit_id, "patient": handout.patient_name, "file": str(target)}
        )
        if not args.json:
            print(f"{target}  {handout.patient_name}")
    if args.json:
        print_json({"date": day, "folder": str(folder), "handouts": written})
    elif written:
        count = len(written)
        print(f"Wrote {count} aftercare handout{'s' if count != 1 else ''} of {day:%A %d %B %Y}.")
    else:
        print(f"No visits were recorded on {day:%A %d %B %Y}; nothing to print.")
    return 0


def cmd_pdf_progress(args: argparse.Namespace, services: Services) -> int:
    pdf = printing_service(services).progress_report(
        args.patient, addressed_to=args.addressed_to, summary=args.summary
    )
    return _deliver(
        args,
        pdf,
        "progress report",
        f"Wrote the progress report of patient #{args.patient} ({{pages}} page{{s}}) to {{file}}.",
        patient_id=args.patient,
    )


def cmd_pdf_day_sheet(args: argparse.Namespace, services: Services) -> int:
    day = parse_day(args.date, services)
    pdf = printing_service(services).day_sheet(
        day, args.practitioner, page_per_practitioner=args.page_per_practitioner
    )
    return _deliver(
        args,
        pdf,
        "day sheet",
        f"Wrote the day sheet of {day:%A %d %B %Y} to {{file}}.",
        date=day.isoformat(),
        practitioner_id=args.practitioner,
    )


# -- reading a filled form back --------------------------------------------------------------


def cmd_intake_import_pdf(args: argparse.Namespace, services: Services) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ValidationError(f"Cannot read {path}: {error.strerror or error}.") from None
    preview = services.intakes.import_fillable_pdf(args.patient, data, preview_only=True)
    warnings = printing_service(services).form_warnings(args.patient, preview.patient_details)
    if not preview.filled:
        raise ValidationError(f"Nothing is filled in on {path.name}: there is nothing to save.")
    save = args.yes
    if not args.json:
        print(f"The form {path.name} fills in {len(preview.filled)} answers:")
        for change in preview.filled:
            print(f"  {change.section} · {change.field}: {change.new}")
        if preview.patient_details:
            print("As written on the form (not copied to the patient's record):")
            for key, value in preview.patient_details.items():
                if value:
                    print(f"  {key.replace('_', ' ').capitalize()}: {value}")
        for problem in preview.problems:
            print(f"Could not read: {problem}")
        for warning in warnings:
            print(f"CHECK: {warning}")
        print(
            f"{len(preview.changes)} answer{'s' if len(preview.changes) != 1 else ''} "
            "differ from the latest saved intake."
        )
        if not save and sys.stdin.isatty():
            answer = input("Save this as a new intake version? [y/N] ")
            save = answer.strip().lower() in ("y", "yes")
    saved = None
    if save:
        saved = services.intakes.import_fillable_pdf(args.patient, data, preview_only=False).saved
    if args.json:
        print_json(
            {
                "patient_id": args.patient,
                "file": str(path),
                "filled": [
                    {"section": c.section, "field": c.field, "value": c.new, "path": c.path}
                    for c in preview.filled
                ],
                "changes": [
                    {
                        "section": c.section,
                        "field": c.field,
                        "old": c.old,
                        "new": c.new,
                        "path": c.path,
                    }
                    for c in preview.changes
                ],
                "problems": list(preview.problems),
                "warnings": warnings,
                "patient_details": dict(preview.patient_details),
                "saved": None
                if saved is None
                else {"intake_id": saved.id, "version_no": saved.version_no},
            }
        )
    elif saved is not None:
        print(
            f"Saved intake version {saved.version_no} (intake #{saved.id}) for patient "
            f"#{args.patient}."
        )
    else:
        print("Not saved. Run again with --yes to save it.")
    return 0
