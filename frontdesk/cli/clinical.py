"""``intake add | list | show | compare``, ``visit add | show | list`` and ``history``.

The same services and safety rules as the window: a treatment a STOP rule forbids needs
``--override-reason``, warnings need ``--acknowledge``. File formats: docs/intake-schema.md
and docs/visit-schema.md.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk.cli.common import add_json_flag, print_json, to_jsonable
from frontdesk.cli.pdf import register_import_pdf
from frontdesk.domain.errors import FrontdeskError, ValidationError
from frontdesk.services.history import TimelineEvent
from frontdesk.services.hub import Services
from frontdesk.services.intakes import INTAKE_SOURCES, IntakeVersion, PatientFlags
from frontdesk.services.visits import VisitInput, VisitRecord


def register(sub: Any) -> None:
    intake = sub.add_parser("intake", help="save and read intake versions")
    isub = intake.add_subparsers(dest="intake_command", metavar="ACTION", required=True)

    p = isub.add_parser("add", help="save an intake from a JSON file as the next version")
    p.add_argument("--patient", type=int, required=True, metavar="ID")
    p.add_argument(
        "--from",
        dest="source_file",
        required=True,
        metavar="FILE",
        help="intake JSON (- for stdin)",
    )
    p.add_argument(
        "--source",
        default="import",
        choices=[s for s in INTAKE_SOURCES if s not in ("merge", "demo")],
        help="where the answers come from (default: import)",
    )
    add_json_flag(p)
    p.set_defaults(handler=cmd_intake_add)

    p = isub.add_parser("list", help="list a patient's intake versions")
    p.add_argument("--patient", type=int, required=True, metavar="ID")
    add_json_flag(p)
    p.set_defaults(handler=cmd_intake_list)

    p = isub.add_parser("show", help="show one intake version with its answers")
    p.add_argument("id", type=int, help="intake id (see 'intake list')")
    add_json_flag(p)
    p.set_defaults(handler=cmd_intake_show)

    p = isub.add_parser("compare", help="what changed between two intake versions")
    p.add_argument("old", type=int, help="intake id of the older version")
    p.add_argument("new", type=int, help="intake id of the newer version")
    add_json_flag(p)
    p.set_defaults(handler=cmd_intake_compare)

    register_import_pdf(isub)

    visit = sub.add_parser("visit", help="record and read visits")
    vsub = visit.add_subparsers(dest="visit_command", metavar="ACTION", required=True)

    p = vsub.add_parser("add", help="record a visit for an appointment from a JSON file")
    p.add_argument("--appointment", type=int, required=True, metavar="ID")
    p.add_argument(
        "--from", dest="source_file", required=True, metavar="FILE", help="visit JSON (- for stdin)"
    )
    p.add_argument(
        "--acknowledge",
        action="store_true",
        help="confirm that the safety warnings for this patient have been seen",
    )
    p.add_argument(
        "--override-reason",
        metavar="TEXT",
        help="a practitioner's reason for going ahead despite a safety stop",
    )
    add_json_flag(p)
    p.set_defaults(handler=cmd_visit_add)

    p = vsub.add_parser("show", help="show one visit")
    p.add_argument("id", type=int)
    add_json_flag(p)
    p.set_defaults(handler=cmd_visit_show)

    p = vsub.add_parser("list", help="list a patient's visits, newest first")
    p.add_argument("--patient", type=int, required=True, metavar="ID")
    add_json_flag(p)
    p.set_defaults(handler=cmd_visit_list)

    p = sub.add_parser("history", help="a patient's health history, newest first")
    p.add_argument("patient", type=int, metavar="PATIENT_ID")
    add_json_flag(p)
    p.set_defaults(handler=cmd_history)


# -- reading input files ---------------------------------------------------------------------


def read_json_file(name: str) -> Any:
    """The JSON in a file (or stdin for "-"), with a readable error when it is not JSON."""
    import sys

    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError(f"There is no file {name}.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ValidationError(f"Cannot read {name}: {error}.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            f"{name} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None


def _with_field(error: FrontdeskError) -> FrontdeskError:
    """The same error with the field's path added, so the file can be fixed."""
    if error.field and f"({error.field})" not in error.message:
        return type(error)(f"{error.message} (at {error.field})", field=error.field)
    return error


# -- output ----------------------------------------------------------------------------------


