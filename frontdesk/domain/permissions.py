"""Who may do what: one table from role to permissions, checked by the services.

Hiding a button is a courtesy; the refusal that counts happens in the services, so the
command line and every screen obey the same table.
"""

from __future__ import annotations

from enum import StrEnum

from frontdesk.domain.enums import Role
from frontdesk.domain.errors import PermissionDenied


class Permission(StrEnum):
    VIEW_CALENDAR = "view_calendar"
    BOOK = "book"  # book, move, check in, cancel, wait list, courses
    VIEW_PATIENTS = "view_patients"  # demographics and contact details
    EDIT_PATIENTS = "edit_patients"  # register, edit, archive
    MERGE_PATIENTS = "merge_patients"
    VIEW_FLAGS = "view_flags"  # safety flags and their one-line summary
    PRINT_FORMS = "print_forms"  # blank/fillable intake forms, aftercare handouts, day sheets
    VIEW_CLINICAL = "view_clinical"  # intake details, visit records, history, progress
    EDIT_CLINICAL = "edit_clinical"  # save intakes, record visits
    OVERRIDE_SAFETY = "override_safety"
    MANAGE_USERS = "manage_users"
    MANAGE_CLINIC = "manage_clinic"  # clinic profile, practitioners, rooms, services
    BACKUP = "backup"  # back up, restore, import, move to a server
    VIEW_AUDIT = "view_audit"
    EXPORT = "export"


_DESK = {
    Permission.VIEW_CALENDAR,
    Permission.BOOK,
    Permission.VIEW_PATIENTS,
    Permission.EDIT_PATIENTS,
    Permission.MERGE_PATIENTS,
    Permission.VIEW_FLAGS,
    Permission.PRINT_FORMS,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.RECEPTIONIST: frozenset(_DESK),
    Role.PRACTITIONER: frozenset(
        _DESK | {Permission.VIEW_CLINICAL, Permission.EDIT_CLINICAL, Permission.OVERRIDE_SAFETY}
    ),
    Role.ADMINISTRATOR: frozenset(
        {
            Permission.VIEW_CALENDAR,
            Permission.VIEW_PATIENTS,
            Permission.MANAGE_USERS,
            Permission.MANAGE_CLINIC,
            Permission.BACKUP,
            Permission.VIEW_AUDIT,
            Permission.EXPORT,
        }
    ),
}

#: what may be done without signing in (the command line without --user)
ANONYMOUS_PERMISSIONS = frozenset(
    {Permission.VIEW_CALENDAR, Permission.VIEW_PATIENTS, Permission.VIEW_FLAGS}
)

_ACTION_WORDS: dict[Permission, str] = {
    Permission.VIEW_CALENDAR: "see the appointment book",
    Permission.BOOK: "book or change appointments",
    Permission.VIEW_PATIENTS: "see patient details",
    Permission.EDIT_PATIENTS: "register or edit patients",
    Permission.MERGE_PATIENTS: "merge patient records",
    Permission.VIEW_FLAGS: "see safety flags",
    Permission.PRINT_FORMS: "print forms and handouts",
    Permission.VIEW_CLINICAL: "open clinical records (intake details, visit notes, history)",
    Permission.EDIT_CLINICAL: "record intakes or visits",
    Permission.OVERRIDE_SAFETY: "override a safety rule",
    Permission.MANAGE_USERS: "manage users",
    Permission.MANAGE_CLINIC: "change the clinic's settings",
    Permission.BACKUP: "back up, restore or import data",
    Permission.VIEW_AUDIT: "see the audit trail",
    Permission.EXPORT: "export the clinic's data",
}

_WHO_CAN: dict[Permission, str] = {
    p: " or ".join(
        sorted(role.value + "s" for role, perms in ROLE_PERMISSIONS.items() if p in perms)
    )
    for p in Permission
}


def allows(role: Role, permission: Permission) -> bool:
    """Whether a user with ``role`` may do what ``permission`` names."""
    return permission in ROLE_PERMISSIONS[role]


def require(role: Role, permission: Permission) -> None:
    """Raise PermissionDenied, with a sentence saying who can, unless ``role`` allows it."""
    if not allows(role, permission):
        raise PermissionDenied(
            f"As a {role.value} you cannot {_ACTION_WORDS[permission]}. "
            f"Only {_WHO_CAN[permission]} can."
        )
