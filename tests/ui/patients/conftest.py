"""Patients UI fixtures: a few patients whose names need accent folding, Chinese characters
and pinyin, and the page itself."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput


@pytest.fixture
def people(clinic: Services) -> dict[str, int]:
    made = {
        "zoe": PatientInput(
            legal_name="Zoë Martin", date_of_birth="1956-03-14", phone="07700 900123"
        ),
        "lukasz": PatientInput(legal_name="Łukasz Nowicki", phone="+44 7700 900456"),
        "wang": PatientInput(
            legal_name="Wang Xiaoming", other_script_name="王小明", date_of_birth="1949-10-01"
        ),
        "anna": PatientInput(legal_name="Anna Kowalska", date_of_birth="1962-07-30"),
    }
    return {key: clinic.patients.create(data).id for key, data in made.items()}


def commit_text(widget: QWidget, text: str) -> None:
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def type_text():
    """``type_text(widget, text)``: input-method typing, for text with accents or 中文."""
    return commit_text
