"""Users: the first administrator, adding users, sign-in, slow-down and deactivation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from frontdesk.db.models import AuditEntry, User
from frontdesk.domain.enums import Role
from frontdesk.domain.errors import ConflictError, PermissionDenied, ValidationError
from frontdesk.services.users import SignInError, lock_seconds


@pytest.fixture
def admin(clinic, clock):
    clock.now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    clinic.users.create_first_administrator("Admin", "Ada Admin", "correct horse")
    actor = clinic.users.sign_in("admin", "correct horse")
    return clinic.as_user(actor)


def test_first_administrator_only_once_and_password_never_stored_in_clear(clinic, admin):
    with pytest.raises(ConflictError):
        clinic.users.create_first_administrator("second", "Sam Second", "password123")
    with clinic.db.read() as s:
        row = s.scalar(select(User).where(User.username == "admin"))
        assert row.password_hash and "correct horse" not in row.password_hash
        assert row.password_hash.startswith("$argon2")
        changes = [str(a.changes) for a in s.scalars(select(AuditEntry))]
    assert not any("correct horse" in c for c in changes)


def test_sign_in_gives_the_users_role(admin):
    admin.users.add("reception", "Rita Desk", Role.RECEPTIONIST, "front-desk-1")
    actor = admin.users.sign_in("Reception", "front-desk-1")
    assert (actor.username, actor.role) == ("reception", Role.RECEPTIONIST)


def test_only_administrators_manage_users(admin):
    admin.users.add("mei", "Mei Chen", Role.PRACTITIONER, "needles-and-tea")
    practitioner = admin.as_user(admin.users.sign_in("mei", "needles-and-tea"))
    with pytest.raises(PermissionDenied):
        practitioner.users.add("x", "X Y", Role.RECEPTIONIST, "password123")
    with pytest.raises(PermissionDenied):
        practitioner.users.reset_password("admin", "new-password")
    with pytest.raises(PermissionDenied):
        practitioner.users.list()


def test_bad_new_users_are_refused(admin):
    with pytest.raises(ValidationError, match="at least 8"):
        admin.users.add("short", "Sho Rt", Role.RECEPTIONIST, "abc")
    with pytest.raises(ValidationError, match="taken"):
        admin.users.add("ADMIN", "Another Admin", Role.RECEPTIONIST, "password123")
    assert [u.username for u in admin.users.list()] == ["admin"]


def test_repeated_wrong_passwords_slow_sign_in_down(admin, clock):
    for _ in range(3):
        with pytest.raises(SignInError, match="do not match"):
            admin.users.sign_in("admin", "wrong")
    # the third failure starts a pause: even the right password must wait
    with pytest.raises(SignInError, match="wait"):
        admin.users.sign_in("admin", "correct horse")
    clock.advance(seconds=lock_seconds(3) + 1)
    assert admin.users.sign_in("admin", "correct horse").username == "admin"
    assert [lock_seconds(n) for n in (1, 2, 3, 4, 5, 20)] == [0, 0, 2, 4, 8, 300]


def test_deactivated_users_cannot_sign_in_and_stay_in_the_trail(admin):
    admin.users.add("temp", "Tem Porary", Role.RECEPTIONIST, "password123")
    admin.users.set_active("temp", False)
    with pytest.raises(SignInError):
        admin.users.sign_in("temp", "password123")
    assert "temp" in [u.username for u in admin.users.list()]
    with pytest.raises(ConflictError, match="last active administrator"):
        admin.users.set_active("admin", False)


def test_reset_password_lifts_the_pause(admin):
    admin.users.add("rita", "Rita Desk", Role.RECEPTIONIST, "password123")
    for _ in range(4):
        with pytest.raises(SignInError):
            admin.users.sign_in("rita", "nope")
    admin.users.reset_password("rita", "brand-new-pass")
    assert admin.users.sign_in("rita", "brand-new-pass").role is Role.RECEPTIONIST
