"""Visit records on SQLite and PostgreSQL: recording for an appointment that has started,
the safety rules (a STOP needs a practitioner's override with a reason, warnings and
pregnancy points need an acknowledgement), point codes in any spelling, edits with a version
check, "copy last visit", the visit JSON format, and who may record."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from frontdesk.db.models import AuditEntry, SafetyOverride
from frontdesk.domain.enums import AppointmentStatus, Role, ServiceKind
from frontdesk.domain.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    SafetyAcknowledgementRequired,
    SafetyError,
    ValidationError,
)
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.context import Actor
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput
from frontdesk.services.visits import (
    CuppingDetails,
    ElectroSettings,
    MoxaDetails,
    Reaction,
    SoapNotes,
    VisitInput,
)

TUESDAY_8AM = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)  # London is on UTC in March
ACU = ServiceKind.ACUPUNCTURE
EA = ServiceKind.ELECTRO_ACUPUNCTURE
RECEPTIONIST = Actor(user_id=None, username="desk", role=Role.RECEPTIONIST)

PACEMAKER = {"schema": 1, "safety": {"implanted_device": True}}
PREGNANT = {"schema": 1, "safety": {"pregnant": True}}
NOTHING_TO_FLAG = {"schema": 1, "safety": {}, "pain": {"now": 5}}


@pytest.fixture
def desk(clinic: Services, clock: Any) -> Services:
    clock.now = TUESDAY_8AM
    return clinic


def patient_with(services: Services, intake: dict[str, Any] | None, name: str = "Ann Lee") -> int:
    pid = services.patients.create(PatientInput(legal_name=name)).id
    if intake is not None:
        services.intakes.save(pid, intake)
    return pid


def started(
    services: Services, patient_id: int, hour: int = 10, code: str = "ACU", room: int = 1
) -> int:
    """An appointment the patient has arrived for."""
    record = services.appointments.book(
        BookingRequest(
            patient_id=patient_id,
            service_id=services.clinic.service_by_code(code).id,
            practitioner_id=1,
            room_id=room,
            starts_at=datetime(2026, 3, 3, hour, 0, tzinfo=UTC),
            acknowledged_warnings=True,
        )
    )
    services.appointments.check_in(record.id)
    return record.id


def test_recording_a_visit_completes_the_appointment(desk: Services) -> None:
    pid = patient_with(desk, NOTHING_TO_FLAG)
    appointment = started(desk, pid)
    visit = desk.visits.record(
        appointment,
        VisitInput(
            services=(ACU,),
            points=("ST36", "SP6", "EX-LE10"),
            needle_minutes=25,
            pain_before=6,
            pain_after=4,
            reactions=(Reaction.DROWSINESS,),
            soap=SoapNotes(subjective="Burning soles at night", plan="Twice weekly"),
            next_plan="Same points",
        ),
    )
    assert visit.appointment_id == appointment and visit.patient_id == pid
    assert visit.data.points == ("ST36", "SP6", "EX-LE10")
    assert visit.pain_change == -2
    assert visit.version == 1
    assert desk.appointments.get(appointment).status is AppointmentStatus.COMPLETED
    assert desk.visits.for_appointment(appointment) == desk.visits.get(visit.id)
    with desk.db.read() as s:
        actions = [
            (a.entity, a.action)
            for a in s.scalars(select(AuditEntry).where(AuditEntry.patient_id == pid))
        ]
    assert ("appointment", "completed") in actions
    assert ("visit", "create") in actions


def test_the_booked_service_is_used_when_none_is_given(desk: Services) -> None:
    pid = patient_with(desk, NOTHING_TO_FLAG)
    visit = desk.visits.record(started(desk, pid, code="CUP"), VisitInput(pain_before=3))
    assert visit.data.services == (ServiceKind.CUPPING,)


def test_point_codes_in_any_spelling_are_stored_in_the_standard_form(desk: Services) -> None:
    pid = patient_with(desk, NOTHING_TO_FLAG)
    visit = desk.visits.record(
        started(desk, pid),
        VisitInput(services=(ACU,), points=("st 36", "Liv3", "M-LE-8", "SJ5", "ST-36", "Zusanli")),
    )
    assert visit.data.points == ("ST36", "LR3", "EX-LE10", "TE5")


def test_an_unknown_point_is_refused_with_its_position(desk: Services) -> None:
    pid = patient_with(desk, NOTHING_TO_FLAG)
    appointment = started(desk, pid)
    with pytest.raises(ValidationError, match="'ST99' is not a known acupuncture point") as caught:
        desk.visits.record(appointment, VisitInput(services=(ACU,), points=("ST36", "ST99")))
    assert caught.value.field == "points[1]"
    assert desk.visits.for_appointment(appointment) is None
    assert desk.appointments.get(appointment).status is AppointmentStatus.ARRIVED


def test_a_stop_rule_refuses_the_service_until_a_practitioner_overrides_it(
    desk: Services,
) -> None:
    pid = patient_with(desk, PACEMAKER)
    appointment = started(desk, pid, code="ACU")
    treatment = VisitInput(services=(EA,), electro=ElectroSettings(2, "low", 20))
    with pytest.raises(SafetyError, match="Implanted device") as caught:
        desk.visits.record(appointment, treatment, acknowledged=True)
    assert caught.value.field == "override_reason"
    with pytest.raises(ValidationError, match="reason"):
        desk.visits.record(appointment, treatment, override_reason="ok")
    assert desk.visits.for_appointment(appointment) is None

    reason = "Cardiologist cleared low-frequency stimulation on the legs only"
    visit = desk.visits.record(appointment, treatment, override_reason=reason)
    assert visit.overrides and visit.overrides[0].reason == reason
    assert "Electro-acupuncture" in visit.overrides[0].rules
    with desk.db.read() as s:
        row = s.scalars(select(SafetyOverride).where(SafetyOverride.patient_id == pid)).one()
        assert row.visit_id == visit.id and row.appointment_id == appointment
        audited = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "override", AuditEntry.patient_id == pid)
        ).one()
        assert audited.changes["reason"] == reason


def test_warnings_need_an_acknowledgement(desk: Services) -> None:
    pid = patient_with(desk, PACEMAKER)
    appointment = started(desk, pid)
    with pytest.raises(SafetyAcknowledgementRequired, match="Implanted device"):
        desk.visits.record(appointment, VisitInput(services=(ACU,)))
    assert desk.visits.record(appointment, VisitInput(services=(ACU,)), acknowledged=True)


def test_treating_without_any_safety_screen_needs_an_acknowledgement(desk: Services) -> None:
    pid = patient_with(desk, None)
    appointment = started(desk, pid)
    with pytest.raises(SafetyAcknowledgementRequired, match="safety questions"):
        desk.visits.record(appointment, VisitInput(services=(ACU,)))
    # a consultation alone is always safe
    assert desk.visits.record(appointment, VisitInput(services=(ServiceKind.CONSULTATION,)))


def test_points_avoided_in_pregnancy_are_flagged(desk: Services) -> None:
    pid = patient_with(desk, PREGNANT)
    appointment = started(desk, pid)
    chosen = VisitInput(services=(ACU,), points=("ST36", "LI4", "SP6", "LR3"))
    with pytest.raises(SafetyAcknowledgementRequired) as caught:
        desk.visits.record(appointment, chosen)
    assert "avoided in pregnancy: LI4, SP6, LR3" in caught.value.message
    assert desk.visits.point_warnings(pid, ["li 4", "ST36"]) == ["LI4"]

    visit = desk.visits.record(appointment, chosen, acknowledged=True)
    assert visit.data.points == ("ST36", "LI4", "SP6", "LR3")


def test_points_are_not_flagged_for_a_patient_who_is_not_pregnant(desk: Services) -> None:
    pid = patient_with(desk, NOTHING_TO_FLAG)
    assert desk.visits.point_warnings(pid, ["LI4", "SP6"]) == []
    visit = desk.visits.record(started(desk, pid), VisitInput(services=(ACU,), points=("LI4",)))
    assert visit.data.points == ("LI4",)


def test_adding_a_pregnancy_point_in_an_edit_is_flagged_too(desk: Services) -> None:
    pid = patient_with(desk, PREGNANT)
    visit = desk.visits.record(
        started(desk, pid), VisitInput(services=(ACU,), points=("ST36",)), acknowledged=True
    )
    more = VisitInput(services=(ACU,), points=("ST36", "BL67"))
    with pytest.raises(SafetyAcknowledgementRequired, match="BL67"):
        desk.visits.update(visit.id, visit.version, more)
    edited = desk.visits.update(visit.id, visit.version, more, acknowledged=True)
    assert edited.data.points == ("ST36", "BL67")


@pytest.mark.parametrize(
    "status",
    [AppointmentStatus.BOOKED, AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW],
)
def test_a_visit_needs_an_appointment_that_has_started(
    desk: Services, status: AppointmentStatus
) -> None:
    pid = patient_with(desk, NOTHING_TO_FLAG)
    record = desk.appointments.book(
        BookingRequest(
            patient_id=pid,
            service_id=desk.clinic.service_by_code("ACU").id,
            practitioner_id=1,
            room_id=1,
            starts_at=datetime(2026, 3, 3, 10, 0, tzinfo=UTC),
        )
    )
    if status is not AppointmentStatus.BOOKED:
        desk.appointments.set_status(record.id, status, reason="Unwell")
    with pytest.raises(ValidationError, match="once the patient has arrived"):
        desk.visits.record(record.id, VisitInput(services=(ACU,)))


def test_an_appointment_in_treatment_or_completed_can_be_recorded(desk: Services) -> None:
    pid = patient_with(desk, NOTHING_TO_FLAG)
    in_treatment = started(desk, pid, hour=10)
    desk.appointments.set_status(in_treatment, AppointmentStatus.IN_TREATMENT)
    completed = started(desk, pid, hour=12)
    desk.appointments.set_status(completed, AppointmentStatus.COMPLETED)
    for appointment in (in_treatment, completed):
        desk.visits.record(appointment, VisitInput(services=(ACU,)))
        assert desk.appointments.get(appointment).status is AppointmentStatus.COMPLETED


def test_one_visit_per_appointment(desk: Services) -> None:
    pid = patient_with(desk, NOTHING_TO_FLAG)
    appointment = started(desk, pid)
    desk.visits.record(appointment, VisitInput(services=(ACU,)))
    with pytest.raises(ConflictError, match="already recorded"):
        desk.visits.record(appointment, VisitInput(services=(ACU,)))


def test_unknown_appointment_or_visit(desk: Services) -> None:
    with pytest.raises(NotFoundError):
        desk.visits.record(999, VisitInput())
    with pytest.raises(NotFoundError):
        desk.visits.get(999)


def test_details_of_a_technique_not_performed_are_refused(desk: Services) -> None:
    pid = patient_with(desk, NOTHING_TO_FLAG)
    appointment = started(desk, pid)
    for visit, field in (
        (VisitInput(services=(ACU,), electro=ElectroSettings(2, "", 20)), "electro"),
        (VisitInput(services=(ACU,), cupping=CuppingDetails(minutes=5)), "cupping"),
        (VisitInput(services=(ACU,), moxibustion=MoxaDetails(minutes=5)), "moxibustion"),
        (VisitInput(services=(ServiceKind.MASSAGE,), needle_minutes=20), "needle_minutes"),
        (VisitInput(services=(ACU,), pain_after=11), "pain_after"),
    ):
        with pytest.raises(ValidationError) as caught:
            desk.visits.record(appointment, visit)
        assert caught.value.field == field


def test_an_edit_is_saved_with_a_version_check_and_audited(desk: Services) -> None:
    pid = patient_with(desk, NOTHING_TO_FLAG)
    visit = desk.visits.record(started(desk, pid), VisitInput(services=(ACU,), pain_before=6))
    edited = desk.visits.update(
        visit.id, visit.version, VisitInput(services=(ACU,), pain_before=6, pain_after=3)
    )
    assert edited.version == visit.version + 1
    assert edited.pain_after == 3
    with pytest.raises(ConflictError, match="changed by"):
        desk.visits.update(visit.id, visit.version, VisitInput(services=(ACU,), pain_after=1))
    assert desk.visits.get(visit.id).pain_after == 3
    with desk.db.read() as s:
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "visit", AuditEntry.action == "update")
        ).one()
    assert entry.changes["pain_after"] == [None, 3]


def test_copy_last_visit_keeps_the_treatment_and_drops_scores_and_notes(desk: Services) -> None:
    pid = patient_with(desk, NOTHING_TO_FLAG)
    assert desk.visits.last_for_patient(pid) is None
    desk.visits.record(
        started(desk, pid, hour=10, code="EA"),
        VisitInput(
            services=(EA,),
            points=("ST36", "EX-LE10"),
            electro=ElectroSettings(2, "comfortable", 20),
            pain_before=7,
            pain_after=5,
            soap=SoapNotes(subjective="First"),
            next_plan="Repeat",
        ),
    )
    desk.visits.record(
        started(desk, pid, hour=12),
        VisitInput(services=(ACU,), points=("KI3",), pain_before=5, reactions=(Reaction.BRUISE,)),
    )
    copy = desk.visits.last_for_patient(pid)
    assert copy is not None
    assert copy.services == (ACU,) and copy.points == ("KI3",)
    assert copy.pain_before is None and copy.reactions == () and copy.soap.is_empty
    assert [v.data.points for v in desk.visits.for_patient(pid)] == [("KI3",), ("ST36", "EX-LE10")]


def test_reading_visits_is_audited_and_refused_to_the_desk(desk: Services) -> None:
    pid = patient_with(desk, NOTHING_TO_FLAG)
    visit = desk.visits.record(started(desk, pid), VisitInput(services=(ACU,)))
    desk.visits.get(visit.id)
    desk.visits.for_patient(pid)
    with desk.db.read() as s:
        views = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "visit", AuditEntry.action == "view")
        ).all()
    assert len(views) == 2
    desk_user = desk.as_user(RECEPTIONIST)
    with pytest.raises(PermissionDenied):
        desk_user.visits.get(visit.id)
    with pytest.raises(PermissionDenied):
        desk_user.visits.record(started(desk, pid, hour=12), VisitInput(services=(ACU,)))


# -- the JSON format -------------------------------------------------------------------------


def test_the_json_form_round_trips() -> None:
    visit = VisitInput(
        services=(ACU, EA, ServiceKind.CUPPING, ServiceKind.MOXIBUSTION),
        points=("ST36",),
        point_notes="bilateral",
        needle_minutes=25,
        electro=ElectroSettings(2.5, "3 on the dial", 20),
        cupping=CuppingDetails(None, ("upper back",), 8),
        moxibustion=MoxaDetails(None, ("ST36",), 10),
        pain_before=6,
        pain_after=4,
        reactions=(Reaction.BRUISE, Reaction.FAINTING),
        reaction_notes="Lay down for 5 minutes",
        soap=SoapNotes("s", "o", "a", "p"),
        next_plan="next",
    )
    assert VisitInput.from_dict(visit.to_dict()) == visit
    assert visit.adverse_events == (Reaction.FAINTING,)


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"schema": 2}, "schema", "format 2"),
        ({"needles": 5}, None, "Unknown field 'needles'"),
        ({"services": ["reiki"]}, "services", "Each service must be one of"),
        ({"electro": {"frequency_hz": 500}}, "electro.frequency_hz", "from 0.5 to 200 Hz"),
        ({"electro": {"hz": 2}}, "electro", "Unknown field 'hz'"),
        ({"cupping": {"type": "wet"}}, "cupping.type", "Cupping type must be one of"),
        ({"reactions": ["sneezing"]}, "reactions", "Each reaction must be one of"),
        ({"soap": "notes"}, "soap", "SOAP notes must be an object"),
        ({"points": "ST36"}, "points", "list of point codes"),
        ({"pain_before": True}, "pain_before", "whole number from 0 to 10"),
    ],
)
def test_bad_json_is_refused_naming_the_field(
    data: dict[str, Any], field: str | None, words: str
) -> None:
    with pytest.raises(ValidationError, match=words) as caught:
        VisitInput.from_dict(data)
    assert caught.value.field == field
