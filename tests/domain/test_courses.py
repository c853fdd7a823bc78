from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from frontdesk.domain.courses import (
    COURSE_PRESETS,
    CoursePlan,
    CourseRequest,
    course_preset,
    plan_course,
    session_counts,
    spread_weekdays,
)
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.scheduling import Interval, WeeklyHours, local_datetime

LONDON = ZoneInfo("Europe/London")
WEEKDAYS_9_TO_6 = WeeklyHours.of(
    {weekday: [(time(9), time(13)), (time(14), time(18))] for weekday in range(5)}
)
TUESDAY = date(2025, 12, 2)
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def working_from(hours: WeeklyHours) -> Callable[[date], list[Interval]]:
    return lambda day: hours.intervals_on(day, LONDON)


def bookings(*spans: tuple[date, time, time]) -> Callable[[date], list[Interval]]:
    taken = [
        Interval(local_datetime(day, start, LONDON), local_datetime(day, end, LONDON))
        for day, start, end in spans
    ]

    def busy(day: date) -> list[Interval]:
        return [interval for interval in taken if interval.local(LONDON)[0].date() == day]

    return busy


def request(**changes: object) -> CourseRequest:
    values: dict[str, object] = {
        "first_day": TUESDAY,
        "sessions": 8,
        "per_week": 2,
        "weekdays": None,
        "around": time(10),
        "duration_minutes": 60,
        "tz": LONDON,
    }
    values.update(changes)
    return CourseRequest(**values)  # type: ignore[arg-type]


def local_starts(plan: CoursePlan) -> list[str]:
    return [session.interval.local(LONDON)[0].strftime("%a %d %b %H:%M") for session in plan.placed]


def test_two_a_week_from_a_tuesday_is_tuesday_and_friday() -> None:
    plan = plan_course(request(), working_from(WEEKDAYS_9_TO_6), bookings())
    assert plan.complete
    assert local_starts(plan) == [
        "Tue 02 Dec 10:00",
        "Fri 05 Dec 10:00",
        "Tue 09 Dec 10:00",
        "Fri 12 Dec 10:00",
        "Tue 16 Dec 10:00",
        "Fri 19 Dec 10:00",
        "Tue 23 Dec 10:00",
        "Fri 26 Dec 10:00",
    ]
    assert [session.index for session in plan.placed] == list(range(1, 9))
    assert all(session.interval.duration == timedelta(hours=1) for session in plan.placed)


def test_a_collision_moves_the_session_to_the_nearest_free_time_that_day() -> None:
    busy = bookings(
        (date(2025, 12, 5), time(9, 30), time(10, 40)),  # Fri: 10:40 is nearer than 08:30
        (date(2025, 12, 9), time(10), time(11)),  # Tue: 09:00 and 11:00 tie; earlier wins
    )
    plan = plan_course(request(sessions=4), working_from(WEEKDAYS_9_TO_6), busy)
    assert local_starts(plan) == [
        "Tue 02 Dec 10:00",
        "Fri 05 Dec 10:40",
        "Tue 09 Dec 09:00",
        "Fri 12 Dec 10:00",
    ]


def test_a_full_day_is_reported_not_moved_to_another_week() -> None:
    busy = bookings((date(2025, 12, 12), time(8), time(12, 30)))
    plan = plan_course(request(sessions=6), working_from(WEEKDAYS_9_TO_6), busy)
    assert not plan.complete
    (missing,) = plan.unplaced
    assert missing.index == 4
    assert missing.wanted_day == date(2025, 12, 12)
    assert missing.reason == "Fri 12 Dec: no free time near 10:00"
    # the course keeps its length: no extra week is added to make up for it
    assert [session.index for session in plan.placed] == [1, 2, 3, 5, 6]
    assert max(session.interval.start for session in plan.placed).date() == date(2025, 12, 19)


def test_the_leeway_limits_how_far_a_session_may_drift() -> None:
    busy = bookings((date(2025, 12, 2), time(9), time(12)))
    tight = plan_course(
        request(sessions=1, flexibility_minutes=60), working_from(WEEKDAYS_9_TO_6), busy
    )
    assert tight.unplaced[0].reason == "Tue 2 Dec: no free time near 10:00"
    loose = plan_course(
        request(sessions=1, flexibility_minutes=120), working_from(WEEKDAYS_9_TO_6), busy
    )
    assert local_starts(loose) == ["Tue 02 Dec 12:00"]


def test_a_chosen_weekday_the_practitioner_does_not_work() -> None:
    plan = plan_course(
        request(sessions=4, weekdays=[MON, SAT]), working_from(WEEKDAYS_9_TO_6), bookings()
    )
    assert local_starts(plan) == ["Mon 08 Dec 10:00", "Mon 15 Dec 10:00"]
    assert [gap.reason for gap in plan.unplaced] == [
        "Sat 6 Dec: no working hours that day",
        "Sat 13 Dec: no working hours that day",
    ]


