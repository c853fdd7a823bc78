"""The clinic's tables (SQLAlchemy 2, typed).

Constraints that protect the data live here as well as in the services: a check that only
the services make can be bypassed by a second workstation or a bug, a database constraint
cannot. The overlap guard for appointments is added by the migrations (a trigger on SQLite,
an exclusion constraint on PostgreSQL) because neither can be expressed portably here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from frontdesk.db.types import UTCDateTime
from frontdesk.domain.enums import AppointmentStatus, PaperSize, Role, ServiceKind, Sex

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: Any) -> str:
    listed = ", ".join(f"'{v.value}'" for v in values)
    return f"{column} IN ({listed})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


class ClinicProfile(Base):
    __tablename__ = "clinic_profile"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint(_in("paper_size", PaperSize), name="paper_size"),
        CheckConstraint("length(trim(name)) > 0", name="name_present"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    timezone: Mapped[str] = mapped_column(String(64))
    #: {"mon": [["09:00", "18:00"]], ...}
    opening_hours: Mapped[dict[str, Any]] = mapped_column(default=dict)
    paper_size: Mapped[str] = mapped_column(String(10), default=PaperSize.A4.value)
    #: workstation-independent settings (grid minutes, late-cancel hours, lock minutes...)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", Role), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("practitioners.id"))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    #: after repeated failed sign-ins, none is accepted before this time
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Practitioner(Base):
    __tablename__ = "practitioners"
    __table_args__ = (
        CheckConstraint("length(trim(name)) > 0", name="name_present"),
        CheckConstraint("length(colour) = 7", name="colour_hex"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    credentials: Mapped[str] = mapped_column(String(200), default="")
    colour: Mapped[str] = mapped_column(String(7))
    #: weekly working hours: {"mon": [["09:00", "13:00"], ["14:00", "18:00"]], ...}
    working_hours: Mapped[dict[str, Any]] = mapped_column(default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Room(Base):
    __tablename__ = "rooms"
    __table_args__ = (CheckConstraint("length(trim(name)) > 0", name="name_present"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Service(Base):
    __tablename__ = "services"
    __table_args__ = (
        CheckConstraint(_in("kind", ServiceKind), name="kind"),
        CheckConstraint("default_minutes BETWEEN 5 AND 480", name="minutes_range"),
        CheckConstraint("length(trim(code)) > 0", name="code_present"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    #: further kinds performed in the same booking (e.g. acupuncture with cupping)
    extra_kinds: Mapped[dict[str, Any]] = mapped_column(default=dict)
    default_minutes: Mapped[int] = mapped_column(Integer)
    colour: Mapped[str] = mapped_column(String(7))
    needs_room: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Patient(Base):
    __tablename__ = "patients"
    __table_args__ = (
        CheckConstraint("length(trim(legal_name)) > 0", name="legal_name_present"),
        CheckConstraint(_in("sex", Sex), name="sex"),
        CheckConstraint("version > 0", name="version_positive"),
        Index("ix_patients_legal_name", "legal_name"),
        Index("ix_patients_date_of_birth", "date_of_birth"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    legal_name: Mapped[str] = mapped_column(String(200))
    preferred_name: Mapped[str] = mapped_column(String(200), default="")
    other_script_name: Mapped[str] = mapped_column(String(200), default="")
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(10), default=Sex.UNKNOWN.value)
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    emergency_contact_name: Mapped[str] = mapped_column(String(200), default="")
    emergency_contact_phone: Mapped[str] = mapped_column(String(40), default="")
    preferred_language: Mapped[str] = mapped_column(String(10), default="en")
    chart_number: Mapped[str] = mapped_column(String(20), unique=True)
    referral_source: Mapped[str] = mapped_column(String(200), default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __mapper_args__ = {"version_id_col": version}


class PatientSearchTerm(Base):
    """Normalised words of a patient's names, phone, birth date and chart number.

    Search as you type looks each typed word up as an indexed prefix range here, so it
    stays fast on 100,000 patients where a ``LIKE '%...%'`` scan would not.
    """

    __tablename__ = "patient_search_terms"
    # by patient then term: replacing a patient's terms, and checking the further words
    # of a multi-word search against the patient the first word found
    __table_args__ = (Index("ix_patient_search_terms_patient_term", "patient_id", "term"),)

    term: Mapped[str] = mapped_column(String(200), primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True
    )


class TreatmentCourse(Base):
    __tablename__ = "treatment_courses"
    __table_args__ = (
        CheckConstraint("sessions_planned BETWEEN 1 AND 100", name="sessions_range"),
        CheckConstraint("per_week BETWEEN 1 AND 7", name="per_week_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    title: Mapped[str] = mapped_column(String(200))
    sessions_planned: Mapped[int] = mapped_column(Integer)
    per_week: Mapped[int] = mapped_column(Integer)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(_in("status", AppointmentStatus), name="status"),
        CheckConstraint("version > 0", name="version_positive"),
        Index("ix_appointments_practitioner_start", "practitioner_id", "starts_at"),
        Index("ix_appointments_room_start", "room_id", "starts_at"),
        Index("ix_appointments_patient_start", "patient_id", "starts_at"),
        Index("ix_appointments_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id"))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20), default=AppointmentStatus.BOOKED.value)
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("treatment_courses.id"), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    late_cancel: Mapped[bool] = mapped_column(Boolean, default=False)
    arrived_at: Mapped[datetime | None]
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    booked_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    patient: Mapped[Patient] = relationship(lazy="raise")
    practitioner: Mapped[Practitioner] = relationship(lazy="raise")
    service: Mapped[Service] = relationship(lazy="raise")
    room: Mapped[Room | None] = relationship(lazy="raise")


class Intake(Base):
    """One saved version of a patient's intake; a new row on every save, never updated."""

    __tablename__ = "intakes"
    __table_args__ = (
        UniqueConstraint("patient_id", "version_no", name="uq_intakes_patient_version"),
        CheckConstraint("version_no > 0", name="version_positive"),
        CheckConstraint("mnsi_score IS NULL OR mnsi_score BETWEEN 0 AND 13", name="mnsi_range"),
        CheckConstraint("pain_now IS NULL OR pain_now BETWEEN 0 AND 10", name="pain_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column()
    mnsi_score: Mapped[int | None] = mapped_column(Integer)
    pain_now: Mapped[int | None] = mapped_column(Integer)
    flags_summary: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20), default="form")
    created_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Visit(Base):
    """What was done at a completed appointment."""

    __tablename__ = "visits"
    __table_args__ = (
        CheckConstraint("pain_before IS NULL OR pain_before BETWEEN 0 AND 10", name="pain_b"),
        CheckConstraint("pain_after IS NULL OR pain_after BETWEEN 0 AND 10", name="pain_a"),
        CheckConstraint("version > 0", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id"))
    data: Mapped[dict[str, Any]] = mapped_column()
    pain_before: Mapped[int | None] = mapped_column(Integer)
    pain_after: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class SafetyOverride(Base):
    """A practitioner's reasoned decision to go ahead despite a STOP rule."""

    __tablename__ = "safety_overrides"
    __table_args__ = (CheckConstraint("length(trim(reason)) >= 5", name="reason_present"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"))
    rules: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class WaitlistEntry(Base):
    __tablename__ = "waitlist_entries"
    __table_args__ = (CheckConstraint("urgency BETWEEN 1 AND 3", name="urgency_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("practitioners.id"))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    #: {"weekdays": [0, 3], "earliest": "09:00", "latest": "12:00"}
    preferences: Mapped[dict[str, Any]] = mapped_column(default=dict)
    urgency: Mapped[int] = mapped_column(Integer, default=2)
    expires_on: Mapped[date | None] = mapped_column(Date)
    wants_earlier_than: Mapped[datetime | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class AuditEntry(Base):
    """Who did what, when; written by the services, never changed (triggers refuse it)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_patient", "patient_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    patient_id: Mapped[int | None] = mapped_column(Integer)
    #: {"field": [before, after], ...} or a free description
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ChangeCounter(Base):
    """A number every change bumps, so other workstations notice cheaply that data moved."""

    __tablename__ = "change_counter"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    value: Mapped[int] = mapped_column(Integer, default=0)
