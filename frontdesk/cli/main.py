"""The command line: the same services as the window, without Qt.

Every command prints a readable result, or JSON with ``--json``; a refusal prints the
reason on stderr and exits with status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from importlib import import_module
from typing import TYPE_CHECKING

from frontdesk.domain.errors import FrontdeskError, ValidationError
from frontdesk.services.context import ANONYMOUS

if TYPE_CHECKING:
    from frontdesk.services.hub import Services

#: modules that add commands: each has ``register(subparsers)``
COMMAND_MODULES = (
    "frontdesk.cli.core",
    "frontdesk.cli.patients",
    "frontdesk.cli.clinical",
    "frontdesk.cli.users",
    "frontdesk.cli.appointments",
    "frontdesk.cli.data",
    "frontdesk.cli.pdf",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontdesk",
        description="Front desk of an acupuncture and TCM clinic. "
        "Without a command, the window opens.",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: the clinic file in the user data folder, "
        "or FRONTDESK_DB_URL); e.g. sqlite:///clinic.sqlite3 or "
        "postgresql://user@server/clinic",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="sign in as this user (the password comes from FRONTDESK_PASSWORD or a "
        "prompt); needed for anything that changes data or reads clinical records",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        import_module(name).register(sub)
    return parser


def _sign_in(args: argparse.Namespace, services: Services) -> None:
    """Act for the named user; without one, a clinic that has users is only browsable."""
    if not services.users.has_users():
        return  # a new clinic: nobody to sign in yet
    if not args.user:
        services.actor = ANONYMOUS
        return
    import getpass
    import os

    password = os.environ.get("FRONTDESK_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise ValidationError(
                "Give the password in FRONTDESK_PASSWORD, or run the command in a terminal."
            )
        password = getpass.getpass(f"Password for {args.user}: ")
    services.actor = services.users.sign_in(args.user, password)


def run(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from frontdesk.app import run as run_gui

        return run_gui(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        from frontdesk.config import database_url
        from frontdesk.services.hub import Services

        services = Services.open(database_url(args.db))
        try:
            _sign_in(args, services)
            return int(args.handler(args, services) or 0)
        finally:
            services.db.dispose()
    except FrontdeskError as error:
        print(f"frontdesk: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("frontdesk: interrupted", file=sys.stderr)
        return 1
    except Exception as error:  # the last resort: a short line, never a traceback
        logging.getLogger("frontdesk").debug("command failed", exc_info=True)
        print(f"frontdesk: unexpected error: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
