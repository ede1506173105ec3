"""Breaks forced on one participant (its meetings cannot fill consecutive slots), the bound
they give checked against brute force, and the exact mode's compaction steps (the best of
two coolings, the second CP-SAT phase): they never add a break, keep every meeting and
every rule."""

import itertools
import random

import pytest

from clusterbroker.events.scheduler import Instance, Request, schedule
from clusterbroker.events.scheduler.board import Board
from clusterbroker.events.scheduler.bounds import relax
from clusterbroker.events.scheduler.breaks_bound import breaks_lower_bound, forced
from clusterbroker.events.scheduler.compact import board_breaks, compact, compact_best_of
from clusterbroker.events.scheduler.compact_exact import minimise_breaks
from clusterbroker.events.scheduler.fast import solve_fast
from clusterbroker.events.scheduler.problem import prepare
from clusterbroker.events.scheduler.synthetic import synthetic_instance
from clusterbroker.events.scheduler.synthetic_forum import forum_instance

from .test_scheduler import assert_valid
from .test_scheduler_breaks_bound import brute_force_breaks

SIX = ["s1", "s2", "s3", "s4", "s5", "s6"]


def ann_without_a_run() -> Instance:
    """Ann's talks with Bob and Cat may only be first or last thing (s1 or s4): in any three
    consecutive slots they would need the same one. So Ann has a break, though every slot
    of the day is one she could meet in."""
    day = SIX[:4]
    return Instance(
        slots=day,
        availability={name: day for name in ("ann", "bob", "cat", "dan")},
        requests=[
            Request("ab", "ann", "bob", slots=("s1", "s4")),
            Request("ac", "ann", "cat", slots=("s1", "s4")),
            Request("ad", "ann", "dan"),
        ],
        tables=3,
    )


def test_requests_that_cannot_share_a_run_of_slots_force_a_break():
    instance = ann_without_a_run()
    day = SIX[:4]
    problem = prepare(instance, False, False)
    ann = problem.participants.index("ann")
    assert forced(problem).broken == {(ann, problem.day_masks[0]): 1}
    assert breaks_lower_bound(problem) == 1 == brute_force_breaks(instance, day)
    result = schedule(instance, mode="exact", time_limit=5)
    assert result.total_breaks == 1 and result.breaks_bound == 1 and result.breaks_optimal


def test_a_day_cut_by_talks_forces_a_break_per_extra_run():
    # Ann gives two talks (s3 and s6): her five meetings need all three runs of free slots
    # (two, two and one slots long), so two breaks at least, and the exact mode proves it.
    day = [*SIX, "s7"]
    partners = [f"p{i}" for i in range(5)]
    availability = {name: day for name in partners}
    availability["ann"] = ["s1", "s2", "s4", "s5", "s7"]
    instance = Instance(
        slots=day,
        availability=availability,
        requests=[Request(f"a{i}", "ann", name) for i, name in enumerate(partners)],
        tables=2,
    )
    problem = prepare(instance, False, False)
    assert breaks_lower_bound(problem) == 2
    result = schedule(instance, mode="exact", time_limit=5)
    assert result.placed_count == 5 and result.breaks["ann"] == 2
    assert result.breaks_bound == 2 and result.breaks_optimal


def random_day(seed: int) -> Instance:
    """One day of six slots: talks, late arrivals, windows of their own, one or two tables."""
    rng = random.Random(seed)
    people = [f"p{i}" for i in range(rng.randint(3, 5))]
    availability = {p: [s for s in SIX if rng.random() < 0.8] or ["s1"] for p in people}
    candidates = list(itertools.combinations(people, 2))
    pairs = rng.sample(candidates, min(len(candidates), rng.randint(3, 5)))
    windows = (("s1", "s2", "s3"), ("s4", "s5", "s6"), ("s1", "s6"), ("s2", "s5"), None)
    requests = [Request(f"r{i}", a, b, slots=rng.choice(windows)) for i, (a, b) in enumerate(pairs)]
    return Instance(
        slots=SIX, availability=availability, requests=requests, tables=rng.choice((1, 2))
    )


