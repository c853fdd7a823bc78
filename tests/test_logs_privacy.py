"""Logs never contain patient names, dates of birth or notes: a workflow with errors and
a crash report is run with the program's own logging, and the log files are scanned."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from frontdesk import config
from frontdesk.db.models import Patient
from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.demo import DemoOptions
from frontdesk.services.hub import Services

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def app_logging():
    """The window's own log file (frontdesk.app), removed again after the test."""
    from frontdesk.app import _configure_logging

    root = logging.getLogger()
    before = list(root.handlers)
    _configure_logging()
    yield config.log_dir()
    for handler in root.handlers[:]:
        if handler not in before:
            handler.close()
            root.removeHandler(handler)


def test_a_working_day_with_errors_leaves_no_patient_data_in_the_logs(
    qtbot, sqlite_url, app_logging, monkeypatch
):
    services = Services.open(sqlite_url)
    services.demo.build(DemoOptions(patients=60, weeks=2, today=datetime.now(UTC).date()))
    with services.db.read() as s:
        patients = list(s.scalars(select(Patient)))
    secrets = (
        {p.legal_name for p in patients}
        | {p.other_script_name for p in patients if p.other_script_name}
        | {p.date_of_birth.isoformat() for p in patients if p.date_of_birth}
    )

    # refusals the desk sees, wrong sign-ins, a failing statement and a crash report
    with pytest.raises(FrontdeskError):
        services.users.sign_in("admin", "not the password")
    target = patients[0]
    try:
        with services.db.write() as s:
            s.execute(
                text("INSERT INTO patients (legal_name, chart_number) VALUES (:n, :c)"),
                {"n": target.legal_name, "c": target.chart_number},
            )
    except DBAPIError as error:
        assert target.legal_name not in str(error)
        from frontdesk.ui import errors

        monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
        errors.show_crash(None, type(error), error, error.__traceback__)
    logging.getLogger("frontdesk").info("end of the day")

    for handler in logging.getLogger().handlers:
        handler.flush()
    logs = "".join(p.read_text(encoding="utf-8") for p in app_logging.glob("*.log*"))
    assert "unexpected error" in logs  # the crash was logged ...
    leaked = sorted(s for s in secrets if s and s in logs)
    assert leaked == []  # ... without any patient's name or birth date
    services.db.dispose()


def test_the_clinic_file_and_the_log_are_readable_by_the_owner_only(sqlite_url, app_logging):
    from pathlib import Path

    services = Services.open(sqlite_url)
    services.clinic.is_set_up()
    logging.getLogger("frontdesk").info("started")
    database = Path(services.db.engine.url.database or "")
    for path in (database, app_logging / "frontdesk.log"):
        assert path.stat().st_mode & 0o077 == 0, path
    assert config.data_dir().stat().st_mode & 0o077 == 0
    services.db.dispose()
