"""The patient list model, checked by Qt's model tester, and what its rows show."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt

from frontdesk.services.records import PatientSummary
from frontdesk.ui.models.patients import PATIENT_ROLE, PatientListModel, age_on, format_date

pytestmark = pytest.mark.sqlite_only


def summary(pid: int, name: str, other: str = "", archived: bool = False) -> PatientSummary:
    return PatientSummary(
        id=pid,
        display_name=f"{name} {other}".strip(),
        legal_name=name,
        other_script_name=other,
        date_of_birth=date(1956, 3, 14),
        phone="07700 900123",
        chart_number=f"{pid:06d}",
        archived=archived,
    )


def test_patient_list_model(qapp, qtmodeltester):
    model = PatientListModel()
    model.set_patients(
        [summary(1, "Wang Xiaoming", "王小明"), summary(2, "Ann Lee", archived=True)]
    )
    qtmodeltester.check(model)
    assert model.data(model.index(0, PatientListModel.NAME)) == "Wang Xiaoming"
    assert model.data(model.index(0, PatientListModel.OTHER_SCRIPT)) == "王小明"
    assert model.data(model.index(0, PatientListModel.DATE_OF_BIRTH)) == "14 Mar 1956"
    assert model.data(model.index(1, PatientListModel.NAME)) == "Ann Lee (archived)"
    assert model.data(model.index(1, 0), PATIENT_ROLE).id == 2
    assert model.headerData(4, Qt.Orientation.Horizontal) == "Chart no."
    assert model.row_of(2) == 1 and model.row_of(9) == -1
    model.set_patients([])
    qtmodeltester.check(model)


def test_dates_and_ages_read_the_same_everywhere():
    assert format_date(date(2001, 3, 4)) == "4 Mar 2001"
    assert age_on(date(1956, 3, 14), date(2026, 3, 13)) == 69
    assert age_on(date(1956, 3, 14), date(2026, 3, 14)) == 70


def test_each_search_shows_its_own_rows_and_reads_out_archived_once(qapp, qtmodeltester):
    model = PatientListModel()
    model.set_patients([summary(1, "Wang Xiaoming", "王小明"), summary(2, "Ann Lee")])
    model.set_patients([summary(3, "Zoë Adams", archived=True)])
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    row = [model.data(model.index(0, column)) for column in range(model.columnCount())]
    assert row == ["Zoë Adams (archived)", "", "14 Mar 1956", "07700 900123", "000003"]
    accessible = model.data(
        model.index(0, PatientListModel.NAME), Qt.ItemDataRole.AccessibleTextRole
    )
    assert accessible == "Zoë Adams (archived)"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) == (
        "Zoë Adams, chart 000003 (archived)"
    )
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole) is None
    assert model.data(model.index(1, 0)) is None  # past the last row


def test_more_rows_arrive_below_without_repeating_a_patient(qapp, qtmodeltester):
    model = PatientListModel()
    pages = iter([[summary(1, "Ann Lee"), summary(3, "Wang Xiaoming", "王小明")]])
    asked = []

    def fetch_next() -> None:
        asked.append(model.rowCount())
        model.append_patients(next(pages, []), more=False)

    model.fetch_next = fetch_next
    model.set_patients([summary(1, "Ann Lee"), summary(2, "Zoë Adams")], more=True)
    assert model.more_may_match and model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)  # the tester asks for more rows itself
    assert asked == [2]
    assert [p.id for p in model.patients] == [1, 2, 3]
    assert model.data(model.index(2, PatientListModel.OTHER_SCRIPT)) == "王小明"
    assert not model.more_may_match and not model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert asked == [2]  # nothing more to read


def test_a_read_that_brings_nothing_new_stops_asking(qapp):
    model = PatientListModel()
    model.fetch_next = lambda: None
    model.set_patients([summary(1, "Ann Lee")], more=True)
    assert model.append_patients([summary(1, "Ann Lee")], more=True) == 0
    assert model.rowCount() == 1 and not model.canFetchMore(QModelIndex())
