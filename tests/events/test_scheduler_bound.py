"""The scheduler's upper bound: it never falls below the optimum, whatever the slot groups,
it keeps the sessions apart, and it stays tight and is computed on a large irregular event."""

import random

import pytest

from clusterbroker.events.scheduler import Instance, Placement, Request, schedule
from clusterbroker.events.scheduler.bounds import (
    RelaxationTimeout,
    relax,
    slot_classes,
    slot_groups,
)
from clusterbroker.events.scheduler.exact import solve_exact
from clusterbroker.events.scheduler.problem import prepare
from clusterbroker.events.scheduler.synthetic import irregular_instance, synthetic_instance


def random_irregular(seed: int) -> Instance:
    """A small event where each participant has their own window or scattered slots."""
    rng = random.Random(seed)
    slots = [f"s{i}" for i in range(rng.randint(3, 7))]
    people = [f"p{i}" for i in range(rng.randint(4, 9))]
    availability = {}
    for p in people:
        if rng.random() < 0.5:
            start = rng.randrange(len(slots))
            availability[p] = slots[start : start + rng.randint(1, len(slots))]
        else:
            availability[p] = rng.sample(slots, rng.randint(1, len(slots)))
    pairs = [(a, b) for i, a in enumerate(people) for b in people[i + 1 :]]
    chosen = rng.sample(pairs, min(len(pairs), rng.randint(4, 18)))
    requests = [Request(str(i), a, b, rng.choice((1, 1, 2, 3))) for i, (a, b) in enumerate(chosen)]
    caps = rng.choice((None, 1, 2, {p: rng.randint(0, 3) for p in people}))
    return Instance(
        slots, availability, requests, tables=rng.choice((1, 2, None)), max_meetings=caps
    )


def optimum(problem) -> int:
    """The best weight, proven by CP-SAT without the relaxation's help."""
    board, _bound, optimal = solve_exact(problem, time_limit=20)
    assert optimal
    return board.weight()


def coarsest(problem) -> list[int]:
    return [(1 << problem.n_slots) - 1]


@pytest.mark.parametrize("seed", range(60))
def test_every_grouping_bounds_the_optimum(seed):
    problem = prepare(random_irregular(seed))
    best = optimum(problem)
    exact_classes = relax(problem, slot_classes(problem)).bound
    default = relax(problem).bound
    merged = relax(problem, slot_groups(problem, merge_difference=10.0)).bound
    one_group = relax(problem, coarsest(problem)).bound
    singles = relax(problem, [1 << s for s in range(problem.n_slots)]).bound
    assert best <= exact_classes == singles
    # Coarser groups relax more: never a lower bound than a finer partition.
    assert exact_classes <= default <= merged <= one_group
    assert len(slot_groups(problem, merge_difference=10.0)) == 1


@pytest.mark.parametrize("seed", range(20))
def test_the_bound_holds_with_announced_meetings(seed):
    instance = random_irregular(seed)
    first = schedule(instance, mode="exact", time_limit=10)
    kept = dict(list(first.placements.items())[::2])
    instance.locked = {rid: Placement(p.slot, p.table) for rid, p in kept.items()}
    problem = prepare(instance, strict_locked=True)
    best = optimum(problem)
    for groups in (None, coarsest(problem)):
        relaxation = relax(problem, groups)
        assert relaxation.bound >= best
        for rid in kept:  # an announced meeting is placed whole in the relaxation
            assert relaxation.value[problem.req_ids.index(rid)] == pytest.approx(1)


def test_a_budget_merges_the_most_alike_groups_first():
    instance = Instance(
        slots=["a1", "a2", "b1"],
        availability={
            "x": ["a1", "a2", "b1"],
            "y": ["a1", "a2"],
            "z": ["a1"],
            "w": ["b1"],
        },
        requests=[Request("1", "x", "y"), Request("2", "x", "z"), Request("3", "x", "w")],
    )
    problem = prepare(instance)
    assert len(slot_classes(problem)) == 3
    assert sorted(slot_groups(problem)) == sorted(slot_classes(problem))
    # a1 and a2 differ by one participant, b1 by most: they merge first.
    assert sorted(slot_groups(problem, variable_budget=3)) == [0b011, 0b100]
    assert slot_groups(problem, variable_budget=0) == [0b111]


def test_sessions_stay_apart_and_the_bound_does_not_change_on_regular_events():
    instance = synthetic_instance(300, sessions=(8, 8, 6), per_participant=10, seed=2)
    problem = prepare(instance)
    assert slot_groups(problem) == slot_classes(problem)
    assert len(slot_classes(problem)) == 3


def test_irregular_availability_groups_morning_and_afternoon():
    problem = prepare(irregular_instance(400, seed=3))
    assert len(slot_classes(problem)) > 10  # windows make most slots different
    assert sorted(slot_groups(problem)) == [(1 << 10) - 1, ((1 << 10) - 1) << 10]


def test_a_time_limit_stops_the_relaxation_without_a_bound():
    problem = prepare(irregular_instance(1000, seed=1))
    with pytest.raises(RelaxationTimeout):
        relax(problem, slot_classes(problem), time_limit=0.001)


def test_irregular_5000_participants_bound_is_computed_and_nearly_reached():
    instance = irregular_instance(5000, seed=1)
    result = schedule(instance, compact=False)
    assert result.mode == "fast"
    assert len(instance.requests) == 25000
    assert result.placed_weight <= result.upper_bound < result.total_weight
    assert result.ratio >= 0.99
