"""Intake UI fixtures: a patient to fill in an intake for, and typing helpers (non-ASCII text
goes in as an input-method commit, because key clicks cannot carry it)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput


def commit_text(widget: QWidget, text: str) -> None:
    """Type ``text`` into a text input as an input method would (any script)."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def patient_id(clinic: Services) -> int:
    return clinic.patients.create(
        PatientInput(legal_name="Zoë Müller", date_of_birth="1956-03-14", phone="07700 900123")
    ).id


@pytest.fixture
def type_text():
    """``type_text(widget, text)``: input-method typing, for text with accents or 中文."""
    return commit_text
