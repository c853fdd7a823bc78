"""The Data menu and its dialogs, live updates between two windows, the daily backup."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from frontdesk.db.engine import Database
from frontdesk.domain.errors import ValidationError
from frontdesk.services import transfer
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput
from frontdesk.ui import data_menu, tasks
from frontdesk.ui.dialogs.backup_dialog import BackupDialog
from frontdesk.ui.dialogs.connect_dialog import ConnectDialog
from frontdesk.ui.dialogs.import_wizard import IMPORT_PAGE, MAPPING_PAGE, PREVIEW_PAGE, ImportWizard
from frontdesk.ui.dialogs.restore_dialog import RestoreDialog
from frontdesk.ui.live_updates import install_live_updates
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.models.import_preview import BAD_COLOUR, ImportPreviewModel

CSV = (
    "First name,Last name,DOB,Mobile\n"
    "Margaret,Hughes,1954-06-02,07700 900111\n"
    "Bad,Date,31.02.1960,\n"
    "Wei,Zhang,1961-11-20,07700 900222\n"
)


def book(services: Services) -> None:
    patient = services.patients.create(PatientInput(legal_name="Live Update"))
    services.appointments.book(
        BookingRequest(
            patient_id=patient.id,
            service_id=services.clinic.service_by_code("ACU").id,
            practitioner_id=services.clinic.practitioners()[0].id,
            room_id=services.clinic.rooms()[0].id,
            starts_at=datetime(2025, 6, 10, 10, 0, tzinfo=UTC),
            allow_outside_hours=True,
        )
    )


def test_two_windows_on_one_database_see_each_others_bookings(
    qtbot, clinic: Services, db_url: str
) -> None:
    other = Services(Database(db_url))
    try:
        front_desk = MainWindow(clinic)
        treatment_room = MainWindow(other)
        qtbot.addWidget(front_desk)
        qtbot.addWidget(treatment_room)
        refreshed: list[bool] = []
        live = install_live_updates(treatment_room, lambda: refreshed.append(True))
        with qtbot.waitSignal(live.changed, timeout=2000):
            book(front_desk.services)
        assert refreshed == [True]
        live.stop()
    finally:
        other.db.dispose()


@pytest.mark.sqlite_only
def test_the_data_menu_and_the_daily_backup_at_start(
    qtbot, clinic: Services, tmp_path: Path, monkeypatch
) -> None:
    folder = clinic.backups.set_folder(tmp_path / "daily")
    monkeypatch.setattr(data_menu, "FIRST_DAILY_BACKUP_MS", 0)
    window = MainWindow(clinic)
    qtbot.addWidget(window)
    titles = [a.text() for a in window.data_menu.actions() if a.text()]
    assert titles == [
        "&Back up now...",
        "&Restore from a backup...",
        "&Import patients...",
        "&Connect to clinic server...",
    ]
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus.index("&Data") < menus.index("&Help")
    qtbot.waitUntil(lambda: len(list(folder.iterdir())) == 1 and tasks.pending() == 0, timeout=5000)
    assert "Today's backup was saved" in window.statusBar().currentMessage()


@pytest.mark.sqlite_only
def test_the_backup_dialog_checks_the_passphrase(qtbot, clinic: Services, tmp_path: Path) -> None:
    dialog = BackupDialog(clinic)
    qtbot.addWidget(dialog)
    assert not dialog.passphrase_edit.isEnabled()
    dialog.folder_edit.setText(str(tmp_path))
    plain = dialog.request()
    assert plain.passphrase is None and plain.target.parent == tmp_path
    assert plain.target.suffix == ".sqlite3"
    dialog.encrypt_check.setChecked(True)
    assert dialog.passphrase_edit.isEnabled()
    dialog.passphrase_edit.setText("short")
    with pytest.raises(ValidationError, match="at least 8"):
        dialog.request()
    dialog.passphrase_edit.setText("long enough phrase")
    dialog.repeat_edit.setText("long enough phrasf")
    with pytest.raises(ValidationError, match="differ"):
        dialog.request()
    dialog.repeat_edit.setText("long enough phrase")
    locked = dialog.request()
    assert locked.passphrase == "long enough phrase" and locked.target.suffix == ".fdbackup"


@pytest.mark.sqlite_only
def test_a_backup_can_lock_the_daily_backups_with_its_passphrase(
    qtbot, clinic: Services, tmp_path: Path, memory_keyring, monkeypatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    dialog = BackupDialog(clinic)
    qtbot.addWidget(dialog)
    assert dialog.daily_state.text() == "written without a passphrase."
    assert not dialog.lock_daily_check.isEnabled()
    dialog.folder_edit.setText(str(tmp_path))
    dialog.encrypt_check.setChecked(True)
    dialog.passphrase_edit.setText("long enough phrase")
    dialog.repeat_edit.setText("long enough phrase")
    assert dialog.lock_daily_check.isEnabled()
    dialog.lock_daily_check.setChecked(True)
    request = dialog.request()
    assert request.lock_daily

    told: list[str] = []
    monkeypatch.setattr(BackupDialog, "ask", classmethod(lambda *_a, **_k: request))
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    window = MainWindow(clinic)
    qtbot.addWidget(window)
    data_menu.back_up_now(window)
    qtbot.waitUntil(lambda: tasks.pending() == 0 and bool(told), timeout=10_000)
    assert "daily backups are locked with it too" in told[0]
    assert clinic.backups.daily_encryption() == "on"

    again = BackupDialog(clinic)
    qtbot.addWidget(again)
    assert "locked with a passphrase kept on this computer" in again.daily_state.text()
    assert not again.stop_locking_button.isHidden()
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(again.stop_locking_button, Qt.MouseButton.LeftButton)
    assert clinic.backups.daily_encryption() == "off"
    assert again.stop_locking_button.isHidden()


@pytest.mark.sqlite_only
def test_without_a_password_store_the_daily_backups_cannot_be_locked_here(
    qtbot, clinic: Services, monkeypatch
) -> None:
    monkeypatch.setattr(transfer, "keyring_store", lambda: None)
    dialog = BackupDialog(clinic)
    qtbot.addWidget(dialog)
    dialog.encrypt_check.setChecked(True)
    assert not dialog.lock_daily_check.isEnabled()
    assert "no password store" in dialog.lock_daily_check.toolTip()


@pytest.mark.sqlite_only
def test_the_restore_dialog_asks_for_the_passphrase_of_a_locked_backup(
    qtbot, clinic: Services, tmp_path: Path
) -> None:
    locked = clinic.backups.backup(tmp_path / "b.fdbackup", passphrase="a good passphrase")
    dialog = RestoreDialog(clinic)
    qtbot.addWidget(dialog)
    assert not dialog.restore_button.isEnabled()
    dialog.file_edit.setText(str(locked.path))
    dialog.inspect()
    assert "locked with a passphrase" in dialog.about_label.text()
    assert dialog.passphrase_edit.isEnabled()
    with pytest.raises(ValidationError, match="enter its passphrase"):
        dialog.request()
    dialog.passphrase_edit.setText("a good passphrase")
    dialog.confirm_check.setChecked(True)
    assert dialog.restore_button.isEnabled()
    assert dialog.request().passphrase == "a good passphrase"


@pytest.mark.sqlite_only
def test_the_preview_model_shows_problems_in_red(
    qtbot, qtmodeltester, clinic: Services, tmp_path: Path
) -> None:
    path = tmp_path / "p.csv"
    path.write_text(CSV)
    model = ImportPreviewModel()
    model.set_preview(clinic.patient_import.preview(path))
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    bad = model.index(1, 3)
    assert model.data(model.index(1, 0)) == "3"
    assert model.data(bad, Qt.ItemDataRole.ForegroundRole) == BAD_COLOUR
    assert model.data(model.index(0, 3)) == "Will be imported"


@pytest.mark.sqlite_only
def test_the_import_wizard_from_file_to_imported_patients(
    qtbot, clinic: Services, tmp_path: Path
) -> None:
    path = tmp_path / "old-system.csv"
    path.write_text(CSV)
    wizard = ImportWizard(clinic)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_edit.setText(str(path))
    wizard.next()
    assert wizard.currentId() == MAPPING_PAGE
    assert wizard.combos["Mobile"].currentData() == "phone"
    assert "07700 900111" in wizard.combos["Mobile"].toolTip()
    wizard.next()
    assert wizard.currentId() == PREVIEW_PAGE
    qtbot.waitUntil(lambda: wizard.model.rowCount() == 3, timeout=5000)
    assert "2 patients will be imported" in wizard.summary_label.text()
    wizard.next()
    assert wizard.currentId() == IMPORT_PAGE
    qtbot.waitUntil(lambda: wizard.result_value is not None, timeout=5000)
    assert wizard.result_value.imported == 2
    assert "Imported 2 patients" in wizard.done_label.text()
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert {p.legal_name for p in clinic.patients.search("")} == {
        "Margaret Hughes",
        "Wei Zhang",
    }


@pytest.mark.pg_only
def test_the_connect_dialog_tests_and_saves_the_server(
    qtbot, clinic: Services, db_url: str, monkeypatch
) -> None:
    from sqlalchemy import make_url

    monkeypatch.setattr(transfer, "keyring_store", lambda: None)
    url = make_url(db_url)
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    dialog.host_edit.setText(url.query["host"])
    dialog.port_spin.setValue(int(url.query["port"]))
    dialog.database_edit.setText(url.database)
    dialog.user_edit.setText("postgres")
    dialog.test_connection()
    qtbot.waitUntil(lambda: "Riverside Acupuncture" in dialog.result_label.text(), timeout=5000)
    dialog.use_server()
    assert dialog.result_value is not None and dialog.result_value.server is not None
    saved = transfer.configured_database_url()
    assert saved is not None
    opened = Services.open(saved)
    try:
        assert opened.clinic.profile().name == "Riverside Acupuncture"
    finally:
        opened.db.dispose()
    again = ConnectDialog()
    qtbot.addWidget(again)
    assert again.database_edit.text() == url.database
    again.use_local_file()
    assert transfer.configured_database_url() is None
