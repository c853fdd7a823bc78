"""``frontdesk`` and ``python -m frontdesk``: the command line, or the GUI with no command."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from frontdesk.cli.main import run

    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    raise SystemExit(main())
