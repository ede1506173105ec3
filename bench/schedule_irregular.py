"""Benchmark of the scheduler's bound when availability differs per participant.

    .venv/bin/python bench/schedule_irregular.py              # the sizes of docs/benchmarks.md
    .venv/bin/python bench/schedule_irregular.py --quick      # 1,000 participants only
    .venv/bin/python bench/schedule_irregular.py --write event.json   # the 5,000 event as a file

Instances come from `clusterbroker.events.scheduler.synthetic.irregular_instance`
with a fixed seed: one day of 20 slots, 60 % of the participants available all day,
20 % only in the morning (the first 10 slots), 15 % only in the afternoon, 5 % in a
window of 4 consecutive slots; popularity, priorities and tables as in
bench/schedule.py. For each size it prints the whole `schedule()` call (auto mode,
without compacting the agendas) and the part spent on the bound, the weight
placed, the bound and their ratio, the number of slot groups of the relaxation,
the whole call again with the agendas compacted (the default); then the former
bound (the relaxation over the exact slot classes, nearly a group per slot here)
in the same process with a time limit, and the new bound over it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

from clusterbroker.events.scheduler import schedule
from clusterbroker.events.scheduler.bounds import (
    RelaxationTimeout,
    relax,
    slot_classes,
    slot_groups,
)
from clusterbroker.events.scheduler.model import Instance
from clusterbroker.events.scheduler.problem import prepare
from clusterbroker.events.scheduler.synthetic import irregular_instance

SIZES = [
    # participants, accepted requests per participant
    (1000, 10),
    (2000, 10),
    (5000, 10),
    (5000, 20),
]


def instance_file(instance: Instance) -> dict:
    """The instance in the format of `clusterbroker schedule INSTANCE.json`."""
    return {
        "tables": instance.tables,
        "slots": [
            {
                "id": s.id,
                "start": s.start.isoformat(timespec="minutes"),
                "end": s.end.isoformat(timespec="minutes"),
                "session": s.session,
            }
            for s in instance.slots
        ],
        "participants": instance.availability,
        "requests": [
            {"id": r.id, "a": r.a, "b": r.b, "weight": r.weight} for r in instance.requests
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the smallest size only")
    parser.add_argument(
        "--old-limit", type=float, default=120.0, help="seconds for the former bound"
    )
    parser.add_argument("--write", metavar="FILE", help="write the 5,000 event and stop")
    args = parser.parse_args()
    if args.write:
        with open(args.write, "w", encoding="utf-8") as out:
            json.dump(instance_file(irregular_instance(5000, seed=1)), out)
        return
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, seed 1")
    print(
        f"{'participants':>12} {'requests':>8} {'mode':>5} {'weight':>7} {'bound':>7} "
        f"{'ratio':>8} {'seconds':>8} {'of which bound':>14} {'groups':>6} {'compact':>8} | "
        f"{'old bound':>9} {'seconds':>8} {'new/old':>8}"
    )
    for participants, per in SIZES[:1] if args.quick else SIZES:
        instance = irregular_instance(participants, per_participant=per, seed=1)
        result = schedule(instance, compact=False)
        compacted = schedule(instance)
        problem = prepare(instance)
        groups = len(slot_groups(problem))
        line = (
            f"{participants:>12} {len(instance.requests):>8} {result.mode:>5} "
            f"{result.placed_weight:>7} {result.upper_bound:>7} {result.ratio:>8.3%} "
            f"{result.seconds:>8.2f} {result.bound_seconds:>14.2f} {groups:>6} "
            f"{compacted.seconds:>8.2f} | "
        )
        print(line, end="")
        sys.stdout.flush()
        started = time.perf_counter()
        try:
            old = relax(problem, slot_classes(problem), time_limit=args.old_limit).bound
        except RelaxationTimeout:
            print(f"{'—':>9} {'> ' + format(args.old_limit, 'g'):>8} {'—':>8}")
        else:
            seconds = time.perf_counter() - started
            print(f"{old:>9} {seconds:>8.2f} {result.upper_bound / old:>8.4f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
