"""Reading the audit trail (administrators): filter by patient, user and date; CSV out.

The trail is only ever appended to: there is no method here to change or delete an
entry, and the database refuses it too (see frontdesk.db.guards).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import IO, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from frontdesk.db.models import AuditEntry, ClinicProfile
from frontdesk.domain.permissions import Permission
from frontdesk.services.base import ServiceBase

CSV_COLUMNS = ("id", "at", "user", "action", "entity", "entity_id", "patient_id", "changes")


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    username: str
    action: str
    entity: str
    entity_id: int | None
    patient_id: int | None
    changes: dict[str, Any]


class AuditTrailService(ServiceBase):
    """The administrator's view of who did what, when."""

    def entries(
        self,
        *,
        patient_id: int | None = None,
        username: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int | None = None,
    ) -> list[AuditRecord]:
        """Entries newest first; dates are whole local days in the clinic's timezone."""
        self.hub.require(Permission.VIEW_AUDIT)
        with self.db.read() as s:
            profile = s.get(ClinicProfile, 1)
            tz = ZoneInfo(profile.timezone if profile else "UTC")
            q = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            if patient_id is not None:
                q = q.where(AuditEntry.patient_id == patient_id)
            if username:
                q = q.where(AuditEntry.username == username.strip().lower())
            if since is not None:
                q = q.where(AuditEntry.at >= datetime.combine(since, time.min, tz))
            if until is not None:
                q = q.where(
                    AuditEntry.at < datetime.combine(until + timedelta(days=1), time.min, tz)
                )
            if limit:
                q = q.limit(limit)
            return [
                AuditRecord(
                    r.id,
                    r.at,
                    r.username,
                    r.action,
                    r.entity,
                    r.entity_id,
                    r.patient_id,
                    dict(r.changes),
                )
                for r in s.scalars(q)
            ]

    def write_csv(self, out: IO[str], **filters: Any) -> int:
        """Write the filtered entries as CSV (one row each); returns how many."""
        rows = self.entries(**filters)
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for r in rows:
            writer.writerow(
                [
                    r.id,
                    r.at.isoformat(),
                    r.username,
                    r.action,
                    r.entity,
                    "" if r.entity_id is None else r.entity_id,
                    "" if r.patient_id is None else r.patient_id,
                    json.dumps(r.changes, ensure_ascii=False, sort_keys=True),
                ]
            )
        return len(rows)
