"""``Services``: the one door to the clinic's data, for the GUI and the command line alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import ClinicProfile, Practitioner
from frontdesk.domain import permissions, scheduling
from frontdesk.domain.enums import ServiceKind
from frontdesk.domain.errors import ConflictError, FrontdeskError, PermissionDenied
from frontdesk.domain.permissions import Permission
from frontdesk.services import safety_checks
from frontdesk.services.appointments import AppointmentService
from frontdesk.services.clinic import DEFAULT_SETTINGS, ClinicService
from frontdesk.services.context import WORKSTATION, Actor, Clock, utc_now
from frontdesk.services.patients import PatientService
from frontdesk.services.records import PatientRecord
from frontdesk.services.users import UserService

if TYPE_CHECKING:
    from frontdesk.services.audit_trail import AuditTrailService
    from frontdesk.services.backup import BackupService
    from frontdesk.services.calendar_export import CalendarExportService
    from frontdesk.services.courses import CourseService
    from frontdesk.services.demo import DemoBuilder
    from frontdesk.services.history import HistoryService
    from frontdesk.services.importer import PatientImporter
    from frontdesk.services.intakes import IntakeService
    from frontdesk.services.maintenance import MaintenanceService
    from frontdesk.services.printing import PrintService
    from frontdesk.services.transfer import TransferService
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
        self.users = UserService(self)

    # The services below load on first use: start-up only pays for what the first
    # screen needs (the calendar), not for backups, imports or printing.

    @cached_property
    def walk_ins(self) -> WalkInService:
        from frontdesk.services.walk_ins import WalkInService

        return WalkInService(self)

    @cached_property
    def courses(self) -> CourseService:
        from frontdesk.services.courses import CourseService

        return CourseService(self)

    @cached_property
    def waitlist(self) -> WaitlistService:
        from frontdesk.services.waitlist import WaitlistService

        return WaitlistService(self)

    @cached_property
    def calendar_export(self) -> CalendarExportService:
        from frontdesk.services.calendar_export import CalendarExportService

        return CalendarExportService(self)

    @cached_property
    def maintenance(self) -> MaintenanceService:
        from frontdesk.services.maintenance import MaintenanceService

        return MaintenanceService(self)

    @cached_property
    def audit_trail(self) -> AuditTrailService:
        from frontdesk.services.audit_trail import AuditTrailService

        return AuditTrailService(self)

    @cached_property
    def demo(self) -> DemoBuilder:
        from frontdesk.services.demo import DemoBuilder

        return DemoBuilder(self)

    @cached_property
    def intakes(self) -> IntakeService:
        from frontdesk.services.intakes import IntakeService

        return IntakeService(self)

    @cached_property
    def visits(self) -> VisitService:
        from frontdesk.services.visits import VisitService

        return VisitService(self)

    @cached_property
    def history(self) -> HistoryService:
        from frontdesk.services.history import HistoryService

        return HistoryService(self)

    @cached_property
    def backups(self) -> BackupService:
        from frontdesk.services.backup import BackupService

        return BackupService(self)

    @cached_property
    def patient_import(self) -> PatientImporter:
        from frontdesk.services.importer import PatientImporter

        return PatientImporter(self)

    @cached_property
    def transfer(self) -> TransferService:
        from frontdesk.services.transfer import TransferService

        return TransferService(self)

    @cached_property
    def printing(self) -> PrintService:
        from frontdesk.services.printing import PrintService

        return PrintService(self)

    @classmethod
    def open(
        cls,
        url: str,
        *,
        upgrade: bool = True,
        on_upgrade: Callable[[], None] | None = None,
        **kwargs: Any,
    ) -> Services:
        """Open (and when needed upgrade) the clinic database at ``url``; ``on_upgrade``
        is told before an upgrade starts (it may take a while on a large clinic)."""
        from sqlalchemy.exc import DBAPIError

        from frontdesk.db import migrate

        db = Database(url)
        try:
            if upgrade:
                migrate.ensure_current(db, on_upgrade)
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
        if self.actor.system:
            return
        if self.actor.anonymous and permission not in permissions.ANONYMOUS_PERMISSIONS:
            raise PermissionDenied(
                "Sign in first: this changes data or reads clinical records "
                "(on the command line, add --user NAME)."
            )
        permissions.require(self.actor.role, permission)

    def can(self, permission: Permission) -> bool:
        if self.actor.system:
            return True
        if self.actor.anonymous:
            return permission in permissions.ANONYMOUS_PERMISSIONS
        return permissions.allows(self.actor.role, permission)

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
