"""Signing in, the screen that locks itself, and the administrator's dialogs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from frontdesk.domain.enums import Role
from frontdesk.ui.dialogs.audit_dialog import AuditDialog
from frontdesk.ui.dialogs.sign_in_dialog import SignInDialog
from frontdesk.ui.dialogs.users_dialog import NewUserDialog, UsersDialog
from frontdesk.ui.main_window import MainWindow

pytestmark = pytest.mark.sqlite_only
PASSWORD = "long enough pw"


@pytest.fixture
def staffed(clinic):
    clinic.users.create_first_administrator("admin", "Ada Admin", PASSWORD)
    clinic.users.add("rita", "Rita Desk", Role.RECEPTIONIST, PASSWORD)
    clinic.users.add("mei", "Mei Chen", Role.PRACTITIONER, PASSWORD)
    return clinic


def test_sign_in_dialog_refuses_a_wrong_password_then_accepts(qtbot, staffed):
    dialog = SignInDialog(staffed)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.form.username_edit, "rita")
    qtbot.keyClicks(dialog.form.password_edit, "wrong password")
    dialog._accept()
    assert dialog.actor is None
    assert "do not match" in dialog.form.message.text()
    assert dialog.form.password_edit.text() == ""
    qtbot.keyClicks(dialog.form.password_edit, PASSWORD)
    dialog._accept()
    assert dialog.actor is not None and dialog.actor.role is Role.RECEPTIONIST


def test_idle_window_locks_and_another_user_continues_with_nothing_lost(qtbot, staffed):
    staffed.actor = staffed.users.sign_in("rita", PASSWORD)
    window = MainWindow(staffed)
    qtbot.addWidget(window)
    window.show()
    # a half-typed note somewhere on a page
    note = QLineEdit()
    window.add_page("notes", "Notes", note, "Ctrl+9")
    window.show_page("notes")
    qtbot.keyClicks(note, "Numb toes since spr")
    assert window.idle_watcher is not None
    window.idle_watcher.set_minutes(0.002)  # about 120 ms
    with qtbot.waitSignal(window.locked_changed, timeout=3000) as locked:
        pass
    assert locked.args == [True]
    assert window.is_locked()
    assert not window.menuBar().isEnabled()
    assert window.root_stack.currentWidget() is window.lock_screen
    assert window.lock_screen.form.username_edit.text() == "rita"
    # a practitioner takes over the desk computer
    window.lock_screen.form.username_edit.setText("mei")
    qtbot.keyClicks(window.lock_screen.form.password_edit, PASSWORD)
    qtbot.mouseClick(window.lock_screen.unlock_button, Qt.MouseButton.LeftButton)
    assert not window.is_locked()
    assert staffed.actor.username == "mei"
    assert "mei" in window.status_user.text()
    assert window.current_page() == "notes"
    assert note.text() == "Numb toes since spr"


def test_administrator_adds_a_user_and_reads_the_audit_trail(qtbot, staffed):
    staffed.actor = staffed.users.sign_in("admin", PASSWORD)
    dialog = NewUserDialog(staffed)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username_edit, "tom")
    qtbot.keyClicks(dialog.name_edit, "Tomasz Nowak")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(Role.PRACTITIONER))
    qtbot.keyClicks(dialog.passwords.password_edit, PASSWORD)
    qtbot.keyClicks(dialog.passwords.again_edit, PASSWORD)
    dialog._save()
    assert dialog.created is not None and dialog.created.role is Role.PRACTITIONER

    users = UsersDialog(staffed)
    qtbot.addWidget(users)
    assert "tom" in [u.username for u in users.model.rows]

    audit = AuditDialog(staffed)
    qtbot.addWidget(audit)
    actions = [r.action for r in audit.model.rows]
    assert "create" in actions and "sign_in" in actions
    audit.user_edit.setText("admin")
    audit.refresh()
    assert {r.username for r in audit.model.rows} == {"admin"}


def test_the_administration_menu_follows_the_signed_in_role(qtbot, staffed):
    staffed.actor = staffed.users.sign_in("rita", PASSWORD)
    window = MainWindow(staffed)
    qtbot.addWidget(window)
    menus = {a.text(): a for a in window.menuBar().actions()}
    assert not menus["&Administration"].isVisible()
    window._unlocked(staffed.users.sign_in("admin", PASSWORD))
    assert menus["&Administration"].isVisible()


def test_models_pass_the_model_tester(qtmodeltester, staffed):
    from zoneinfo import ZoneInfo

    from frontdesk.ui.models.audit import AuditModel
    from frontdesk.ui.models.users import UsersModel

    users = UsersModel()
    users.set_rows(staffed.users.list())
    qtmodeltester.check(users)
    audit = AuditModel(ZoneInfo("Europe/London"))
    audit.set_rows(staffed.audit_trail.entries())
    qtmodeltester.check(audit)


def test_the_lock_keeps_a_half_typed_intake(qtbot, staffed, monkeypatch):
    """The practitioner leaves an intake half typed; the screen locks; they sign back in
    and the words are still there, unsaved, and can be saved."""
    from frontdesk.services.patients import PatientInput

    mei = staffed.users.sign_in("mei", PASSWORD)
    patient = staffed.patients.create(PatientInput(legal_name="Zoë Łukasz-Nguyễn"))
    staffed.actor = mei
    window = MainWindow(staffed)
    qtbot.addWidget(window)
    window.show()
    patients = window.show_page("patients")
    assert patients.open_patient(patient.id)
    intake = patients.patient_view.intake
    # closing the window at the end of the test must not stop to ask about unsaved work
    monkeypatch.setattr(intake, "maybe_leave", lambda *args, **kwargs: True)
    what = intake.form.sections["complaint"].what_edit
    qtbot.keyClicks(what, "Numb toes since the spr")
    assert intake.form.is_dirty

    assert window.idle_watcher is not None
    window.idle_watcher.set_minutes(0.002)
    with qtbot.waitSignal(window.locked_changed, timeout=3000):
        pass
    assert window.is_locked()
    qtbot.keyClicks(window.lock_screen.form.password_edit, PASSWORD)
    qtbot.mouseClick(window.lock_screen.unlock_button, Qt.MouseButton.LeftButton)
    assert not window.is_locked()
    assert what.toPlainText() == "Numb toes since the spr"
    assert intake.form.is_dirty
    intake.save()
    assert staffed.intakes.latest(patient.id).data.chief_complaint.what == (
        "Numb toes since the spr"
    )
