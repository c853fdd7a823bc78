from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.scheduling import (
    Candidate,
    Interval,
    Proposal,
    WeeklyHours,
    day_bounds,
    earliest_free_slot,
    find_free_slots,
    free_time,
    local_datetime,
    merge_intervals,
    snap,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")
HOUR = timedelta(hours=1)


def utc(day: int, hour: int, minute: int = 0, month: int = 5) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def span(start: datetime, end: datetime) -> Interval:
    return Interval(start, end)


def london(day: date, hour: int, minute: int = 0) -> datetime:
    return local_datetime(day, time(hour, minute), LONDON)


CLINIC_HOURS = WeeklyHours.of(
    {weekday: [(time(9), time(12, 30)), (time(13, 30), time(18))] for weekday in range(6)}
)


class TestInterval:
    def test_ends_are_kept_in_utc(self) -> None:
        start = datetime(2026, 7, 1, 10, tzinfo=LONDON)
        interval = Interval(start, start + HOUR)
        assert interval.start == utc(1, 9, month=7)
        assert interval.start.tzinfo is UTC
        assert interval.local(LONDON)[0].hour == 10

    def test_duration_is_elapsed_time_across_a_clock_change(self) -> None:
        # 00:30 to 03:30 on the wall clock of 29 March 2026 is only two real hours
        day = date(2026, 3, 29)
        interval = Interval(london(day, 0, 30), london(day, 3, 30))
        assert interval.duration == 2 * HOUR

    def test_naive_datetimes_are_a_programming_error(self) -> None:
        with pytest.raises(ValueError, match="time-zone-aware"):
            Interval(datetime(2026, 5, 1, 9), datetime(2026, 5, 1, 10))

    def test_end_before_start_is_refused_in_words(self) -> None:
        with pytest.raises(ValidationError, match=r"The end time must be after the start time\."):
            Interval(utc(1, 10), utc(1, 9))
        with pytest.raises(ValidationError):
            Interval(utc(1, 10), utc(1, 10))

    def test_back_to_back_appointments_do_not_overlap(self) -> None:
        first = span(utc(1, 9), utc(1, 10))
        assert not first.overlaps(span(utc(1, 10), utc(1, 11)))
        assert first.overlaps(span(utc(1, 9, 59), utc(1, 11)))
        assert span(utc(1, 8), utc(1, 12)).overlaps(first)

    def test_contains_and_intersection(self) -> None:
        morning = span(utc(1, 9), utc(1, 12))
        assert morning.contains(span(utc(1, 9), utc(1, 12)))
        assert not morning.contains(span(utc(1, 11), utc(1, 13)))
        assert morning.contains(utc(1, 9)) and not morning.contains(utc(1, 12))
        assert morning.intersection(span(utc(1, 11), utc(1, 13))) == span(utc(1, 11), utc(1, 12))
        assert morning.intersection(span(utc(1, 12), utc(1, 13))) is None

    def test_starting(self) -> None:
        assert Interval.starting(utc(1, 9), 45 * timedelta(minutes=1)) == span(
            utc(1, 9), utc(1, 9, 45)
        )


class TestDayBounds:
    @pytest.mark.parametrize(
        "zone, day, hours",
        [
            (LONDON, date(2026, 3, 29), 23),
            (LONDON, date(2026, 10, 25), 25),
            (LONDON, date(2026, 5, 1), 24),
            (NEW_YORK, date(2026, 3, 8), 23),
            (NEW_YORK, date(2026, 11, 1), 25),
        ],
    )
    def test_length_of_local_days(self, zone: ZoneInfo, day: date, hours: int) -> None:
        assert day_bounds(day, zone).duration == hours * HOUR

    def test_starts_at_local_midnight(self) -> None:
        assert day_bounds(date(2026, 7, 1), LONDON).start == datetime(2026, 6, 30, 23, tzinfo=UTC)


class TestWeeklyHours:
    def test_json_round_trip(self) -> None:
        data = {
            "mon": [["09:00", "12:30"], ["13:30", "18:00"]],
            "tue": [],
            "wed": [["8:00", "20:00"]],
            "sat": [["10:00", "14:00"]],
        }
        hours = WeeklyHours.from_json(data)
        assert hours.to_json() == {
            "mon": [["09:00", "12:30"], ["13:30", "18:00"]],
            "tue": [],
            "wed": [["08:00", "20:00"]],
            "thu": [],
            "fri": [],
            "sat": [["10:00", "14:00"]],
            "sun": [],
        }
        assert WeeklyHours.from_json(hours.to_json()) == hours
        assert hours.working_weekdays == {0, 2, 5}

    def test_spans_are_sorted(self) -> None:
        hours = WeeklyHours.from_json({"mon": [["13:30", "18:00"], ["09:00", "12:30"]]})
        assert hours.spans_on(0) == ((time(9), time(12, 30)), (time(13, 30), time(18)))

    @pytest.mark.parametrize(
        "data, message",
        [
            ({"mon": [["12:00", "09:00"]]}, "Monday: the hours 12:00-09:00 end before they start"),
            ({"tue": [["09:00", "13:00"], ["12:00", "18:00"]]}, "Tuesday: two stretches"),
            ({"wed": [["9am", "5pm"]]}, "Wednesday: opening hours are written as HH:MM"),
            ({"thu": [["09:00", "24:00"]]}, "HH:MM"),
            ({"fri": [["09:00"]]}, "Friday: each stretch of hours needs a start and an end"),
            ({"monday": []}, "Unknown day"),
        ],
    )
    def test_mistakes_are_explained(self, data: dict[str, list[list[str]]], message: str) -> None:
        with pytest.raises(ValidationError, match=message) as caught:
            WeeklyHours.from_json(data)
        assert caught.value.field == "working_hours"

    def test_the_same_wall_clock_hours_move_in_utc_when_clocks_go_forward(self) -> None:
        saturday, sunday, monday = date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)
        assert CLINIC_HOURS.intervals_on(saturday, LONDON)[0] == span(
            utc(28, 9, month=3), utc(28, 12, 30, month=3)
        )
        assert CLINIC_HOURS.intervals_on(sunday, LONDON) == []
        assert CLINIC_HOURS.intervals_on(monday, LONDON) == [
            span(utc(30, 8, month=3), utc(30, 11, 30, month=3)),
            span(utc(30, 12, 30, month=3), utc(30, 17, month=3)),
        ]

    def test_and_back_when_clocks_go_back(self) -> None:
        hours = WeeklyHours.of({5: [(time(9), time(17))], 0: [(time(9), time(17))]})
        assert hours.intervals_on(date(2026, 10, 24), LONDON) == [
            span(utc(24, 8, month=10), utc(24, 16, month=10))
        ]
        assert hours.intervals_on(date(2026, 10, 26), LONDON) == [
            span(utc(26, 9, month=10), utc(26, 17, month=10))
        ]

    def test_new_york(self) -> None:
        hours = WeeklyHours.of({day: [(time(10), time(16))] for day in range(7)})
        before = hours.intervals_on(date(2026, 3, 7), NEW_YORK)[0]
        after = hours.intervals_on(date(2026, 3, 9), NEW_YORK)[0]
        assert before.start.hour == 15 and after.start.hour == 14

    def test_hours_spanning_the_skipped_hour_are_an_hour_shorter(self) -> None:
        hours = WeeklyHours.of({6: [(time(0), time(4))]})
        (night,) = hours.intervals_on(date(2026, 3, 29), LONDON)
        assert night.duration == 3 * HOUR

    def test_contains(self) -> None:
        monday = date(2026, 3, 30)
        assert CLINIC_HOURS.contains(span(london(monday, 9), london(monday, 10)), LONDON)
        assert CLINIC_HOURS.contains(span(london(monday, 17), london(monday, 18)), LONDON)
        assert not CLINIC_HOURS.contains(span(london(monday, 12), london(monday, 13)), LONDON)
        # 08:30 UTC on that Monday is 09:30 local: inside, though 08:30 is before 09:00
        assert CLINIC_HOURS.contains(span(utc(30, 8, 30, month=3), utc(30, 9, month=3)), LONDON)
        assert not CLINIC_HOURS.contains(
            span(london(date(2026, 3, 29), 10), london(date(2026, 3, 29), 11)), LONDON
        )

    def test_contains_joins_back_to_back_spans_and_days(self) -> None:
        hours = WeeklyHours.of({0: [(time(9), time(12)), (time(12), time(13))]})
        monday = date(2026, 5, 4)
        assert hours.contains(span(london(monday, 11), london(monday, 12, 30)), LONDON)

    def test_closed(self) -> None:
        assert WeeklyHours.closed().intervals_on(date(2026, 5, 4), LONDON) == []
        assert not WeeklyHours.closed().working_weekdays


