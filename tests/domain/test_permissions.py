"""The role table: what each role may and may not do."""

from __future__ import annotations

import pytest

from frontdesk.domain.enums import Role
from frontdesk.domain.errors import PermissionDenied
from frontdesk.domain.permissions import Permission, allows, require


def test_receptionist_works_the_desk_but_never_reads_clinical_records():
    for p in (
        Permission.BOOK,
        Permission.EDIT_PATIENTS,
        Permission.VIEW_FLAGS,
        Permission.PRINT_FORMS,
    ):
        assert allows(Role.RECEPTIONIST, p)
    for p in (
        Permission.VIEW_CLINICAL,
        Permission.EDIT_CLINICAL,
        Permission.OVERRIDE_SAFETY,
        Permission.MANAGE_USERS,
        Permission.VIEW_AUDIT,
        Permission.BACKUP,
    ):
        assert not allows(Role.RECEPTIONIST, p)


def test_practitioner_has_everything_clinical_but_not_administration():
    assert allows(Role.PRACTITIONER, Permission.VIEW_CLINICAL)
    assert allows(Role.PRACTITIONER, Permission.OVERRIDE_SAFETY)
    assert not allows(Role.PRACTITIONER, Permission.MANAGE_USERS)
    assert not allows(Role.PRACTITIONER, Permission.VIEW_AUDIT)


def test_administrator_runs_users_settings_backups_and_audit_not_clinical_notes():
    for p in (
        Permission.MANAGE_USERS,
        Permission.MANAGE_CLINIC,
        Permission.BACKUP,
        Permission.VIEW_AUDIT,
    ):
        assert allows(Role.ADMINISTRATOR, p)
    assert not allows(Role.ADMINISTRATOR, Permission.VIEW_CLINICAL)


def test_refusal_names_who_can():
    with pytest.raises(PermissionDenied, match="Only practitioners can"):
        require(Role.RECEPTIONIST, Permission.VIEW_CLINICAL)
