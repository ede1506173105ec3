"""Forum-sized synthetic events, from a fixed seed, for compact-agenda benchmarks and tests.

A one-day business forum: a morning and an afternoon session (8 to 22 slots in all),
40 to 80 participants, 150 to 300 accepted meetings, 12 to 27 tables. Each participant
cannot meet in a few slots (a talk to give, a train to catch); each request is asked for
the morning, the afternoon or either (its time window). Requests are drawn so that nobody
is asked for more meetings than their longest run of available slots holds (nor, in a
session, than the slots they attend in it): no break is forced by availability alone.

Where the windows come from (`windows`):

- "request": each request draws its own, 30 % morning, 30 % afternoon, 40 % either. A
  participant then often has a meeting asked for the morning and another for the
  afternoon: without a break, it must meet in the last slot of the morning and the first
  of the afternoon, and those slots seat only two participants per table, so many of
  these forums cannot reach a handful of breaks at all (`breaks_bound` proves how many).
- "participant": each participant says when it meets, 30 % the morning, 30 % the
  afternoon, 40 % either, and a request is asked for the part of the day both said (a
  pair of a morning and an afternoon participant is not drawn): the way the forums of the
  published studies collect the time of their meetings.
"""

from __future__ import annotations

import datetime as dt
import random

from .model import Instance, Request, Slot

WINDOW_SHARES = (0.3, 0.3, 0.4)  # morning, afternoon, either


WINDOWS = ("request", "participant")


def forum_instance(seed: int = 1, windows: str = "request") -> Instance:
    if windows not in WINDOWS:
        raise ValueError(f"windows must be one of {', '.join(WINDOWS)}")
    rng = random.Random(seed)
    target = rng.randint(150, 300)  # meetings
    n_people = rng.randint(max(40, -(-2 * target // 8)), 80)
    n_slots = rng.randint(max(8, -(-2 * target // n_people) + 3, -(-target * 5 // 108)), 22)
    tables = rng.randint(max(12, -(-target * 5 // (4 * n_slots))), 27)
    morning_count = (n_slots + 1) // 2
    slots: list[Slot] = []
    for i in range(n_slots):
        afternoon = i >= morning_count
        start = dt.datetime(2026, 5, 12, 14 if afternoon else 9, 0) + dt.timedelta(
            minutes=25 * (i - morning_count if afternoon else i)
        )
        session = "afternoon" if afternoon else "morning"
        slots.append(
            Slot(f"{session[:2]}{i:02d}", start, start + dt.timedelta(minutes=20), session)
        )
    ids = [s.id for s in slots]
    halves = (ids[:morning_count], ids[morning_count:])
    people = [f"org{i:02d}" for i in range(n_people)]
    availability = {person: _available(rng, ids) for person in people}
    room = {  # meetings each participant can still take: morning, afternoon, in all
        p: [len(set(halves[0]) & set(a)), len(set(halves[1]) & set(a)), _longest_run(ids, a)]
        for p, a in availability.items()
    }
    per_session_tables = [tables * morning_count, tables * (n_slots - morning_count)]
    weights = [rng.paretovariate(2.5) for _ in people]
    said = {}  # per participant: 0 morning, 1 afternoon, 2 either
    if windows == "participant":
        said = {p: rng.choices((0, 1, 2), weights=WINDOW_SHARES)[0] for p in people}
    pairs: set[frozenset[str]] = set()
    requests: list[Request] = []
    attempts = 0
    while len(requests) < target and attempts < 100 * target:
        attempts += 1
        a, b = rng.choices(people, weights=weights, k=2)
        if a == b or frozenset((a, b)) in pairs:
            continue
        if windows == "participant":
            kinds = {said[a], said[b]} - {2}
            if len(kinds) > 1:
                continue
            kind = kinds.pop() if kinds else 2
        else:
            kind = rng.choices((0, 1, 2), weights=WINDOW_SHARES)[0]
        need = [kind] if kind < 2 else []
        if any(room[p][2] < 2 or any(room[p][k] < 2 for k in need) for p in (a, b)):
            continue
        if kind < 2 and per_session_tables[kind] <= tables:
            continue
        for p in (a, b):
            room[p][2] -= 1
            for k in need:
                room[p][k] -= 1
        if kind < 2:
            per_session_tables[kind] -= 1
        pairs.add(frozenset((a, b)))
        window = None if kind == 2 else tuple(halves[kind])
        weight = rng.choices((1, 2, 3), weights=(75, 20, 5))[0]
        requests.append(Request(str(len(requests) + 1), a, b, weight, window))
    return Instance(slots=slots, availability=availability, requests=requests, tables=tables)


def _available(rng: random.Random, ids: list[str]) -> list[str]:
    """All the day but a few slots: arriving late, leaving early, or a talk to give."""
    first, last = 0, len(ids)
    if rng.random() < 0.3:
        first = rng.randint(1, 2)
    if rng.random() < 0.3:
        last -= rng.randint(1, 2)
    talk = rng.randrange(first, last) if rng.random() < 0.15 else -1
    return [s for i, s in enumerate(ids) if first <= i < last and i != talk]


def _longest_run(ids: list[str], available: list[str]) -> int:
    free = set(available)
    best = run = 0
    for slot in ids:
        run = run + 1 if slot in free else 0
        best = max(best, run)
    return best
