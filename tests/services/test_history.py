"""The health history on SQLite and PostgreSQL: the timeline of intakes, visits, bookings,
cancellations, no-shows, overrides and merges (newest first), pain and MNSI trends, first and
latest body maps, and the overview that ``patients show`` prints."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from frontdesk.db.models import AuditEntry
from frontdesk.domain.body_map import BodyMap
from frontdesk.domain.enums import AppointmentStatus, Role, ServiceKind
from frontdesk.domain.errors import PermissionDenied
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.context import Actor
from frontdesk.services.history import TimelineKind
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput
from frontdesk.services.visits import VisitInput

MONDAY_8AM = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ACU = ServiceKind.ACUPUNCTURE


def intake(pain: int, mnsi_yes: int, areas: dict[str, list[str]], **safety: bool) -> dict[str, Any]:
    """An intake whose MNSI score is ``mnsi_yes`` (items 1, 2, 3... answered yes)."""
    scored = [1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15]
    answers = {str(n): n in scored[:mnsi_yes] for n in scored}
    answers.update({"7": True, "13": True, "4": False, "10": False})
    return {
        "schema": 1,
        "pain": {"now": pain, "worst": pain + 1, "average": pain},
        "mnsi": answers,
        "body_map": areas,
        "safety": safety,
    }


@pytest.fixture
def desk(clinic: Services, clock: Any) -> Services:
    clock.now = MONDAY_8AM
    return clinic


def book(services: Services, pid: int, day: int, hour: int = 10, code: str = "ACU") -> int:
    return services.appointments.book(
        BookingRequest(
            patient_id=pid,
            service_id=services.clinic.service_by_code(code).id,
            practitioner_id=1,
            room_id=1,
            starts_at=datetime(2026, 3, day, hour, 0, tzinfo=UTC),
            acknowledged_warnings=True,
        )
    ).id


def visit(services: Services, appointment: int, before: int, after: int, **kwargs: Any) -> None:
    services.appointments.check_in(appointment)
    services.visits.record(
        appointment,
        VisitInput(services=(ACU,), points=("ST36",), pain_before=before, pain_after=after),
        acknowledged=True,
        **kwargs,
    )


@pytest.fixture
def story(desk: Services, clock: Any) -> tuple[Services, int]:
    """A patient with two intakes, three visits, a cancellation, a no-show, a future
    booking, an override and a merged duplicate."""
    pid = desk.patients.create(PatientInput(legal_name="Wang Xiaoming")).id
    desk.intakes.save(pid, intake(7, 8, {"left.toes": ["numbness", "burning"]}))
    first, second, third = book(desk, pid, 2), book(desk, pid, 4), book(desk, pid, 6)
    missed, cancelled, ahead = book(desk, pid, 3), book(desk, pid, 5), book(desk, pid, 20)
    clock.now = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
    visit(desk, first, 7, 5)
    clock.now = datetime(2026, 3, 3, 11, 0, tzinfo=UTC)
    desk.appointments.set_status(missed, AppointmentStatus.NO_SHOW)
    clock.now = datetime(2026, 3, 4, 11, 0, tzinfo=UTC)
    visit(desk, second, 6, 4)
    desk.appointments.cancel(cancelled, "Car broke down")
    clock.now = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
    desk.intakes.save(
        pid,
        intake(5, 5, {"left.toes": ["numbness"], "right.fingers": ["tingling"]}, pregnant=False),
    )
    desk.intakes.save(pid, intake(5, 5, {}, implanted_device=True))  # a device fitted since
    clock.now = datetime(2026, 3, 6, 11, 0, tzinfo=UTC)
    desk.appointments.check_in(third)
    desk.visits.record(
        third,
        VisitInput(services=(ServiceKind.ELECTRO_ACUPUNCTURE,), pain_before=5, pain_after=2),
        override_reason="Device checked by the cardiology clinic; legs only",
    )
    duplicate = desk.patients.create(PatientInput(legal_name="Xiaoming Wang")).id
    desk.patients.merge(pid, duplicate)
    clock.now = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
    assert ahead
    return desk, pid


def test_the_timeline_holds_every_kind_of_event_newest_first(story: tuple[Services, int]) -> None:
    desk, pid = story
    events = desk.history.timeline(pid)
    kinds = [e.kind for e in events]
    assert set(kinds) == set(TimelineKind)
    assert [e.when for e in events] == sorted((e.when for e in events), reverse=True)
    assert events[0].kind is TimelineKind.BOOKING  # the appointment still ahead leads
    assert kinds.count(TimelineKind.VISIT) == 3
    assert kinds.count(TimelineKind.INTAKE) == 3
    assert kinds.count(TimelineKind.BOOKING) == 1  # a visited appointment shows as the visit
    cancelled = next(e for e in events if e.kind is TimelineKind.CANCELLATION)
    assert "Car broke down" in cancelled.detail
    first_visit = [e for e in events if e.kind is TimelineKind.VISIT][-1]
    assert "ST36" in first_visit.detail and "Pain 7 → 5" in first_visit.detail
    override = next(e for e in events if e.kind is TimelineKind.OVERRIDE)
    assert "cardiology" in override.detail
    merge = next(e for e in events if e.kind is TimelineKind.MERGE)
    assert "merged into this one" in merge.detail


def test_pain_and_mnsi_trends(story: tuple[Services, int]) -> None:
    desk, pid = story
    pain = desk.history.pain_trend(pid)
    assert [(p.before, p.after) for p in pain] == [(7, 5), (6, 4), (5, 2)]
    when, before, after = pain[0]
    assert (when, before, after) == (datetime(2026, 3, 2, 10, 0, tzinfo=UTC), 7, 5)
    assert [m.score for m in desk.history.mnsi_trend(pid)] == [8, 5, 5]


def test_first_and_latest_body_maps(story: tuple[Services, int]) -> None:
    desk, pid = story
    maps = desk.history.body_maps(pid)
    assert maps.first == BodyMap({"left.toes": ["numbness", "burning"]})
    # the newest version marks nothing, so the latest map is the one before it
    assert maps.latest == BodyMap({"left.toes": ["numbness"], "right.fingers": ["tingling"]})
    assert maps.first_at is not None and maps.latest_at is not None
    assert maps.first_at < maps.latest_at


def test_a_patient_without_records_has_an_empty_history(desk: Services) -> None:
    pid = desk.patients.create(PatientInput(legal_name="Ana Silva")).id
    assert desk.history.timeline(pid) == []
    assert desk.history.pain_trend(pid) == []
    assert desk.history.body_maps(pid).first is None
    overview = desk.history.overview(pid)
    assert overview["has_intake"] is False
    assert overview["flags"] == "No safety screen yet"
    assert overview["mnsi_score"] is None and overview["visits"] == 0


def test_the_overview_gives_flags_scores_and_the_next_appointment(
    story: tuple[Services, int],
) -> None:
    desk, pid = story
    overview = desk.patient_overview(desk.patients.get(pid))
    # MNSI question 1 ("numb legs or feet") answered yes: numb skin
    assert overview["flags"] == "Implanted device · Numb skin"
    assert overview["flag_badges"] == ["PM", "NUMB"]
    assert overview["red_flags"] == []
    assert overview["intake_versions"] == 3
    assert overview["mnsi_score"] == 5 and overview["mnsi_positive"] is False
    assert overview["pain_now"] == 5
    assert overview["visits"] == 3
    assert (overview["last_pain_before"], overview["last_pain_after"]) == (5, 2)
    assert overview["next_appointment"].startswith("2026-03-20 10:00")


def test_the_desk_sees_flags_and_appointments_but_no_scores(story: tuple[Services, int]) -> None:
    desk, pid = story
    desk_user = desk.as_user(Actor(user_id=None, username="desk", role=Role.RECEPTIONIST))
    overview = desk_user.history.overview(pid)
    assert overview["flag_badges"] == ["PM", "NUMB"] and overview["next_appointment"]
    assert "mnsi_score" not in overview and "pain_now" not in overview
    with pytest.raises(PermissionDenied):
        desk_user.history.timeline(pid)


def test_opening_the_history_is_audited(story: tuple[Services, int]) -> None:
    desk, pid = story
    desk.history.timeline(pid)
    desk.history.pain_trend(pid)
    with desk.db.read() as s:
        looks = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "history", AuditEntry.patient_id == pid)
        ).all()
    assert [entry.changes["what"] for entry in looks] == ["timeline", "pain trend"]
