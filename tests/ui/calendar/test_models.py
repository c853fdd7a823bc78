"""The calendar's item models pass Qt's model checks, and blocks never cover each other."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.enums import AppointmentStatus
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.patients import PatientInput
from frontdesk.ui.models.appointments import lay_out_lanes
from frontdesk.ui.models.calendar_course_preview import CoursePreviewModel, PreviewRow
from frontdesk.ui.models.calendar_patient_choices import PatientChoiceModel
from frontdesk.ui.models.waiting import WaitingModel
from frontdesk.ui.models.waiting_list_matches import WaitlistMatchModel

LONDON = ZoneInfo("Europe/London")


def _overlap(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@given(st.lists(st.tuples(st.integers(0, 600), st.integers(5, 120), st.booleans()), max_size=12))
def test_lanes_never_put_two_blocks_on_the_same_spot(raw):
    spans = [(start, start + length, freed) for start, length, freed in raw]
    placed = lay_out_lanes(spans)
    for i, (left, width) in enumerate(placed):
        assert left >= 0.0 and left + width <= 1.0 + 1e-9 and width > 0
        for j in range(i):
            if _overlap(spans[i], spans[j]):
                other_left, other_width = placed[j]
                apart = left >= other_left + other_width - 1e-9 or (
                    other_left >= left + width - 1e-9
                )
                assert apart, (spans[i], spans[j], placed[i], placed[j])


def test_a_cancelled_block_beside_its_replacement_is_narrower():
    live, cancelled = lay_out_lanes([(600, 660, False), (600, 660, True)])
    assert live == (0.0, pytest.approx(2 / 3))
    assert cancelled[0] == pytest.approx(2 / 3) and cancelled[1] == pytest.approx(1 / 3)


@pytest.mark.sqlite_only
def test_waiting_model(qtmodeltester, clinic, clock):
    clock.now = datetime(2030, 3, 11, 10, 30, tzinfo=LONDON)
    patient = clinic.patients.create(PatientInput(legal_name="Ruth Abara", phone="07700 900321"))
    mei = clinic.clinic.practitioners()[0]
    record = clinic.appointments.book(
        BookingRequest(
            patient.id,
            clinic.clinic.service_by_code("CONS").id,
            mei.id,
            datetime(2030, 3, 11, 10, 45, tzinfo=LONDON),
        )
    )
    clock.now = datetime(2030, 3, 11, 10, 32, tzinfo=LONDON)
    clinic.appointments.check_in(record.id)
    model = WaitingModel(LONDON)
    model.set_rows(clinic.appointments.waiting(), clock.now + timedelta(minutes=20))
    qtmodeltester.check(model)
    assert model.data(model.index(0, model.PATIENT)) == "Ruth Abara"
    assert model.data(model.index(0, model.ARRIVED)) == "10:32"
    assert model.data(model.index(0, model.WAITING)) == "20 min"
    assert model.data(model.index(0, model.WAITING), 9) is not None  # long wait: alert colour
    model.set_now(clock.now + timedelta(minutes=3))
    assert model.data(model.index(0, model.WAITING)) == "3 min"


def test_course_preview_model(qtmodeltester):
    model = CoursePreviewModel(LONDON)
    start = datetime(2030, 3, 18, 10, 0, tzinfo=LONDON)
    model.set_rows(
        [
            PreviewRow(1, date(2030, 3, 18), start, start + timedelta(hours=1), "Room 1"),
            PreviewRow(2, date(2030, 3, 21), reason="Thu 21 Mar: no free time near 10:00"),
        ]
    )
    qtmodeltester.check(model)
    assert model.data(model.index(0, model.TIME)) == "10:00–11:00"
    assert model.data(model.index(1, model.ROOM)) == "Thu 21 Mar: no free time near 10:00"
    assert model.placed_count() == 1 and len(model.unplaced()) == 1


@pytest.mark.sqlite_only
def test_patient_choice_and_waitlist_match_models(qtmodeltester, clinic, clock):
    clock.now = datetime(2030, 3, 11, 9, 0, tzinfo=LONDON)
    for name in ("Anna Kowalska", "Anna Kowalczyk"):
        clinic.patients.create(PatientInput(legal_name=name, date_of_birth="1961-05-06"))
    choices = PatientChoiceModel()
    choices.set_results("anna", clinic.patients.search("anna"))
    qtmodeltester.check(choices)
    assert choices.rowCount() == 3
    assert "born 6 May 1961" in choices.data(choices.index(0, 0))
    assert choices.is_new_row(2)
    assert choices.data(choices.index(2, 0)) == "New patient: anna…"

    patient = clinic.patients.search("kowalska")[0]
    clinic.waitlist.add(
        patient.id,
        None,
        None,
        None,
        None,
        urgency=3,
        service_id=clinic.clinic.service_by_code("ACU").id,
    )
    matches = clinic.waitlist.matches_for_freed_slot(
        _interval(datetime(2030, 3, 11, 11, 0, tzinfo=LONDON), 60),
        clinic.clinic.practitioners()[0].id,
    )
    model = WaitlistMatchModel(LONDON)
    model.set_matches(matches)
    qtmodeltester.check(model)
    assert model.data(model.index(0, model.PATIENT)) == "Anna Kowalska"
    assert model.data(model.index(0, model.URGENCY)) == "Urgent"
    model.remove_match(matches[0])
    assert model.rowCount() == 0


def _interval(start: datetime, minutes: int):
    from frontdesk.domain.scheduling import Interval

    return Interval(start, start + timedelta(minutes=minutes))


def test_status_labels_have_a_style():
    from frontdesk.ui.calendar.colours import status_style

    for status in AppointmentStatus:
        assert status_style(status).label
        assert status_style(status, dark=True).fill.isValid()


@pytest.mark.sqlite_only
@pytest.mark.parametrize("first_day", [date(2026, 3, 23), date(2026, 3, 30), date(2026, 10, 19)])
def test_blocks_stand_at_their_wall_clock_times_in_weeks_with_and_without_a_clock_change(
    clinic, clock, first_day
):
    """The week of 23 March 2026 ends with the clocks going forward (Sunday 29th); the
    others have no change. Every block starts and ends at the times its card shows, in the
    column of its day, in the day view and the week view alike."""
    from frontdesk.ui.models.appointments import AppointmentBook, ColumnMode

    clock.now = datetime(2026, 3, 1, 8, 0, tzinfo=LONDON)
    person = clinic.patients.create(PatientInput(legal_name="Ruth Abara")).id
    acu = clinic.clinic.service_by_code("ACU").id
    mei = clinic.clinic.practitioners()[0].id
    wanted = []
    for offset, hour, minute in ((0, 9, 0), (2, 13, 45), (5, 11, 15), (6, 10, 30), (6, 0, 30)):
        starts = datetime.combine(
            first_day + timedelta(days=offset), datetime.min.time().replace(hour=hour)
        ).replace(minute=minute, tzinfo=LONDON)
        clinic.appointments.book(
            BookingRequest(person, acu, mei, starts, room_id=1, allow_outside_hours=True)
        )
        wanted.append(starts)
    book = AppointmentBook(clinic)
    week = book.week_layout(first_day, mei)
    placed = sorted((b.column, b.start, b.end) for b in week.blocks)
    expected = []
    for starts in wanted:
        record = next(r for r in book.records_of_week(first_day, mei) if r.starts_at == starts)
        local_start = record.starts_at.astimezone(LONDON)
        local_end = record.ends_at.astimezone(LONDON)
        column = (local_start.date() - first_day).days
        expected.append(
            (
                column,
                local_start.hour * 60 + local_start.minute,
                local_end.hour * 60 + local_end.minute,
            )
        )
        day = book.day_layout(local_start.date(), ColumnMode.PRACTITIONERS)
        (block,) = [b for b in day.blocks if b.record.id == record.id]
        assert (block.start, block.end) == expected[-1][1:]
    assert placed == sorted(expected)


def _record(number: int, starts: datetime, minutes: int, freed: bool):
    from frontdesk.domain.enums import ServiceKind
    from frontdesk.services.records import AppointmentRecord

    return AppointmentRecord(
        id=number,
        patient_id=number,
        patient_name=f"Patient {number}",
        practitioner_id=1,
        practitioner_name="Mei Chen",
        room_id=None,
        room_name="",
        service_id=1,
        service_code="ACU",
        service_name="Acupuncture",
        service_kind=ServiceKind.ACUPUNCTURE,
        service_colour="#2E7D32",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes),
        status=AppointmentStatus.CANCELLED if freed else AppointmentStatus.BOOKED,
        walk_in=False,
        course_id=None,
        notes="",
        cancel_reason="",
        late_cancel=False,
        arrived_at=None,
        booked_by="",
        booked_at=starts,
        version=1,
    )


@given(st.lists(st.tuples(st.integers(0, 600), st.integers(5, 120), st.booleans()), max_size=12))
def test_a_column_s_blocks_are_placed_in_lanes_only_where_they_share_time(raw):
    from frontdesk.ui.models.appointments import Column, place_blocks

    day = date(2030, 3, 11)
    midnight = datetime(2030, 3, 11, tzinfo=LONDON)
    records = [
        _record(i + 1, midnight + timedelta(minutes=8 * 60 + start), length, freed)
        for i, (start, length, freed) in enumerate(raw)
    ]
    blocks = place_blocks(records, [Column(0, day, "Mei Chen", "#2E7D32")], lambda r: 0, LONDON)
    assert sorted(b.record.id for b in blocks) == [r.id for r in records]
    by_id = {b.record.id: b for b in blocks}
    spans = [(8 * 60 + start, 8 * 60 + start + length, freed) for start, length, freed in raw]
    expected = lay_out_lanes(spans)
    for record, span, (left, width) in zip(records, spans, expected, strict=True):
        block = by_id[record.id]
        assert (block.start, block.end) == span[:2]
        assert (block.left, block.width) == pytest.approx((left, width))
        alone = not any(_overlap(span, other) for other in spans if other is not span)
        assert not alone or (block.left, block.width) == (0.0, 1.0)
