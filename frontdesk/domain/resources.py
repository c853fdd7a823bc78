"""Where the program's data files (point tables, handout texts, icons) live.

A source checkout or an editable install keeps them in the top-level ``resources/`` folder
next to the ``frontdesk`` package; an installed copy keeps them under
``<sys.prefix>/share/frontdesk/resources``. ``FRONTDESK_RESOURCES`` overrides both, for
packaged builds that put them elsewhere.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

log = logging.getLogger(__name__)

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def resources_root() -> Path:
    """The folder that holds the resources (it may not exist in a broken install)."""
    override = os.environ.get("FRONTDESK_RESOURCES")
    if override:
        return Path(override)
    checkout = _PACKAGE_DIR.parent
    # only trust a sibling "resources" folder in a source tree: in site-packages a folder of
    # that name could belong to another distribution
    if (checkout / "pyproject.toml").is_file() and (checkout / "resources").is_dir():
        return checkout / "resources"
    bundled = _PACKAGE_DIR / "resources"
    if bundled.is_dir():
        return bundled
    return Path(sys.prefix) / "share" / "frontdesk" / "resources"


def resource_path(*parts: str) -> Path:
    """The path of a resource file, e.g. ``resource_path("points", "who_points.csv")``."""
    return resources_root().joinpath(*parts)


def read_editable_text(path: Path, what: str) -> str | None:
    """The text of a file the clinic may edit, or None when it is missing or unreadable
    (then the caller uses its built-in text; an unreadable file is logged as ``what``)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("%s %s unreadable, using the built-in text: %s", what, path, exc)
        return None
