"""Starting the program: the window is on screen before the clinic database is open, and
fills in once the database is open and someone has signed in."""

from __future__ import annotations

import subprocess
import sys

import pytest

from frontdesk.domain.enums import Role
from frontdesk.ui import startup as startup_module
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.startup import Startup

pytestmark = pytest.mark.sqlite_only
PASSWORD = "long enough pw"


@pytest.fixture
def staffed_url(clinic, db_url):
    clinic.users.create_first_administrator("admin", "Ada Admin", PASSWORD)
    clinic.users.add("rita", "Rita Desk", Role.RECEPTIONIST, PASSWORD)
    return db_url


def test_the_window_frame_needs_no_database_layer():
    """The frame a user sees first is built without loading the database layer, which
    is what makes it appear at once."""
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from frontdesk.ui.main_window import MainWindow\n"
        "window = MainWindow()\n"
        "window.show()\n"
        "print('sqlalchemy' in sys.modules, window.navigation.count(), "
        "window.navigation.isEnabled())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == ["False", "3", "False"]


def test_the_window_opens_the_clinic_and_signs_in(qtbot, staffed_url, monkeypatch):
    monkeypatch.setenv("FRONTDESK_USER", "rita")
    monkeypatch.setenv("FRONTDESK_PASSWORD", PASSWORD)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert "Opening" in window.status_clinic.text()
    assert not window.navigation.isEnabled()
    startup = Startup(window, staffed_url)
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        startup.begin()
    assert window.windowTitle() == "Riverside Acupuncture - Frontdesk"
    assert window.navigation.isEnabled()
    assert window.current_page() == "calendar"
    assert "rita" in window.status_user.text()
    assert window.services.actor.role is Role.RECEPTIONIST


def test_a_database_that_cannot_be_opened_is_reported_and_the_program_stops(
    qtbot, tmp_path, monkeypatch
):
    shown: list[str] = []
    monkeypatch.setattr(
        startup_module.QMessageBox, "critical", lambda _parent, title, _text: shown.append(title)
    )
    window = MainWindow()
    qtbot.addWidget(window)
    damaged = tmp_path / "clinic.sqlite3"
    damaged.write_bytes(b"this is not a database file " * 100)
    startup = Startup(window, f"sqlite:///{damaged}")
    with qtbot.waitSignal(startup.stopped, timeout=30_000) as stopped:
        startup.begin()
    assert stopped.args == [1]
    assert shown == ["Cannot open the clinic database"]


def test_cancelling_the_sign_in_stops_the_program(qtbot, staffed_url, monkeypatch):
    monkeypatch.delenv("FRONTDESK_USER", raising=False)
    from frontdesk.ui.dialogs import sign_in_dialog

    monkeypatch.setattr(sign_in_dialog.SignInDialog, "ask", classmethod(lambda *a, **k: None))
    window = MainWindow()
    qtbot.addWidget(window)
    startup = Startup(window, staffed_url)
    with qtbot.waitSignal(startup.stopped, timeout=30_000) as stopped:
        startup.begin()
    assert stopped.args == [0]
    assert not window.navigation.isEnabled()
    assert "Sign in" in window.opening_page.body.text()


def test_an_older_clinic_database_is_updated_and_the_window_says_so(qtbot, tmp_path, monkeypatch):
    from frontdesk.db import migrate
    from frontdesk.db.engine import Database
    from frontdesk.ui.dialogs import first_run

    url = f"sqlite:///{tmp_path / 'older.sqlite3'}"
    older = Database(url)
    migrate.upgrade(older, "0001", backup=False)
    older.dispose()
    # an empty clinic: the set-up dialog comes next, and is cancelled here
    monkeypatch.setattr(first_run.FirstRunDialog, "ask", classmethod(lambda *_a, **_k: None))
    window = MainWindow()
    qtbot.addWidget(window)
    titles: list[str] = []
    shown = window.show_opening_message
    monkeypatch.setattr(
        window,
        "show_opening_message",
        lambda title, text: (titles.append(title), shown(title, text)),
    )
    startup = Startup(window, url)
    with qtbot.waitSignal(startup.stopped, timeout=30_000) as stopped:
        startup.begin()
    assert stopped.args == [0]
    assert titles == ["Updating the clinic database", "A new clinic"]
    updated = Database(url)
    try:
        assert migrate.current_revision(updated) == migrate.HEAD_REVISION
    finally:
        updated.dispose()


def test_a_new_clinic_is_not_called_an_update(qtbot, tmp_path, monkeypatch):
    from frontdesk.ui.dialogs import first_run

    seen: list[str] = []

    def cancel(*_args, **_kwargs):
        seen.append(window.opening_page.heading.text())

    monkeypatch.setattr(first_run.FirstRunDialog, "ask", classmethod(cancel))
    window = MainWindow()
    qtbot.addWidget(window)
    startup = Startup(window, f"sqlite:///{tmp_path / 'new.sqlite3'}")
    with qtbot.waitSignal(startup.stopped, timeout=30_000):
        startup.begin()
    assert len(seen) == 1 and "A new clinic" in seen[0]
    assert "Updating" not in window.status_clinic.text()
