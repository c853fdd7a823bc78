"""Two workstations book the same slot at the same moment: one booking, one clear refusal.

Each workstation is a separate OS process (multiprocessing with "spawn") with its own
``Services`` on the database URL; a barrier releases both at once for every round. Half the
rounds race for the same practitioner and room, the other half for the same room with two
practitioners. A second run switches the service's own check off in both processes, so
that only the database (SQLite triggers inside BEGIN IMMEDIATE transactions, PostgreSQL
exclusion constraints) stands between them. After all rounds no two appointments that
occupy time overlap for a practitioner or a room.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput

ROUNDS = 50
ROOT = Path(__file__).resolve().parents[2]
FIRST_START = datetime(2031, 1, 6, 8, 0, tzinfo=UTC)
MEI, TOMASZ, ROOM_1 = 1, 2, 1
#: the service's own message, or the database's refusal translated by the service
REFUSALS = ("is already booked from", "is in use from", "another workstation")

DOUBLE_BOOKINGS = """
SELECT count(*) FROM appointments a
JOIN appointments b ON a.id < b.id
 AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
 AND (a.practitioner_id = b.practitioner_id OR a.room_id = b.room_id)
WHERE a.status NOT IN ('cancelled', 'no_show') AND b.status NOT IN ('cancelled', 'no_show')
"""


def slot(round_number: int) -> datetime:
    return FIRST_START + timedelta(hours=round_number)


def workstation(
    url: str,
    name: str,
    patient_id: int,
    service_id: int,
    practitioners: list[int],
    barrier: Any,
    results: Any,
    service_check: bool,
) -> None:
    """One workstation: book the round's slot as soon as the barrier lets it go."""
    from frontdesk.domain.errors import ConflictError
    from frontdesk.services.appointments import AppointmentService, BookingRequest
    from frontdesk.services.hub import Services

    if not service_check:
        AppointmentService._check_free = lambda *args, **kwargs: None  # type: ignore[method-assign]
    services = Services.open(url, upgrade=False)
    try:
        for number, practitioner_id in enumerate(practitioners):
            request = BookingRequest(
                patient_id=patient_id,
                service_id=service_id,
                practitioner_id=practitioner_id,
                starts_at=slot(number),
                room_id=ROOM_1,
                acknowledged_warnings=True,
                allow_outside_hours=True,
            )
            barrier.wait(timeout=60)
            try:
                services.appointments.book(request)
            except ConflictError as error:
                results.put((number, name, "refused", error.message))
            except Exception as error:  # reported to the test, which fails on it
                results.put((number, name, "error", f"{type(error).__name__}: {error}"))
            else:
                results.put((number, name, "booked", ""))
    finally:
        services.db.dispose()


def race(clinic: Services, url: str, *, service_check: bool) -> list[tuple[int, str, str, str]]:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    results = ctx.Queue()
    acu = clinic.clinic.service_by_code("ACU").id
    first = clinic.patients.create(PatientInput(legal_name="Ann Lee")).id
    second = clinic.patients.create(PatientInput(legal_name="Bo Chan")).id
    # even rounds: the same practitioner and room; odd rounds: the same room only
    plans = {
        "A": [MEI] * ROUNDS,
        "B": [MEI if number % 2 == 0 else TOMASZ for number in range(ROUNDS)],
    }
    processes = [
        ctx.Process(
            target=workstation,
            args=(url, name, patient, acu, plans[name], barrier, results, service_check),
            name=f"workstation-{name}",
        )
        for name, patient in (("A", first), ("B", second))
    ]
    for process in processes:
        process.start()
    found: list[tuple[int, str, str, str]] = []
    try:
        while len(found) < 2 * ROUNDS:
            found.append(results.get(timeout=90))
    except queue.Empty:
        pytest.fail(f"the workstations stopped after {len(found)} results")
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    assert [p.exitcode for p in processes] == [0, 0]
    return found


@pytest.mark.parametrize("service_check", [True, False], ids=["with-check", "database-only"])
def test_two_workstations_racing_for_a_slot_get_one_booking_and_one_refusal(
    clinic: Services, db_url: str, monkeypatch: pytest.MonkeyPatch, service_check: bool
) -> None:
    # the spawned processes import this module by name from the repository root
    monkeypatch.syspath_prepend(str(ROOT))
    started = time.perf_counter()
    found = race(clinic, db_url, service_check=service_check)
    seconds = time.perf_counter() - started

    errors = [r for r in found if r[2] == "error"]
    assert errors == []
    per_round = Counter((number, outcome) for number, _name, outcome, _message in found)
    for number in range(ROUNDS):
        assert per_round[(number, "booked")] == 1, f"round {number}: {per_round}"
        assert per_round[(number, "refused")] == 1, f"round {number}: {per_round}"
    messages = [message for _n, _name, outcome, message in found if outcome == "refused"]
    assert all(any(part in message for part in REFUSALS) for message in messages), messages

    with clinic.db.read() as s:
        assert s.scalar(text(DOUBLE_BOOKINGS)) == 0
        assert s.scalar(text("SELECT count(*) FROM appointments")) == ROUNDS
    by_database = sum("another workstation" in m for m in messages)
    print(  # shown with -s: how often the database itself had to step in
        f"\n{clinic.db.dialect} service_check={service_check}: {ROUNDS} rounds in "
        f"{seconds:.1f} s, refused by the database {by_database}, by the service "
        f"{ROUNDS - by_database}"
    )
    if not service_check:
        assert by_database == ROUNDS
