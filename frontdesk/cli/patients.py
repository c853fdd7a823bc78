"""``patients add | search | show``."""

from __future__ import annotations

import argparse
from typing import Any

from frontdesk.cli.common import add_json_flag, print_json
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput


def register(sub: Any) -> None:
    patients = sub.add_parser("patients", help="add, find and show patients")
    psub = patients.add_subparsers(dest="patients_command", metavar="ACTION", required=True)

    p = psub.add_parser("add", help="register a new patient")
    p.add_argument("--name", required=True, help="legal name")
    p.add_argument("--preferred-name", default="")
    p.add_argument("--other-script-name", default="", help="name in another script, e.g. 王小明")
    p.add_argument("--dob", default=None, help="date of birth, YYYY-MM-DD")
    p.add_argument("--sex", default="unknown", choices=["female", "male", "other", "unknown"])
    p.add_argument("--phone", default="")
    p.add_argument("--email", default="")
    p.add_argument("--address", default="")
    p.add_argument("--language", default="en", help="preferred language: en or zh")
    p.add_argument("--chart", default="", help="chart number (assigned when left out)")
    p.add_argument(
        "--force", action="store_true", help="add even when a similar patient already exists"
    )
    add_json_flag(p)
    p.set_defaults(handler=cmd_add)

    p = psub.add_parser("search", help="find patients by name, phone, birth date or chart")
    p.add_argument("text", help="what to look for, e.g. 'zoe', '王小', '555 0134', '1956-03-14'")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--archived", action="store_true", help="include archived patients")
    add_json_flag(p)
    p.set_defaults(handler=cmd_search)

    p = psub.add_parser("show", help="show one patient")
    p.add_argument("id", type=int)
    add_json_flag(p)
    p.set_defaults(handler=cmd_show)


def cmd_add(args: argparse.Namespace, services: Services) -> int:
    data = PatientInput(
        legal_name=args.name,
        preferred_name=args.preferred_name,
        other_script_name=args.other_script_name,
        date_of_birth=args.dob,
        sex=args.sex,
        phone=args.phone,
        email=args.email,
        address=args.address,
        preferred_language=args.language,
        chart_number=args.chart,
    )
    if not args.force:
        similar = services.patients.find_similar(data)
        if similar:
            lines = "; ".join(
                f"#{c.patient.id} {c.patient.display_name} ({c.reason})" for c in similar
            )
            from frontdesk.domain.errors import ConflictError

            raise ConflictError(
                f"This looks like an existing patient: {lines}. Use --force to add anyway."
            )
    record = services.patients.create(data)
    if args.json:
        print_json(record)
    else:
        print(f"Added patient #{record.id} {record.display_name}, chart {record.chart_number}.")
    return 0


def cmd_search(args: argparse.Namespace, services: Services) -> int:
    found = services.patients.search(args.text, limit=args.limit, include_archived=args.archived)
    if args.json:
        print_json(found)
        return 0
    for p in found:
        dob = p.date_of_birth.isoformat() if p.date_of_birth else "          "
        print(f"{p.id:>7}  {p.chart_number:<10} {dob}  {p.phone:<18} {p.display_name}")
    if not found:
        print("No patient matches.")
    return 0


def cmd_show(args: argparse.Namespace, services: Services) -> int:
    record = services.patients.get(args.id)
    details = services.patient_overview(record) if hasattr(services, "patient_overview") else {}
    if args.json:
        print_json({**_as_dict(record), **details})
        return 0
    print(f"#{record.id} {record.display_name}")
    for label, value in (
        ("Chart", record.chart_number),
        ("Born", record.date_of_birth.isoformat() if record.date_of_birth else ""),
        ("Sex", record.sex.value),
        ("Phone", record.phone),
        ("Email", record.email),
        ("Address", record.address.replace("\n", ", ")),
        ("Language", record.preferred_language),
        ("No-shows", str(record.no_show_count)),
        ("Late cancellations", str(record.late_cancel_count)),
    ):
        if value:
            print(f"  {label + ':':<20}{value}")
    for key, value in details.items():
        print(f"  {key + ':':<20}{value}")
    return 0


def _as_dict(record: Any) -> dict[str, Any]:
    from frontdesk.cli.common import to_jsonable

    result: dict[str, Any] = to_jsonable(record)
    result["display_name"] = record.display_name
    return result
