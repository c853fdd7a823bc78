from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.scheduling import Interval, local_datetime
from frontdesk.domain.waitlist import FreedSlot, WaitlistEntry, rank_matches

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 6, 10)  # a Wednesday
DR_LI, DR_OKAFOR = 1, 2


def at(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    return local_datetime(day, time(hour, minute), LONDON)


FREED = FreedSlot(DR_LI, Interval(at(10), at(11)), LONDON)


def entry(entry_id: int, **changes: object) -> WaitlistEntry:
    values: dict[str, object] = {
        "id": entry_id,
        "patient_id": 100 + entry_id,
        "practitioner_id": None,
        "weekdays": None,
        "earliest": None,
        "latest": None,
        "urgency": 1,
        "expires_on": None,
        "created_at": datetime(2026, 6, 1, 9, tzinfo=UTC),
    }
    values.update(changes)
    return WaitlistEntry(**values)  # type: ignore[arg-type]


def ids(entries: list[WaitlistEntry], freed: FreedSlot = FREED) -> list[int]:
    return [match.entry.id for match in rank_matches(entries, freed, TODAY)]


def test_most_urgent_first_then_own_practitioner_then_longest_wait() -> None:
    entries = [
        entry(1, created_at=datetime(2026, 5, 1, tzinfo=UTC)),
        entry(2, urgency=3, created_at=datetime(2026, 6, 9, tzinfo=UTC)),
        entry(3, practitioner_id=DR_LI, created_at=datetime(2026, 6, 8, tzinfo=UTC)),
        entry(4, created_at=datetime(2026, 4, 1, tzinfo=UTC)),
        entry(5, urgency=3, practitioner_id=DR_LI, created_at=datetime(2026, 6, 9, tzinfo=UTC)),
    ]
    matches = rank_matches(entries, FREED, TODAY)
    assert [match.entry.id for match in matches] == [5, 2, 3, 4, 1]
    scores = [match.score for match in matches]
    assert scores == sorted(scores, reverse=True)


def test_reasons_explain_the_place_in_the_list() -> None:
    (match,) = rank_matches(
        [
            entry(
                1,
                urgency=2,
                practitioner_id=DR_LI,
                created_at=datetime(2026, 5, 27, 12, tzinfo=UTC),
                expires_on=date(2026, 6, 12),
                wants_earlier_than=at(9, day=date(2026, 6, 23)),
            )
        ],
        FREED,
        TODAY,
    )
    assert match.reasons == (
        "Soon",
        "Asked for this practitioner",
        "Waiting 14 days",
        "Would come sooner than Tue 23 Jun 09:00",
        "On the list until Fri 12 Jun",
    )
    assert match.offer == FREED.interval


def test_expired_entries_and_other_practitioners_are_left_out() -> None:
    entries = [
        entry(1, expires_on=date(2026, 6, 9)),
        entry(2, expires_on=TODAY),  # still counts on its last day
        entry(3, practitioner_id=DR_OKAFOR),
    ]
    assert ids(entries) == [2]


def test_weekdays_and_times_must_fit_in_local_time() -> None:
    entries = [
        entry(1, weekdays=frozenset({0, 4})),  # Mondays and Fridays only
        entry(2, weekdays=frozenset({2})),
        entry(3, earliest=time(10, 30)),  # the whole hour is needed, from 10:30 it no longer fits
        entry(4, latest=time(10, 59)),
        entry(5, earliest=time(9), latest=time(11)),
    ]
    assert ids(entries) == [2, 5]


def test_a_shorter_need_takes_the_part_of_the_slot_that_suits() -> None:
    freed = FreedSlot(DR_LI, Interval(at(9), at(11)), LONDON)
    (match,) = rank_matches([entry(1, earliest=time(9, 30), duration_minutes=45)], freed, TODAY)
    assert match.offer == Interval(at(9, 30), at(10, 15))
    assert ids([entry(2, duration_minutes=150)], freed) == []


def test_wants_earlier_only_takes_an_earlier_slot() -> None:
    entries = [
        entry(1, wants_earlier_than=at(10)),  # already booked at the same time
        entry(2, wants_earlier_than=at(9, day=TODAY + timedelta(days=7))),
        entry(3, wants_earlier_than=at(8)),
    ]
    assert ids(entries) == [2]


def test_equal_entries_keep_a_stable_order() -> None:
    entries = [entry(7), entry(3), entry(5)]
    assert ids(entries) == [3, 5, 7]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"urgency": 4}, "Urgency must be 1"),
        ({"earliest": time(12), "latest": time(9)}, "latest time must be after"),
        ({"weekdays": frozenset()}, "at least one weekday"),
        ({"duration_minutes": 0}, "at least one minute"),
    ],
)
def test_invalid_entries(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        entry(1, **changes)
