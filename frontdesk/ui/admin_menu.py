"""The Administration menu: users and the audit trail (shown to administrators)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.domain.permissions import Permission

if TYPE_CHECKING:
    from frontdesk.ui.main_window import MainWindow


def install_admin_menu(window: MainWindow) -> None:
    menu = window.menuBar().addMenu("&Administration")
    users = menu.addAction("&Users...")
    users.setStatusTip("Add users, reset passwords, deactivate users")
    audit = menu.addAction("&Audit trail...")
    audit.setStatusTip("Who did what, when")

    def open_users() -> None:
        from frontdesk.ui.dialogs.users_dialog import UsersDialog

        UsersDialog.ask(window.services, window)

    def open_audit() -> None:
        from frontdesk.ui.dialogs.audit_dialog import AuditDialog

        AuditDialog.ask(window.services, window)

    users.triggered.connect(open_users)
    audit.triggered.connect(open_audit)

    def update(*_args: object) -> None:
        menu.menuAction().setVisible(
            window.services.can(Permission.MANAGE_USERS)
            or window.services.can(Permission.VIEW_AUDIT)
        )
        users.setEnabled(window.services.can(Permission.MANAGE_USERS))
        audit.setEnabled(window.services.can(Permission.VIEW_AUDIT))

    window.user_changed.connect(update)
    update()
