"""Demo databases for the benchmarks, built once and kept under the system temp folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from frontdesk.services.demo import DemoOptions
from frontdesk.services.hub import Services

CACHE = Path(
    os.environ.get("FRONTDESK_BENCH_DATA", Path(tempfile.gettempdir()) / "frontdesk-bench")
)


def demo_database(patients: int, weeks: int, practitioners: int = 3, seed: int = 11) -> Path:
    """The path of a SQLite demo clinic of that size (built on first use)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"demo-{patients}p-{weeks}w-{practitioners}pr-s{seed}.sqlite3"
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    for stale in partial.parent.glob(partial.name + "*"):
        stale.unlink()
    services = Services.open(f"sqlite:///{partial}")
    services.demo.build(
        DemoOptions(patients=patients, weeks=weeks, seed=seed, practitioners=practitioners)
    )
    with services.db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("ANALYZE")
    services.db.dispose()
    shutil.move(partial, path)
    return path
