"""Writing the audit trail: one row per create, change, cancel, merge, override or look."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from frontdesk.db.models import AuditEntry
from frontdesk.services.context import Actor


def _plain(value: Any) -> Any:
    """A value as JSON can store it (times as ISO 8601 with offset)."""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def record(
    session: Session,
    actor: Actor,
    at: datetime,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    patient_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> None:
    """Add an audit entry to the unit of work (committed with it, or not at all)."""
    session.add(
        AuditEntry(
            at=at,
            user_id=actor.user_id,
            username=actor.username,
            action=action,
            entity=entity,
            entity_id=entity_id,
            patient_id=patient_id,
            changes={k: _plain(v) for k, v in (changes or {}).items()},
        )
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The fields that changed, as {field: [before, after]}."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in after
        if before.get(key) != after.get(key)
    }
