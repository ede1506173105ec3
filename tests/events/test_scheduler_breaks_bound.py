"""The counting lower bound on breaks: valid against brute force on small events with time
windows, tight where a talk or too few seats force breaks, and proven by the exact mode."""

import itertools
import random

import pytest

from clusterbroker.events.scheduler import Instance, Request, schedule
from clusterbroker.events.scheduler.breaks import breaks_per_participant
from clusterbroker.events.scheduler.breaks_bound import breaks_lower_bound, forced_spans
from clusterbroker.events.scheduler.problem import prepare
from clusterbroker.events.scheduler.synthetic_forum import forum_instance

from .test_scheduler import assert_valid

DAY = ["m1", "m2", "a1", "a2"]  # a morning and an afternoon of one day
MORNING, AFTERNOON = ("m1", "m2"), ("a1", "a2")


def test_a_talk_in_the_forced_span_means_a_proven_break():
    # Ann meets Bob in the morning and Cat in the afternoon, and gives a talk in m2: the
    # morning meeting is in m1, the afternoon one after her talk: one break, proven.
    instance = Instance(
        slots=DAY,
        availability={"ann": ["m1", "a1", "a2"], "bob": DAY, "cat": DAY},
        requests=[
            Request("ab", "ann", "bob", slots=MORNING),
            Request("ac", "ann", "cat", slots=AFTERNOON),
        ],
        tables=2,
    )
    problem = prepare(instance, False, False)
    ann = problem.participants.index("ann")
    # Her morning meeting can only be in m1 (slot 0), the afternoon one from a1 (slot 2).
    assert list(forced_spans(problem).items()) == [((ann, problem.day_masks[0]), (0, 2))]
    assert breaks_lower_bound(problem) == 1
    result = schedule(instance, mode="exact", time_limit=10)
    assert result.placed_count == 2 and result.breaks == {"ann": 1, "bob": 0, "cat": 0}
    assert result.breaks_bound == 1 and result.breaks_optimal


LONG_DAY = ["m1", "m2", "a1", "a2", "a3"]
LONG_AFTERNOON = ("a1", "a2", "a3")


def seats_instance() -> Instance:
    # One table. Ann, Bob and Cat each have a meeting asked for the morning and one for the
    # afternoon: without a break each of the three must meet in m2, which seats two.
    return Instance(
        slots=LONG_DAY,
        availability={name: LONG_DAY for name in ("ann", "bob", "cat", "dan", "eve", "fay")},
        requests=[
            Request("ab", "ann", "bob", slots=MORNING),
            Request("bc", "bob", "cat", slots=MORNING),
            Request("ad", "ann", "dan", slots=LONG_AFTERNOON),
            Request("be", "bob", "eve", slots=LONG_AFTERNOON),
            Request("cf", "cat", "fay", slots=LONG_AFTERNOON),
        ],
        tables=1,
    )


def test_more_participants_than_seats_in_a_forced_slot():
    problem = prepare(seats_instance(), False, False)
    assert breaks_lower_bound(problem) == 3 - 2
    # The bound is valid (the true minimum is 2: one meeting fits in m2 and one in a1,
    # which keeps only one of the three without a break) and the exact mode finds it.
    least = brute_force_breaks(seats_instance(), LONG_DAY)
    assert least == 2
    result = schedule(seats_instance(), mode="exact", time_limit=10)
    assert_valid(seats_instance(), result)
    assert result.placed_count == 5 and result.total_breaks == least
    assert 1 <= result.breaks_bound <= least


def test_a_meeting_left_out_leaves_a_valid_bound():
    # Ann's extra meeting can only be in m1, where the one table is better used: it is left
    # out, so the counting (which assumes every meeting placed) must not speak; CP-SAT's
    # own bound still holds.
    instance = seats_instance()
    instance.requests.append(Request("xx", "ann", "fay", slots=("m1",)))
    instance.availability["fay"] = ["m1", "a1", "a2", "a3"]
    result = schedule(instance, mode="exact", time_limit=10)
    assert_valid(instance, result)
    assert result.placed_count == 5 and len(result.unplaced) == 1
    assert result.breaks_bound is None or result.breaks_bound <= result.total_breaks


def random_windowed(seed: int) -> Instance:
    rng = random.Random(seed)
    people = [f"p{i}" for i in range(rng.randint(3, 6))]
    availability = {p: [s for s in DAY if rng.random() < 0.85] or ["m1"] for p in people}
    candidates = list(itertools.combinations(people, 2))
    pairs = rng.sample(candidates, min(len(candidates), rng.randint(3, 6)))
    windows = (MORNING, AFTERNOON, None)
    requests = [Request(f"r{i}", a, b, slots=rng.choice(windows)) for i, (a, b) in enumerate(pairs)]
    return Instance(
        slots=DAY, availability=availability, requests=requests, tables=rng.choice((1, 2))
    )


def brute_force_breaks(instance: Instance, order: list[str] = DAY) -> int | None:
    """Fewest breaks over every schedule placing all requests (None: none places all)."""
    options = []
    for request in instance.requests:
        allowed = set(instance.availability[request.a]) & set(instance.availability[request.b])
        if request.slots is not None:
            allowed &= set(request.slots)
        options.append(sorted(allowed))
    best = None
    for choice in itertools.product(*options):
        busy: set[tuple[str, str]] = set()
        load: dict[str, int] = {}
        fine = True
        for request, slot in zip(instance.requests, choice, strict=True):
            for person in (request.a, request.b):
                fine = fine and (person, slot) not in busy
                busy.add((person, slot))
            load[slot] = load.get(slot, 0) + 1
            fine = fine and (instance.tables is None or load[slot] <= instance.tables)
        if not fine:
            continue
        meetings = [(r.a, r.b, s) for r, s in zip(instance.requests, choice, strict=True)]
        total = sum(breaks_per_participant(order, dict.fromkeys(order, "1"), meetings).values())
        best = total if best is None else min(best, total)
    return best


@pytest.mark.parametrize("seed", range(60))
def test_the_bound_never_exceeds_the_true_minimum(seed):
    # The bound speaks of schedules placing every request: draw until there is one.
    for attempt in itertools.count():
        instance = random_windowed(1000 * seed + attempt)
        least = brute_force_breaks(instance)
        if least is not None:
            break
    bound = breaks_lower_bound(prepare(instance, False, False))
    assert 0 <= bound <= least


def test_the_bound_is_found_on_forums_whose_requests_pick_their_own_windows():
    # Seed 7 of the benchmark: 51 participants must meet in the last slot of the morning
    # to have no break, and its 18 tables seat 36 (see docs/benchmarks.md).
    problem = prepare(forum_instance(7), False, False)
    assert breaks_lower_bound(problem) == 51 - 2 * 18
    result = schedule(forum_instance(7), mode="fast")
    assert result.placed_count == len(forum_instance(7).requests)
    assert result.total_breaks >= 51 - 2 * 18


def test_forums_with_windows_per_participant_reach_a_handful_of_breaks():
    instance = forum_instance(2, windows="participant")
    result = schedule(instance, mode="fast")
    assert_valid(instance, result)
    assert result.placed_count == len(instance.requests)
    assert result.total_breaks <= 6
