"""The Patients page: search as you type, opening a patient with their safety banner,
registering (with the look-alike warning), editing, archiving and merging."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from frontdesk.services.patients import PatientInput
from frontdesk.ui.dialogs.merge_dialog import MergeDialog
from frontdesk.ui.dialogs.patient_dialog import PatientDialog
from frontdesk.ui.patients.patients_page import PatientsPage

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def page(qtbot, clinic, people):
    widget = PatientsPage(clinic)
    qtbot.addWidget(widget)
    widget.resize(1200, 720)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def found_names(page: PatientsPage) -> list[str]:
    return [p.legal_name for p in page.search.model.patients]


def test_typing_searches_after_a_short_pause(qtbot, page):
    assert page.search_edit.hasFocus()
    qtbot.keyClicks(page.search_edit, "zoe")
    qtbot.waitUntil(lambda: found_names(page) == ["Zoë Martin"])
    assert page.result_count.text() == "1 patient found:"
    qtbot.keyClicks(page.search_edit, "x")
    qtbot.waitUntil(lambda: found_names(page) == [])
    assert "No patient matches" in page.result_count.text()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("lukasz", "Łukasz Nowicki"), ("xiaoming", "Wang Xiaoming"), ("900456", "Łukasz Nowicki")],
)
def test_names_without_accents_pinyin_and_phone_digits_find_the_patient(
    qtbot, page, typed, expected
):
    qtbot.keyClicks(page.search_edit, typed)
    qtbot.waitUntil(lambda: found_names(page) == [expected])


def test_any_part_of_a_chinese_name_finds_the_patient(qtbot, page, type_text):
    type_text(page.search_edit, "小明")
    qtbot.waitUntil(lambda: found_names(page) == ["Wang Xiaoming"])


def test_enter_opens_the_patient_and_escape_returns_to_them(qtbot, page, people):
    opened = []
    page.patient_opened.connect(opened.append)
    qtbot.keyClicks(page.search_edit, "kowalska")
    qtbot.waitUntil(lambda: found_names(page) == ["Anna Kowalska"])
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    assert opened == [people["anna"]]
    assert page.stack.currentIndex() == page.PATIENT
    assert page.patient_view.header.name_label.text() == "Anna Kowalska"
    qtbot.keyClick(page.patient_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search_edit.hasFocus()
    qtbot.keyClicks(page.search_edit, "zoe")
    assert page.stack.currentIndex() == page.RESULTS
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Escape)
    assert page.stack.currentIndex() == page.PATIENT


def test_the_header_shows_the_safety_banner_and_attendance(qtbot, page, clinic, people):
    clinic.intakes.save(
        people["wang"],
        {
            "schema": 1,
            "safety": {"implanted_device": True, "anticoagulant": True},
            "red_flags": {"hot_swollen_foot": True},
        },
    )
    page.open_patient(people["wang"])
    header = page.patient_view.header
    assert header.name_label.text() == "Wang Xiaoming  王小明"
    assert (
        "Chart" in header.details_label.text() and "born 1 Oct 1949" in header.details_label.text()
    )
    banner = header.banner
    assert banner.badges[0] == "REFER"
    assert len(banner.badges) >= 3
    assert "Advise medical care" in banner.summary
    assert banner.red_notice_text().startswith("Advise medical care: Red, hot, swollen foot")
    assert not banner.red_notice.isHidden()

    page.open_patient(people["anna"])
    assert header.banner.badges == ["SCREEN?"]
    assert header.banner.red_notice_text() == ""


def test_new_patient_problems_are_shown_next_to_the_field(qtbot, clinic):
    dialog = PatientDialog(clinic)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.legal_name_edit, "Ann Lee")
    qtbot.keyClicks(dialog.date_of_birth_edit, "04/03/2001")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "can be read two ways" in dialog.error_text("date_of_birth")
    assert dialog.focusWidget() is dialog.date_of_birth_edit
    assert dialog.result_value is None
    dialog.date_of_birth_edit.clear()
    qtbot.keyClicks(dialog.date_of_birth_edit, "04.03.2001")
    assert dialog.error_text("date_of_birth") == ""
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result_value is not None
    assert dialog.result_value.patient.legal_name == "Ann Lee"


def test_a_look_alike_warns_and_offers_the_existing_record(qtbot, clinic, people):
    dialog = PatientDialog(clinic)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.legal_name_edit, "Zoe Martin")
    qtbot.keyClicks(dialog.phone_edit, "07700900123")
    asked: list[str] = []

    def open_existing() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == "Open existing").click()

    QTimer.singleShot(0, open_existing)
    dialog.save()
    assert asked and asked[0].startswith("This looks like Zoë Martin")
    assert "(the same phone number)" in asked[0] and asked[0].endswith("Open that record instead?")
    assert dialog.result_value.open_existing_id == people["zoe"]
    assert len(clinic.patients.search("martin")) == 1

    again = PatientDialog(clinic)
    qtbot.addWidget(again)
    qtbot.keyClicks(again.legal_name_edit, "Zoe Martin")
    qtbot.keyClicks(again.date_of_birth_edit, "1956-03-14")
    QTimer.singleShot(
        0,
        lambda: next(
            b for b in QApplication.activeModalWidget().buttons() if b.text() == "Create anyway"
        ).click(),
    )
    again.save()
    assert again.result_value.patient is not None
    assert len(clinic.patients.search("martin")) == 2


def test_editing_archiving_and_restoring(qtbot, page, clinic, people, monkeypatch):
    page.open_patient(people["anna"])
    view = page.patient_view
    dialog = PatientDialog(clinic, view.record)
    qtbot.addWidget(dialog)
    dialog.preferred_name_edit.setText("Ania")
    dialog.save()
    view._after_change()
    assert view.header.name_label.text() == "Ania"
    assert "Legal name: Anna Kowalska" in view.header.details_label.text()

    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    qtbot.mouseClick(view.header.archive_button, Qt.MouseButton.LeftButton)
    assert view.record.archived and not view.header.archived_label.isHidden()
    assert view.header.archive_button.text() == "Restore"
    assert clinic.patients.search("kowalska") == []
    qtbot.mouseClick(view.header.archive_button, Qt.MouseButton.LeftButton)
    assert not view.record.archived


def test_merging_moves_the_duplicates_history(qtbot, clinic, people, monkeypatch):
    twin = clinic.patients.create(PatientInput(legal_name="Zoe Martin", phone="07700 900999"))
    clinic.intakes.save(twin.id, {"schema": 1, "pain": {"now": 3}})
    keep = clinic.patients.get(people["zoe"])
    dialog = MergeDialog(clinic, keep)
    qtbot.addWidget(dialog)
    dialog.search_edit.setText("zoe martin")
    dialog.search.search_now()
    assert [p.id for p in dialog.search.model.patients] == [twin.id]
    assert "1 intake version(s)" in dialog.moves_label.text()
    monkeypatch.setattr(dialog, "confirm", lambda question: "cannot be undone" in question)
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert dialog.result_value is not None and dialog.result_value.id == keep.id
    assert clinic.patients.get(twin.id).archived
    assert clinic.intakes.version_count(keep.id) == 1


def test_shortcuts_work_in_the_main_window(qtbot, clinic, people, monkeypatch):
    from frontdesk.ui.main_window import MainWindow

    window = MainWindow(clinic)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    page = window.show_page("patients")
    qtbot.waitUntil(page.search_edit.hasFocus)  # the search box has the focus on arrival
    page.open_patient(people["zoe"])
    page.patient_view.tabs.setCurrentIndex(page.patient_view.INTAKE)
    page.patient_view.intake.form.sections["complaint"].since_edit.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search_edit.hasFocus()
    opened = []
    monkeypatch.setattr(PatientDialog, "ask", classmethod(lambda cls, *a, **k: opened.append(a)))
    qtbot.keyClick(page.search_edit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(opened) == 1


def test_the_front_desk_sees_flags_but_not_clinical_details(qtbot, clinic, people):
    from frontdesk.domain.enums import Role
    from frontdesk.services.context import Actor

    clinic.intakes.save(people["anna"], {"schema": 1, "safety": {"pregnant": True}})
    desk = clinic.as_user(Actor(user_id=None, username="desk", role=Role.RECEPTIONIST))
    page = PatientsPage(desk)
    qtbot.addWidget(page)
    assert page.open_patient(people["anna"])
    view = page.patient_view
    assert view.header.banner.badges == ["PREG"]
    assert view.intake.stack.currentIndex() == 1
    assert "Only a practitioner" in view.intake.refused_label.text()
    assert "Only a practitioner" in view.visits.refused_label.text()
    view.tabs.setCurrentIndex(view.HISTORY)
    assert "Only a practitioner" in view.history.message_label.text()


@pytest.fixture
def many(clinic) -> list[int]:
    """60 patients who all match "test" ("Test Patient Aa" ... "Test Patient Ch")."""
    names = [f"Test Patient {chr(65 + i // 26)}{chr(97 + i % 26)}" for i in range(60)]
    return [clinic.patients.create(PatientInput(legal_name=name)).id for name in names]


@pytest.fixture
def short_page(qtbot, clinic, people, many):
    """The Patients page with room for fewer rows than a first read brings."""
    widget = PatientsPage(clinic)
    qtbot.addWidget(widget)
    widget.resize(1000, 480)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown_ids(page: PatientsPage) -> list[int]:
    return [p.id for p in page.search.model.patients]


def test_a_long_result_shows_a_screenful_and_more_as_the_list_scrolls(qtbot, short_page, many):
    page = short_page
    qtbot.keyClicks(page.search_edit, "test")
    qtbot.waitUntil(lambda: page.search.shown_text == "test")
    assert shown_ids(page) == many[:25]
    assert page.result_count.text().startswith("25 patients shown and more match: scroll down")
    highlighted = page.current_patient()
    view = page.results_view
    while len(shown_ids(page)) < 60:
        count = len(shown_ids(page))
        view.scrollToBottom()
        qtbot.waitUntil(lambda count=count: len(shown_ids(page)) > count)
    assert shown_ids(page) == many  # every patient once, in the order of the search
    assert page.result_count.text() == "60 patients found:"
    assert page.current_patient() == highlighted  # the highlight stays where it was
    assert not page.search.model.canFetchMore(page.search.model.index(-1, -1))


def test_down_past_the_last_row_reads_the_next_rows_and_enter_opens_that_patient(
    qtbot, short_page, many
):
    page = short_page
    opened = []
    page.patient_opened.connect(opened.append)
    qtbot.keyClicks(page.search_edit, "test patient b")
    qtbot.waitUntil(lambda: page.search.shown_text == "test patient b")
    assert len(shown_ids(page)) == 25  # "Ba" ... "By", and "Bz" not yet
    assert "more match" in page.result_count.text()
    for _ in range(25):
        qtbot.keyClick(page.search_edit, Qt.Key.Key_Down)
    assert page.current_patient().legal_name == "Test Patient Bz"
    assert page.result_count.text() == "26 patients found:"
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    assert opened == [many[51]]
    assert page.patient_view.header.name_label.text() == "Test Patient Bz"


def test_a_short_result_says_how_many_were_found(qtbot, short_page):
    page = short_page
    qtbot.keyClicks(page.search_edit, "test patient c")
    qtbot.waitUntil(lambda: page.search.shown_text == "test patient c")
    assert len(shown_ids(page)) == 8
    assert page.result_count.text() == "8 patients found:"
    page.search_edit.clear()
    qtbot.waitUntil(lambda: page.search.shown_text == "")
    assert len(shown_ids(page)) == 25  # the newest patients first
    assert page.result_count.text() == "Most recently registered patients:"


def test_a_tall_list_is_filled_by_one_read(qtbot, clinic, many, monkeypatch):
    page = PatientsPage(clinic)
    qtbot.addWidget(page)
    page.resize(1000, 1400)
    page.show()
    qtbot.waitExposed(page)
    # the newest patients shown on opening fill the tall list too
    qtbot.waitUntil(lambda: len(shown_ids(page)) > 25)
    reads = []
    search = clinic.patients.search
    monkeypatch.setattr(
        clinic.patients, "search", lambda *a, **k: reads.append(k["limit"]) or search(*a, **k)
    )
    qtbot.keyClicks(page.search_edit, "test")
    qtbot.waitUntil(lambda: page.search.shown_text == "test")
    view = page.results_view
    rows_shown = view.viewport().height() // view.verticalHeader().defaultSectionSize()
    assert rows_shown > 25 and len(reads) == 1 and len(shown_ids(page)) > rows_shown
    view.scrollToBottom()
    qtbot.waitUntil(lambda: len(shown_ids(page)) == 60)
    assert page.result_count.text() == "60 patients found:"