def test_spreading_uses_only_the_days_the_practitioner_works() -> None:
    hours = WeeklyHours.of({day: [(time(9), time(17))] for day in (MON, WED, THU)})
    plan = plan_course(
        request(first_day=date(2025, 12, 1), sessions=4), working_from(hours), bookings()
    )
    assert local_starts(plan) == [
        "Mon 01 Dec 10:00",
        "Thu 04 Dec 10:00",
        "Mon 08 Dec 10:00",
        "Thu 11 Dec 10:00",
    ]


def test_spread_weekdays() -> None:
    monday_to_friday = [MON, TUE, WED, THU, FRI]
    assert spread_weekdays(2, monday_to_friday, TUE) == [TUE, FRI]
    assert spread_weekdays(2, monday_to_friday, MON) == [MON, THU]
    assert spread_weekdays(3, monday_to_friday, MON) == [MON, WED, FRI]
    assert spread_weekdays(1, monday_to_friday, SAT) == [MON]
    with pytest.raises(ValidationError, match="works on 5 days a week, too few for 6"):
        spread_weekdays(6, monday_to_friday, MON)


def test_weeks_given_tapers_the_course() -> None:
    assert session_counts(12, 2, 8) == [2, 2, 2, 2, 1, 1, 1, 1]
    assert session_counts(18, 3, 8) == [3, 3, 2, 2, 2, 2, 2, 2]
    assert session_counts(4, 1, 8) == [1, 0, 1, 0, 1, 0, 1, 0]
    assert session_counts(5, 2, None) == [2, 2, 1]
    plan = plan_course(
        course_preset("twelve_in_8").request(TUESDAY, time(10), 60, LONDON),
        working_from(WEEKDAYS_9_TO_6),
        bookings(),
    )
    assert plan.complete and len(plan.placed) == 12
    days = [session.interval.start.date() for session in plan.placed]
    per_week = [sum(1 for day in days if (day - TUESDAY).days // 7 == week) for week in range(8)]
    assert per_week == [2, 2, 2, 2, 1, 1, 1, 1]
    # the weekly sessions keep the first of the two days
    assert {day.weekday() for day in days[8:]} == {TUE}


def test_the_local_time_is_kept_across_the_clock_change() -> None:
    plan = plan_course(
        request(first_day=date(2026, 3, 24), sessions=4), working_from(WEEKDAYS_9_TO_6), bookings()
    )
    assert [s.interval.local(LONDON)[0].hour for s in plan.placed] == [10, 10, 10, 10]
    assert [s.interval.start.hour for s in plan.placed] == [10, 10, 9, 9]


def test_sessions_already_past_today() -> None:
    now = datetime(2025, 12, 2, 10, 30, tzinfo=UTC)
    plan = plan_course(
        request(sessions=2, not_before=now), working_from(WEEKDAYS_9_TO_6), bookings()
    )
    assert local_starts(plan) == ["Tue 02 Dec 10:30", "Fri 05 Dec 10:00"]
    late = plan_course(
        request(sessions=1, not_before=datetime(2025, 12, 2, 17, tzinfo=UTC)),
        working_from(WEEKDAYS_9_TO_6),
        bookings(),
    )
    assert late.unplaced[0].reason == "Tue 2 Dec: that time has already passed"


def test_no_working_hours_at_all() -> None:
    with pytest.raises(ValidationError, match="no working hours in the two weeks"):
        plan_course(request(), working_from(WeeklyHours.closed()), bookings())


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"weekdays": [TUE]}, "Choose 2 weekdays for 2 sessions a week"),
        ({"weekdays": [TUE, TUE]}, "only once"),
        ({"sessions": 0}, "between 1 and 100 sessions"),
        ({"per_week": 8, "weekdays": None}, "between 1 and 7"),
        ({"sessions": 16, "weeks": 4}, "16 sessions in 4 weeks needs 4 a week"),
        ({"duration_minutes": 0}, "between 5 and 480"),
    ],
)
def test_requests_that_cannot_be_planned(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        request(**changes)


def test_presets_are_all_plannable() -> None:
    keys = [preset.key for preset in COURSE_PRESETS]
    assert len(keys) == len(set(keys))
    for preset in COURSE_PRESETS:
        counts = session_counts(preset.sessions, preset.per_week, preset.weeks)
        assert sum(counts) == preset.sessions and len(counts) == preset.weeks
        assert max(counts) <= preset.per_week
        plan = plan_course(
            preset.request(TUESDAY, time(10), 45, LONDON),
            working_from(WEEKDAYS_9_TO_6),
            bookings(),
        )
        assert plan.complete and len(plan.placed) == preset.sessions
    assert course_preset("electro_2x8").sessions == 16
    assert course_preset("clinic_2x6").clinic_policy
    with pytest.raises(KeyError):
        course_preset("nonsense")
