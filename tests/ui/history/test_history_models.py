"""Models of the history and visit screens, checked by Qt's model tester."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from frontdesk.services.history import TimelineEvent, TimelineKind
from frontdesk.services.visits import VisitInput
from frontdesk.ui.models.points import ChosenPointsModel, PointSearchModel
from frontdesk.ui.models.timeline import TimelineModel
from frontdesk.ui.models.visits import PatientVisitsModel, join_visits

pytestmark = pytest.mark.sqlite_only


def test_timeline_model(qapp, qtmodeltester):
    model = TimelineModel()
    when = datetime(2026, 3, 3, 10, tzinfo=UTC)
    model.set_events(
        [
            TimelineEvent(when, TimelineKind.VISIT, "Visit: Acupuncture", "Pain 6 → 3", 4),
            TimelineEvent(when, TimelineKind.INTAKE, "Intake version 1", "No flags", 1),
        ]
    )
    qtmodeltester.check(model)
    assert model.data(model.index(0, TimelineModel.KIND)) == "Visit"
    assert model.data(model.index(0, TimelineModel.KIND), Qt.ItemDataRole.DecorationRole)
    assert model.data(model.index(1, TimelineModel.DETAIL)) == "No flags"


def test_point_models(qapp, qtmodeltester):
    search = PointSearchModel()
    qtmodeltester.check(search)
    assert search.point_at(0).favourite  # nothing typed: favourites first
    search.search("LV3")
    assert search.point_at(0).code == "LR3"
    search.search("bafeng")
    assert search.point_at(0).code == "EX-LE10"
    qtmodeltester.check(search)
    chosen = ChosenPointsModel()
    chosen.set_codes(["st 36", "LI-4", "nonsense"])
    assert chosen.codes() == ["ST36", "LI4"]
    chosen.set_pregnancy_warning(True)
    qtmodeltester.check(chosen)
    assert chosen.data(chosen.index(1, ChosenPointsModel.NOTE)).endswith("avoid in pregnancy")
    assert chosen.data(chosen.index(1, 0), Qt.ItemDataRole.ForegroundRole) is not None
    chosen.remove_rows([0])
    assert chosen.codes() == ["LI4"]


def test_visits_model(qtmodeltester, desk, make_patient, arrived):
    pid = make_patient({"schema": 1})
    first = arrived(pid, hour=10)
    arrived(pid, hour=14)
    desk.visits.record(first, VisitInput(pain_before=6, pain_after=3))
    rows = join_visits(desk.appointments.for_patient(pid), desk.visits.for_patient(pid))
    model = PatientVisitsModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.data(model.index(0, PatientVisitsModel.RECORD)) == "not yet recorded"
    assert model.data(model.index(1, PatientVisitsModel.RECORD)) == "recorded"
    assert model.data(model.index(1, PatientVisitsModel.PAIN)) == "6 → 3"
