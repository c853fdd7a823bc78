"""Patients on SQLite and PostgreSQL: search as you type (accents, any part of a Chinese
name and its pinyin, phone digits in any format, birth date, chart number), duplicate
warnings, and merging two records without losing an appointment, intake or visit."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from frontdesk.db.models import AuditEntry, Intake
from frontdesk.domain.enums import AppointmentStatus, ServiceKind
from frontdesk.domain.errors import ValidationError
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput, same_phone_number
from frontdesk.services.records import PatientSummary
from frontdesk.services.visits import VisitInput

MONDAY_8AM = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def desk(clinic: Services, clock: Any) -> Services:
    clock.now = MONDAY_8AM
    return clinic


@pytest.fixture
def register(desk: Services) -> dict[str, int]:
    """A small list of patients with the names and numbers the desk meets."""
    people = {
        "zoe": PatientInput(
            legal_name="Zoë Adams", phone="07700 900123", date_of_birth="1956-03-14"
        ),
        "lukasz": PatientInput(legal_name="Łukasz Kowalski", phone="+48 601 234 567"),
        "xiaoming": PatientInput(legal_name="王小明", date_of_birth=date(1971, 8, 9)),
        "li": PatientInput(legal_name="Wang Li", other_script_name="王丽", chart_number="C-1234"),
        "zoey": PatientInput(legal_name="Zoey Brown", phone="(0161) 496-0000"),
    }
    return {key: desk.patients.create(data).id for key, data in people.items()}


def found(services: Services, text: str) -> list[int]:
    return [p.id for p in services.patients.search(text)]


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("zoe", "zoe"),
        ("ZOË ad", "zoe"),
        ("adams zoe", "zoe"),
        ("lukasz", "lukasz"),
        ("Łuk", "lukasz"),
        ("kowal", "lukasz"),
        ("小明", "xiaoming"),
        ("王小明", "xiaoming"),
        ("wang xiaoming", "xiaoming"),
        ("xiaoming", "xiaoming"),
        ("wangxiaoming", "xiaoming"),
        ("王丽", "li"),
        ("07700900123", "zoe"),
        ("07700 900 123", "zoe"),
        ("(07700) 900-123", "zoe"),
        ("7700 900123", "zoe"),
        ("0123", "zoe"),
        ("601234567", "lukasz"),
        ("0048 601 234 567", "lukasz"),
        ("+48 601-234-567", "lukasz"),
        ("1956-03-14", "zoe"),
        ("14.03.1956", "zoe"),
        ("1971-08-09", "xiaoming"),
        ("c-1234", "li"),
        ("C1234", "li"),
    ],
)
def test_search_finds_the_patient(
    desk: Services, register: dict[str, int], query: str, who: str
) -> None:
    assert register[who] in found(desk, query)


@pytest.mark.parametrize(
    "typed",
    [
        "+44 7700 900123",
        "447700900123",
        "0044 7700 900123",
        "+44 (0)7700 900123",
        "+44 7700 9",
        "+44 77",
    ],
)
def test_a_number_stored_as_dialled_at_home_is_found_typed_from_abroad(
    desk: Services, register: dict[str, int], typed: str
) -> None:
    # Zoë's number was registered as 07700 900123
    assert found(desk, typed) == [register["zoe"]]


@pytest.mark.parametrize(
    "typed", ["07700900456", "07700 900 456", "(07700) 900-456", "07700 9004", "0770"]
)
def test_a_number_stored_from_abroad_is_found_typed_as_dialled_at_home(
    desk: Services, register: dict[str, int], typed: str
) -> None:
    an = desk.patients.create(PatientInput(legal_name="Nguyen An", phone="+44 7700 900456")).id
    assert an in found(desk, typed)
    assert register["lukasz"] not in found(desk, typed)


def test_each_keystroke_of_a_number_keeps_the_patient_in_the_list(
    desk: Services, register: dict[str, int]
) -> None:
    an = desk.patients.create(PatientInput(legal_name="Nguyen An", phone="+44 7700 900456")).id
    for typed, patient in (("+44 7700 900123", register["zoe"]), ("07700 900456", an)):
        for end in range(2, len(typed) + 1):
            assert patient in found(desk, typed[:end]), typed[:end]


def test_search_needs_every_word_to_match(desk: Services, register: dict[str, int]) -> None:
    assert set(found(desk, "zoe")) == {register["zoe"], register["zoey"]}
    assert found(desk, "zoe brown") == [register["zoey"]]
    assert found(desk, "wang") and register["lukasz"] not in found(desk, "wang")
    assert found(desk, "nobody here") == []


def test_an_empty_box_lists_the_patients_added_last(
    desk: Services, register: dict[str, int]
) -> None:
    newest_first = list(reversed(register.values()))
    assert found(desk, "") == newest_first
    assert found(desk, "  ") == newest_first
    assert [p.id for p in desk.patients.search("", limit=2)] == newest_first[:2]
    desk.patients.set_archived(register["zoey"], True)
    assert register["zoey"] not in found(desk, "")
    with_archived = desk.patients.search("", include_archived=True)
    assert (with_archived[0].id, with_archived[0].archived) == (register["zoey"], True)
    # the same record as when typed
    assert desk.patients.search("")[0] == desk.patients.search("c-1234")[0]


def test_the_chart_number_finds_the_patient(desk: Services, register: dict[str, int]) -> None:
    chart = desk.patients.get(register["zoe"]).chart_number
    assert register["zoe"] in found(desk, chart)


def test_archived_patients_are_found_only_when_asked(
    desk: Services, register: dict[str, int]
) -> None:
    desk.patients.set_archived(register["lukasz"], True)
    assert found(desk, "lukasz") == []
    assert [p.id for p in desk.patients.search("lukasz", include_archived=True)] == [
        register["lukasz"]
    ]


def test_a_search_row_shows_the_names_birth_date_phone_and_chart(desk: Services) -> None:
    pid = desk.patients.create(
        PatientInput(
            legal_name="Wang Xiaoming",
            preferred_name="David",
            other_script_name="王小明",
            date_of_birth="1971-08-09",
            phone="07700 900555",
            chart_number="C-77",
        )
    ).id
    assert desk.patients.search("david") == [
        PatientSummary(
            id=pid,
            display_name="David (Wang Xiaoming) 王小明",
            legal_name="Wang Xiaoming",
            other_script_name="王小明",
            date_of_birth=date(1971, 8, 9),
            phone="07700 900555",
            chart_number="C-77",
            archived=False,
        )
    ]
    desk.patients.set_archived(pid, True)
    (row,) = desk.patients.search("wang", include_archived=True)
    assert (row.id, row.archived, row.display_name) == (pid, True, "David (Wang Xiaoming) 王小明")


def test_a_patient_matching_by_several_names_is_listed_once(desk: Services) -> None:
    # "wang" starts the legal name, the name run together and the pinyin of 王
    pid = desk.patients.create(
        PatientInput(legal_name="Wang Wangshu", preferred_name="Wanda", other_script_name="王")
    ).id
    other = desk.patients.create(PatientInput(legal_name="Wang Li")).id
    assert sorted(found(desk, "wan")) == sorted([pid, other])
    assert len(desk.patients.search("wan", limit=1)) == 1


def test_patients_sharing_a_first_word_are_listed_by_their_whole_name(desk: Services) -> None:
    names = ("Wang Xiaoming", "Wang Fang", "Zoe Wang", "Wang Li")
    ids = {name: desk.patients.create(PatientInput(legal_name=name)).id for name in names}
    assert [p.legal_name for p in desk.patients.search("wang")] == [
        "Zoe Wang",  # a word that is exactly what was typed comes first
        "Wang Fang",
        "Wang Li",
        "Wang Xiaoming",
    ]
    assert found(desk, "wang f") == [ids["Wang Fang"]]


def test_names_typed_in_their_order_come_first(desk: Services) -> None:
    other_order = desk.patients.create(PatientInput(legal_name="Xiaoming Wang")).id
    in_order = desk.patients.create(PatientInput(legal_name="Wang Xiaoming")).id
    desk.patients.create(PatientInput(legal_name="Wangxi Li"))  # "wangx" but no word "x..."
    assert found(desk, "wang x") == [in_order, other_order]
    assert found(desk, "xiaoming wang") == [other_order, in_order]
    assert found(desk, "Wang  X") == [in_order, other_order]
    assert [p.id for p in desk.patients.search("wang x", limit=1)] == [in_order]


def test_a_full_page_of_results_is_cut_at_the_limit(desk: Services) -> None:
    given = ("Ann", "Ben", "Cara", "Dev", "Eve", "Finn", "Gus")
    ids = [desk.patients.create(PatientInput(legal_name=f"{name} Smith")).id for name in given]
    assert len(found(desk, "smith")) == 7
    page = [p.id for p in desk.patients.search("smith", limit=5)]
    assert len(page) == 5 and set(page) <= set(ids)


# -- duplicates ------------------------------------------------------------------------------


def test_same_birth_date_and_a_similar_name_is_a_likely_duplicate(
    desk: Services, register: dict[str, int]
) -> None:
    similar = desk.patients.find_similar(
        PatientInput(legal_name="Zoe Adams", date_of_birth="1956-03-14")
    )
    assert [(c.patient.id, c.reason) for c in similar] == [
        (register["zoe"], "same date of birth and a similar name")
    ]
    # the same name with another birth date, or another name on that date, is no match
    assert (
        desk.patients.find_similar(PatientInput(legal_name="Zoe Adams", date_of_birth="1957-03-14"))
        == []
    )
    assert (
        desk.patients.find_similar(
            PatientInput(legal_name="Harry Jones", date_of_birth="1956-03-14")
        )
        == []
    )


def test_names_written_in_another_order_are_similar(
    desk: Services, register: dict[str, int]
) -> None:
    desk.patients.update(
        register["xiaoming"],
        desk.patients.get(register["xiaoming"]).version,
        PatientInput(
            legal_name="Wang Xiaoming", other_script_name="王小明", date_of_birth="1971-08-09"
        ),
    )
    similar = desk.patients.find_similar(
        PatientInput(legal_name="Xiaoming Wang", date_of_birth="1971-08-09")
    )
    assert [c.patient.id for c in similar] == [register["xiaoming"]]


@pytest.mark.parametrize("phone", ["07700900123", "+44 7700 900123", "0044 (7700) 900-123"])
def test_the_same_phone_in_any_format_is_a_likely_duplicate(
    desk: Services, register: dict[str, int], phone: str
) -> None:
    similar = desk.patients.find_similar(PatientInput(legal_name="Someone Else", phone=phone))
    assert [(c.patient.id, c.reason) for c in similar] == [
        (register["zoe"], "the same phone number")
    ]


def test_the_patient_being_edited_is_not_its_own_duplicate(
    desk: Services, register: dict[str, int]
) -> None:
    data = PatientInput(legal_name="Zoë Adams", phone="07700 900123", date_of_birth="1956-03-14")
    assert desk.patients.find_similar(data, exclude_id=register["zoe"]) == []


def test_phone_numbers_compare_with_or_without_trunk_and_country_codes() -> None:
    assert same_phone_number("07700 900123", "+44 7700 900123")
    assert same_phone_number("+1 (415) 555-0134", "415 555 0134")
    assert not same_phone_number("07700 900123", "07700 900124")
    assert not same_phone_number("900123", "900123")  # too short to say


# -- merging ---------------------------------------------------------------------------------


def _book(services: Services, pid: int, day: int, hour: int) -> int:
    return services.appointments.book(
        BookingRequest(
            patient_id=pid,
            service_id=services.clinic.service_by_code("ACU").id,
            practitioner_id=1,
            room_id=1,
            starts_at=datetime(2026, 3, day, hour, 0, tzinfo=UTC),
            acknowledged_warnings=True,
        )
    ).id


def test_a_merge_keeps_every_appointment_intake_and_visit(desk: Services, clock: Any) -> None:
    keep = desk.patients.create(PatientInput(legal_name="Wang Xiaoming", phone="07700 900555")).id
    dup = desk.patients.create(PatientInput(legal_name="Xiaoming Wang")).id
    desk.intakes.save(keep, {"schema": 1, "pain": {"now": 7}})
    clock.now = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
    desk.intakes.save(dup, {"schema": 1, "pain": {"now": 5}, "safety": {"epilepsy": True}})
    kept_appointment = _book(desk, keep, 3, 10)
    dup_appointments = [_book(desk, dup, 4, 10), _book(desk, dup, 5, 10)]
    desk.appointments.check_in(dup_appointments[0])
    visit = desk.visits.record(
        dup_appointments[0],
        VisitInput(services=(ServiceKind.ACUPUNCTURE,), pain_before=5, pain_after=3),
        acknowledged=True,
    )

    desk.patients.merge(keep, dup)

    assert {a.id for a in desk.appointments.for_patient(keep)} == {
        kept_appointment,
        *dup_appointments,
    }
    assert desk.appointments.for_patient(dup) == []
    assert [v.id for v in desk.visits.for_patient(keep)] == [visit.id]
    versions = desk.intakes.versions(keep)
    assert [(v.version_no, v.pain_now) for v in versions] == [(2, 5), (1, 7)]
    assert "EPI" in desk.intakes.flags(keep).badges  # the newer answers are in force
    merged = desk.patients.get(dup)
    assert merged.archived
    assert desk.appointments.get(dup_appointments[1]).status is AppointmentStatus.BOOKED
    with desk.db.read() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "merge")).all()
    assert {(e.entity_id, e.patient_id) for e in entries} == {(keep, keep), (dup, dup)}
    kept_entry = next(e for e in entries if e.entity_id == keep)
    assert kept_entry.changes["merged_patient"] == dup
    assert kept_entry.changes["moved"]["appointments"] == 2
    assert kept_entry.changes["moved"]["intakes"] == 1
    # the merged record no longer shows in search or duplicate warnings
    assert dup not in found(desk, "xiaoming")


def test_a_merge_never_brings_older_answers_back_into_force(desk: Services, clock: Any) -> None:
    keep = desk.patients.create(PatientInput(legal_name="Ana Silva")).id
    dup = desk.patients.create(PatientInput(legal_name="Ana Sílva")).id
    # an old screen with nothing to flag, then newer answers: a pacemaker fitted since
    desk.intakes.save(dup, {"schema": 1, "mnsi": {"2": True}})
    clock.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    desk.intakes.save(
        keep, {"schema": 1, "mnsi": {"2": True, "3": True}, "safety": {"implanted_device": True}}
    )
    desk.patients.merge(keep, dup)
    assert [v.source for v in desk.intakes.versions(keep)] == ["merge", "merge", "form"]
    assert "PM" in desk.intakes.flags(keep).badges
    # the answers repeated on top do not show twice in the MNSI trend
    assert [point.score for point in desk.history.mnsi_trend(keep)] == [1, 2]
    with desk.db.read() as s:
        assert len(s.scalars(select(Intake).where(Intake.patient_id == dup)).all()) == 1


def test_a_record_is_merged_only_once(desk: Services) -> None:
    a, b, c = (desk.patients.create(PatientInput(legal_name=n)).id for n in ("A A", "B B", "C C"))
    desk.patients.merge(a, b)
    with pytest.raises(ValidationError, match="already merged"):
        desk.patients.merge(c, b)
    with pytest.raises(ValidationError, match="already merged"):
        desk.patients.merge(b, c)
    with pytest.raises(ValidationError, match="two different"):
        desk.patients.merge(a, a)
