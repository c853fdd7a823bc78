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
    #: the program itself, before any user exists (first run, demo, maintenance, tests
    #: using the services directly); every signed-in person is checked against their role
    system: bool = False
    #: nobody signed in on a clinic that has users (the command line without --user):
    #: may look at the calendar and find patients, nothing more
    anonymous: bool = False


ANONYMOUS = Actor(user_id=None, username="not signed in", role=Role.RECEPTIONIST, anonymous=True)

WORKSTATION = Actor(user_id=None, username="workstation", role=Role.ADMINISTRATOR, system=True)


def utc_now() -> datetime:
    return datetime.now(UTC)


Clock = Callable[[], datetime]
