"""Start the Frontdesk window (``python main.py [--db URL]``)."""

from frontdesk.app import run

raise SystemExit(run())
