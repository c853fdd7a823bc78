"""Settings of this workstation (window geometry, last view): a file beside the database.

One settings object per file, shared by every screen: reading the file again for each
change would put disk reads and writes between a click (switching to the week view, say)
and the screen answering. Qt writes the changes out shortly after, from the event loop,
and :func:`save_workstation_settings` writes them at once (the program calls it as it
quits).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from frontdesk.config import data_dir

_open: dict[str, QSettings] = {}


def workstation_settings() -> QSettings:
    # the folder is made once, with the settings object, not on every change
    path = str(data_dir(create=False) / "workstation.ini")
    settings = _open.get(path)
    if settings is None:
        settings = QSettings(str(data_dir() / "workstation.ini"), QSettings.Format.IniFormat)
        _open[path] = settings
    return settings


def save_workstation_settings() -> None:
    """Write every change made so far to its file."""
    for settings in _open.values():
        settings.sync()
