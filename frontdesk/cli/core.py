"""``init``, ``demo``, ``check`` and ``export``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from frontdesk.cli.common import add_json_flag, print_json, read_password
from frontdesk.domain.enums import PaperSize
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.permissions import Permission
from frontdesk.services.clinic import ClinicSetup
from frontdesk.services.demo import DemoOptions
from frontdesk.services.hub import Services


def register(sub: Any) -> None:
    p = sub.add_parser("init", help="set up a new clinic in an empty database")
    p.add_argument("--name", required=True, help="the clinic's name")
    p.add_argument("--timezone", default="Europe/London", help="IANA timezone, e.g. Europe/London")
    p.add_argument(
        "--practitioner",
        action="append",
        default=[],
        metavar="NAME[,CREDENTIALS]",
        help="a practitioner (repeat for each)",
    )
    p.add_argument(
        "--room",
        action="append",
        default=[],
        metavar="NAME",
        help="a treatment room (repeat for each; default: Room 1 and Room 2)",
    )
    p.add_argument("--paper", choices=[s.value for s in PaperSize], default="A4")
    p.add_argument("--phone", default="")
    p.add_argument("--email", default="")
    p.add_argument("--address", default="")
    p.add_argument(
        "--admin",
        metavar="USERNAME",
        help="also create the first administrator (password asked for, or "
        "read from the variable named by --admin-password-env)",
    )
    p.add_argument("--admin-name", default="Clinic Administrator", metavar="NAME")
    p.add_argument("--admin-password-env", metavar="VAR")
    add_json_flag(p)
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("demo", help="build the demo clinic into an empty database")
    p.add_argument("--patients", type=int, default=300, metavar="N")
    p.add_argument(
        "--weeks",
        type=int,
        default=12,
        metavar="W",
        help="weeks of appointments: two thirds past, one third ahead",
    )
    p.add_argument("--seed", type=int, default=7, metavar="S")
    p.add_argument(
        "--practitioners",
        type=int,
        default=3,
        metavar="P",
        help="practitioners (and as many rooms), 1 to 6",
    )
    add_json_flag(p)
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("check", help="check the database (integrity, schema version)")
    add_json_flag(p)
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("export", help="export everything as JSON (see the README)")
    p.add_argument("-o", "--output", metavar="FILE", help="file to write (default: stdout)")
    p.set_defaults(handler=cmd_export)


def cmd_init(args: argparse.Namespace, services: Services) -> int:
    practitioners = []
    for item in args.practitioner:
        name, _, credentials = item.partition(",")
        practitioners.append((name.strip(), credentials.strip()))
    if not practitioners:
        raise ValidationError("Name at least one practitioner with --practitioner.")
    password = (
        read_password(args.admin_password_env, f"Password for {args.admin}: ", confirm=True)
        if args.admin
        else None
    )
    profile = services.clinic.set_up(
        ClinicSetup(
            name=args.name,
            timezone=args.timezone,
            practitioners=practitioners,
            rooms=args.room or ["Room 1", "Room 2"],
            paper_size=PaperSize(args.paper),
            phone=args.phone,
            email=args.email,
            address=args.address,
        )
    )
    if args.admin and password is not None:
        services.users.create_first_administrator(args.admin, args.admin_name, password)
    if args.json:
        print_json(profile)
    else:
        print(f"Set up {profile.name} ({profile.timezone}).")
    return 0


def cmd_demo(args: argparse.Namespace, services: Services) -> int:
    def progress(message: str, fraction: float) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\r{message}: {fraction:4.0%}   ", end="", file=sys.stderr, flush=True)

    summary = services.demo.build(
        DemoOptions(
            patients=args.patients,
            weeks=args.weeks,
            seed=args.seed,
            practitioners=args.practitioners,
        ),
        progress,
    )
    if not args.json and sys.stderr.isatty():
        print(file=sys.stderr)
    if args.json:
        print_json(summary)
    else:
        print(
            f"Demo clinic built in {summary.seconds:.1f} s: {summary.patients} patients, "
            f"{summary.appointments} appointments, {summary.practitioners} practitioners."
        )
    return 0


def cmd_check(args: argparse.Namespace, services: Services) -> int:
    report = services.maintenance.check()
    if args.json:
        print_json(report.as_dict())
    else:
        print(
            f"Database: {report.backend}, schema {report.revision or 'none'} "
            f"(expected {report.expected_revision})"
        )
        for table, count in report.counts.items():
            print(f"  {table:<18} {count:>9}")
        for problem in report.problems:
            print(f"PROBLEM: {problem}")
        print("Healthy." if report.ok else "NOT healthy.")
    return 0 if report.ok else 1


def cmd_export(args: argparse.Namespace, services: Services) -> int:
    if args.output:
        target = Path(args.output)
        partial = target.with_name(target.name + ".partial")
        # the export holds health records: readable by the owner only
        services.require(Permission.EXPORT)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with open(descriptor, "w", encoding="utf-8") as out:
                counts = services.maintenance.export(out)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(target)  # never leave a half-written export under the real name
        total = sum(counts.values())
        print(f"Exported {total} rows to {target}.", file=sys.stderr)
    else:
        services.maintenance.export(sys.stdout)
    return 0
