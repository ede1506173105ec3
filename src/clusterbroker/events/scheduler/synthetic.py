"""Realistic synthetic events for the benchmark and the tests, from a fixed seed.

- Sessions of 8 to 10 slots (16 to 24 slots in all); each participant attends
  each session with probability `attend` (at least one).
- Popularity follows a heavy tail (Pareto): a few participants are asked by
  dozens, most by a handful.
- Each participant takes part in `per_participant` accepted requests on average
  (so about n × per_participant / 2 requests); requests are unique per pair.
- Priorities: 75 % normal (1), 20 % high (2), 5 % top (3).
- Tables: a third of the participants, so tables bind in the busiest slots.

`irregular_instance` gives the participants different hours (all day, morning,
afternoon, a short window of their own), so that few slots are interchangeable.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

from .model import Instance, Request, Slot


def synthetic_instance(
    participants: int,
    sessions: tuple[int, ...] = (8, 8),
    per_participant: float = 10.0,
    attend: float = 0.75,
    tables: int | None = -1,
    seed: int = 1,
) -> Instance:
    rng = random.Random(seed)
    slots: list[Slot] = []
    session_slots: list[list[str]] = []
    day = dt.datetime(2026, 3, 10, 9, 0)
    for k, count in enumerate(sessions):
        start = day + dt.timedelta(days=k // 2, hours=5 * (k % 2))
        ids = []
        for i in range(count):
            at = start + dt.timedelta(minutes=25 * i)
            slot = Slot(f"s{k}-{i:02d}", at, at + dt.timedelta(minutes=20), f"session {k + 1}")
            slots.append(slot)
            ids.append(slot.id)
        session_slots.append(ids)
    names = [f"p{i:05d}" for i in range(participants)]
    availability = {}
    for name in names:
        chosen = [ids for ids in session_slots if rng.random() < attend]
        if not chosen:
            chosen = [rng.choice(session_slots)]
        availability[name] = [s for ids in chosen for s in ids]
    cumulative = list(itertools.accumulate(rng.paretovariate(1.3) for _ in names))
    everyone = range(participants)
    total = int(participants * per_participant / 2)
    pairs: set[tuple[int, int]] = set()
    requests = []
    while len(requests) < total:
        a = rng.randrange(participants)
        (b,) = rng.choices(everyone, cum_weights=cumulative)
        if a == b or (a, b) in pairs or (b, a) in pairs:
            continue
        pairs.add((a, b))
        weight = rng.choices((1, 2, 3), weights=(75, 20, 5))[0]
        requests.append(Request(str(len(requests) + 1), names[a], names[b], weight))
    return Instance(
        slots=slots,
        availability=availability,
        requests=requests,
        tables=max(1, participants // 3) if tables == -1 else tables,
    )


def irregular_instance(
    participants: int,
    slots: int = 20,
    per_participant: float = 10.0,
    window: int = 4,
    shares: tuple[float, float, float, float] = (0.60, 0.20, 0.15, 0.05),
    tables: int | None = -1,
    seed: int = 1,
) -> Instance:
    """An event whose participants differ in availability, so few slots are interchangeable.

    Requests, priorities and tables as in `synthetic_instance` (one day, a morning and
    an afternoon session of `slots / 2` each); availability by `shares`: all day, only
    the morning, only the afternoon, or `window` consecutive slots anywhere in the day.
    """
    half = slots // 2
    base = synthetic_instance(
        participants, (half, slots - half), per_participant, 1.0, tables, seed=seed
    )
    order = [slot.id for slot in base.slots]
    rng = random.Random(seed + 1)
    for name in base.availability:
        kind = rng.choices(range(4), weights=shares)[0]
        if kind == 1:
            chosen = order[:half]
        elif kind == 2:
            chosen = order[half:]
        elif kind == 3:
            start = rng.randrange(len(order) - window + 1)
            chosen = order[start : start + window]
        else:
            chosen = order
        base.availability[name] = list(chosen)
    return base
