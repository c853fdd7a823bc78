"""Users and sign-in: Argon2 password hashes, roles, and sign-ins that slow down when
guessed at. Users are deactivated, never deleted: the audit trail keeps their names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.models import Practitioner, User
from frontdesk.domain import validation
from frontdesk.domain.enums import Role
from frontdesk.domain.errors import ConflictError, NotFoundError, ValidationError
from frontdesk.domain.permissions import Permission
from frontdesk.services import audit
from frontdesk.services.base import ServiceBase
from frontdesk.services.context import Actor

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_PASSWORD_LENGTH = 8
#: failed attempts allowed before each further failure locks sign-in for a while
FREE_ATTEMPTS = 3
MAX_LOCK_SECONDS = 300


class SignInError(ValidationError):
    """Wrong name or password, or sign-in paused after repeated failures."""


@dataclass(frozen=True)
class UserRecord:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    practitioner_id: int | None


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    # Argon2id at the OWASP baseline (19 MiB, 2 passes): strong against guessing, and a
    # sign-in at the desk takes a few hundredths of a second rather than a tenth or more.
    # Hashes made with other settings are upgraded at the next sign-in.
    return PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _record(row: User) -> UserRecord:
    return UserRecord(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        active=row.active,
        practitioner_id=row.practitioner_id,
    )


def _clean_username(text: str | None) -> str:
    name = (text or "").strip().lower()
    if not name:
        raise ValidationError("Please enter a user name.", field="username")
    if len(name) > 40 or not all(ch.isalnum() or ch in "._-" for ch in name):
        raise ValidationError(
            "A user name uses letters, digits, dots, dashes or underscores (up to 40).",
            field="username",
        )
    return name


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"The password needs at least {MIN_PASSWORD_LENGTH} characters.", field="password"
        )
    return password


def lock_seconds(failed_attempts: int) -> int:
    """How long sign-in waits after this many failures in a row: nothing for the first
    few, then doubling from 2 seconds up to 5 minutes."""
    if failed_attempts < FREE_ATTEMPTS:
        return 0
    return int(min(MAX_LOCK_SECONDS, 2 ** (failed_attempts - FREE_ATTEMPTS + 1)))


class UserService(ServiceBase):
    """Accounts, roles and sign-in."""

    def has_users(self) -> bool:
        with self.db.read() as s:
            return bool(s.scalar(select(func.count()).select_from(User)))

    def create_first_administrator(
        self, username: str, display_name: str, password: str
    ) -> UserRecord:
        """The first account of a new clinic; refused once any user exists."""
        with self.db.write() as s:
            if s.scalar(select(func.count()).select_from(User)):
                raise ConflictError("This clinic already has users: sign in to add more.")
            row = self._new_user(username, display_name, Role.ADMINISTRATOR, password, None)
            s.add(row)
            s.flush()
            audit.record(
                s,
                self.actor,
                self.now(),
                "create",
                "user",
                row.id,
                changes={"username": row.username, "role": row.role},
            )
            return _record(row)

    def _new_user(
        self,
        username: str,
        display_name: str,
        role: Role,
        password: str,
        practitioner_id: int | None,
    ) -> User:
        return User(
            username=_clean_username(username),
            display_name=validation.clean_name(display_name, "display_name", "the person's name"),
            role=Role(role).value,
            password_hash=hash_password(_check_password(password)),
            active=True,
            practitioner_id=practitioner_id,
            failed_logins=0,
            created_at=self.now(),
        )

    def add(
        self,
        username: str,
        display_name: str,
        role: Role,
        password: str,
        practitioner_id: int | None = None,
    ) -> UserRecord:
        """Add a user (administrators only)."""
        self.hub.require(Permission.MANAGE_USERS)
        with self.db.write() as s:
            if s.scalar(select(User.id).where(User.username == _clean_username(username))):
                raise ValidationError(
                    f"The user name {username.strip().lower()!r} is taken.", field="username"
                )
            if practitioner_id is not None and s.get(Practitioner, practitioner_id) is None:
                raise NotFoundError(f"There is no practitioner number {practitioner_id}.")
            row = self._new_user(username, display_name, role, password, practitioner_id)
            s.add(row)
            s.flush()
            audit.record(
                s,
                self.actor,
                self.now(),
                "create",
                "user",
                row.id,
                changes={"username": row.username, "role": row.role},
            )
            return _record(row)

    def list(self, *, include_inactive: bool = True) -> list[UserRecord]:
        self.hub.require(Permission.MANAGE_USERS)
        with self.db.read() as s:
            q = select(User).order_by(User.username)
            if not include_inactive:
                q = q.where(User.active.is_(True))
            return [_record(r) for r in s.scalars(q)]

    @staticmethod
    def _get_for_change(s: Session, username_or_id: str | int) -> User:
        if isinstance(username_or_id, int):
            row = s.get(User, username_or_id)
        else:
            row = s.scalar(select(User).where(User.username == _clean_username(username_or_id)))
        if row is None:
            raise NotFoundError(f"There is no user {username_or_id!r}.")
        return row

    def reset_password(self, user: str | int, new_password: str) -> None:
        """Set a new password (administrators only); also lifts a sign-in pause."""
        self.hub.require(Permission.MANAGE_USERS)
        with self.db.write() as s:
            row = self._get_for_change(s, user)
            row.password_hash = hash_password(_check_password(new_password))
            row.failed_logins = 0
            row.locked_until = None
            audit.record(
                s,
                self.actor,
                self.now(),
                "reset_password",
                "user",
                row.id,
                changes={"username": row.username},
            )

    def set_active(self, user: str | int, active: bool) -> UserRecord:
        """Deactivate (or reactivate) a user; the last active administrator stays."""
        self.hub.require(Permission.MANAGE_USERS)
        with self.db.write() as s:
            row = self._get_for_change(s, user)
            if not active and row.role == Role.ADMINISTRATOR.value:
                others = s.scalar(
                    select(func.count()).where(
                        User.role == Role.ADMINISTRATOR.value,
                        User.active.is_(True),
                        User.id != row.id,
                    )
                )
                if not others:
                    raise ConflictError(
                        "This is the last active administrator. Add another one first."
                    )
            before = row.active
            row.active = active
            audit.record(
                s,
                self.actor,
                self.now(),
                "activate" if active else "deactivate",
                "user",
                row.id,
                changes={"active": [before, active]},
            )
            return _record(row)

    def sign_in(self, username: str, password: str) -> Actor:
        """Check a name and password; returns who is now acting. Wrong guesses are
        counted, and after a few each further attempt must wait longer."""
        now = self.now()
        with self.db.write() as s:
            row = s.scalar(select(User).where(User.username == (username or "").strip().lower()))
            if row is not None and row.locked_until is not None and row.locked_until > now:
                wait = int((row.locked_until - now).total_seconds()) + 1
                raise SignInError(
                    f"Too many wrong passwords. Please wait {wait} seconds and try again."
                )
            ok = False
            if row is not None and row.active and row.password_hash:
                from argon2.exceptions import VerificationError

                try:
                    ok = _hasher().verify(row.password_hash, password)
                except VerificationError:
                    ok = False
            actor: Actor | None = None
            if not ok:
                # the failure is counted (committed) before the refusal is raised
                if row is not None:
                    row.failed_logins += 1
                    pause = lock_seconds(row.failed_logins)
                    row.locked_until = now + timedelta(seconds=pause) if pause else None
                    audit.record(
                        s, Actor(None, row.username), now, "sign_in_failed", "user", row.id
                    )
            else:
                assert row is not None
                row.failed_logins = 0
                row.locked_until = None
                if _hasher().check_needs_rehash(row.password_hash or ""):
                    row.password_hash = hash_password(password)
                actor = Actor(row.id, row.username, Role(row.role), row.practitioner_id)
                audit.record(s, actor, now, "sign_in", "user", row.id)
        if actor is None:
            raise SignInError("That user name and password do not match an active user.")
        return actor