class TestHelpers:
    def test_merge(self) -> None:
        merged = merge_intervals(
            [
                span(utc(1, 11), utc(1, 12)),
                span(utc(1, 9), utc(1, 10)),
                span(utc(1, 10), utc(1, 11)),
            ]
        )
        assert merged == [span(utc(1, 9), utc(1, 12))]

    def test_free_time(self) -> None:
        working = [span(utc(1, 9), utc(1, 12)), span(utc(1, 13), utc(1, 17))]
        busy = [span(utc(1, 8), utc(1, 9, 30)), span(utc(1, 11), utc(1, 14))]
        assert free_time(working, busy) == [
            span(utc(1, 9, 30), utc(1, 11)),
            span(utc(1, 14), utc(1, 17)),
        ]

    @pytest.mark.parametrize(
        "moment, step, rounded",
        [
            (utc(1, 9, 0), 5, utc(1, 9, 0)),
            (utc(1, 9, 1), 5, utc(1, 9, 5)),
            (utc(1, 9, 0).replace(second=1), 5, utc(1, 9, 5)),
            (utc(1, 9, 50), 30, utc(1, 10, 0)),
        ],
    )
    def test_snap_rounds_up(self, moment: datetime, step: int, rounded: datetime) -> None:
        assert snap(moment, step) == rounded

    def test_snap_follows_the_local_clock(self) -> None:
        # India is 5:30 ahead of UTC: whole local hours are half past in UTC
        local = datetime(2026, 5, 1, 10, 10, tzinfo=KOLKATA)
        assert snap(local, 60, KOLKATA) == datetime(2026, 5, 1, 11, tzinfo=KOLKATA)
        assert snap(local, 60) == datetime(2026, 5, 1, 5, tzinfo=UTC)


