"""The demo clinic's clinical content: a patient for every safety-screen answer and red flag
booked today or this week, intakes with second versions, visits whose pain eases over the
course, within the caps, the same for the same seed."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from frontdesk.db.models import Appointment, Intake, SafetyOverride, Visit
from frontdesk.domain import safety
from frontdesk.domain.intake import SAFETY_QUESTIONS, IntakeData
from frontdesk.domain.points import load_points
from frontdesk.services import demo_clinical
from frontdesk.services.demo import DemoOptions
from frontdesk.services.hub import Services
from frontdesk.services.visits import VisitInput

TODAY = date(2026, 3, 4)  # a Wednesday
NOON = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
OPTIONS = {"patients": 150, "weeks": 4, "seed": 11, "today": TODAY}


@pytest.fixture
def demo(services: Services, clock: Any) -> Services:
    clock.now = NOON
    summary = services.demo.build(DemoOptions(**OPTIONS))
    assert summary.extra["intakes"] > 0 and summary.extra["visits"] > 0
    return services


def latest_intakes(services: Services) -> dict[int, IntakeData]:
    with services.db.read() as s:
        rows = s.scalars(select(Intake).order_by(Intake.patient_id, Intake.version_no))
        return {row.patient_id: IntakeData.from_dict(row.data) for row in rows}


def test_every_safety_answer_and_red_flag_has_a_patient_booked_this_week(
    demo: Services,
) -> None:
    latest = latest_intakes(demo)
    holders: dict[str, set[int]] = defaultdict(set)
    for pid, intake in latest.items():
        assessment = safety.assess(intake)
        for flag in assessment.flags:
            if getattr(intake.safety, flag.code):  # answered on the screen itself
                holders[flag.code].add(pid)
        for red in assessment.red_flags:
            holders[red.code].add(pid)
    wanted = set(SAFETY_QUESTIONS) | {red.code for red in safety.RED_FLAGS}
    assert wanted <= set(holders)

    london = ZoneInfo("Europe/London")
    week = demo.appointments.between(
        datetime.combine(TODAY, datetime.min.time(), london),
        datetime.combine(TODAY + timedelta(days=7), datetime.min.time(), london),
    )
    booked = {a.patient_id for a in week}
    for code in wanted:
        assert holders[code] & booked, f"no patient with {code} is booked this week"
    badges = {badge for a in week for badge in a.flags}
    assert {"PM", "BLEED", "AC", "PREG", "EPI", "NUMB", "SKIN", "DVT", "CA", "LYMPH"} <= badges
    assert {"PHOB", "FAINT", "FAST", "REFER"} <= badges


def test_the_pregnant_patient_is_a_woman_of_child_bearing_age(demo: Services) -> None:
    for pid, intake in latest_intakes(demo).items():
        if intake.safety.pregnant:
            patient = demo.patients.get(pid)
            assert patient.sex.value == "female"
            assert patient.date_of_birth is not None
            assert (TODAY - patient.date_of_birth).days < 45 * 365


def test_intakes_read_back_and_some_patients_have_a_second_version(demo: Services) -> None:
    with demo.db.read() as s:
        rows = list(s.scalars(select(Intake)))
    assert {row.version_no for row in rows} == {1, 2}
    for row in rows:
        intake = IntakeData.from_dict(row.data)
        assert row.mnsi_score == intake.mnsi_result.score
        assert row.pain_now == intake.pain.now
        assert row.created_at <= NOON
        assert row.flags_summary == safety.assess(intake).summary_line()
    # a later version scores lower: the course is helping
    by_patient: dict[int, list[Intake]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r.version_no):
        by_patient[row.patient_id].append(row)
    seconds = [versions for versions in by_patient.values() if len(versions) == 2]
    assert seconds
    for first, second in seconds:
        assert second.created_at > first.created_at
        assert (second.mnsi_score or 0) < (first.mnsi_score or 0)


def test_visits_belong_to_completed_appointments_and_pain_eases(demo: Services) -> None:
    with demo.db.read() as s:
        pairs = s.execute(
            select(Visit, Appointment.status, Appointment.starts_at).join(
                Appointment, Appointment.id == Visit.appointment_id
            )
        ).all()
        overrides = s.scalars(select(SafetyOverride)).all()
    assert pairs
    series: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    favourite_codes = {p.code for p in load_points().favourites}
    for visit, status, starts_at in pairs:
        assert status == "completed"
        data = VisitInput.from_dict(visit.data)
        assert set(data.points) <= favourite_codes
        assert data.pain_before == visit.pain_before and data.pain_after == visit.pain_after
        assert visit.pain_after is not None and visit.pain_before is not None
        assert visit.pain_after <= visit.pain_before
        series[visit.patient_id].append((starts_at, visit.pain_before))
    long_courses = [sorted(points) for points in series.values() if len(points) >= 5]
    assert long_courses
    first = sum(points[0][1] for points in long_courses) / len(long_courses)
    last = sum(points[-1][1] for points in long_courses) / len(long_courses)
    assert last < first
    for override in overrides:
        assert override.visit_id is not None


def test_the_history_of_a_demo_patient_tells_the_story(demo: Services) -> None:
    with demo.db.read() as s:
        pid = s.scalars(select(Intake.patient_id).where(Intake.version_no == 2)).first()
    assert pid is not None
    assert len(demo.history.mnsi_trend(pid)) == 2
    assert demo.intakes.compare(*[v.id for v in reversed(demo.intakes.versions(pid))])
    assert demo.history.pain_trend(pid)


def test_the_caps_hold(services: Services, clock: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    clock.now = NOON
    monkeypatch.setattr(demo_clinical, "MAX_INTAKES", 40)
    monkeypatch.setattr(demo_clinical, "MAX_VISITS", 25)
    summary = services.demo.build(DemoOptions(**OPTIONS))
    assert summary.extra["intakes"] <= 40
    assert summary.extra["visits"] <= 25
    assert summary.extra["safety_showcase"] == 16


@pytest.mark.sqlite_only
def test_the_same_seed_gives_the_same_content(demo: Services, clock: Any, tmp_path: Path) -> None:
    other = Services.open(f"sqlite:///{tmp_path / 'again.sqlite3'}", clock=clock)
    try:
        other.demo.build(DemoOptions(**OPTIONS))

        def content(services: Services) -> list[Any]:
            with services.db.read() as s:
                intakes = [
                    (r.patient_id, r.version_no, r.data)
                    for r in s.scalars(select(Intake).order_by(Intake.id))
                ]
                visits = [
                    (r.appointment_id, r.data) for r in s.scalars(select(Visit).order_by(Visit.id))
                ]
            return [intakes, visits]

        assert content(other) == content(demo)
    finally:
        other.db.dispose()


def test_a_demo_without_extras_has_no_clinical_records(services: Services, clock: Any) -> None:
    clock.now = NOON
    summary = services.demo.build(DemoOptions(**OPTIONS, extras=[]))
    assert summary.extra == {}
    with services.db.read() as s:
        assert s.scalars(select(Intake)).first() is None
