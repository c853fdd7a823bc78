"""The search controller reads one screenful first and the next rows as the list scrolls;
the pickers that cap the rows or leave a patient out keep doing so."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QLineEdit, QTableView

from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.patients import PatientInput
from frontdesk.ui.patients import search_controller
from frontdesk.ui.patients.search_controller import PatientSearchController

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def many(clinic) -> list[int]:
    """30 patients who all match "test"."""
    names = [f"Test Patient {chr(65 + i // 26)}{chr(97 + i % 26)}" for i in range(30)]
    return [clinic.patients.create(PatientInput(legal_name=name)).id for name in names]


def controller(qtbot, clinic, **options) -> PatientSearchController:
    edit, view = QLineEdit(), QTableView()
    qtbot.addWidget(edit)
    qtbot.addWidget(view)
    search = PatientSearchController(clinic, edit, view, **options)
    edit.setText("test")
    search.search_now()
    return search


def shown(search: PatientSearchController) -> list[int]:
    return [p.id for p in search.model.patients]


def test_each_search_reads_its_first_rows_and_then_the_rest(qtbot, clinic, many):
    search = controller(qtbot, clinic, first_page=10)
    assert shown(search) == many[:10] and search.more_may_match
    with qtbot.waitSignal(search.rows_added) as added:
        search.model.fetchMore(QModelIndex())
    assert added.args == ["test"]
    assert shown(search) == many and not search.more_may_match


def test_a_cap_on_the_rows_is_kept(qtbot, clinic, many):
    search = controller(qtbot, clinic, first_page=10, limit=15)
    assert search.more_may_match
    search.model.fetchMore(QModelIndex())
    assert shown(search) == many[:15] and not search.more_may_match


def test_the_patient_left_out_stays_out_of_the_next_rows(qtbot, clinic, many):
    search = controller(qtbot, clinic, first_page=10, exclude_id=many[12])
    assert len(shown(search)) == 10
    search.model.fetchMore(QModelIndex())
    assert shown(search) == [pid for pid in many if pid != many[12]]


def test_a_failed_read_is_shown_once_and_not_retried(qtbot, clinic, many, monkeypatch):
    search = controller(qtbot, clinic, first_page=10)
    shown_errors = []
    monkeypatch.setattr(search_controller, "show_error", lambda parent, e: shown_errors.append(e))

    def refuse(*args, **kwargs):
        raise FrontdeskError("The clinic file cannot be read just now.")

    monkeypatch.setattr(clinic.patients, "search", refuse)
    search.model.fetchMore(QModelIndex())
    assert [e.message for e in shown_errors] == ["The clinic file cannot be read just now."]
    assert shown(search) == many[:10]
    assert not search.model.canFetchMore(QModelIndex())
