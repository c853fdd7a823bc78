"""What the services hand out: plain, detached data, never ORM objects.

Screens and the command line work with these; they can be kept, copied, sent to another
thread or printed without touching the database again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from frontdesk.domain.enums import AppointmentStatus, PaperSize, ServiceKind, Sex


@dataclass(frozen=True)
class ClinicProfileRecord:
    name: str
    address: str
    phone: str
    email: str
    timezone: str
    opening_hours: dict[str, Any]
    paper_size: PaperSize
    settings: dict[str, Any]
    has_logo: bool


@dataclass(frozen=True)
class PractitionerRecord:
    id: int
    name: str
    credentials: str
    colour: str
    working_hours: dict[str, Any]
    active: bool


@dataclass(frozen=True)
class RoomRecord:
    id: int
    name: str
    active: bool


@dataclass(frozen=True)
class ServiceRecord:
    id: int
    code: str
    name: str
    kind: ServiceKind
    default_minutes: int
    colour: str
    needs_room: bool
    active: bool
    extra_kinds: tuple[ServiceKind, ...] = ()

    @property
    def kinds(self) -> tuple[ServiceKind, ...]:
        """Every kind of treatment this service includes (for the safety rules)."""
        return (self.kind, *self.extra_kinds)


class PatientSummary(NamedTuple):
    """One row of a patient list or search result. A named tuple: search as you type
    makes a page of these on every keystroke, and a tuple is made several times quicker
    than a frozen dataclass (which sets each field through ``object.__setattr__``)."""

    id: int
    display_name: str
    legal_name: str
    other_script_name: str
    date_of_birth: date | None
    phone: str
    chart_number: str
    archived: bool


@dataclass(frozen=True)
class PatientRecord:
    id: int
    legal_name: str
    preferred_name: str
    other_script_name: str
    date_of_birth: date | None
    sex: Sex
    phone: str
    email: str
    address: str
    emergency_contact_name: str
    emergency_contact_phone: str
    preferred_language: str
    chart_number: str
    referral_source: str
    archived: bool
    version: int
    created_at: datetime
    updated_at: datetime
    no_show_count: int = 0
    late_cancel_count: int = 0

    @property
    def display_name(self) -> str:
        return display_name(self.legal_name, self.preferred_name, self.other_script_name)


def display_name(legal: str, preferred: str, other_script: str) -> str:
    """How a patient is shown on screen: the preferred name leads, the legal name follows."""
    name = legal
    if preferred and preferred != legal:
        name = f"{preferred} ({legal})"
    if other_script:
        name = f"{name} {other_script}"
    return name


@dataclass(frozen=True)
class AppointmentRecord:
    id: int
    patient_id: int
    patient_name: str
    practitioner_id: int
    practitioner_name: str
    room_id: int | None
    room_name: str
    service_id: int
    service_code: str
    service_name: str
    service_kind: ServiceKind
    service_colour: str
    starts_at: datetime
    ends_at: datetime
    status: AppointmentStatus
    walk_in: bool
    course_id: int | None
    notes: str
    cancel_reason: str
    late_cancel: bool
    arrived_at: datetime | None
    booked_by: str
    booked_at: datetime
    version: int
    flags: tuple[str, ...] = field(default=())
    flag_summary: str = ""
