"""What every command shares: opening the services, printing JSON or text, failing cleanly."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from frontdesk.services.hub import Services

Handler = Callable[[argparse.Namespace, Services], int]


def to_jsonable(value: Any) -> Any:
    """Records, dates and enums as plain JSON values (times in ISO 8601 with offset)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {k: to_jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, tuple) and hasattr(value, "_asdict"):  # a named tuple record
        return {k: to_jsonable(v) for k, v in value._asdict().items()}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def print_json(value: Any) -> None:
    json.dump(to_jsonable(value), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def read_password(env_var: str | None, prompt: str, *, confirm: bool = False) -> str:
    """A password from the named environment variable, or typed at a hidden prompt.
    Never from the command line itself, where other users could read it."""
    import getpass
    import os

    from frontdesk.domain.errors import ValidationError

    if env_var:
        value = os.environ.get(env_var)
        if not value:
            raise ValidationError(f"The environment variable {env_var} is not set.")
        return value
    if not sys.stdin.isatty():
        raise ValidationError(
            "No password given: set it in an environment variable and name it with "
            "the --...-env option, or run the command in a terminal."
        )
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again: ") != first:
        raise ValidationError("The two passwords differ.")
    return first
