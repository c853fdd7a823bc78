"""Run the benchmarks and print medians and ratios against floors measured in the same run.

.venv/bin/python -m bench            # full run (builds the 100k demo once, cached)
.venv/bin/python -m bench --quick    # smoke run: small data, few repeats (CI)
.venv/bin/python -m bench search     # only the groups named
"""

from __future__ import annotations

import argparse
import importlib
import math
import sys

from bench.harness import Row

GROUPS = ("startup", "search", "calendar", "documents")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("groups", nargs="*", choices=[*GROUPS, []], default=[])
    parser.add_argument("--quick", action="store_true", help="small data, few repeats")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    for group in args.groups or GROUPS:
        try:
            module = importlib.import_module(f"bench.bench_{group}")
        except ModuleNotFoundError:
            continue
        print(f"[bench] {group}...", file=sys.stderr, flush=True)
        rows.extend(module.measure(args.quick))
    print_table(rows)
    return 0


def print_table(rows: list[Row]) -> None:
    header = (
        f"{'group':<10} {'case':<44} {'median ms':>10} {'p95 ms':>9} "
        f"{'floor':<34} {'floor ms':>9} {'ratio':>6} {'target':>6}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        target = f"{r.target:.1f}x" if r.target else ""
        ratio = "" if math.isnan(r.ratio) else f"{r.ratio:.2f}"
        verdict = ""
        if r.target and not math.isnan(r.ratio):
            verdict = " ok" if r.ratio <= r.target else " OVER"
        print(
            f"{r.group:<10} {r.case:<44} {r.median_ms:>10.2f} {r.p95_ms:>9.2f} "
            f"{r.floor:<34} {r.floor_median_ms:>9.2f} {ratio:>6} {target:>6}{verdict}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
