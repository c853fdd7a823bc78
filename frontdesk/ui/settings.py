"""Settings of this workstation (window geometry, last view): a file beside the database."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from frontdesk.config import data_dir


def workstation_settings() -> QSettings:
    return QSettings(str(data_dir() / "workstation.ini"), QSettings.Format.IniFormat)
