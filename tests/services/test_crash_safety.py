"""Crash safety: a process booking appointments and saving intakes is killed (SIGKILL) at
random moments, many times; afterwards the database passes its checks and every save that
was reported as done is there.

The writer processes are forked from a small helper that has already imported Frontdesk
(a fork costs milliseconds where starting Python costs half a second), so many rounds fit
in a few seconds. Each writer prints one line per save only after the save returned.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import make_url, text

from frontdesk.cli.main import run as run_cli
from frontdesk.db.engine import Database
from frontdesk.services.hub import Services

ROOT = Path(__file__).resolve().parents[2]

WRITER = r"""
import os, sys
from datetime import UTC, datetime, timedelta
from frontdesk.domain.enums import Role
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.context import Actor
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def say(line):
    os.write(1, (line + "\n").encode())


def name(n):
    word = ""
    while True:
        word = LETTERS[n % 26] + word
        n //= 26
        if not n:
            return "Crash " + word.capitalize()


def write_forever(url, round_no):
    actor = Actor(user_id=None, username="crash-test", role=Role.PRACTITIONER)
    services = Services.open(url, upgrade=False, actor=actor)
    acupuncture = services.clinic.service_by_code("ACU")
    service, minutes = acupuncture.id, acupuncture.default_minutes
    practitioners = [p.id for p in services.clinic.practitioners()]
    rooms = [r.id for r in services.clinic.rooms()]
    # each round books its own two days, so a save cut short never blocks the next round
    base = datetime(2031, 1, 6, 0, 0, tzinfo=UTC) + timedelta(days=2 * round_no)
    n = 0
    while True:
        patient = services.patients.create(PatientInput(legal_name=name(round_no * 1000 + n)))
        say(f"P {patient.id}")
        appointment = services.appointments.book(
            BookingRequest(
                patient_id=patient.id,
                service_id=service,
                practitioner_id=practitioners[n % len(practitioners)],
                room_id=rooms[n % len(rooms)],
                starts_at=base + timedelta(minutes=minutes * (n // len(practitioners))),
                allow_outside_hours=True,
            )
        )
        say(f"A {appointment.id}")
        intake = services.intakes.save(
            patient.id, {"pain": {"now": n % 11}}
        )
        say(f"I {intake.id}")
        n += 1


url = sys.argv[1]
say("ready")
for line in sys.stdin:
    round_no = int(line)
    child = os.fork()
    if child == 0:
        try:
            write_forever(url, round_no)
        except BaseException as error:
            say(f"error {type(error).__name__}: {error}")
        finally:
            os._exit(3)
    say(f"pid {child}")
    _pid, status = os.waitpid(child, 0)
    say(f"exit {status}")
"""


class Helper:
    """The forking helper process and the lines it (and its writers) print."""

    def __init__(self, url: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", WRITER, url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            text=True,
            bufsize=1,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        assert self.next_line(30) == "ready"

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.strip())
        self.lines.put("<closed>")

    def next_line(self, timeout: float) -> str | None:
        try:
            return self.lines.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return None

    def round(self, number: int, rng: random.Random) -> list[str]:
        """One writer: started, killed at a random moment; returns what it reported."""
        assert self.process.stdin is not None
        self.process.stdin.write(f"{number}\n")
        self.process.stdin.flush()
        first = self.next_line(30)
        assert first is not None and first.startswith("pid "), first
        pid = int(first.split()[1])
        reported: list[str] = []
        # let it get a random number of saves done (patients, bookings, intakes in turn),
        # then kill it a random moment later: in a save, between saves, or in a commit
        for _ in range(rng.randint(1, 7)):
            line = self.next_line(30)
            assert line is not None and line[0] in "PAI", line
            reported.append(line)
        deadline = time.monotonic() + rng.uniform(0.0, 0.03)
        while (line := self.next_line(deadline - time.monotonic())) is not None:
            assert line[0] in "PAI", line
            reported.append(line)
        os.kill(pid, signal.SIGKILL)
        while (line := self.next_line(30)) is not None and not line.startswith("exit "):
            assert line[0] in "PAI", line
            reported.append(line)
        assert line is not None, "the helper stopped answering"
        return reported

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


def _run_rounds(url: str, rounds: int, seed: int) -> tuple[list[str], float]:
    helper = Helper(url)
    started = time.monotonic()
    reported: list[str] = []
    try:
        rng = random.Random(seed)
        for number in range(rounds):
            reported += helper.round(number, rng)
    finally:
        helper.close()
    return reported, time.monotonic() - started


def _check_everything_reported_is_there(services: Services, reported: list[str]) -> None:
    tables = {"P": "patients", "A": "appointments", "I": "intakes"}
    with services.db.engine.connect() as conn:
        for letter, table in tables.items():
            wanted = {int(line.split()[1]) for line in reported if line[0] == letter}
            present = {r[0] for r in conn.execute(text(f"SELECT id FROM {table}"))}
            missing = wanted - present
            assert not missing, f"{table} reported as saved but missing: {sorted(missing)}"


SQLITE_ROUNDS = 30
PG_ROUNDS = 10


def test_killed_writers_lose_nothing_they_reported(clinic: Services, db_url: str, capsys) -> None:
    backend = clinic.db.dialect
    rounds = SQLITE_ROUNDS if clinic.db.is_sqlite else PG_ROUNDS
    reported, seconds = _run_rounds(db_url, rounds, seed=20250610)
    saves = len(reported)
    assert saves >= rounds  # every writer got at least one save done before the kill

    if clinic.db.is_sqlite:
        path = make_url(db_url).database
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    fresh = Services(Database(db_url))
    try:
        with fresh.db.engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
        _check_everything_reported_is_there(fresh, reported)
        report = fresh.maintenance.check()
        assert report.ok, report.problems
    finally:
        fresh.db.dispose()
    assert run_cli(["--db", db_url, "check"]) == 0
    with capsys.disabled():
        print(
            f"\n[crash safety] {backend}: {rounds} kills, {saves} reported saves, {seconds:.1f} s"
        )
