"""Timing helpers shared by the benchmarks: medians and p95 of repeated runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    """One line of the benchmark table: a measured case against its floor."""

    group: str
    case: str
    median_ms: float
    p95_ms: float
    floor: str
    floor_median_ms: float
    target: float | None = None  # the largest acceptable ratio, when there is one

    @property
    def ratio(self) -> float:
        return self.median_ms / self.floor_median_ms if self.floor_median_ms else float("nan")


def time_calls(fn: Callable[[], object], repeat: int, warmup: int = 1) -> tuple[float, float]:
    """Run ``fn`` ``repeat`` times after ``warmup`` runs; return (median, p95) in milliseconds."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000.0)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95
