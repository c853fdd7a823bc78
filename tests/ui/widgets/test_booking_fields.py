"""The safety notes every booking form shows, with their acknowledgement tick."""

from __future__ import annotations

import pytest

from frontdesk.services.patients import PatientInput
from frontdesk.ui.widgets.booking_fields import SafetyNotes

pytestmark = pytest.mark.sqlite_only


def _patient(clinic, name: str, safety: dict | None):
    record = clinic.patients.create(PatientInput(legal_name=name, date_of_birth=None))
    if safety is not None:
        clinic.intakes.save(record.id, {"schema": 1, "safety": safety})
    return record


def test_a_tick_given_for_one_patients_warnings_does_not_carry_to_another(qtbot, clinic):
    acupuncture = clinic.clinic.service_by_code("ACU").kinds
    pregnant = _patient(clinic, "Ada Pregnant", {"pregnant": True})
    bleeding = _patient(clinic, "Ben Warfarin", {"anticoagulant": True})
    notes = SafetyNotes(clinic, "I have read these warnings", "Tick when read")
    qtbot.addWidget(notes.label)
    qtbot.addWidget(notes.tick)

    notes.show_for(pregnant.id, acupuncture)
    assert not notes.tick.isHidden() and notes.needs_tick and not notes.acknowledged
    notes.tick.setChecked(True)
    assert notes.acknowledged

    notes.show_for(pregnant.id, acupuncture)  # the same warnings again: the tick stands
    assert notes.acknowledged

    notes.show_for(bleeding.id, acupuncture)  # other warnings: to be read afresh
    assert notes.needs_tick and not notes.acknowledged

    notes.show_for(None, acupuncture)
    assert notes.label.isHidden() and notes.tick.isHidden() and not notes.acknowledged


def test_a_patient_without_an_intake_gets_a_reminder_and_no_tick(qtbot, clinic):
    newcomer = _patient(clinic, "Cai Newcomer", None)
    notes = SafetyNotes(clinic, "I have read these warnings", "Tick when read")
    qtbot.addWidget(notes.label)
    notes.show_for(newcomer.id, clinic.clinic.service_by_code("ACU").kinds)
    assert "No safety screen on file" in notes.label.text()
    assert notes.tick.isHidden() and not notes.needs_tick