class TestFindFreeSlots:
    def test_slots_skip_bookings_and_lunch(self) -> None:
        working = [span(utc(1, 9), utc(1, 12)), span(utc(1, 13), utc(1, 15))]
        busy = [span(utc(1, 9, 30), utc(1, 11))]
        slots = find_free_slots(span(utc(1, 0), utc(2, 0)), HOUR, working, busy, step_minutes=30)
        assert [slot.start for slot in slots] == [
            utc(1, 11),
            utc(1, 13),
            utc(1, 13, 30),
            utc(1, 14),
        ]
        assert all(slot.duration == HOUR for slot in slots)

    def test_not_before_is_rounded_up_to_the_grid(self) -> None:
        working = [span(utc(1, 9), utc(1, 12))]
        slots = find_free_slots(
            span(utc(1, 0), utc(2, 0)), HOUR, working, [], 15, not_before=utc(1, 10, 7)
        )
        assert [slot.start for slot in slots] == [
            utc(1, 10, 15),
            utc(1, 10, 30),
            utc(1, 10, 45),
            utc(1, 11),
        ]

    def test_a_local_date_needs_a_zone(self) -> None:
        with pytest.raises(ValueError, match="time zone"):
            find_free_slots(date(2026, 5, 1), HOUR, [], [])

    def test_booking_the_day_after_clocks_go_forward(self) -> None:
        # A patient booked at 10:00 local on Monday 30 March: 09:00 UTC, not 10:00 UTC.
        monday = date(2026, 3, 30)
        working = CLINIC_HOURS.intervals_on(monday, LONDON)
        booked = Interval(london(monday, 10), london(monday, 11))
        assert booked.start == utc(30, 9, month=3)
        slots = find_free_slots(monday, HOUR, working, [booked], 30, tz=LONDON)
        local_starts = [slot.local(LONDON)[0].strftime("%H:%M") for slot in slots]
        assert local_starts == [
            "09:00",
            "11:00",
            "11:30",
            "13:30",
            "14:00",
            "14:30",
            "15:00",
            "15:30",
            "16:00",
            "16:30",
            "17:00",
        ]
        # the same local time on the Saturday before is a different UTC hour
        saturday = date(2026, 3, 28)
        saturday_slots = find_free_slots(
            saturday, HOUR, CLINIC_HOURS.intervals_on(saturday, LONDON), [], 60, tz=LONDON
        )
        assert saturday_slots[1].local(LONDON)[0].hour == 10
        assert saturday_slots[1].start.hour == 10
        assert slots[1].local(LONDON)[0].hour == 11
        assert slots[1].start.hour == 10

    def test_the_search_window_limits_the_slots(self) -> None:
        working = [span(utc(1, 9), utc(2, 17))]
        slots = find_free_slots(span(utc(1, 16), utc(1, 18)), HOUR, working, [], 60)
        assert [slot.start for slot in slots] == [utc(1, 16), utc(1, 17)]


