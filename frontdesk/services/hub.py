"""``Services``: the one door to the clinic's data, for the GUI and the command line alike."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import ClinicProfile, Practitioner
from frontdesk.domain import permissions, scheduling
from frontdesk.domain.enums import ServiceKind
from frontdesk.domain.errors import ConflictError, FrontdeskError
from frontdesk.domain.permissions import Permission
from frontdesk.services import safety_checks
from frontdesk.services.appointments import AppointmentService
from frontdesk.services.backup import BackupService
from frontdesk.services.calendar_export import CalendarExportService
from frontdesk.services.clinic import DEFAULT_SETTINGS, ClinicService
from frontdesk.services.context import WORKSTATION, Actor, Clock, utc_now
from frontdesk.services.courses import CourseService
from frontdesk.services.demo import DemoBuilder
from frontdesk.services.history import HistoryService
from frontdesk.services.importer import PatientImporter
from frontdesk.services.intakes import IntakeService
from frontdesk.services.maintenance import MaintenanceService
from frontdesk.services.patients import PatientService
from frontdesk.services.records import PatientRecord
from frontdesk.services.transfer import TransferService
from frontdesk.services.users import UserService
from frontdesk.services.visits import VisitService
from frontdesk.services.waitlist import WaitlistService
from frontdesk.services.walk_ins import WalkInService


class OutsideWorkingHours(ConflictError):
    """The time lies outside the practitioner's working hours; the screen may ask and retry."""


class DatabaseUnavailable(FrontdeskError):
    """The database cannot be opened or reached (wrong path, server down, no access)."""


class Services:
    """All services over one database, acting for one user, reading one clock."""

    def __init__(self, db: Database, actor: Actor = WORKSTATION, clock: Clock = utc_now) -> None:
        self.db = db
        self.actor = actor
        self.clock = clock
        self.clinic = ClinicService(self)
        self.patients = PatientService(self)
        self.appointments = AppointmentService(self)
        self.walk_ins = WalkInService(self)
        self.courses = CourseService(self)
        self.waitlist = WaitlistService(self)
        self.calendar_export = CalendarExportService(self)
        self.maintenance = MaintenanceService(self)
        self.users = UserService(self)
        self.demo = DemoBuilder(self)
        self.intakes = IntakeService(self)
        self.visits = VisitService(self)
        self.history = HistoryService(self)
        self.backups = BackupService(self)
        self.patient_import = PatientImporter(self)
        self.transfer = TransferService(self)

    @classmethod
    def open(cls, url: str, *, upgrade: bool = True, **kwargs: Any) -> Services:
        """Open (and when needed upgrade) the clinic database at ``url``."""
        from sqlalchemy.exc import DBAPIError

        from frontdesk.db import migrate

        db = Database(url)
        try:
            if upgrade:
                migrate.ensure_current(db)
            else:
                migrate.current_revision(db)
        except DBAPIError as error:
            db.dispose()
            raise DatabaseUnavailable(
                f"Cannot open the clinic database ({db.engine.url.render_as_string()}): "
                f"{str(error.orig).strip().splitlines()[0]}"
            ) from None
        return cls(db, **kwargs)

    def as_user(self, actor: Actor) -> Services:
        """The same services acting for another user."""
        return Services(self.db, actor, self.clock)

    def patient_overview(self, record: PatientRecord) -> dict[str, Any]:
        """Current flags, scores and next appointment of a patient (``patients show``)."""
        return self.history.overview(record.id)

    # -- rules shared by several services ------------------------------------------------

    def require(self, permission: Permission) -> None:
        """Refuse (PermissionDenied) unless the acting user's role allows ``permission``."""
        if not self.actor.system:
            permissions.require(self.actor.role, permission)

    def can(self, permission: Permission) -> bool:
        return self.actor.system or permissions.allows(self.actor.role, permission)

    @staticmethod
    def settings(s: Session) -> dict[str, Any]:
        profile = s.get(ClinicProfile, 1)
        return {**DEFAULT_SETTINGS, **(profile.settings if profile else {})}

    @staticmethod
    def check_working_hours(
        s: Session, practitioner: Practitioner, starts_at: datetime, ends_at: datetime
    ) -> None:
        profile = s.get(ClinicProfile, 1)
        tz = ZoneInfo(profile.timezone if profile else "UTC")
        hours = scheduling.WeeklyHours.from_json(practitioner.working_hours)
        if not hours.contains(scheduling.Interval(starts_at, ends_at), tz):
            local = starts_at.astimezone(tz)
            raise OutsideWorkingHours(
                f"{practitioner.name} does not normally work at {local:%H:%M} on {local:%A}. "
                "Book anyway?"
            )

    def flag_lookup(
        self, s: Session, patient_ids: set[int]
    ) -> dict[int, tuple[tuple[str, ...], str]]:
        return safety_checks.flags_for_patients(s, patient_ids)

    def check_safety(
        self,
        s: Session,
        *,
        patient_id: int,
        kinds: tuple[ServiceKind, ...],
        acknowledged: bool,
        override_reason: str | None,
        require_screen: bool = False,
    ) -> None:
        safety_checks.check(
            s,
            patient_id=patient_id,
            kinds=kinds,
            acknowledged=acknowledged,
            override_reason=override_reason,
            actor=self.actor,
            require_screen=require_screen,
        )

    def record_override(
        self,
        s: Session,
        patient_id: int,
        appointment_id: int | None,
        kinds: tuple[ServiceKind, ...],
        override_reason: str | None,
    ) -> None:
        safety_checks.record_override(
            s, patient_id, appointment_id, kinds, override_reason, self.actor, self.clock()
        )
