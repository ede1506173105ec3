"""Benchmark of the meeting scheduler against its proven upper bound and a naive baseline.

    .venv/bin/python bench/schedule.py            # the three sizes of docs/benchmarks.md
    .venv/bin/python bench/schedule.py --quick    # 200 participants only
    .venv/bin/python bench/schedule.py --forums 8 # compact agendas on 8 forum-sized events
    .venv/bin/python bench/schedule.py --forums 8 --windows participant
    .venv/bin/python bench/schedule.py --forums 8 --seeds 7  # forum 7 of the 8 only

Instances come from `clusterbroker.events.scheduler.synthetic` with a fixed seed:
heavy-tailed popularity, availability per session, 5/20/75 % top/high/normal
priorities, tables for a third of the participants. For each size it prints the
meetings placed, the weight placed, the upper bound on the weight, the ratio and
the run time of the naive baseline (first come, first served into the earliest
common free slot), the fast mode and, where it finishes in reasonable time, the
exact mode; all in the same process, one after the other.

With `--forums N` it runs N one-day forums from `synthetic_forum` (seeds 1 to N: 40-80
participants, 150-300 meetings asked for the morning, the afternoon or either, 8-22
slots, 12-27 tables, a few slots each participant cannot attend) and prints, for the
exact mode without compaction (the baseline) and with it, and the fast mode with it, the
meetings placed, the weight against its bound and the breaks, with the proven lower
bound on the breaks (the larger of CP-SAT's and the counting bound of `breaks_bound`).
`--windows` says where the requests' time windows come from (see `synthetic_forum`): each
request draws its own (the default), or each participant says when it meets. `--seeds`
runs only the forums of those seeds (comma-separated).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

from clusterbroker.events.scheduler import schedule
from clusterbroker.events.scheduler.synthetic import synthetic_instance
from clusterbroker.events.scheduler.synthetic_forum import WINDOWS, forum_instance

SIZES = [
    # participants, sessions (slots each), accepted requests per participant, modes
    (200, (8, 8), 10, ("naive", "fast", "exact")),
    (2000, (10, 10), 10, ("naive", "fast", "exact")),
    (5000, (8, 8, 8), 10, ("naive", "fast")),
    (5000, (8, 8, 8), 20, ("naive", "fast")),
]
# A harder small event: few tables, partial attendance, 20 requests each.
TIGHT = (200, (8, 8), 20, ("naive", "fast", "exact"), {"attend": 0.6, "tables": 30})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the smallest size only")
    parser.add_argument("--exact-limit", type=float, default=60.0, help="CP-SAT seconds")
    parser.add_argument("--forums", type=int, default=0, help="compact agendas on N forums")
    parser.add_argument(
        "--windows", choices=WINDOWS, default="request", help="who sets the time windows"
    )
    parser.add_argument("--seeds", default="", help="only these forums: seeds, e.g. 3,7")
    args = parser.parse_args()
    if args.forums:
        seeds = [int(seed) for seed in args.seeds.split(",") if seed.strip()]
        forums(args.forums, args.exact_limit, args.windows, seeds)
        return
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, seed 1")
    header = (
        f"{'participants':>12} {'slots':>5} {'requests':>8} {'mode':>6} {'placed':>7} "
        f"{'weight':>7} {'bound':>7} {'ratio':>7} {'seconds':>8} {'of which bound':>14}"
    )
    print(header)
    started = time.perf_counter()
    runs = [(*size, {}) for size in SIZES] + [TIGHT]
    for participants, sessions, per, modes, extra in runs[:1] if args.quick else runs:
        instance = synthetic_instance(participants, sessions, per_participant=per, seed=1, **extra)
        if extra:
            print(f"{'':>12} tight: {extra}")
        results = {}
        for mode in modes:
            result = schedule(instance, mode=mode, time_limit=args.exact_limit)
            results[mode] = result
            print(
                f"{participants:>12} {sum(sessions):>5} {len(instance.requests):>8} "
                f"{mode:>6} {result.placed_count:>7} {result.placed_weight:>7} "
                f"{result.upper_bound:>7} {result.ratio:>7.2%} {result.seconds:>8.2f} "
                f"{result.bound_seconds:>14.2f}" + ("  optimal" if result.optimal else "")
            )
            sys.stdout.flush()
        gain = results["fast"].placed_weight / max(1, results["naive"].placed_weight)
        print(f"{'':>12} fast / naive weight: {gain:.3f}")
    print(f"total {time.perf_counter() - started:.1f} s")


def forums(
    count: int, time_limit: float, windows: str = "request", seeds: list[int] | None = None
) -> None:
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, time limit {time_limit} s, "
        f"windows per {windows}"
    )
    print(
        f"{'seed':>4} {'people':>6} {'slots':>5} {'tables':>6} {'run':>14} {'placed':>9} "
        f"{'weight/bound':>12} {'breaks':>6} {'most':>4} {'min. proven':>11} {'seconds':>7}"
    )
    started = time.perf_counter()
    for seed in seeds or range(1, count + 1):
        instance = forum_instance(seed, windows)
        runs = (("exact, baseline", "exact", False), ("exact, compact", "exact", True),
                ("fast, compact", "fast", True))  # fmt: skip
        for label, mode, compact in runs:
            result = schedule(instance, mode=mode, compact=compact, time_limit=time_limit)
            proven = "-"
            if result.breaks_optimal:
                proven = str(result.breaks_bound)
            elif result.breaks_bound:
                proven = f">= {result.breaks_bound}"
            print(
                f"{seed:>4} {len(instance.availability):>6} {len(instance.slots):>5} "
                f"{instance.tables:>6} {label:>14} "
                f"{result.placed_count:>4}/{len(instance.requests):<4} "
                f"{f'{result.placed_weight}/{result.upper_bound}':>12} "
                f"{result.total_breaks:>6} {max(result.breaks.values(), default=0):>4} "
                f"{proven:>11} {result.seconds:>7.1f}"
            )
            sys.stdout.flush()
    print(f"total {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
