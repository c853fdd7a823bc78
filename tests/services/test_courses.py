"""Treatment courses: preview without saving, book all or nothing, move one session or the
following ones together, cancel what is still to come."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from frontdesk.db.models import Appointment, AuditEntry, TreatmentCourse
from frontdesk.domain.enums import AppointmentStatus
from frontdesk.domain.errors import ConflictError, ValidationError
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.courses import CourseParams, CoursePreview
from frontdesk.services.hub import OutsideWorkingHours, Services
from frontdesk.services.patients import PatientInput

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 3, 2)
TUESDAY, FRIDAY = MONDAY + timedelta(days=1), MONDAY + timedelta(days=4)
MEI, TOMASZ = 1, 2
ROOM_1, ROOM_2 = 1, 2
TUE_FRI = (1, 4)

S = AppointmentStatus


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def local(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)


@pytest.fixture
def desk(clinic: Services, clock: Any) -> Services:
    clock.now = at(MONDAY, 8)
    return clinic


def patient(services: Services, name: str = "Ann Lee") -> int:
    return services.patients.create(PatientInput(legal_name=name)).id


def acu(services: Services) -> int:
    return services.clinic.service_by_code("ACU").id


def occupy(
    services: Services,
    start: datetime,
    practitioner: int = MEI,
    room: int | None = ROOM_1,
    **kw: Any,
) -> int:
    return services.appointments.book(
        BookingRequest(
            patient_id=kw.pop("patient_id", None) or patient(services, "Busy Bee"),
            service_id=acu(services),
            practitioner_id=practitioner,
            starts_at=start,
            room_id=room,
            acknowledged_warnings=True,
            **kw,
        )
    ).id


def twelve_sessions(**changes: Any) -> CourseParams:
    values: dict[str, Any] = {
        "first_day": TUESDAY,
        "sessions": 12,
        "per_week": 2,
        "weekdays": TUE_FRI,
        "around": time(10),
    }
    values.update(changes)
    return CourseParams(**values)


def preview(services: Services, person: int, **changes: Any) -> CoursePreview:
    return services.courses.preview(person, acu(services), MEI, twelve_sessions(**changes))


def counts(services: Services) -> tuple[int, int]:
    with services.db.read() as s:
        courses = s.scalar(select(func.count()).select_from(TreatmentCourse)) or 0
        appointments = s.scalar(select(func.count()).select_from(Appointment)) or 0
    return courses, appointments


# -- preview -------------------------------------------------------------------------------


def test_the_preview_places_every_session_and_saves_nothing(desk: Services) -> None:
    plan = preview(desk, patient(desk))
    assert plan.complete and len(plan.placed) == 12
    starts = [local(p.starts_at) for p in plan.placed]
    assert {s.strftime("%a %H:%M") for s in starts} == {"Tue 10:00", "Fri 10:00"}
    # the clocks go forward on 29 March: still 10:00 on the wall clock afterwards
    assert starts[-1].date() == date(2026, 4, 10)
    assert all(p.practitioner_id == MEI and p.room_name == "Room 1" for p in plan.placed)
    assert (plan.patient_name, plan.practitioner_name) == ("Ann Lee", "Mei Chen")
    assert counts(desk) == (0, 0)


def test_a_busy_hour_moves_the_session_and_a_busy_morning_leaves_it_unplaced(
    desk: Services,
) -> None:
    occupy(desk, at(FRIDAY, 10))
    week_two = TUESDAY + timedelta(days=7)
    for hour in (8, 9, 10, 11):
        occupy(desk, at(week_two, hour), allow_outside_hours=True)
    plan = preview(desk, patient(desk), flexibility_minutes=60)
    placed = {p.index: local(p.starts_at) for p in plan.placed}
    assert placed[2] in (at(FRIDAY, 9), at(FRIDAY, 11))
    assert [(u.index, u.reason) for u in plan.unplaced] == [
        (3, "Tue 10 Mar: no free time near 10:00")
    ]
    assert not plan.complete and len(plan.placed) == 11


def test_another_room_is_used_when_the_usual_one_is_taken(desk: Services) -> None:
    occupy(desk, at(FRIDAY, 10), practitioner=TOMASZ, room=ROOM_1)
    plan = preview(desk, patient(desk))
    friday = next(p for p in plan.placed if p.index == 2)
    assert (local(friday.starts_at), friday.room_id) == (at(FRIDAY, 10), ROOM_2)


def test_the_patients_own_appointments_are_avoided(desk: Services) -> None:
    person = patient(desk)
    occupy(desk, at(TUESDAY, 10), practitioner=TOMASZ, room=ROOM_2, patient_id=person)
    plan = preview(desk, person)
    first = next(p for p in plan.placed if p.index == 1)
    assert local(first.starts_at) != at(TUESDAY, 10)
    assert abs(local(first.starts_at) - at(TUESDAY, 10)) <= timedelta(hours=2)


def test_an_impossible_shape_is_refused_in_words(desk: Services) -> None:
    with pytest.raises(ValidationError, match="Choose 2 weekdays"):
        preview(desk, patient(desk), weekdays=(1, 3, 4))


# -- booking -------------------------------------------------------------------------------


def test_booking_saves_the_course_and_every_placed_session(desk: Services) -> None:
    person = patient(desk)
    plan = preview(desk, person)
    course_id = desk.courses.book(plan, "Neuropathy: 12 sessions", acknowledged_warnings=True)
    sessions = desk.courses.sessions(course_id)
    assert [s.starts_at for s in sessions] == [p.starts_at for p in plan.placed]
    assert all(s.course_id == course_id and s.status is S.BOOKED for s in sessions)
    course = desk.courses.get(course_id)
    assert (course.title, course.sessions_planned, course.sessions_booked) == (
        "Neuropathy: 12 sessions",
        12,
        12,
    )
    assert [c.id for c in desk.courses.for_patient(person)] == [course_id]
    with desk.db.read() as s:
        logged = s.scalar(
            select(func.count()).where(
                AuditEntry.entity == "course", AuditEntry.entity_id == course_id
            )
        )
    assert logged == 1


def test_a_course_with_unplaced_sessions_books_the_placed_ones(desk: Services) -> None:
    week_two = TUESDAY + timedelta(days=7)
    for hour in (8, 9, 10, 11):
        occupy(desk, at(week_two, hour), allow_outside_hours=True)
    plan = preview(desk, patient(desk), flexibility_minutes=60)
    course_id = desk.courses.book(plan, acknowledged_warnings=True)
    course = desk.courses.get(course_id)
    assert (course.sessions_planned, course.sessions_booked) == (12, 11)
    assert course.title == "Acupuncture follow-up: 12 sessions, 2 a week"


def test_a_slot_taken_since_the_preview_refuses_the_whole_course(desk: Services) -> None:
    plan = preview(desk, patient(desk))
    third = plan.placed[2]
    occupy(desk, third.starts_at + timedelta(minutes=30), room=ROOM_2)
    before = counts(desk)
    with pytest.raises(ConflictError) as refused:
        desk.courses.book(plan, acknowledged_warnings=True)
    assert refused.value.message.startswith("Session 3 (Tue 10 Mar 10:00): Mei Chen is already")
    assert "Nothing was booked" in refused.value.message
    assert counts(desk) == before


# -- changing and cancelling -------------------------------------------------------------


@pytest.fixture
def course(desk: Services) -> int:
    return desk.courses.book(preview(desk, patient(desk), sessions=6), acknowledged_warnings=True)


def starts(services: Services, course_id: int) -> list[str]:
    return [
        local(s.starts_at).strftime("%a %d %H:%M") for s in services.courses.sessions(course_id)
    ]


def test_changing_one_session_leaves_the_others(desk: Services, course: int) -> None:
    second = desk.courses.sessions(course)[1]
    moved = desk.courses.change_session(second.id, at(FRIDAY, 14))
    assert [r.id for r in moved] == [second.id]
    assert starts(desk, course) == [
        "Tue 03 10:00",
        "Fri 06 14:00",
        "Tue 10 10:00",
        "Fri 13 10:00",
        "Tue 17 10:00",
        "Fri 20 10:00",
    ]


def test_changing_this_and_the_following_sessions_shifts_them_together(
    desk: Services, course: int
) -> None:
    sessions = desk.courses.sessions(course)
    desk.appointments.cancel(sessions[4].id, "Away that day")
    # three days later: each Tuesday session lands where a Friday session still is
    moved = desk.courses.change_session(
        sessions[1].id, at(MONDAY + timedelta(days=7), 10), "following"
    )
    assert len(moved) == 4  # sessions 2, 3, 4 and 6; the cancelled one stays
    assert starts(desk, course) == [
        "Tue 03 10:00",
        "Mon 09 10:00",
        "Fri 13 10:00",
        "Mon 16 10:00",
        "Tue 17 10:00",
        "Mon 23 10:00",
    ]
    # undo: the same call back
    desk.courses.change_session(sessions[1].id, at(FRIDAY, 10), "following")
    assert starts(desk, course)[1:4] == ["Fri 06 10:00", "Tue 10 10:00", "Fri 13 10:00"]


def test_shifting_the_following_sessions_is_all_or_nothing(desk: Services, course: int) -> None:
    sessions = desk.courses.sessions(course)
    occupy(desk, at(date(2026, 3, 16), 15), room=ROOM_2)
    before = starts(desk, course)
    with pytest.raises(ConflictError) as refused:
        desk.courses.change_session(sessions[2].id, at(date(2026, 3, 9), 15), "following")
    assert "The session of Tue 17 Mar 10:00 cannot move to Mon 16 Mar 15:00" in str(refused.value)
    assert "Nothing was moved" in str(refused.value)
    assert starts(desk, course) == before
    with pytest.raises(OutsideWorkingHours):
        desk.courses.change_session(sessions[2].id, at(date(2026, 3, 10), 17, 30), "following")
    assert starts(desk, course) == before


def test_cancelling_a_course_keeps_the_past_sessions(
    desk: Services, course: int, clock: Any
) -> None:
    sessions = desk.courses.sessions(course)
    clock.now = at(TUESDAY, 9, 55)
    desk.appointments.check_in(sessions[0].id)
    desk.appointments.set_status(sessions[0].id, S.COMPLETED)
    clock.now = at(FRIDAY + timedelta(days=1), 12)
    cancelled = desk.courses.cancel_course(course, "Moving away")
    assert [r.id for r in cancelled] == [s.id for s in sessions[2:]]
    after = desk.courses.sessions(course)
    assert [s.status for s in after] == [S.COMPLETED, S.BOOKED] + [S.CANCELLED] * 4
    assert {s.cancel_reason for s in after[2:]} == {"Moving away"}
    record = desk.courses.get(course)
    assert (record.cancelled, record.sessions_booked, record.sessions_completed) == (True, 2, 1)
    with pytest.raises(ValidationError, match="already cancelled"):
        desk.courses.cancel_course(course, "Again")
    with pytest.raises(ValidationError, match="reason"):
        desk.courses.cancel_course(course, " ")