def _version_json(version: IntakeVersion) -> dict[str, Any]:
    mnsi = version.mnsi
    return {
        **to_jsonable(version.summary),
        "mnsi": {
            "score": mnsi.score,
            "max": mnsi.max_score,
            "cutoff": mnsi.cutoff,
            "positive": mnsi.positive,
            "answered": mnsi.answered,
            "scored_items": list(mnsi.scored_items),
            "unanswered_items": list(mnsi.unanswered_items),
        },
        "data": version.data.to_dict(),
    }


def _flags_json(flags: PatientFlags) -> dict[str, Any]:
    return {
        "summary": flags.summary_line,
        "badges": list(flags.badges),
        "labels": list(flags.labels),
        "red_flags": list(flags.red_flags),
        "has_intake": flags.has_intake,
    }


def _visit_json(record: VisitRecord) -> dict[str, Any]:
    result: dict[str, Any] = {
        key: to_jsonable(value)
        for key, value in record.__dict__.items()
        if key not in ("data", "overrides")
    }
    result["data"] = record.data.to_dict()
    result["overrides"] = to_jsonable(list(record.overrides))
    return result


def _print_visit(record: VisitRecord, tz: ZoneInfo) -> None:
    data = record.data
    print(
        f"Visit #{record.id} for appointment #{record.appointment_id}: {record.patient_name}, "
        f"{_local(record.starts_at, tz)}, {record.service_name} "
        f"with {record.practitioner_name}"
    )
    lines = [
        ("Services", ", ".join(k.label for k in data.services)),
        ("Points", " ".join(data.points)),
        ("Point notes", data.point_notes),
        ("Needles in", f"{data.needle_minutes} min" if data.needle_minutes else ""),
        (
            "Pain",
            ""
            if data.pain_before is None and data.pain_after is None
            else f"{_score(data.pain_before)} before, {_score(data.pain_after)} after",
        ),
        ("Reactions", ", ".join(r.label for r in data.reactions)),
        ("Reaction notes", data.reaction_notes),
        ("S", data.soap.subjective),
        ("O", data.soap.objective),
        ("A", data.soap.assessment),
        ("P", data.soap.plan),
        ("Next visit", data.next_plan),
    ]
    if data.electro:
        e = data.electro
        lines.append(
            (
                "Electro",
                ", ".join(
                    part
                    for part in (
                        f"{e.frequency_hz:g} Hz" if e.frequency_hz else "",
                        e.intensity,
                        f"{e.minutes} min" if e.minutes else "",
                    )
                    if part
                ),
            )
        )
    if data.cupping:
        c = data.cupping
        lines.append(
            (
                "Cupping",
                ", ".join(
                    part
                    for part in (
                        c.type.label if c.type else "",
                        "; ".join(c.sites),
                        f"{c.minutes} min" if c.minutes else "",
                    )
                    if part
                ),
            )
        )
    if data.moxibustion:
        m = data.moxibustion
        lines.append(
            (
                "Moxibustion",
                ", ".join(
                    part
                    for part in (
                        m.method.label if m.method else "",
                        "; ".join(m.sites),
                        f"{m.minutes} min" if m.minutes else "",
                    )
                    if part
                ),
            )
        )
    for override in record.overrides:
        lines.append(("Override", f"{override.rules} Reason: {override.reason}"))
    for label, value in lines:
        if value:
            print(f"  {label + ':':<16}{value}")


def _local(when: datetime, tz: ZoneInfo) -> str:
    return f"{when.astimezone(tz):%Y-%m-%d %H:%M}"


def _score(value: int | None) -> str:
    return "?" if value is None else f"{value}/10"


# -- commands --------------------------------------------------------------------------------


def cmd_intake_add(args: argparse.Namespace, services: Services) -> int:
    raw = read_json_file(args.source_file)
    try:
        version = services.intakes.save(args.patient, raw, source=args.source)
    except ValidationError as error:
        raise _with_field(error) from None
    flags = services.intakes.flags(args.patient)
    if args.json:
        print_json({**_version_json(version), "flags": _flags_json(flags)})
        return 0
    print(
        f"Saved intake version {version.version_no} (intake #{version.id}) for patient "
        f"#{version.patient_id}."
    )
    if version.mnsi.answered:
        print(f"  {version.mnsi.describe()}")
    print(f"  Safety flags: {flags.summary_line or 'none'}")
    for red_flag in flags.red_flags:
        print(f"  ADVISE MEDICAL CARE: {red_flag}")
    return 0


