"""The second CP-SAT phase's model when every meeting is placed (`compact_runs`): a gapless
run chosen per participant without a break. Its minimum is the true one (brute force on
small random days), its schedules keep every rule, and a participant without any gapless
run is proven to have a break."""

import pytest
from ortools.sat.python import cp_model

from clusterbroker.events.scheduler import Instance, Request
from clusterbroker.events.scheduler.board import Board
from clusterbroker.events.scheduler.bounds import relax
from clusterbroker.events.scheduler.breaks_bound import breaks_lower_bound, forced
from clusterbroker.events.scheduler.compact import board_breaks
from clusterbroker.events.scheduler.compact_exact import minimise_breaks
from clusterbroker.events.scheduler.compact_runs import one_day_requests, runs_model
from clusterbroker.events.scheduler.fast import solve_fast
from clusterbroker.events.scheduler.problem import prepare
from clusterbroker.events.scheduler.synthetic_forum import forum_instance

from .test_scheduler_breaks_forced import ann_without_a_run, day_with_a_schedule


def solve_runs(instance: Instance) -> tuple[int, int, Board]:
    """The run model solved to optimality, from the schedule putting each request in its
    first slot (hinted; it need not be valid): status, objective and the schedule."""
    problem = prepare(instance, False, False)
    start = Board(problem)
    for r, mask in enumerate(problem.common):
        start.slot_of[r] = (mask & -mask).bit_length() - 1
    known = forced(problem)
    model, x, total = runs_model(problem, start, known, breaks_lower_bound(problem, known))
    model.minimize(total)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30
    status = solver.solve(model)
    board = Board(problem)
    if status == cp_model.OPTIMAL:
        for (r, s), var in x.items():
            if solver.boolean_value(var):
                board.place(r, s)
    return status, round(solver.objective_value), board


@pytest.mark.parametrize("seed", range(40))
def test_the_run_model_finds_the_true_minimum_on_small_days(seed):
    instance, least = day_with_a_schedule(2000 * seed)
    status, total, board = solve_runs(instance)
    assert status == cp_model.OPTIMAL
    assert total == least == board_breaks(board)
    problem = board.problem
    assert sorted(board.placed()) == list(range(len(problem.req_ids)))
    for r in board.placed():
        assert problem.common[r] >> board.slot_of[r] & 1
    assert all(count <= problem.slot_capacity for count in board.load)
    assert all(
        count == bin(busy).count("1") for count, busy in zip(board.count, board.busy, strict=True)
    )


def test_a_participant_without_a_gapless_run_is_proven_to_have_a_break():
    # No three consecutive slots give each of Ann's requests a slot of its own, so her
    # `calm` is false: one break.
    instance = ann_without_a_run()
    problem = prepare(instance, False, False)
    assert set(one_day_requests(problem)) == {0, 1, 2, 3}
    status, total, _board = solve_runs(instance)
    assert status == cp_model.OPTIMAL and total == 1


def test_the_second_phase_uses_the_run_model_and_keeps_every_meeting():
    # Two chains of three meetings, the start spreading each participant's meetings: the
    # second phase closes every gap (0 breaks), placing the same meetings.
    slots = ["s1", "s2", "s3", "s4", "s5", "s6"]
    people = ["a", "b", "c", "d"]
    instance = Instance(
        slots=slots,
        availability=dict.fromkeys(people, slots),
        requests=[Request("ab", "a", "b"), Request("bc", "b", "c"), Request("cd", "c", "d")],
        tables=1,
    )
    problem = prepare(instance, False, False)
    start = Board(problem)
    for r, s in enumerate((0, 2, 5)):  # b idle in s2, c idle in s4 and s5
        start.place(r, s)
    assert board_breaks(start) == 2
    outcome = minimise_breaks(problem, start, time_limit=10, workers=1)
    assert board_breaks(outcome.board) == 0 and outcome.optimal
    assert sorted(outcome.board.placed()) == [0, 1, 2]


def test_the_second_phase_proves_more_breaks_than_the_counting_bound_on_a_dense_forum():
    # Forum 7 (windows per participant): the counting bound says 4 breaks; the run model's
    # core-based search proves more (the minimum is 6), and the schedule keeps every
    # meeting without adding a break.
    problem = prepare(forum_instance(7, windows="participant"), False, False)
    start = solve_fast(problem, relax(problem))
    assert start.weight() == sum(problem.rw)
    assert breaks_lower_bound(problem) == 4
    outcome = minimise_breaks(problem, start, time_limit=10)
    assert outcome.bound is not None and 5 <= outcome.bound <= board_breaks(outcome.board)
    assert board_breaks(outcome.board) <= board_breaks(start)
    assert sorted(outcome.board.placed()) == sorted(start.placed())
