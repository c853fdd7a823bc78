"""History and visit UI fixtures: a clinic on a stopped clock, patients with intakes, and
appointments the patient has arrived for."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from frontdesk.services.appointments import BookingRequest
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput

#: a Tuesday; London is on UTC in March
TUESDAY_8AM = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)


@pytest.fixture
def desk(clinic: Services, clock: Any) -> Services:
    clock.now = TUESDAY_8AM
    return clinic


@pytest.fixture
def make_patient(desk: Services) -> Callable[..., int]:
    def make(intake: dict[str, Any] | None = None, name: str = "Zoë Müller") -> int:
        pid = desk.patients.create(PatientInput(legal_name=name)).id
        if intake is not None:
            desk.intakes.save(pid, intake)
        return pid

    return make


@pytest.fixture
def arrived(desk: Services) -> Callable[..., int]:
    """``arrived(patient_id, hour=10, code="ACU", day=3)``: a booked appointment, checked in."""

    def make(patient_id: int, hour: int = 10, code: str = "ACU", day: int = 3) -> int:
        record = desk.appointments.book(
            BookingRequest(
                patient_id=patient_id,
                service_id=desk.clinic.service_by_code(code).id,
                practitioner_id=1,
                room_id=1,
                starts_at=datetime(2026, 3, day, hour, 0, tzinfo=UTC),
                acknowledged_warnings=True,
                override_reason="Checked with the patient's cardiologist",
            )
        )
        desk.appointments.check_in(record.id)
        return record.id

    return make


def commit_text(widget: QWidget, text: str) -> None:
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def type_text():
    """``type_text(widget, text)``: input-method typing, for text with accents or 中文."""
    return commit_text


@pytest.fixture(autouse=True)
def errors_are_not_modal(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """Errors the screens would show in a message box are collected instead (a modal box
    would wait for a click that never comes); a test can assert on them."""
    shown: list[BaseException] = []

    def collect(parent: object, error: BaseException, title: str = "") -> None:
        shown.append(error)

    for module in (
        "frontdesk.ui.dialogs.visit_dialog",
        "frontdesk.ui.history.history_view",
        "frontdesk.ui.history.intake_compare",
        "frontdesk.ui.history.history_page",
    ):
        monkeypatch.setattr(f"{module}.show_error", collect)
    return shown
