"""The health history of one patient: a timeline, trends and the overview for the header.

Everything here is read from intakes, visits, appointments, overrides and the audit trail;
nothing is stored twice. Opening the history is a look at a clinical record and is audited;
the overview gives the front desk only the safety flags and appointments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from frontdesk.db.models import (
    Appointment,
    AuditEntry,
    ClinicProfile,
    Intake,
    Patient,
    SafetyOverride,
    Visit,
)
from frontdesk.domain.body_map import BodyMap
from frontdesk.domain.enums import FREEING_STATUSES, AppointmentStatus, ServiceKind
from frontdesk.domain.errors import NotFoundError
from frontdesk.domain.intake import IntakeData
from frontdesk.domain.mnsi import DEFAULT_CUTOFF, MAX_SCORE
from frontdesk.services import audit
from frontdesk.services.base import ServiceBase
from frontdesk.services.intakes import can_read_clinical, flags_from, require_clinical
from frontdesk.services.visits import VisitInput


class TimelineKind(StrEnum):
    INTAKE = "intake"
    VISIT = "visit"
    BOOKING = "booking"
    CANCELLATION = "cancellation"
    NO_SHOW = "no_show"
    MERGE = "merge"
    OVERRIDE = "override"

    @property
    def label(self) -> str:
        return {
            "intake": "Intake",
            "visit": "Visit",
            "booking": "Appointment",
            "cancellation": "Cancelled",
            "no_show": "Did not come",
            "merge": "Records merged",
            "override": "Safety override",
        }[self.value]


@dataclass(frozen=True)
class TimelineEvent:
    """One line of the history, e.g. a visit with its points and pain scores."""

    when: datetime
    kind: TimelineKind
    title: str
    detail: str
    #: the id of the intake, visit, appointment, override or audit entry it comes from
    ref_id: int


class PainPoint(NamedTuple):
    """Pain (NRS 0-10) before and after one visit."""

    when: datetime
    before: int | None
    after: int | None


class MnsiPoint(NamedTuple):
    """The MNSI questionnaire score of one intake version."""

    when: datetime
    score: int


@dataclass(frozen=True)
class BodyMaps:
    """The first and the latest body map on file, for showing side by side."""

    first: BodyMap | None
    latest: BodyMap | None
    first_at: datetime | None
    latest_at: datetime | None

    @property
    def dates(self) -> tuple[datetime | None, datetime | None]:
        return self.first_at, self.latest_at


def _tz(s: Session) -> ZoneInfo:
    profile = s.get(ClinicProfile, 1)
    return ZoneInfo(profile.timezone if profile else "UTC")


def _kinds_text(kinds: Sequence[ServiceKind]) -> str:
    return ", ".join(k.label for k in kinds)


def _visit_detail(visit: VisitInput) -> str:
    parts = []
    if visit.services:
        parts.append(_kinds_text(visit.services))
    if visit.points:
        parts.append("Points: " + " ".join(visit.points))
    if visit.pain_before is not None or visit.pain_after is not None:
        before = "?" if visit.pain_before is None else str(visit.pain_before)
        after = "?" if visit.pain_after is None else str(visit.pain_after)
        parts.append(f"Pain {before} → {after}")
    if visit.reactions:
        parts.append("Reactions: " + ", ".join(r.label for r in visit.reactions))
    return " · ".join(parts)


class HistoryService(ServiceBase):
    """The patient's story: timeline, pain and MNSI trends, body maps, overview."""

    def _patient(self, s: Session, patient_id: int) -> Patient:
        row = s.get(Patient, patient_id)
        if row is None:
            raise NotFoundError(f"There is no patient number {patient_id}.")
        return row

    def _viewed(self, s: Session, patient_id: int, what: str) -> None:
        audit.record(
            s,
            self.actor,
            self.now(),
            "view",
            "history",
            None,
            patient_id=patient_id,
            changes={"what": what},
        )

    def timeline(self, patient_id: int) -> list[TimelineEvent]:
        """Intakes, visits, bookings, cancellations, no-shows, merges and safety overrides,
        newest first (future appointments lead). A completed appointment with a recorded
        visit shows as the visit only."""
        require_clinical(self.actor, "the health history")
        with self.db.write() as s:
            self._patient(s, patient_id)
            tz = _tz(s)
            events: list[TimelineEvent] = []
            for row in s.scalars(select(Intake).where(Intake.patient_id == patient_id)):
                data = IntakeData.from_dict(row.data)
                bits = []
                if row.mnsi_score is not None:
                    bits.append(data.mnsi_result.describe())
                if row.pain_now is not None:
                    bits.append(f"Pain now {row.pain_now}/10")
                bits.append(f"Flags: {row.flags_summary}" if row.flags_summary else "No flags")
                events.append(
                    TimelineEvent(
                        row.created_at,
                        TimelineKind.INTAKE,
                        f"Intake version {row.version_no}"
                        + (" (merged in)" if row.source == "merge" else ""),
                        " · ".join(bits),
                        row.id,
                    )
                )
            visits = {
                v.appointment_id: v
                for v in s.scalars(select(Visit).where(Visit.patient_id == patient_id))
            }
            appointments = s.scalars(
                select(Appointment)
                .where(Appointment.patient_id == patient_id)
                .options(joinedload(Appointment.service), joinedload(Appointment.practitioner))
            ).unique()
            for a in appointments:
                local = a.starts_at.astimezone(tz)
                who = f"{a.service.name} with {a.practitioner.name}"
                status = AppointmentStatus(a.status)
                visit = visits.get(a.id)
                if visit is not None:
                    events.append(
                        TimelineEvent(
                            a.starts_at,
                            TimelineKind.VISIT,
                            f"Visit: {who}",
                            _visit_detail(VisitInput.from_dict(visit.data)),
                            visit.id,
                        )
                    )
                elif status is AppointmentStatus.CANCELLED:
                    late = " (late cancellation)" if a.late_cancel else ""
                    events.append(
                        TimelineEvent(
                            a.starts_at,
                            TimelineKind.CANCELLATION,
                            f"Cancelled{late}: {who}",
                            f"{local:%a %d %b %Y %H:%M}; reason: {a.cancel_reason or 'not given'}",
                            a.id,
                        )
                    )
                elif status is AppointmentStatus.NO_SHOW:
                    events.append(
                        TimelineEvent(
                            a.starts_at,
                            TimelineKind.NO_SHOW,
                            f"Did not come: {who}",
                            f"{local:%a %d %b %Y %H:%M}",
                            a.id,
                        )
                    )
                else:
                    events.append(
                        TimelineEvent(
                            a.starts_at,
                            TimelineKind.BOOKING,
                            f"{status.label}: {who}",
                            f"{local:%a %d %b %Y %H:%M}" + (" (walk-in)" if a.walk_in else ""),
                            a.id,
                        )
                    )
            for o in s.scalars(
                select(SafetyOverride).where(SafetyOverride.patient_id == patient_id)
            ):
                events.append(
                    TimelineEvent(
                        o.created_at,
                        TimelineKind.OVERRIDE,
                        "Safety rule overridden",
                        f"{o.rules} Reason: {o.reason}",
                        o.id,
                    )
                )
            for entry in s.scalars(
                select(AuditEntry).where(
                    AuditEntry.patient_id == patient_id,
                    AuditEntry.action == "merge",
                    AuditEntry.entity == "patient",
                )
            ):
                changes = entry.changes or {}
                if "merged_patient" in changes:
                    detail = f"The record of patient number {changes['merged_patient']} was "
                    detail += "merged into this one."
                else:
                    detail = (
                        f"This record was merged into patient number {changes.get('merged_into')}."
                    )
                events.append(
                    TimelineEvent(entry.at, TimelineKind.MERGE, "Records merged", detail, entry.id)
                )
            self._viewed(s, patient_id, "timeline")
        events.sort(key=lambda e: (e.when, e.kind.value, e.ref_id), reverse=True)
        return events

    def pain_trend(self, patient_id: int) -> list[PainPoint]:
        """Pain before and after each visit that recorded either, oldest first."""
        require_clinical(self.actor, "the health history")
        with self.db.write() as s:
            self._patient(s, patient_id)
            rows = s.execute(
                select(Appointment.starts_at, Visit.pain_before, Visit.pain_after)
                .join(Appointment, Appointment.id == Visit.appointment_id)
                .where(Visit.patient_id == patient_id)
                .where((Visit.pain_before.is_not(None)) | (Visit.pain_after.is_not(None)))
                .order_by(Appointment.starts_at, Visit.id)
            ).tuples()
            found = [PainPoint(when, before, after) for when, before, after in rows]
            self._viewed(s, patient_id, "pain trend")
            return found

    def mnsi_trend(self, patient_id: int) -> list[MnsiPoint]:
        """The MNSI questionnaire score of each intake version that has answers, oldest first."""
        require_clinical(self.actor, "the health history")
        with self.db.write() as s:
            self._patient(s, patient_id)
            rows = s.execute(
                select(Intake.created_at, Intake.mnsi_score, Intake.source)
                .where(Intake.patient_id == patient_id, Intake.mnsi_score.is_not(None))
                .order_by(Intake.created_at, Intake.version_no)
            ).tuples()
            found: list[MnsiPoint] = []
            for when, score, source in rows:
                if score is None:
                    continue
                point = MnsiPoint(when, score)
                # a merge can repeat a version with its original time: one point is enough
                if source == "merge" and point in found:
                    continue
                found.append(point)
            self._viewed(s, patient_id, "MNSI trend")
            return found

    def body_maps(self, patient_id: int) -> BodyMaps:
        """The first and the latest intake body maps that mark anything (the same map
        twice when only one version marks anything; None when none does)."""
        require_clinical(self.actor, "the health history")
        with self.db.write() as s:
            self._patient(s, patient_id)
            maps: list[tuple[datetime, BodyMap]] = []
            for row in s.scalars(
                select(Intake)
                .where(Intake.patient_id == patient_id)
                .order_by(Intake.created_at, Intake.version_no)
            ):
                body_map = IntakeData.from_dict(row.data).body_map
                if body_map:
                    maps.append((row.created_at, body_map))
            self._viewed(s, patient_id, "body maps")
        if not maps:
            return BodyMaps(None, None, None, None)
        (first_at, first), (latest_at, latest) = maps[0], maps[-1]
        return BodyMaps(first, latest, first_at, latest_at)

    def overview(self, patient_id: int) -> dict[str, Any]:
        """The patient's current flags and scores as plain JSON values (``patients show``).

        Everyone gets ``flags`` (one line), ``flag_badges``, ``red_flags``, ``has_intake``,
        ``visits`` and ``next_appointment``; clinical readers also get the intake count, the
        latest MNSI score (with ``mnsi_positive``), pain now / worst / average from the latest
        intake, and the last visit's pain before / after. Only the clinical part is audited.
        """
        clinical = can_read_clinical(self.actor)
        now = self.now()
        with self.db.write() as s:
            self._patient(s, patient_id)
            tz = _tz(s)
            latest = s.scalars(
                select(Intake)
                .where(Intake.patient_id == patient_id)
                .order_by(Intake.version_no.desc())
                .limit(1)
            ).first()
            data = IntakeData.from_dict(latest.data) if latest else None
            flags = flags_from(patient_id, latest, data)
            visit_count = s.scalar(select(func.count()).where(Visit.patient_id == patient_id))
            upcoming = s.scalars(
                select(Appointment)
                .where(
                    Appointment.patient_id == patient_id,
                    Appointment.starts_at >= now,
                    Appointment.status.not_in([st.value for st in FREEING_STATUSES]),
                )
                .options(joinedload(Appointment.service), joinedload(Appointment.practitioner))
                .order_by(Appointment.starts_at)
                .limit(1)
            ).first()
            result: dict[str, Any] = {
                "has_intake": flags.has_intake,
                "flags": flags.summary_line,
                "flag_badges": list(flags.badges),
                "red_flags": list(flags.red_flags),
                "visits": int(visit_count or 0),
                "next_appointment": None,
                "next_appointment_id": None,
            }
            if upcoming is not None:
                local = upcoming.starts_at.astimezone(tz)
                result["next_appointment"] = (
                    f"{local:%Y-%m-%d %H:%M} {upcoming.service.name} "
                    f"with {upcoming.practitioner.name}"
                )
                result["next_appointment_id"] = upcoming.id
            if not clinical:
                return result
            versions = s.scalar(select(func.count()).where(Intake.patient_id == patient_id))
            result["intake_versions"] = int(versions or 0)
            result["latest_intake_at"] = latest.created_at.isoformat() if latest else None
            mnsi = data.mnsi_result if data else None
            answered = bool(mnsi and mnsi.answered)
            result["mnsi_score"] = mnsi.score if mnsi and answered else None
            result["mnsi_max"] = MAX_SCORE
            result["mnsi_cutoff"] = DEFAULT_CUTOFF
            result["mnsi_positive"] = mnsi.positive if mnsi and answered else None
            result["mnsi_answered"] = mnsi.answered if mnsi else 0
            result["pain_now"] = data.pain.now if data else None
            result["pain_worst"] = data.pain.worst if data else None
            result["pain_average"] = data.pain.average if data else None
            last = s.execute(
                select(Appointment.starts_at, Visit.pain_before, Visit.pain_after)
                .join(Appointment, Appointment.id == Visit.appointment_id)
                .where(Visit.patient_id == patient_id)
                .order_by(Appointment.starts_at.desc())
                .limit(1)
            ).first()
            result["last_visit_at"] = last[0].isoformat() if last else None
            result["last_pain_before"] = last[1] if last else None
            result["last_pain_after"] = last[2] if last else None
            self._viewed(s, patient_id, "overview")
            return result
