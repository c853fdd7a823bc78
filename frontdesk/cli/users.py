"""``users add | list | deactivate | activate | reset-password`` and ``audit``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from frontdesk.cli.common import add_json_flag, print_json, read_password
from frontdesk.domain.enums import Role
from frontdesk.services.hub import Services


def register(sub: Any) -> None:
    users = sub.add_parser("users", help="manage who may sign in (administrators)")
    usub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    p = usub.add_parser("add", help="add a user; the password is asked for")
    p.add_argument("username")
    p.add_argument("--name", required=True, help="the person's full name")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument(
        "--practitioner",
        type=int,
        default=None,
        metavar="ID",
        help="the practitioner this user is (for practitioners)",
    )
    p.add_argument(
        "--new-password-env",
        metavar="VAR",
        help="read the new user's password from this environment variable",
    )
    add_json_flag(p)
    p.set_defaults(handler=cmd_add)

    p = usub.add_parser("list", help="list users")
    add_json_flag(p)
    p.set_defaults(handler=cmd_list)

    for action, active in (("deactivate", False), ("activate", True)):
        p = usub.add_parser(action, help=f"{action} a user (users are never deleted)")
        p.add_argument("username")
        p.set_defaults(handler=cmd_set_active, active=active)

    p = usub.add_parser("reset-password", help="give a user a new password")
    p.add_argument("username")
    p.add_argument("--new-password-env", metavar="VAR")
    p.set_defaults(handler=cmd_reset)

    p = sub.add_parser("audit", help="the audit trail (administrators)")
    p.add_argument("--patient", type=int, metavar="ID")
    p.add_argument("--by", metavar="USER", help="only what this user did")
    p.add_argument("--since", type=date.fromisoformat, metavar="YYYY-MM-DD")
    p.add_argument("--until", type=date.fromisoformat, metavar="YYYY-MM-DD")
    p.add_argument("--csv", action="store_true", help="print CSV (the default is a table)")
    add_json_flag(p)
    p.set_defaults(handler=cmd_audit)


def cmd_add(args: argparse.Namespace, services: Services) -> int:
    password = read_password(args.new_password_env, f"Password for {args.username}: ", confirm=True)
    record = services.users.add(
        args.username, args.name, Role(args.role), password, args.practitioner
    )
    if args.json:
        print_json(record)
    else:
        print(f"Added {record.username} ({record.role.value}).")
    return 0


def cmd_list(args: argparse.Namespace, services: Services) -> int:
    records = services.users.list()
    if args.json:
        print_json(records)
        return 0
    for r in records:
        state = "" if r.active else "  (deactivated)"
        print(f"{r.username:<16} {r.role.value:<14} {r.display_name}{state}")
    return 0


def cmd_set_active(args: argparse.Namespace, services: Services) -> int:
    record = services.users.set_active(args.username, args.active)
    print(f"{record.username} is now {'active' if record.active else 'deactivated'}.")
    return 0


def cmd_reset(args: argparse.Namespace, services: Services) -> int:
    password = read_password(
        args.new_password_env, f"New password for {args.username}: ", confirm=True
    )
    services.users.reset_password(args.username, password)
    print(f"The password of {args.username} was changed.")
    return 0


def cmd_audit(args: argparse.Namespace, services: Services) -> int:
    filters = {
        "patient_id": args.patient,
        "username": args.by,
        "since": args.since,
        "until": args.until,
    }
    if args.csv:
        services.audit_trail.write_csv(sys.stdout, **filters)
        return 0
    entries = services.audit_trail.entries(**filters)
    if args.json:
        print_json(entries)
        return 0
    for e in entries:
        what = f"{e.entity} {e.entity_id}" if e.entity_id is not None else e.entity
        patient = f" patient {e.patient_id}" if e.patient_id is not None else ""
        print(f"{e.at:%Y-%m-%d %H:%M} {e.username:<14} {e.action:<16} {what}{patient}")
    return 0
