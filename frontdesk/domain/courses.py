"""Planning a course of treatment: N sessions, K a week, near a preferred time of day.

A course is laid out in course weeks of seven days counted from its first day (a course
starting on a Thursday has weeks Thursday to Wednesday), so every week offers each weekday
exactly once. Each session has one wanted date; if nothing is free near the wanted time on
that date the session is reported as unplaced with the reason, and is never moved to
another day or week behind the receptionist's back.

When the course is given a number of weeks, sessions are shared out over them with the busier
weeks first (12 over 8 weeks: 2 a week for 4 weeks, then 1 a week); with fewer sessions than
weeks they are spread out evenly. Without weeks, every week has K sessions until the last.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from itertools import combinations, pairwise

from frontdesk.domain.enums import ServiceKind
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.scheduling import Interval, day_bounds, find_free_slots, local_datetime

__all__ = [
    "COURSE_PRESETS",
    "CoursePlan",
    "CoursePreset",
    "CourseRequest",
    "PlannedSession",
    "UnplacedSession",
    "course_preset",
    "plan_course",
    "session_counts",
    "spread_weekdays",
]

_WEEKDAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_ABBREVIATIONS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
_MAX_SESSIONS = 100


def _short_day(day: date) -> str:
    """'Fri 12 Dec': the same on every machine, whatever its locale."""
    return (
        f"{_WEEKDAY_ABBREVIATIONS[day.weekday()]} {day.day} {_MONTH_ABBREVIATIONS[day.month - 1]}"
    )


@dataclass(frozen=True)
class CourseRequest:
    """What the receptionist asks for.

    ``weekdays`` (0 = Monday) are the days wanted each week, exactly ``per_week`` of them;
    ``None`` lets :func:`plan_course` spread the sessions over the days the practitioner
    works. ``around`` is the preferred local start time; a session may start up to
    ``flexibility_minutes`` earlier or later. ``weeks`` (optional) stretches the course
    over that many weeks. Invalid values raise ``ValidationError``.
    """

    first_day: date
    sessions: int
    per_week: int
    weekdays: Sequence[int] | None
    around: time
    duration_minutes: int
    tz: tzinfo
    flexibility_minutes: int = 120
    weeks: int | None = None
    step_minutes: int = 5
    #: sessions never start before this instant (pass "now" when the course starts today)
    not_before: datetime | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.sessions <= _MAX_SESSIONS:
            raise ValidationError(
                f"A course has between 1 and {_MAX_SESSIONS} sessions.", field="sessions"
            )
        if not 1 <= self.per_week <= 7:
            raise ValidationError("Sessions a week must be between 1 and 7.", field="per_week")
        if self.weekdays is not None:
            days = list(self.weekdays)
            if any(day not in range(7) for day in days):
                raise ValueError(f"weekdays must be 0 (Monday) to 6 (Sunday), got {days}")
            if len(set(days)) != len(days):
                raise ValidationError("Each weekday can be chosen only once.", field="weekdays")
            if len(days) != self.per_week:
                raise ValidationError(
                    f"Choose {self.per_week} weekday{'s' if self.per_week > 1 else ''} "
                    f"for {self.per_week} session{'s' if self.per_week > 1 else ''} a week.",
                    field="weekdays",
                )
        if self.weeks is not None:
            if not 1 <= self.weeks <= _MAX_SESSIONS:
                raise ValidationError("A course lasts between 1 and 100 weeks.", field="weeks")
            needed = -(-self.sessions // self.weeks)
            if needed > self.per_week:
                raise ValidationError(
                    f"{self.sessions} sessions in {self.weeks} weeks needs {needed} a week, "
                    f"more than the {self.per_week} a week chosen.",
                    field="per_week",
                )
        if not 5 <= self.duration_minutes <= 480:
            raise ValidationError(
                "A session lasts between 5 and 480 minutes.", field="duration_minutes"
            )
        if not 0 <= self.flexibility_minutes <= 720:
            raise ValidationError(
                "The leeway around the preferred time must be between 0 and 720 minutes.",
                field="flexibility_minutes",
            )
        if self.step_minutes < 1:
            raise ValueError("step_minutes must be at least 1")

    @property
    def duration(self) -> timedelta:
        """The length of one session."""
        return timedelta(minutes=self.duration_minutes)


@dataclass(frozen=True)
class PlannedSession:
    """A session that found a slot. ``index`` counts from 1 (session 1 of 16)."""

    index: int
    interval: Interval


@dataclass(frozen=True)
class UnplacedSession:
    """A session with no free slot on its wanted day, and why, in words for the desk."""

    index: int
    wanted_day: date
    reason: str


@dataclass(frozen=True)
class CoursePlan:
    """The outcome of :func:`plan_course`: sessions placed and sessions left for a human."""

    placed: list[PlannedSession]
    unplaced: list[UnplacedSession]

    @property
    def complete(self) -> bool:
        """Whether every session found a slot."""
        return not self.unplaced


def _ceil_div(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


def session_counts(sessions: int, per_week: int, weeks: int | None) -> list[int]:
    """How many sessions fall in each course week.

    Without ``weeks``: ``per_week`` each week, the remainder in the last. With ``weeks``:
    the busier weeks first, or one session every few weeks when there are fewer sessions
    than weeks.
    """
    if weeks is None:
        full, rest = divmod(sessions, per_week)
        return [per_week] * full + ([rest] if rest else [])
    if sessions >= weeks:
        base, extra = divmod(sessions, weeks)
        return [base + 1] * extra + [base] * (weeks - extra)
    # ceilings, so the first week has a session and the empty weeks come between
    return [
        _ceil_div((week + 1) * sessions, weeks) - _ceil_div(week * sessions, weeks)
        for week in range(weeks)
    ]


def _pick_evenly(offsets: Sequence[int], count: int) -> list[int]:
    """``count`` of the sorted ``offsets``, as far apart as their order allows."""
    size = len(offsets)
    # index * size / count rounded half up, in integers
    return [offsets[(2 * index * size + count) // (2 * count)] for index in range(count)]


def spread_weekdays(per_week: int, open_weekdays: Sequence[int], anchor: int) -> list[int]:
    """Choose ``per_week`` of the ``open_weekdays`` as evenly spaced over the week as possible.

    The choice starts on ``anchor`` (the first day of the course) when that day is open,
    otherwise on the next open day. Two a week from a Tuesday, Monday to Friday open, gives
    Tuesday and Friday. The days are returned in course order starting from the anchor.
    """
    open_days = sorted(set(open_weekdays))
    if per_week > len(open_days):
        raise ValidationError(
            f"The practitioner works on {len(open_days)} day{'s' if len(open_days) != 1 else ''} "
            f"a week, too few for {per_week} sessions a week.",
            field="per_week",
        )
    start = min(open_days, key=lambda day: (day - anchor) % 7)
    others = [(day - start) % 7 for day in open_days if day != start]
    best: tuple[tuple[int, int, tuple[int, ...]], tuple[int, ...]] | None = None
    for chosen in combinations(sorted(others), per_week - 1):
        offsets = (0, *chosen)
        gaps = [later - earlier for earlier, later in pairwise(offsets)]
        gaps.append(7 - offsets[-1])
        # widest smallest gap first, then the most even, then the earliest days
        rank = (-min(gaps), max(gaps), offsets)
        if best is None or rank < best[0]:
            best = (rank, offsets)
    assert best is not None
    return [(start + offset) % 7 for offset in best[1]]


def _open_weekdays(first_day: date, working: Callable[[date], list[Interval]]) -> list[int]:
    # two weeks, so that a week of holiday at the start does not hide the usual days
    days = [first_day + timedelta(days=offset) for offset in range(14)]
    return sorted({day.weekday() for day in days if working(day)})


def _wanted_days(request: CourseRequest, pattern: Sequence[int]) -> list[date]:
    offsets = sorted((weekday - request.first_day.weekday()) % 7 for weekday in pattern)
    wanted: list[date] = []
    for week, count in enumerate(session_counts(request.sessions, request.per_week, request.weeks)):
        if count == 0:
            continue
        week_start = request.first_day + timedelta(weeks=week)
        chosen = offsets if count == len(offsets) else _pick_evenly(offsets, count)
        wanted.extend(week_start + timedelta(days=offset) for offset in chosen)
    return wanted


def _place(
    request: CourseRequest,
    day: date,
    working: Callable[[date], list[Interval]],
    busy: Callable[[date], list[Interval]],
) -> Interval | str:
    """The slot nearest the wanted time on ``day``, or the reason there is none."""
    hours = working(day)
    if not hours:
        return f"{_short_day(day)}: no working hours that day"
    wanted = local_datetime(day, request.around, request.tz)
    leeway = timedelta(minutes=request.flexibility_minutes)
    window = Interval(wanted - leeway, wanted + leeway + request.duration).intersection(
        day_bounds(day, request.tz)
    )
    if request.not_before is not None and (window is None or window.end <= request.not_before):
        return f"{_short_day(day)}: that time has already passed"
    slots = (
        find_free_slots(
            window,
            request.duration,
            hours,
            busy(day),
            request.step_minutes,
            request.not_before,
            tz=request.tz,
        )
        if window is not None
        else []
    )
    if not slots:
        return f"{_short_day(day)}: no free time near {request.around:%H:%M}"
    return min(slots, key=lambda slot: (abs(slot.start - wanted), slot.start))


def plan_course(
    request: CourseRequest,
    working: Callable[[date], list[Interval]],
    busy: Callable[[date], list[Interval]],
) -> CoursePlan:
    """Place each session of the course on its wanted day, as near ``request.around`` as free.

    ``working(day)`` gives the practitioner's working intervals of a local date and
    ``busy(day)`` everything already booked that day for the practitioner (and the room,
    when one is needed). Sessions that do not fit are listed in ``unplaced`` with a reason
    such as "Fri 12 Dec: no free time near 10:00".
    """
    if request.weekdays is not None:
        pattern = list(request.weekdays)
    else:
        open_days = _open_weekdays(request.first_day, working)
        if not open_days:
            raise ValidationError(
                f"There are no working hours in the two weeks from "
                f"{_short_day(request.first_day)}, so the course cannot be planned.",
                field="first_day",
            )
        pattern = spread_weekdays(request.per_week, open_days, request.first_day.weekday())
    placed: list[PlannedSession] = []
    unplaced: list[UnplacedSession] = []
    for index, day in enumerate(_wanted_days(request, pattern), start=1):
        outcome = _place(request, day, working, busy)
        if isinstance(outcome, Interval):
            placed.append(PlannedSession(index, outcome))
        else:
            unplaced.append(UnplacedSession(index, day, outcome))
    return CoursePlan(placed, unplaced)


@dataclass(frozen=True)
class CoursePreset:
    """A ready-made course shape to start from; the receptionist can change any number."""

    key: str
    label: str
    sessions: int
    per_week: int
    weeks: int
    service: ServiceKind | None = None
    #: True for the clinic's own habit, False for a shape taken from published trials
    clinic_policy: bool = False
    note: str = ""

    def request(
        self,
        first_day: date,
        around: time,
        duration_minutes: int,
        tz: tzinfo,
        *,
        weekdays: Sequence[int] | None = None,
        flexibility_minutes: int = 120,
        not_before: datetime | None = None,
    ) -> CourseRequest:
        """A :class:`CourseRequest` of this shape."""
        return CourseRequest(
            first_day=first_day,
            sessions=self.sessions,
            per_week=self.per_week,
            weekdays=weekdays,
            around=around,
            duration_minutes=duration_minutes,
            tz=tz,
            flexibility_minutes=flexibility_minutes,
            weeks=self.weeks,
            not_before=not_before,
        )


COURSE_PRESETS: tuple[CoursePreset, ...] = (
    CoursePreset(
        "electro_2x8",
        "Electro-acupuncture: 16 sessions, twice a week for 8 weeks",
        sessions=16,
        per_week=2,
        weeks=8,
        service=ServiceKind.ELECTRO_ACUPUNCTURE,
    ),
    CoursePreset(
        "twelve_in_8",
        "12 sessions spread over 8 weeks",
        sessions=12,
        per_week=2,
        weeks=8,
        note="Twice a week for the first 4 weeks, then weekly.",
    ),
    CoursePreset(
        "eighteen_in_8",
        "18 sessions spread over 8 weeks",
        sessions=18,
        per_week=3,
        weeks=8,
        note="Three a week for the first 2 weeks, then twice a week.",
    ),
    CoursePreset(
        "short_twelve_in_4",
        "12 short sessions over 4 weeks",
        sessions=12,
        per_week=3,
        weeks=4,
    ),
    CoursePreset(
        "cupping_5_in_2",
        "Cupping: 5 sessions over 2 weeks",
        sessions=5,
        per_week=3,
        weeks=2,
        service=ServiceKind.CUPPING,
    ),
    CoursePreset(
        "clinic_2x6",
        "Clinic plan: twice a week for 6 weeks",
        sessions=12,
        per_week=2,
        weeks=6,
        clinic_policy=True,
        note="Monthly tune-up visits follow; book them separately.",
    ),
)


def course_preset(key: str) -> CoursePreset:
    """The preset with ``key``; ``KeyError`` if there is none."""
    for preset in COURSE_PRESETS:
        if preset.key == key:
            return preset
    raise KeyError(key)