class TestEarliestFreeSlot:
    def candidates(self) -> list[Candidate]:
        working = [span(utc(1, 9), utc(1, 17))]
        return [
            Candidate(1, 10, working, practitioner_busy=[span(utc(1, 9), utc(1, 11))]),
            Candidate(2, 10, working, room_busy=[span(utc(1, 9), utc(1, 10, 30))]),
            Candidate(3, None, working, practitioner_busy=[span(utc(1, 9), utc(1, 10, 30))]),
        ]

    def test_earliest_start_wins_and_order_breaks_ties(self) -> None:
        proposal = earliest_free_slot(utc(1, 8), HOUR, self.candidates())
        assert proposal == Proposal(2, 10, span(utc(1, 10, 30), utc(1, 11, 30)))

    def test_now_is_rounded_up_to_the_grid(self) -> None:
        proposal = earliest_free_slot(utc(1, 11, 2), HOUR, self.candidates())
        assert proposal == Proposal(1, 10, span(utc(1, 11, 5), utc(1, 12, 5)))
        coarse = earliest_free_slot(utc(1, 11, 2), HOUR, self.candidates(), step_minutes=15)
        assert coarse is not None and coarse.interval.start == utc(1, 11, 15)

    def test_a_busy_room_blocks_a_free_practitioner(self) -> None:
        working = [span(utc(1, 9), utc(1, 12))]
        only = Candidate(
            7,
            3,
            working,
            practitioner_busy=[span(utc(1, 9), utc(1, 10))],
            room_busy=[span(utc(1, 10), utc(1, 11, 30))],
        )
        assert earliest_free_slot(utc(1, 8), HOUR, [only]) is None
        shorter = earliest_free_slot(utc(1, 8), 30 * timedelta(minutes=1), [only])
        assert shorter == Proposal(7, 3, span(utc(1, 11, 30), utc(1, 12)))

    def test_nothing_free(self) -> None:
        assert earliest_free_slot(utc(1, 18), HOUR, self.candidates()) is None
        assert earliest_free_slot(utc(1, 8), HOUR, []) is None


# --- properties --------------------------------------------------------------------------

BASE = datetime(2026, 5, 4, tzinfo=UTC)


@st.composite
def intervals(draw: st.DrawFn, max_count: int) -> list[Interval]:
    result = []
    for _ in range(draw(st.integers(0, max_count))):
        start = draw(st.integers(0, 24 * 60 - 5))
        length = draw(st.integers(1, 6 * 60))
        result.append(
            Interval(BASE + timedelta(minutes=start), BASE + timedelta(minutes=start + length))
        )
    return result


