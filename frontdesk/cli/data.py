"""``backup``, ``restore``, ``import patients`` and ``db move-to``.

Passphrases never go on the command line itself (other users of the computer could read
them from the process list): ``--passphrase-env VAR`` names an environment variable that
holds it, or the command asks for it in the terminal.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from frontdesk.cli.common import add_json_flag, print_json
from frontdesk.domain.errors import ValidationError
from frontdesk.services.hub import Services


def register(sub: Any) -> None:
    p = sub.add_parser(
        "backup",
        help="back up the clinic into a checked file (optionally encrypted)",
        description="Back up the whole clinic. The file is checked after writing. "
        "Without -o it goes to the clinic's backup folder.",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="file (or folder) to write")
    p.add_argument(
        "--passphrase-env",
        metavar="VAR",
        help="encrypt with the passphrase held in the environment variable VAR",
    )
    p.add_argument(
        "--encrypt", action="store_true", help="encrypt, asking for the passphrase in the terminal"
    )
    p.add_argument(
        "--daily",
        action="store_true",
        help="make today's daily backup in the backup folder unless it exists, and remove "
        "daily backups older than the last 14 days and 12 months",
    )
    p.add_argument("--list", action="store_true", help="list the backups in the backup folder")
    locking = p.add_mutually_exclusive_group()
    locking.add_argument(
        "--lock-daily",
        action="store_true",
        help="from now on encrypt the daily backups with the passphrase (from --passphrase-env "
        "or typed), kept in this computer's password store",
    )
    locking.add_argument(
        "--unlock-daily",
        action="store_true",
        help="from now on write the daily backups without a passphrase",
    )
    add_json_flag(p)
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser(
        "restore",
        help="replace the clinic's data with a backup (a copy of the current data is kept)",
    )
    p.add_argument("file", metavar="FILE", help="the backup to restore")
    p.add_argument(
        "--passphrase-env",
        metavar="VAR",
        help="the backup's passphrase is in the environment variable VAR",
    )
    p.add_argument("--yes", action="store_true", help="do not ask before replacing the data")
    add_json_flag(p)
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("import", help="import data from another system")
    what = p.add_subparsers(dest="import_what", metavar="WHAT", required=True)
    q = what.add_parser(
        "patients",
        help="import patients from a CSV file",
        description="Import patients from a CSV file whose first line names the columns. "
        "Patients already in the clinic (same chart number, or same name and date of "
        "birth, or same phone) are skipped, so running it again imports nothing twice.",
    )
    q.add_argument("file", metavar="FILE.csv")
    q.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="read COLUMN into FIELD (repeat; FIELD empty leaves the column out); "
        "without it the columns are guessed from their names",
    )
    q.add_argument(
        "--dates",
        choices=["dmy", "mdy"],
        help="read dates such as 04/03/1990 day first (dmy) or month first (mdy)",
    )
    q.add_argument("--dry-run", action="store_true", help="show what would happen, save nothing")
    add_json_flag(q)
    q.set_defaults(handler=cmd_import_patients)

    p = sub.add_parser("db", help="the clinic database itself")
    action = p.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    q = action.add_parser(
        "move-to",
        help="copy this clinic into an empty PostgreSQL database and check every row",
    )
    q.add_argument("url", metavar="URL", help="e.g. postgresql://frontdesk@clinic-server/clinic")
    add_json_flag(q)
    q.set_defaults(handler=cmd_move_to)


def _passphrase(args: argparse.Namespace, *, confirm: bool, needed: bool) -> str | None:
    """The passphrase from the named variable, or typed in the terminal when needed."""
    if args.passphrase_env:
        value = os.environ.get(args.passphrase_env)
        if not value:
            raise ValidationError(
                f"The environment variable {args.passphrase_env} is not set or is empty."
            )
        return value
    if not needed:
        return None
    if not sys.stdin.isatty():
        raise ValidationError(
            "A passphrase is needed: give it in an environment variable with "
            "--passphrase-env VAR, or run the command in a terminal."
        )
    value = getpass.getpass("Passphrase: ")
    if confirm and getpass.getpass("The same passphrase again: ") != value:
        raise ValidationError("The two passphrases differ. Nothing was written.")
    if not value:
        raise ValidationError("The passphrase cannot be empty.")
    return value


def cmd_backup(args: argparse.Namespace, services: Services) -> int:
    if args.lock_daily or args.unlock_daily:
        passphrase = _passphrase(args, confirm=True, needed=True) if args.lock_daily else None
        services.backups.set_daily_passphrase(passphrase)
        state = services.backups.daily_encryption()
        if args.json:
            print_json({"daily_encryption": state})
        else:
            print(
                "The daily backups are now locked with the passphrase. Keep a written copy "
                "of it somewhere safe: without it they cannot be opened."
                if state == "on"
                else "The daily backups are now written without a passphrase."
            )
        return 0
    if args.list:
        found = services.backups.backups()
        if args.json:
            print_json(
                [
                    {
                        "path": str(b.path),
                        "taken_at": b.taken_at,
                        "daily": b.daily,
                        "encrypted": b.encrypted,
                        "size": b.size,
                    }
                    for b in found
                ]
            )
        else:
            print(f"Backups in {services.backups.folder()}:")
            for b in found:
                kind = "daily" if b.daily else "manual"
                lock = ", encrypted" if b.encrypted else ""
                print(f"  {b.taken_at:%Y-%m-%d %H:%M}  {kind}{lock}  {b.path.name}")
            if not found:
                print("  (none yet)")
        return 0
    if args.daily:
        result = services.backups.daily_backup(args.output)
        if result is None:
            print("Today's backup is already there.", file=sys.stderr)
            return 0
    else:
        passphrase = _passphrase(args, confirm=True, needed=args.encrypt)
        target = args.output or services.backups.folder()
        result = services.backups.backup(target, passphrase=passphrase)
    if args.json:
        print_json(result)
    else:
        rows = sum(result.counts.values())
        lock = "encrypted, " if result.encrypted else ""
        print(
            f"Backed up {rows} rows to {result.path} ({lock}{result.size / 1024:.0f} KB, "
            "checked after writing)."
        )
    return 0


def cmd_restore(args: argparse.Namespace, services: Services) -> int:
    found = services.backups.inspect(args.file)
    passphrase = _passphrase(args, confirm=False, needed=found.encrypted)
    if not args.yes:
        if not sys.stdin.isatty():
            raise ValidationError(
                "Restoring replaces the clinic's data. Add --yes to confirm it (a copy of "
                "the current data is kept)."
            )
        answer = input(
            "Replace the clinic's data with this backup? A copy of the current data is kept. [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was changed.", file=sys.stderr)
            return 1
    result = services.backups.restore(args.file, passphrase=passphrase)
    if args.json:
        print_json(result)
    else:
        print(f"Restored {result.counts.get('patients', 0)} patients from {result.source}.")
        if result.safety_copy:
            print(f"The data as it was before is kept in {result.safety_copy}.")
    return 0


def cmd_import_patients(args: argparse.Namespace, services: Services) -> int:
    from frontdesk.services.importer import parse_mapping_options, read_csv

    mapping = parse_mapping_options(args.map, read_csv(args.file).headers)
    if args.dry_run:
        preview = services.patient_import.preview(args.file, mapping, date_order=args.dates)
        if args.json:
            print_json(
                {
                    "mapping": mapping,
                    "would_import": len(preview.ok),
                    "already_there": [
                        {
                            "line": d.line,
                            "name": d.name,
                            "patient_id": d.existing_id,
                            "reason": d.reason,
                        }
                        for d in preview.duplicates
                    ],
                    "bad_rows": [
                        {"line": b.line, "reason": b.reason, "field": b.field} for b in preview.bad
                    ],
                }
            )
            return 0
        print("Columns: " + ", ".join(f"{c} -> {f or '(left out)'}" for c, f in mapping.items()))
        print(
            f"Would import {len(preview.ok)} patients; {len(preview.duplicates)} already "
            f"there; {len(preview.bad)} rows with problems."
        )
        for d in preview.duplicates:
            print(f"  line {d.line}: {d.name} is already there ({d.reason})")
        for b in preview.bad:
            print(f"  line {b.line}: {b.reason}")
        return 0
    result = services.patient_import.run(args.file, mapping, date_order=args.dates)
    if args.json:
        print_json(result)
    else:
        print(
            f"Imported {result.imported} patients; {result.skipped_existing} were already "
            f"there; {len(result.bad)} rows with problems were left out."
        )
        for b in result.bad:
            print(f"  line {b.line}: {b.reason}")
    return 0


def cmd_move_to(args: argparse.Namespace, services: Services) -> int:
    def progress(message: str, fraction: float) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\r{message}: {fraction:4.0%}   ", end="", file=sys.stderr, flush=True)

    report = services.transfer.move_to(args.url, progress)
    if not args.json and sys.stderr.isatty():
        print(file=sys.stderr)
    if args.json:
        print_json(report)
    else:
        print(f"Copied {report.total_rows} rows to {report.target} in {report.seconds:.1f} s.")
        for table in report.tables:
            print(f"  {table.name:<22} {table.rows:>9}  checked")
        print(
            "Every row was compared on both sides. Connect each workstation to the server "
            "(Data > Connect to clinic server) to use it."
        )
    return 0
