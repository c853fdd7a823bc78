"""Each role is refused what it must not do, in the services themselves, with nothing
half done; and every audited action leaves its entry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from frontdesk.db.models import AuditEntry, Intake, Patient, User
from frontdesk.domain.enums import AppointmentStatus, Role
from frontdesk.domain.errors import PermissionDenied
from frontdesk.domain.intake import IntakeData
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.context import ANONYMOUS
from frontdesk.services.patients import PatientInput
from frontdesk.services.visits import VisitInput

PASSWORD = "long enough pw"
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def desk(clinic, clock):
    """The clinic with one user per role, a patient with an intake, and a booking."""
    clock.now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday
    clinic.users.create_first_administrator("admin", "Ada Admin", PASSWORD)
    clinic.users.add("rita", "Rita Desk", Role.RECEPTIONIST, PASSWORD)
    mei_id = clinic.clinic.practitioners()[0].id
    clinic.users.add("mei", "Mei Chen", Role.PRACTITIONER, PASSWORD, mei_id)
    patient = clinic.patients.create(PatientInput(legal_name="Zoë Łukasz-Nguyễn"))
    clinic.intakes.save(patient.id, IntakeData.from_dict({"schema": 1}))
    acu = clinic.clinic.service_by_code("ACU")
    room = clinic.clinic.rooms()[0]
    appointment = clinic.appointments.book(
        BookingRequest(
            patient.id,
            acu.id,
            mei_id,
            datetime(2026, 11, 23, 10, 0, tzinfo=LONDON),
            room_id=room.id,
        )
    )

    def as_(name):
        return clinic.as_user(clinic.users.sign_in(name, PASSWORD))

    return {
        "clinic": clinic,
        "as": as_,
        "patient": patient,
        "appointment": appointment,
        "acu": acu,
        "room": room,
        "mei_id": mei_id,
    }


def _count(services, model):
    with services.db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_receptionist_works_the_desk(desk):
    rita = desk["as"]("rita")
    assert rita.patients.search("zoe")
    rita.patients.create(PatientInput(legal_name="Grace O'Brien"))
    flags = rita.intakes.flags(desk["patient"].id)
    assert flags.has_intake
    rita.appointments.check_in(desk["appointment"].id)


@pytest.mark.parametrize(
    "action",
    [
        lambda s, d: s.intakes.latest(d["patient"].id),
        lambda s, d: s.intakes.versions(d["patient"].id),
        lambda s, d: s.intakes.save(d["patient"].id, IntakeData.from_dict({"schema": 1})),
        lambda s, d: s.visits.for_patient(d["patient"].id),
        lambda s, d: s.visits.record(d["appointment"].id, VisitInput()),
        lambda s, d: s.history.timeline(d["patient"].id),
        lambda s, d: s.users.add("x", "X Y", Role.RECEPTIONIST, PASSWORD),
        lambda s, d: s.audit_trail.entries(),
        lambda s, d: s.maintenance.export(__import__("io").StringIO()),
        lambda s, d: s.clinic.update_profile(name="Renamed"),
    ],
    ids=[
        "intake",
        "versions",
        "save-intake",
        "visits",
        "record-visit",
        "history",
        "add-user",
        "audit",
        "export",
        "settings",
    ],
)
def test_receptionist_is_refused_clinical_and_admin_work(desk, action):
    rita = desk["as"]("rita")
    before = (_count(rita, Intake), _count(rita, User))
    with pytest.raises(PermissionDenied):
        action(rita, desk)
    assert (_count(rita, Intake), _count(rita, User)) == before
    appointment = desk["clinic"].appointments.get(desk["appointment"].id)
    assert appointment.status is AppointmentStatus.BOOKED  # nothing half done


def test_practitioner_does_clinical_work_but_not_administration(desk):
    mei = desk["as"]("mei")
    assert mei.intakes.latest(desk["patient"].id) is not None
    mei.appointments.check_in(desk["appointment"].id)
    mei.visits.record(
        desk["appointment"].id, VisitInput(pain_before=6, pain_after=3), acknowledged=True
    )
    for refused in (
        lambda: mei.users.add("x", "X Y", Role.RECEPTIONIST, PASSWORD),
        lambda: mei.audit_trail.entries(),
        lambda: mei.clinic.update_profile(phone="0123 456 789"),
    ):
        with pytest.raises(PermissionDenied):
            refused()


def test_administrator_manages_but_cannot_open_clinical_records(desk):
    admin = desk["as"]("admin")
    admin.users.add("tom", "Tomasz Nowak", Role.PRACTITIONER, PASSWORD)
    assert admin.audit_trail.entries(patient_id=desk["patient"].id)
    admin.clinic.update_profile(phone="0123 456 789")
    with pytest.raises(PermissionDenied, match="Only a practitioner"):
        admin.intakes.latest(desk["patient"].id)
    with pytest.raises(PermissionDenied):
        admin.patients.create(PatientInput(legal_name="New Person"))


def test_nobody_signed_in_may_only_look(desk):
    anonymous = desk["clinic"].as_user(ANONYMOUS)
    assert anonymous.patients.search("zoe")
    with pytest.raises(PermissionDenied, match="Sign in"):
        anonymous.patients.create(PatientInput(legal_name="Someone New"))
    with pytest.raises(PermissionDenied):
        anonymous.appointments.cancel(desk["appointment"].id, "ill")
    assert _count(anonymous, Patient) == 1


def test_audited_actions_leave_their_entries(desk, clock):
    rita = desk["as"]("rita")
    mei = desk["as"]("mei")
    patient_id = desk["patient"].id
    record = rita.patients.get(patient_id)
    rita.patients.update(
        patient_id, record.version, PatientInput(legal_name=record.legal_name, phone="07700 900123")
    )
    twin = rita.patients.create(PatientInput(legal_name="Zoe Lukasz-Nguyen"))
    rita.patients.merge(patient_id, twin.id)
    moved = rita.appointments.move(
        desk["appointment"].id, desk["appointment"].starts_at + timedelta(hours=1)
    )
    rita.appointments.cancel(moved.id, "Feeling unwell")
    mei.intakes.latest(patient_id)  # a look at a clinical record
    with mei.db.read() as s:
        entries = {
            (e.username, e.action, e.entity)
            for e in s.scalars(select(AuditEntry).where(AuditEntry.patient_id == patient_id))
        }
    for expected in [
        ("rita", "update", "patient"),
        ("rita", "merge", "patient"),
        ("rita", "move", "appointment"),
        ("rita", "cancelled", "appointment"),
        ("mei", "view", "intake"),
    ]:
        assert expected in entries, expected
