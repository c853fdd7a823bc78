"""The health history: timeline, trend charts (their data, not their pixels), first and
latest body maps, what changed between intake versions, and the History page following the
patient opened on the Patients page."""

from __future__ import annotations

import pytest

from frontdesk.domain.body_map import Sensation
from frontdesk.services.history import TimelineKind
from frontdesk.services.visits import VisitInput
from frontdesk.ui.history.history_view import HistoryView
from frontdesk.ui.main_window import MainWindow

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def story(desk, clock, make_patient, arrived):
    """A patient with two intakes and two visits with pain before and after."""
    pid = make_patient(
        {
            "schema": 1,
            "mnsi": {str(n): True for n in range(1, 16)},
            "body_map": {"left.toes": ["numbness"], "right.toes": ["numbness"]},
        },
        name="Wang Xiaoming",
    )
    desk.visits.record(
        arrived(pid, hour=10), VisitInput(pain_before=7, pain_after=4), acknowledged=True
    )
    clock.advance(days=2)
    desk.intakes.save(
        pid,
        {
            "schema": 1,
            "mnsi": {"1": True, "2": True},
            "body_map": {"left.toes": ["tingling"]},
        },
    )
    desk.visits.record(
        arrived(pid, hour=11, day=5), VisitInput(pain_before=5, pain_after=2), acknowledged=True
    )
    return pid


def test_timeline_trends_body_maps_and_changes(qtbot, desk, story):
    view = HistoryView(desk)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show_patient(story)
    kinds = [e.kind for e in view.timeline_model.events]
    assert kinds.count(TimelineKind.INTAKE) == 2 and kinds.count(TimelineKind.VISIT) == 2

    pain = view.trends.pain_chart
    assert pain.point_count == 4
    before, after = pain.series
    assert [p.value for p in before.points] == [7, 5]
    assert [p.value for p in after.points] == [4, 2]
    assert "latest went from 5 to 2" in pain.accessibleDescription()
    mnsi = view.trends.mnsi_chart
    assert [p.value for p in mnsi.series[0].points] == [11, 2]  # all yes scores 11 of 13
    assert mnsi.threshold == 7

    maps = view.body_maps
    assert maps.first_map.read_only and maps.latest_map.read_only
    assert maps.first_map.body_map().sensations_at("right.toes") == {Sensation.NUMBNESS}
    assert maps.latest_map.body_map().sensations_at("left.toes") == {Sensation.TINGLING}
    assert "Right toes: no longer numbness" in maps.changes_label.text()

    changes = view.intake_compare.changes.model
    lines = [changes.change_at(row) for row in range(changes.rowCount())]
    assert any(c.path.startswith("mnsi") for c in lines)
    assert any(c.path == "body_map" for c in lines)


def test_a_patient_without_records_says_so(qtbot, desk, make_patient):
    view = HistoryView(desk)
    qtbot.addWidget(view)
    view.show_patient(make_patient(None, name="Ann Lee"))
    assert view.trends.pain_chart.point_count == 0
    assert "No pain scores" in view.trends.pain_chart.accessibleDescription()
    assert "Two intake versions are needed" in view.intake_compare.changes.heading.text()
    assert "No intake has marked" in view.body_maps.changes_label.text()


def test_the_history_page_follows_the_patient_opened(qtbot, desk, story):
    window = MainWindow(desk)
    qtbot.addWidget(window)
    window.show()
    patients = window.show_page("patients")
    assert patients.open_patient(story)
    history = window.show_page("history")
    assert history.patient_label.text().startswith("Wang Xiaoming")
    assert history.view.trends.pain_chart.point_count == 4
