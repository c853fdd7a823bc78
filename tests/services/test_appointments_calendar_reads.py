"""What the calendar reads, on SQLite and PostgreSQL: a day's or a week's appointments with
every field the blocks show, the patients' current safety flags (a new intake shows at the
next read), local days across the clock change, and the busy-day counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from frontdesk.domain.enums import AppointmentStatus
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput
from frontdesk.services.records import AppointmentRecord

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 3, 2)
#: the clocks go forward in London at 01:00 UTC that Sunday
CLOCK_CHANGE = date(2026, 3, 29)
MEI, TOMASZ = 1, 2


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def desk(clinic: Services, clock: Any) -> Services:
    clock.now = at(MONDAY, 8)
    return clinic


def patient(services: Services, name: str, preferred: str = "") -> int:
    return services.patients.create(PatientInput(legal_name=name, preferred_name=preferred)).id


def book(
    services: Services, patient_id: int, start: datetime, practitioner: int = MEI, **kwargs: Any
) -> AppointmentRecord:
    return services.appointments.book(
        BookingRequest(
            patient_id,
            services.clinic.service_by_code(kwargs.pop("code", "ACU")).id,
            practitioner,
            start,
            room_id=kwargs.pop("room", 1),
            allow_outside_hours=True,
            **kwargs,
        )
    )


def test_a_day_reads_every_field_a_block_shows(desk: Services, clock: Any) -> None:
    ann = patient(desk, "Ann Lee", preferred="Annie")
    first = book(desk, ann, at(MONDAY, 9), walk_in=True, notes="Bring shorts")
    second = book(desk, ann, at(MONDAY, 11), practitioner=TOMASZ, room=2, code="CONS")
    clock.now = at(MONDAY, 10, 50)
    desk.appointments.check_in(second.id)
    records = desk.appointments.on_day(MONDAY)
    assert [r.id for r in records] == [first.id, second.id]
    shown, arrived = records
    assert shown.patient_name == "Annie (Ann Lee)"
    assert (shown.service_code, shown.practitioner_name, shown.room_name) == (
        "ACU",
        "Mei Chen",
        "Room 1",
    )
    assert shown.walk_in and shown.notes == "Bring shorts"
    assert shown.status is AppointmentStatus.BOOKED and shown.arrived_at is None
    # every instant comes back aware and the same moment as booked
    assert shown.starts_at == at(MONDAY, 9) and shown.starts_at.tzinfo is not None
    length = desk.clinic.service_by_code("ACU").default_minutes
    assert shown.ends_at - shown.starts_at == timedelta(minutes=length)
    assert shown.booked_at == at(MONDAY, 8)
    assert arrived.status is AppointmentStatus.ARRIVED
    assert arrived.arrived_at == at(MONDAY, 10, 50)
    assert arrived.arrived_at.utcoffset() == timedelta(0)
    # the same records as reading each appointment on its own
    assert records == [desk.appointments.get(first.id), desk.appointments.get(second.id)]


def test_a_week_of_one_practitioner_and_only_the_occupying(desk: Services) -> None:
    ann, bob = patient(desk, "Ann Lee"), patient(desk, "Bob Hale")
    kept = book(desk, ann, at(MONDAY, 9))
    book(desk, bob, at(MONDAY + timedelta(days=2), 10), practitioner=TOMASZ, room=2)
    gone = book(desk, bob, at(MONDAY + timedelta(days=4), 15))
    desk.appointments.cancel(gone.id, "Unwell")
    start, end = at(MONDAY, 0), at(MONDAY + timedelta(days=7), 0)
    week = desk.appointments.between(start, end, practitioner_ids=[MEI])
    assert [r.id for r in week] == [kept.id, gone.id]
    assert [r.id for r in desk.appointments.between(start, end, practitioner_ids=[])] == []
    live = desk.appointments.between(start, end, practitioner_ids=[MEI], include_freed=False)
    assert [r.id for r in live] == [kept.id]
    assert desk.appointments.on_day(MONDAY + timedelta(days=1)) == []


def test_a_new_intake_changes_the_flags_at_the_next_read(desk: Services) -> None:
    ann, bob = patient(desk, "Ann Lee"), patient(desk, "Bob Hale")
    book(desk, ann, at(MONDAY, 9))
    book(desk, bob, at(MONDAY, 10))
    desk.intakes.save(ann, {"schema": 1, "safety": {"pregnant": True}})
    flags = {r.patient_id: r.flags for r in desk.appointments.on_day(MONDAY)}
    assert flags == {ann: ("PREG",), bob: ()}
    first = desk.appointments.on_day(MONDAY)[0]
    assert first.flag_summary == "Pregnant"
    # read again (the flags now come from what was kept for that intake), then a newer
    # intake without the flag: the calendar shows the newer one
    assert desk.appointments.on_day(MONDAY)[0].flags == ("PREG",)
    desk.intakes.save(ann, {"schema": 1, "safety": {"pregnant": False}})
    again = desk.appointments.on_day(MONDAY)[0]
    assert (again.flags, again.flag_summary) == ((), "")


def test_the_day_the_clocks_go_forward_is_a_local_day(desk: Services) -> None:
    ann = patient(desk, "Ann Lee")
    before = book(desk, ann, at(CLOCK_CHANGE, 0, 30))  # 00:30 GMT
    after = book(desk, ann, at(CLOCK_CHANGE, 23, 0))  # 23:00 BST = 22:00 UTC
    book(desk, ann, at(CLOCK_CHANGE + timedelta(days=1), 0, 15))
    day = desk.appointments.on_day(CLOCK_CHANGE)
    assert [r.id for r in day] == [before.id, after.id]
    assert day[1].starts_at.astimezone(UTC).hour == 22
    assert day[1].starts_at.astimezone(LONDON).hour == 23
    assert desk.appointments.day_summary(CLOCK_CHANGE, CLOCK_CHANGE + timedelta(days=1)) == {
        CLOCK_CHANGE: 2,
        CLOCK_CHANGE + timedelta(days=1): 1,
    }


@pytest.mark.sqlite_only
def test_two_clinic_files_never_show_each_other_s_safety_flags(
    desk: Services, clock: Any, _sqlite_template: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    """A second clinic file open in the same program (a restored copy beside the live one)
    whose intake has the same number and time saved: each calendar shows its own flags,
    and seeing them again needs no second assessment."""
    import shutil

    from frontdesk.db.engine import Database
    from frontdesk.services.clinic import ClinicSetup
    from frontdesk.services.safety_checks import forget_kept_flags

    other_path = tmp_path / "other" / "clinic.sqlite3"
    other_path.parent.mkdir()
    shutil.copyfile(_sqlite_template, other_path)
    other_db = Database(f"sqlite:///{other_path}")
    try:
        other = Services(other_db, clock=clock)
        other.clinic.set_up(
            ClinicSetup(
                name="Hillside Clinic",
                timezone="Europe/London",
                practitioners=[("Mei Chen", "L.Ac.")],
                rooms=["Room 1"],
            )
        )
        forget_kept_flags()
        for services, pregnant in ((desk, True), (other, False)):
            ann = patient(services, "Ann Lee")
            book(services, ann, at(MONDAY, 9))
            services.intakes.save(ann, {"schema": 1, "safety": {"pregnant": pregnant}})
        assert desk.appointments.on_day(MONDAY)[0].flags == ("PREG",)
        assert other.appointments.on_day(MONDAY)[0].flags == ()
        # a later sign-in (new services over the same file) finds the flags kept
        again = Services(desk.db, clock=clock)
        from frontdesk.domain import safety

        assessed: list[object] = []
        real_assess = safety.assess
        monkeypatch.setattr(
            safety, "assess", lambda intake: assessed.append(intake) or real_assess(intake)
        )
        assert again.appointments.on_day(MONDAY)[0].flags == ("PREG",)
        assert assessed == []
    finally:
        other_db.dispose()