def day_with_a_schedule(first_seed: int) -> tuple[Instance, int]:
    """The first random day from `first_seed` on where every request can be placed, and
    its least breaks (brute force)."""
    for attempt in itertools.count():
        instance = random_day(first_seed + attempt)
        least = brute_force_breaks(instance, SIX)
        if least is not None:
            return instance, least
    raise AssertionError("unreachable")


@pytest.mark.parametrize("seed", range(40))
def test_the_bound_holds_against_brute_force_on_longer_days(seed):
    instance, least = day_with_a_schedule(1000 * seed)
    assert 0 <= breaks_lower_bound(prepare(instance, False, False)) <= least


def test_the_exact_compaction_keeps_every_meeting_and_never_adds_a_break():
    instance = forum_instance(2, windows="participant")
    problem = prepare(instance, False, False)
    start = solve_fast(problem, relax(problem))
    assert start.weight() == sum(problem.rw)  # every meeting placed: the bound speaks
    compact(start, seconds=2, seed=0, effort=1)
    before = board_breaks(start)
    outcome = minimise_breaks(problem, start, time_limit=2)
    board = outcome.board
    assert sorted(board.placed()) == sorted(start.placed())
    assert board_breaks(board) <= before
    assert outcome.bound is not None and outcome.bound <= board_breaks(board)
    # The rules, from the problem's own masks: each meeting in a slot of its window that
    # both participants attend, nobody twice in a slot, no more meetings than tables.
    seen, load = set(), {}
    for r in board.placed():
        s = board.slot_of[r]
        assert problem.common[r] >> s & 1
        for p in (problem.ra[r], problem.rb[r]):
            assert (p, s) not in seen
            seen.add((p, s))
        load[s] = load.get(s, 0) + 1
    assert max(load.values()) <= problem.tables


def test_the_exact_mode_reports_a_forum_proven_optimal():
    # Forum 8 (windows per participant): one participant's meetings cannot fill consecutive
    # slots, so one break is forced; the exact mode reaches it and says so.
    instance = forum_instance(8, windows="participant")
    problem = prepare(instance, False, False)
    assert breaks_lower_bound(problem) == 1
    result = schedule(instance, mode="exact", time_limit=4)
    assert_valid(instance, result)
    assert result.placed_count == len(instance.requests)
    assert result.breaks_bound == 1 <= result.total_breaks
    assert result.breaks_optimal == (result.total_breaks == 1)


def copy_of(board: Board) -> Board:
    twin = Board(board.problem)
    for r, s in enumerate(board.slot_of):
        if s >= 0:
            twin.place(r, s)
    return twin


def test_the_best_of_two_coolings_keeps_every_meeting_and_the_fewer_breaks():
    # Effort 0 makes no move (the start's breaks), effort 1 removes some: whichever comes
    # first, the best of both is kept.
    instance = synthetic_instance(24, sessions=(5, 5), per_participant=3, seed=2)
    problem = prepare(instance, False, False)
    start = solve_fast(problem, relax(problem))
    alone = copy_of(start)
    compact(alone, seconds=60, seed=4, effort=1)
    before = board_breaks(start)
    assert board_breaks(alone) < before
    for efforts in ((0, 1), (1, 0)):
        board = copy_of(start)
        removed = compact_best_of(board, seconds=60, seed=4, efforts=efforts)
        assert board_breaks(board) == board_breaks(alone) == before - removed
    # A start already at a proven minimum (`enough`) is left as it is.
    kept = copy_of(start)
    assert compact_best_of(kept, seconds=60, seed=4, efforts=(1,), enough=before) == 0
    assert kept.slot_of == start.slot_of
    assert sorted(board.placed()) == sorted(start.placed())
    seen, load = set(), {}
    for r in board.placed():
        s = board.slot_of[r]
        assert problem.common[r] >> s & 1
        for p in (problem.ra[r], problem.rb[r]):
            assert (p, s) not in seen and board.at[p][s] == r
            seen.add((p, s))
        load[s] = load.get(s, 0) + 1
    assert all(count == board.load[s] <= problem.slot_capacity for s, count in load.items())