def minutes(count: int) -> timedelta:
    return timedelta(minutes=count)


@settings(max_examples=150, deadline=None)
@given(
    working=intervals(4),
    busy=intervals(6),
    duration=st.integers(5, 120),
    step=st.sampled_from([5, 10, 15, 30]),
    not_before=st.integers(0, 24 * 60),
)
def test_free_slots_are_inside_working_hours_and_never_overlap_busy(
    working: list[Interval], busy: list[Interval], duration: int, step: int, not_before: int
) -> None:
    window = Interval(BASE, BASE + timedelta(days=2))
    earliest = BASE + minutes(not_before)
    slots = find_free_slots(window, minutes(duration), working, busy, step, earliest)
    shifts = merge_intervals(working)
    for slot in slots:
        assert slot.duration == minutes(duration)
        assert any(shift.contains(slot) for shift in shifts)
        assert not any(slot.overlaps(booking) for booking in busy)
        assert slot.start >= earliest
        assert (slot.start - BASE) % minutes(step) == timedelta(0)
    # and nothing that fits is left out: try every grid point by brute force
    expected = []
    moment = snap(earliest, step)
    while moment < BASE + timedelta(days=2):
        candidate = Interval(moment, moment + minutes(duration))
        if any(shift.contains(candidate) for shift in shifts) and not any(
            candidate.overlaps(booking) for booking in busy
        ):
            expected.append(candidate)
        moment += minutes(step)
    assert slots == expected


@settings(max_examples=150, deadline=None)
@given(
    people=st.lists(st.tuples(intervals(3), intervals(4), intervals(3)), min_size=1, max_size=4),
    duration=st.integers(5, 120),
    now=st.integers(0, 24 * 60),
)
def test_earliest_slot_is_the_first_free_slot_of_any_candidate(
    people: list[tuple[list[Interval], list[Interval], list[Interval]]], duration: int, now: int
) -> None:
    candidates = [
        Candidate(index, 100 + index, working, practitioner_busy=busy, room_busy=room)
        for index, (working, busy, room) in enumerate(people)
    ]
    moment = BASE + minutes(now)
    proposal = earliest_free_slot(moment, minutes(duration), candidates)
    window = Interval(BASE, BASE + timedelta(days=2))
    firsts = []
    for candidate in candidates:
        slots = find_free_slots(
            window,
            minutes(duration),
            candidate.working,
            [*candidate.practitioner_busy, *candidate.room_busy],
            5,
            moment,
        )
        if slots:
            firsts.append((slots[0].start, candidate.practitioner_id))
    if not firsts:
        assert proposal is None
        return
    start, practitioner = min(firsts)
    assert proposal is not None
    assert (proposal.interval.start, proposal.practitioner_id) == (start, practitioner)
    assert proposal.room_id == 100 + practitioner
    chosen = candidates[practitioner]
    assert not any(
        proposal.interval.overlaps(other)
        for other in [*chosen.practitioner_busy, *chosen.room_busy]
    )
    assert any(shift.contains(proposal.interval) for shift in merge_intervals(chosen.working))


@settings(max_examples=100, deadline=None)
@given(
    day=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    zone=st.sampled_from([LONDON, NEW_YORK, KOLKATA, ZoneInfo("Australia/Sydney")]),
)
def test_weekly_hours_always_fall_on_the_local_day_and_clock(day: date, zone: ZoneInfo) -> None:
    hours = WeeklyHours.of(
        {weekday: [(time(9), time(13)), (time(14), time(18))] for weekday in range(7)}
    )
    morning, afternoon = hours.intervals_on(day, zone)
    assert morning.local(zone)[0].replace(tzinfo=None) == datetime.combine(day, time(9))
    assert afternoon.local(zone)[1].replace(tzinfo=None) == datetime.combine(day, time(18))
    assert day_bounds(day, zone).contains(morning) and day_bounds(day, zone).contains(afternoon)
