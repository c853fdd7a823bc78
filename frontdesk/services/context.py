"""Who is acting, and what time it is: passed to every service so both can be controlled."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from frontdesk.domain.enums import Role


@dataclass(frozen=True)
class Actor:
    """The person on whose behalf a service acts; written into the audit trail."""

    user_id: int | None
    username: str
    role: Role = Role.ADMINISTRATOR
    practitioner_id: int | None = None


#: used until someone signs in (and by the command line's maintenance commands)
WORKSTATION = Actor(user_id=None, username="workstation", role=Role.ADMINISTRATOR)


def utc_now() -> datetime:
    return datetime.now(UTC)


Clock = Callable[[], datetime]
