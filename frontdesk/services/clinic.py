"""The clinic itself: its profile, practitioners, rooms and the services it offers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from frontdesk.db.models import ClinicProfile, Practitioner, Room, Service
from frontdesk.domain import validation
from frontdesk.domain.enums import PaperSize, ServiceKind
from frontdesk.domain.errors import NotFoundError, ValidationError
from frontdesk.domain.permissions import Permission
from frontdesk.services import audit
from frontdesk.services.base import ServiceBase
from frontdesk.services.records import (
    ClinicProfileRecord,
    PractitionerRecord,
    RoomRecord,
    ServiceRecord,
)

DEFAULT_OPENING_HOURS: dict[str, Any] = {
    "mon": [["09:00", "18:00"]],
    "tue": [["09:00", "18:00"]],
    "wed": [["09:00", "18:00"]],
    "thu": [["09:00", "19:00"]],
    "fri": [["09:00", "18:00"]],
    "sat": [["09:00", "13:00"]],
    "sun": [],
}

DEFAULT_SETTINGS: dict[str, Any] = {
    "grid_minutes": 15,
    "late_cancel_hours": 24,
    "lock_minutes": 5,
}

PRACTITIONER_COLOURS = ("#2E7D9A", "#B5523B", "#6A8F3C", "#7B5EA7", "#C98A1B", "#3D6FB6")


@dataclass(frozen=True)
class ServiceSpec:
    code: str
    name: str
    kind: ServiceKind
    default_minutes: int
    colour: str
    needs_room: bool = True
    extra_kinds: tuple[ServiceKind, ...] = ()


#: what a neuropathy clinic typically offers; lengths follow the usual visit durations
DEFAULT_SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        "NEW", "First visit: history and acupuncture", ServiceKind.ACUPUNCTURE, 90, "#3D7EA6"
    ),
    ServiceSpec("ACU", "Acupuncture follow-up", ServiceKind.ACUPUNCTURE, 60, "#4C9F70"),
    ServiceSpec("EA", "Electro-acupuncture", ServiceKind.ELECTRO_ACUPUNCTURE, 60, "#8E6CC2"),
    ServiceSpec("CUP", "Cupping", ServiceKind.CUPPING, 30, "#C0504D"),
    ServiceSpec("TUINA", "Massage (tui na)", ServiceKind.MASSAGE, 45, "#D08C2F"),
    ServiceSpec("MOXA", "Moxibustion", ServiceKind.MOXIBUSTION, 30, "#A0673A"),
    ServiceSpec(
        "CONS", "TCM consultation", ServiceKind.CONSULTATION, 30, "#5A7D8C", needs_room=False
    ),
)


@dataclass
class ClinicSetup:
    """What the first-run dialog (or ``frontdesk init``) collects."""

    name: str
    timezone: str = "Europe/London"
    address: str = ""
    phone: str = ""
    email: str = ""
    paper_size: PaperSize = PaperSize.A4
    practitioners: list[tuple[str, str]] = field(default_factory=list)  # (name, credentials)
    rooms: list[str] = field(default_factory=lambda: ["Room 1", "Room 2"])
    services: tuple[ServiceSpec, ...] = DEFAULT_SERVICES
    opening_hours: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_OPENING_HOURS))


def _profile_record(row: ClinicProfile) -> ClinicProfileRecord:
    return ClinicProfileRecord(
        name=row.name,
        address=row.address,
        phone=row.phone,
        email=row.email,
        timezone=row.timezone,
        opening_hours=dict(row.opening_hours),
        paper_size=PaperSize(row.paper_size),
        settings={**DEFAULT_SETTINGS, **row.settings},
        has_logo=row.logo is not None,
    )


def practitioner_record(row: Practitioner) -> PractitionerRecord:
    return PractitionerRecord(
        id=row.id,
        name=row.name,
        credentials=row.credentials,
        colour=row.colour,
        working_hours=dict(row.working_hours),
        active=row.active,
    )


def service_record(row: Service) -> ServiceRecord:
    extra = tuple(ServiceKind(k) for k in row.extra_kinds.get("kinds", []))
    return ServiceRecord(
        id=row.id,
        code=row.code,
        name=row.name,
        kind=ServiceKind(row.kind),
        default_minutes=row.default_minutes,
        colour=row.colour,
        needs_room=row.needs_room,
        active=row.active,
        extra_kinds=extra,
    )


class ClinicService(ServiceBase):
    """The clinic profile and the lists every booking chooses from."""

    def is_set_up(self) -> bool:
        """Whether the clinic profile exists (False on a brand-new database)."""
        with self.db.read() as s:
            return s.get(ClinicProfile, 1) is not None

    def profile(self) -> ClinicProfileRecord:
        with self.db.read() as s:
            row = s.get(ClinicProfile, 1)
            if row is None:
                raise NotFoundError("The clinic has not been set up yet.")
            return _profile_record(row)

    def logo(self) -> bytes | None:
        with self.db.read() as s:
            row = s.get(ClinicProfile, 1)
            return row.logo if row else None

    def set_up(self, setup: ClinicSetup) -> ClinicProfileRecord:
        """Create the clinic with its practitioners, rooms and services in one step."""
        name = _clinic_name(setup.name)
        tz = validation.clean_timezone(setup.timezone)
        email = validation.clean_email(setup.email) or ""
        phone = validation.clean_phone(setup.phone) or ""
        if not setup.practitioners:
            raise ValidationError("Add at least one practitioner.", field="practitioners")
        now = self.now()
        with self.db.write() as s:
            if s.get(ClinicProfile, 1) is not None:
                raise ValidationError("The clinic is already set up.")
            s.add(
                ClinicProfile(
                    id=1,
                    name=name,
                    address=setup.address.strip(),
                    phone=phone,
                    email=email,
                    timezone=tz,
                    opening_hours=setup.opening_hours,
                    paper_size=PaperSize(setup.paper_size).value,
                    settings=dict(DEFAULT_SETTINGS),
                    created_at=now,
                    updated_at=now,
                )
            )
            for i, (p_name, credentials) in enumerate(setup.practitioners):
                s.add(
                    Practitioner(
                        name=validation.clean_name(
                            p_name, "practitioners", "the practitioner's name"
                        ),
                        credentials=credentials.strip(),
                        colour=PRACTITIONER_COLOURS[i % len(PRACTITIONER_COLOURS)],
                        working_hours=setup.opening_hours,
                        active=True,
                        sort_order=i,
                    )
                )
            for i, room in enumerate(setup.rooms):
                s.add(
                    Room(name=_required_text(room, "rooms", "a name for each room"), sort_order=i)
                )
            for spec in setup.services:
                s.add(_service_row(spec))
            audit.record(s, self.actor, now, "create", "clinic", 1, changes={"name": name})
        return self.profile()

    def update_profile(self, **changes: Any) -> ClinicProfileRecord:
        """Change clinic details (name, address, phone, email, timezone, paper size, ...)."""
        self.hub.require(Permission.MANAGE_CLINIC)
        allowed = {
            "name",
            "address",
            "phone",
            "email",
            "timezone",
            "paper_size",
            "opening_hours",
            "settings",
            "logo",
        }
        unknown = set(changes) - allowed
        if unknown:
            raise ValidationError(f"Unknown clinic setting: {', '.join(sorted(unknown))}.")
        if "name" in changes:
            changes["name"] = _clinic_name(changes["name"])
        if "timezone" in changes:
            changes["timezone"] = validation.clean_timezone(changes["timezone"])
        if "email" in changes:
            changes["email"] = validation.clean_email(changes["email"]) or ""
        if "phone" in changes:
            changes["phone"] = validation.clean_phone(changes["phone"]) or ""
        if "paper_size" in changes:
            changes["paper_size"] = PaperSize(changes["paper_size"]).value
        with self.db.write() as s:
            row = s.get(ClinicProfile, 1)
            if row is None:
                raise NotFoundError("The clinic has not been set up yet.")
            before = {k: getattr(row, k) for k in changes}
            for key, value in changes.items():
                setattr(row, key, value)
            row.updated_at = self.now()
            audit.record(
                s,
                self.actor,
                row.updated_at,
                "update",
                "clinic",
                1,
                changes=audit.diff(before, changes),
            )
        return self.profile()

    def practitioners(self, *, include_inactive: bool = False) -> list[PractitionerRecord]:
        with self.db.read() as s:
            q = select(Practitioner).order_by(Practitioner.sort_order, Practitioner.id)
            if not include_inactive:
                q = q.where(Practitioner.active.is_(True))
            return [practitioner_record(r) for r in s.scalars(q)]

    def practitioner(self, practitioner_id: int) -> PractitionerRecord:
        with self.db.read() as s:
            row = s.get(Practitioner, practitioner_id)
            if row is None:
                raise NotFoundError(f"There is no practitioner number {practitioner_id}.")
            return practitioner_record(row)

    def add_practitioner(
        self,
        name: str,
        credentials: str = "",
        colour: str | None = None,
        working_hours: dict[str, Any] | None = None,
    ) -> PractitionerRecord:
        self.hub.require(Permission.MANAGE_CLINIC)
        clean = validation.clean_name(name, "name", "the practitioner's name")
        with self.db.write() as s:
            count = s.scalar(select(func.count()).select_from(Practitioner)) or 0
            profile = s.get(ClinicProfile, 1)
            row = Practitioner(
                name=clean,
                credentials=credentials.strip(),
                colour=validation.clean_colour(
                    colour or PRACTITIONER_COLOURS[count % len(PRACTITIONER_COLOURS)]
                ),
                working_hours=working_hours
                or (dict(profile.opening_hours) if profile else DEFAULT_OPENING_HOURS),
                active=True,
                sort_order=count,
            )
            s.add(row)
            s.flush()
            audit.record(
                s, self.actor, self.now(), "create", "practitioner", row.id, changes={"name": clean}
            )
            return practitioner_record(row)

    def rooms(self, *, include_inactive: bool = False) -> list[RoomRecord]:
        with self.db.read() as s:
            q = select(Room).order_by(Room.sort_order, Room.id)
            if not include_inactive:
                q = q.where(Room.active.is_(True))
            return [RoomRecord(r.id, r.name, r.active) for r in s.scalars(q)]

    def services(self, *, include_inactive: bool = False) -> list[ServiceRecord]:
        with self.db.read() as s:
            q = select(Service).order_by(Service.id)
            if not include_inactive:
                q = q.where(Service.active.is_(True))
            return [service_record(r) for r in s.scalars(q)]

    def service_by_code(self, code: str) -> ServiceRecord:
        with self.db.read() as s:
            row = s.scalar(select(Service).where(func.upper(Service.code) == code.upper()))
            if row is None:
                raise NotFoundError(f"There is no service with the code {code!r}.")
            return service_record(row)


def _required_text(text: str | None, field: str, label: str) -> str:
    """A short required label (clinic or room name): any characters, one line."""
    name = validation.clean_optional_text(text, field, label, 200)
    if not name:
        raise ValidationError(f"Please enter {label}.", field=field)
    return " ".join(name.split())


def _clinic_name(text: str | None) -> str:
    return _required_text(text, "name", "the clinic's name")


def _service_row(spec: ServiceSpec) -> Service:
    return Service(
        code=spec.code,
        name=spec.name,
        kind=spec.kind.value,
        extra_kinds={"kinds": [k.value for k in spec.extra_kinds]},
        default_minutes=validation.clean_minutes(spec.default_minutes, "length", 5, 480),
        colour=validation.clean_colour(spec.colour),
        needs_room=spec.needs_room,
        active=True,
    )


def utc(dt: datetime) -> datetime:
    return dt.astimezone(UTC)
