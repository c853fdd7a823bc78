"""Search as you type on demo clinics of 1,000, 10,000 and 100,000 patients.

Each keystroke state of a few typed queries ("w", "wa", ... "wang x", "zoe", "łuk", "小明",
phone digits, a birth month) is searched through ``PatientService.search(text,
limit=SEARCH_FIRST_PAGE)`` exactly as the Patients page does after its short pause, and
timed; median and p95 are over every keystroke and repeat. The page asks for that many
because its list reads one screenful first and the next rows only as it scrolls. The
search and its floor take turns in blocks of rounds, so that both meet the same load on a
shared machine.

Floor: the raw indexed query a hand-written screen would run to show as many patients as
the search found for that keystroke, over the same rows, through ``sqlite3`` directly:
``SELECT id, legal_name, date_of_birth, phone, chart_number FROM patients WHERE legal_name
>= ? ORDER BY legal_name LIMIT ?`` (a walk along ``ix_patients_legal_name`` from the typed
text). It folds no accents, finds no Chinese parts, phones or dates, and skips the
transaction and the result objects: it is what reading that many patients costs at least.

Two targets: at most 3x the floor at each size, and no more than 3x slower from 1,000 to
100,000 patients (the term index keeps each keystroke a range scan, whatever the size).
The growth of the floor itself over the same keys is shown beside it, without a target:
on 1,000 patients many keys find only a few patients, so both sides read fewer rows; and
so is the growth over the keys that find as many patients on both demos.

A cached demo whose search terms differ from what this code writes is rebuilt first.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from datetime import date
from pathlib import Path

from bench.data import demo_database
from bench.harness import Row
from frontdesk.services.hub import Services
from frontdesk.services.patients import SEARCH_FIRST_PAGE, search_terms_for

#: what a receptionist types, keystroke by keystroke
KEYSTROKES: tuple[str, ...] = (
    "w",
    "wa",
    "wan",
    "wang",
    "wang x",
    "z",
    "zo",
    "zoe",
    "ł",
    "łu",
    "łuk",
    "小",
    "小明",
    "0770",
    "1956-03",
)
FLOOR_SQL = (
    "SELECT id, legal_name, date_of_birth, phone, chart_number FROM patients "
    "WHERE legal_name >= ? ORDER BY legal_name LIMIT ?"
)
RATIO_TARGET = 3.0
GROWTH_TARGET = 3.0


def floor_start(typed: str) -> str:
    """Where a plain name list would start reading for this keystroke ("wa" -> "Wa")."""
    text = typed.strip()
    return text[:1].upper() + text[1:]


def _terms_are_current(path: Path, sample: int = 20) -> bool:
    """Whether the cached demo's search terms are the ones this code writes (the cache
    outlives changes to the search vocabulary; a stale index would time other work)."""
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    try:
        patients = connection.execute(
            "SELECT * FROM patients WHERE merged_into_id IS NULL ORDER BY id LIMIT ?", (sample,)
        ).fetchall()
        for patient in patients:
            row = dict(patient)
            born = row["date_of_birth"]
            row["date_of_birth"] = date.fromisoformat(born) if born else None
            stored = connection.execute(
                "SELECT term FROM patient_search_terms WHERE patient_id = ?", (row["id"],)
            ).fetchall()
            if {term for (term,) in stored} != search_terms_for(row):
                return False
        return True
    finally:
        connection.close()


def current_demo(patients: int) -> Path:
    """The cached demo of that size, rebuilt first when it was indexed by older code."""
    path = demo_database(patients, 2)
    if _terms_are_current(path):
        return path
    print(
        f"[bench] the {patients:,}-patient demo was indexed by an older version: rebuilding",
        file=sys.stderr,
        flush=True,
    )
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    return demo_database(patients, 2)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return median, p95


Side = tuple[int, str]  # (patients in the demo, "service" or "floor")


def time_keystrokes(
    sides: dict[Side, Callable[[str], object]], repeat: int, blocks: int
) -> dict[Side, dict[str, list[float]]]:
    """Samples in ms of each side's ``search(text)`` for every keystroke, ``repeat`` rounds
    in all. The sides take turns in ``blocks`` blocks of rounds, so a spell of other work
    on the machine falls on every side alike; within a block a side runs alone, with its
    caches as warm as in a loop of its own."""
    for search in sides.values():
        for text in KEYSTROKES:  # warm caches and compiled statements once
            search(text)
    samples: dict[Side, dict[str, list[float]]] = {
        side: {text: [] for text in KEYSTROKES} for side in sides
    }
    rounds = [repeat // blocks + (1 if block < repeat % blocks else 0) for block in range(blocks)]
    for block_rounds in rounds:
        for side, search in sides.items():
            by_key = samples[side]
            for _ in range(block_rounds):
                for text in KEYSTROKES:
                    started = time.perf_counter()
                    search(text)
                    by_key[text].append((time.perf_counter() - started) * 1000.0)
    return samples


def open_size(
    stack: ExitStack, patients: int
) -> tuple[Callable[[str], object], Callable[[str], object], dict[str, int]]:
    """The search and its floor on the demo of ``patients`` patients, and how many patients
    the search finds for each keystroke."""
    path = current_demo(patients)
    services = Services.open(f"sqlite:///{path}", upgrade=False)
    stack.callback(services.db.dispose)
    connection = sqlite3.connect(path)
    stack.callback(connection.close)
    cursor = connection.cursor()

    def search(text: str) -> object:
        # the first read of the Patients page for each keystroke
        return services.patients.search(text, limit=SEARCH_FIRST_PAGE)

    found = {
        text: len(services.patients.search(text, limit=SEARCH_FIRST_PAGE)) for text in KEYSTROKES
    }

    def floor(text: str) -> object:
        # the floor reads as many patients as the search shows (at least one)
        return cursor.execute(FLOOR_SQL, (floor_start(text), max(1, found[text]))).fetchall()

    return search, floor, found


def _median_of(samples: dict[str, list[float]], keys: Iterable[str] = KEYSTROKES) -> float:
    return _percentiles([ms for text in keys for ms in samples[text]])[0]


def measure(quick: bool) -> list[Row]:
    sizes = (1_000, 10_000) if quick else (1_000, 10_000, 100_000)
    # 60 rounds a side in 6 turns of 10, every size and its floor in each turn: the machine
    # is shared and its load moves over seconds; taking turns puts all under much the same.
    repeat, blocks = (3, 3) if quick else (60, 6)
    with ExitStack() as stack:
        sides: dict[Side, Callable[[str], object]] = {}
        found: dict[int, dict[str, int]] = {}
        for patients in sizes:
            search, floor, found[patients] = open_size(stack, patients)
            sides[(patients, "service")] = search
            sides[(patients, "floor")] = floor
        samples = time_keystrokes(sides, repeat, blocks)
    rows: list[Row] = []
    for patients in sizes:
        service = samples[(patients, "service")]
        median, p95 = _percentiles([ms for by_key in service.values() for ms in by_key])
        rows.append(
            Row(
                "search",
                f"search as you type, {patients:,} patients (per key)",
                median,
                p95,
                "same number of rows by name index",
                _median_of(samples[(patients, "floor")]),
                RATIO_TARGET,
            )
        )
    small, large = min(sizes), max(sizes)
    rows.append(
        Row(
            "search",
            f"growth {small:,} -> {large:,} patients",
            _median_of(samples[(large, "service")]),
            _median_of(samples[(large, "service")]),
            f"the same keys on {small:,} patients",
            _median_of(samples[(small, "service")]),
            GROWTH_TARGET,
        )
    )
    # For reading the growth (information, no target): on the small demo most keys find
    # fewer than a page of patients, so both sides read fewer rows there. The floor's own
    # growth, and the growth over the keys that find as many at both sizes, show how much
    # of it is the size of the result rather than the size of the clinic.
    rows.append(
        Row(
            "search",
            f"growth of the floor {small:,} -> {large:,}",
            _median_of(samples[(large, "floor")]),
            _median_of(samples[(large, "floor")]),
            f"the floor on {small:,} patients",
            _median_of(samples[(small, "floor")]),
        )
    )
    same = [text for text in KEYSTROKES if found[small][text] == found[large][text] > 0]
    if same:
        rows.append(
            Row(
                "search",
                f"growth, keys finding as many at both ({len(same)})",
                _median_of(samples[(large, "service")], same),
                _median_of(samples[(large, "service")], same),
                f"those keys on {small:,} patients",
                _median_of(samples[(small, "service")], same),
            )
        )
    return rows


if __name__ == "__main__":
    for result in measure(quick=True):
        print(result, f"ratio {result.ratio:.2f}")
