"""Where Frontdesk keeps its files and which database it opens.

Every path comes from here so tests can point the whole program at a temporary folder
(``FRONTDESK_HOME``) and a clinic can point it at a shared server (``FRONTDESK_DB_URL``).
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "Frontdesk"
ENV_HOME = "FRONTDESK_HOME"
ENV_DB_URL = "FRONTDESK_DB_URL"
DATABASE_FILE = "clinic.sqlite3"
SERVER_SETTINGS_FILE = "clinic-server.json"


def data_dir(*, create: bool = True) -> Path:
    """The folder for the clinic database, backups and logs (created owner-only, unless
    ``create`` is false: only its path)."""
    override = os.environ.get(ENV_HOME)
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir(APP_NAME, APP_NAME))
    if create:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(exist_ok=True, mode=0o700)
    return path


def backup_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(exist_ok=True, mode=0o700)
    return path


def database_url(explicit: str | None = None) -> str:
    """The database to open: ``--db`` first, then ``FRONTDESK_DB_URL``, then the clinic
    server this workstation was connected to (Data > Connect to clinic server), then the
    local file."""
    if explicit:
        return explicit
    from_env = os.environ.get(ENV_DB_URL)
    if from_env:
        return from_env
    if (data_dir() / SERVER_SETTINGS_FILE).exists():
        from frontdesk.services.transfer import configured_database_url

        server = configured_database_url()
        if server:
            return server
    return f"sqlite:///{data_dir() / DATABASE_FILE}"