def cmd_intake_list(args: argparse.Namespace, services: Services) -> int:
    versions = services.intakes.versions(args.patient)
    tz = services.appointments.clinic_timezone()
    if args.json:
        print_json(versions)
        return 0
    if not versions:
        print("No intake saved yet.")
    for v in versions:
        mnsi = "" if v.mnsi_score is None else f"MNSI {v.mnsi_score:>2}"
        pain = "" if v.pain_now is None else f"pain {v.pain_now:>2}"
        print(
            f"#{v.id:<6} version {v.version_no:<3} {_local(v.created_at, tz)}  "
            f"{mnsi:<8} {pain:<8} {v.created_by}  {v.flags_summary}"
        )
    return 0


def cmd_intake_show(args: argparse.Namespace, services: Services) -> int:
    version = services.intakes.get(args.id)
    tz = services.appointments.clinic_timezone()
    if args.json:
        print_json(_version_json(version))
        return 0
    print(
        f"Intake #{version.id}: version {version.version_no} of patient #{version.patient_id}, "
        f"saved {_local(version.created_at, tz)} by {version.created_by} "
        f"({version.source})"
    )
    if version.mnsi.answered:
        print(f"  {version.mnsi.describe()}")
    print(f"  Safety flags: {version.flags_summary or 'none'}")
    from frontdesk.domain.intake import IntakeData, diff

    for change in diff(IntakeData(), version.data):
        print(f"  {change.section} · {change.field}: {change.new}")
    return 0


def cmd_intake_compare(args: argparse.Namespace, services: Services) -> int:
    changes = services.intakes.compare(args.old, args.new)
    if args.json:
        print_json([{**to_jsonable(c), "text": str(c)} for c in changes])
        return 0
    if not changes:
        print("Nothing changed between these versions.")
    for change in changes:
        print(change)
    return 0


def cmd_visit_add(args: argparse.Namespace, services: Services) -> int:
    raw = read_json_file(args.source_file)
    try:
        data = VisitInput.from_dict(raw)
        record = services.visits.record(
            args.appointment,
            data,
            acknowledged=args.acknowledge,
            override_reason=args.override_reason,
        )
    except ValidationError as error:
        raise _with_field(error) from None
    except FrontdeskError as error:
        hint = {
            "acknowledged": " Run again with --acknowledge once the warnings have been seen.",
            "points": " Run again with --acknowledge once the warnings have been seen.",
            "override_reason": " Give it with --override-reason TEXT.",
        }.get(error.field or "", "")
        raise type(error)(error.message + hint, field=error.field) from None
    if args.json:
        print_json(_visit_json(record))
        return 0
    print(f"Recorded visit #{record.id}; appointment #{record.appointment_id} is completed.")
    _print_visit(record, services.appointments.clinic_timezone())
    return 0


def cmd_visit_show(args: argparse.Namespace, services: Services) -> int:
    record = services.visits.get(args.id)
    if args.json:
        print_json(_visit_json(record))
    else:
        _print_visit(record, services.appointments.clinic_timezone())
    return 0


def cmd_visit_list(args: argparse.Namespace, services: Services) -> int:
    records = services.visits.for_patient(args.patient)
    tz = services.appointments.clinic_timezone()
    if args.json:
        print_json([_visit_json(r) for r in records])
        return 0
    if not records:
        print("No visit recorded yet.")
    for r in records:
        pain = (
            ""
            if r.pain_before is None and r.pain_after is None
            else f"pain {_score(r.pain_before)} → {_score(r.pain_after)}"
        )
        print(
            f"#{r.id:<6} {_local(r.starts_at, tz)}  {r.service_code:<6} "
            f"{r.practitioner_name:<16} {pain:<20} {' '.join(r.data.points)}"
        )
    return 0


def _event_json(event: TimelineEvent) -> dict[str, Any]:
    return {
        "when": event.when.isoformat(),
        "kind": event.kind.value,
        "title": event.title,
        "detail": event.detail,
        "ref_id": event.ref_id,
    }


def cmd_history(args: argparse.Namespace, services: Services) -> int:
    events = services.history.timeline(args.patient)
    tz = services.appointments.clinic_timezone()
    if args.json:
        print_json(
            {
                "patient_id": args.patient,
                "timeline": [_event_json(e) for e in events],
                "pain_trend": [
                    {"when": p.when.isoformat(), "before": p.before, "after": p.after}
                    for p in services.history.pain_trend(args.patient)
                ],
                "mnsi_trend": [
                    {"when": m.when.isoformat(), "score": m.score}
                    for m in services.history.mnsi_trend(args.patient)
                ],
            }
        )
        return 0
    if not events:
        print("Nothing in the history yet.")
    for e in events:
        print(f"{_local(e.when, tz)}  {e.kind.label:<16} {e.title}")
        if e.detail:
            print(f"{'':<34}{e.detail}")
    return 0
