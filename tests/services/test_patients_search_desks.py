"""Search as you type next to other desks, on SQLite and PostgreSQL: what another desk
saves shows at the next keystroke, a save in progress holds nobody up, and the connection
the search box keeps between keystrokes holds nothing back (SQLite)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text

from frontdesk.db.engine import Database
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput


@pytest.fixture
def desk(clinic: Services, clock: Any) -> Services:
    clock.now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    return clinic


@pytest.fixture
def other_desk(desk: Services, db_url: str) -> Iterator[Services]:
    other = Services(Database(db_url), clock=desk.clock)
    yield other
    other.db.dispose()


def found(services: Services, typed: str) -> list[int]:
    return [p.id for p in services.patients.search(typed)]


def test_what_another_desk_saves_shows_at_the_next_keystroke(
    desk: Services, other_desk: Services
) -> None:
    assert found(desk, "priya") == []
    priya = other_desk.patients.create(PatientInput(legal_name="Priya Shah", phone="07700 900777"))
    assert found(desk, "priya") == [priya.id]
    other_desk.patients.update(
        priya.id, priya.version, PatientInput(legal_name="Priya Patel", phone="07700 900777")
    )
    assert found(desk, "patel") == [priya.id]
    assert found(desk, "shah") == []
    other_desk.patients.set_archived(priya.id, True)
    assert found(desk, "priya") == []


def test_a_save_in_progress_at_another_desk_holds_no_search_up(
    desk: Services, other_desk: Services
) -> None:
    priya = desk.patients.create(PatientInput(legal_name="Priya Shah")).id
    with other_desk.db.write() as session:
        session.execute(
            text("UPDATE patients SET legal_name = 'Someone Else' WHERE id = :id"), {"id": priya}
        )
        # the search reads what was last saved, at once, while the other desk is mid-save
        assert found(desk, "priya") == [priya]
    assert [p.legal_name for p in desk.patients.search("priya")] == ["Someone Else"]


def test_searches_from_two_threads_at_once_each_get_their_own_answer(desk: Services) -> None:
    zoe = desk.patients.create(PatientInput(legal_name="Zoë Adams")).id
    wang = desk.patients.create(PatientInput(legal_name="Wang Xiaoming")).id
    start = threading.Barrier(2)
    answers: dict[str, set[tuple[int, ...]]] = {"zoe": set(), "wang": set()}

    def type_many(typed: str) -> None:
        start.wait()
        for _ in range(200):
            answers[typed].add(tuple(found(desk, typed)))

    threads = [threading.Thread(target=type_many, args=(t,)) for t in answers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == {"zoe": {(zoe,)}, "wang": {(wang,)}}


def test_searching_goes_on_after_the_clinic_is_closed_and_opened_again(desk: Services) -> None:
    zoe = desk.patients.create(PatientInput(legal_name="Zoë Adams")).id
    assert found(desk, "zoe") == [zoe]
    desk.db.dispose()  # as restoring a backup does
    assert found(desk, "zoe") == [zoe]


def test_many_sign_ins_on_one_desk_keep_searching(desk: Services) -> None:
    # each sign-in gets services of its own over the same clinic; more of them than the
    # pool has connections must all go on searching
    zoe = desk.patients.create(PatientInput(legal_name="Zoë Adams")).id
    for _ in range(20):
        assert found(desk.as_user(desk.actor), "zoe") == [zoe]


@pytest.mark.sqlite_only
def test_an_idle_search_box_holds_back_no_checkpoint(desk: Services) -> None:
    desk.patients.create(PatientInput(legal_name="Zoë Adams"))
    assert found(desk, "zoe")
    desk.patients.create(PatientInput(legal_name="Zoey Brown"))  # saved after the search
    # A checkpoint that empties the journal has to wait for every reader still looking
    # at an older state of the clinic; a search box between keystrokes must not be one.
    path = desk.db.engine.url.database
    assert path
    checkpoint = sqlite3.connect(path, timeout=0)
    try:
        busy, _pages, _moved = checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        checkpoint.close()
    assert busy == 0
    assert len(found(desk, "zoe")) == 2
