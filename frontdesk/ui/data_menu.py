"""The Data menu (back up, restore, import, connect to a server) and the daily backup.

The daily backup starts a little after the window is up and is looked at again every
hour (it does nothing when today's exists), always on a background thread: start-up never
waits for it. A failed daily backup is said in the status bar and logged, without a dialog
in the middle of the receptionist's work.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from frontdesk.domain.permissions import Permission
from frontdesk.services.backup import BackupResult, RestoreResult
from frontdesk.ui.errors import show_error
from frontdesk.ui.tasks import run_task

if TYPE_CHECKING:
    from frontdesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)

#: how long after start the daily backup begins (the window settles first)
FIRST_DAILY_BACKUP_MS = 15_000
DAILY_CHECK_MS = 60 * 60 * 1000
STATUS_MS = 8000


def install_data_menu(window: MainWindow) -> None:
    """Add the Data menu to ``window`` and start the daily backup routine."""
    bar = window.menuBar()
    menu = bar.addMenu("&Data")
    bar.insertMenu(window.help_menu.menuAction(), menu)
    backup = menu.addAction("&Back up now...")
    backup.setShortcut(QKeySequence("Ctrl+Shift+B"))
    backup.setStatusTip("Write a checked backup of the whole clinic")
    restore = menu.addAction("&Restore from a backup...")
    restore.setStatusTip("Put the clinic back as it was in a backup")
    menu.addSeparator()
    import_patients = menu.addAction("&Import patients...")
    import_patients.setStatusTip("Add patients from another system's CSV file")
    menu.addSeparator()
    connect = menu.addAction("&Connect to clinic server...")
    connect.setStatusTip("Share one clinic between several computers through a server")

    backup.triggered.connect(lambda _checked=False: back_up_now(window))
    restore.triggered.connect(lambda _checked=False: restore_backup(window))
    import_patients.triggered.connect(lambda _checked=False: import_patients_from_file(window))
    connect.triggered.connect(lambda _checked=False: connect_to_server(window))

    def update(*_args: object) -> None:
        allowed = window.services.can(Permission.BACKUP)
        for action in (backup, restore, import_patients):
            action.setEnabled(allowed)

    user_changed = getattr(window, "user_changed", None)
    if user_changed is not None:
        user_changed.connect(update)
    update()

    timer = QTimer(window)
    timer.setInterval(DAILY_CHECK_MS)
    timer.timeout.connect(lambda: daily_backup(window))
    timer.start()
    QTimer.singleShot(FIRST_DAILY_BACKUP_MS, window, lambda: daily_backup(window))
    window.data_menu = menu  # type: ignore[attr-defined]
    window.daily_backup_timer = timer  # type: ignore[attr-defined]


def daily_backup(window: MainWindow) -> None:
    """Make today's backup in the background unless it exists."""
    services = window.services

    def done(result: BackupResult | None) -> None:
        if result is not None:
            window.statusBar().showMessage(f"Today's backup was saved: {result.path}", STATUS_MS)

    def failed(error: BaseException) -> None:
        log.warning("the daily backup failed: %s", error)
        window.statusBar().showMessage(
            f"Today's backup could not be made: {error}. Use Data > Back up now.", STATUS_MS * 4
        )

    run_task(window, services.backups.daily_backup, busy=False).on_success(done).on_error(
        failed
    ).start()


def back_up_now(window: MainWindow) -> None:
    from frontdesk.ui.dialogs.backup_dialog import BackupDialog

    request = BackupDialog.ask(window.services, window)
    if request is None:
        return
    services = window.services

    def work() -> BackupResult:
        if request.use_for_daily:
            services.backups.set_folder(request.target.parent)
        if request.lock_daily:
            services.backups.set_daily_passphrase(request.passphrase)
        return services.backups.backup(request.target, request.passphrase)

    def done(result: BackupResult) -> None:
        lock = " It is locked with your passphrase." if result.encrypted else ""
        if request.lock_daily:
            lock += " The daily backups are locked with it too."
        QMessageBox.information(
            window,
            "Backup saved",
            f"The backup was written and checked:\n{result.path}{lock}",
        )

    run_task(window, work).on_success(done).start()


def restore_backup(window: MainWindow) -> None:
    from frontdesk.ui.dialogs.restore_dialog import RestoreDialog

    request = RestoreDialog.ask(window.services, window)
    if request is None:
        return

    def done(result: RestoreResult) -> None:
        refresh_pages(window)
        kept = (
            f"\n\nThe data as it was before is kept in:\n{result.safety_copy}"
            if result.safety_copy
            else ""
        )
        QMessageBox.information(
            window,
            "Clinic restored",
            f"The clinic was restored from {result.source.name}: "
            f"{result.counts.get('patients', 0)} patients, "
            f"{result.counts.get('appointments', 0)} appointments.{kept}",
        )

    run_task(
        window, lambda: window.services.backups.restore(request.path, request.passphrase)
    ).on_success(done).start()


def refresh_pages(window: MainWindow) -> None:
    """Ask every page that can to show the data again (after a restore)."""
    for page in window.pages.values():
        refresh = getattr(page.widget, "refresh", None)
        if callable(refresh):
            try:
                refresh()
            except Exception as error:  # one page failing must not hide the others
                show_error(window, error)


def import_patients_from_file(window: MainWindow) -> None:
    from frontdesk.ui.dialogs.import_wizard import ImportWizard

    result = ImportWizard.ask(window.services, window)
    if result is not None and result.imported:
        refresh_pages(window)


def connect_to_server(window: MainWindow) -> None:
    from frontdesk.ui.dialogs.connect_dialog import ConnectDialog

    result = ConnectDialog.ask(window)
    if result is None:
        return
    where = result.server or "this computer's clinic file"
    QMessageBox.information(
        window,
        "Clinic server",
        f"From the next start, Frontdesk opens {where}. Close Frontdesk and start it "
        "again to switch now.",
    )
