"""Exact mode: the whole problem as a CP-SAT model (OR-Tools).

One Boolean per request and slot both participants can meet in; at most one slot
per request, one meeting per participant and slot, `tables` meetings per slot,
and each participant's meeting limit. The objective is the placed weight; with
announced meetings that may move, a small bonus keeps them where they were
without ever costing a meeting. The relaxation's bound is added as a constraint
(it helps CP-SAT prune). CP-SAT proves optimality or returns its best bound when
the time limit stops it; a start that already reaches the relaxation's bound is
optimal and skips the search (see `solve`).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from .board import Board
from .problem import Problem

Variables = dict[tuple[int, int], cp_model.IntVar]


def build_model(
    problem: Problem,
) -> tuple[cp_model.CpModel, Variables, dict[tuple[int, int], list[cp_model.IntVar]]]:
    """The rules as a CP-SAT model without objective: the model, one Boolean per request and
    common slot (`x[r, s]`), and the Booleans of each (participant, slot)."""
    model = cp_model.CpModel()
    x: Variables = {}
    by_participant_slot: dict[tuple[int, int], list] = {}
    by_slot: dict[int, list] = {}
    by_participant: dict[int, list] = {}
    for r in range(len(problem.req_ids)):
        mask, own = problem.common[r], []
        while mask:
            low = mask & -mask
            s = low.bit_length() - 1
            mask ^= low
            var = model.new_bool_var(f"x{r}_{s}")
            x[r, s] = var
            own.append(var)
            for p in (problem.ra[r], problem.rb[r]):
                by_participant_slot.setdefault((p, s), []).append(var)
                by_participant.setdefault(p, []).append(var)
            by_slot.setdefault(s, []).append(var)
        if len(own) > 1:
            model.add_at_most_one(own)
    for group in by_participant_slot.values():
        if len(group) > 1:
            model.add_at_most_one(group)
    if problem.tables is not None:
        for group in by_slot.values():
            if len(group) > problem.tables:
                model.add(sum(group) <= problem.tables)
    for p, group in by_participant.items():
        if problem.cap[p] < problem.avail[p].bit_count():
            model.add(sum(group) <= problem.cap[p])
    for r, (s, _table) in problem.locked.items():
        model.add(x[r, s] == 1)
    return model, x, by_participant_slot


def solve_exact(
    problem: Problem,
    start: Board | None = None,
    known_bound: int | None = None,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
) -> tuple[Board, int, bool]:
    """Return the board, a proven bound on the placed weight, and whether it is optimal."""
    model, x, _at = build_model(problem)
    scale = len(problem.hints) + 1
    objective = [scale * problem.rw[r] * var for (r, _s), var in x.items()]
    objective += [x[r, s] for r, (s, _t) in problem.hints.items() if (r, s) in x]
    if known_bound is not None:  # a proven bound (the relaxation) lets CP-SAT stop early
        model.add(sum(problem.rw[r] * var for (r, _s), var in x.items()) <= known_bound)
    model.maximize(sum(objective))
    if start is not None:
        for (r, s), var in x.items():
            model.add_hint(var, start.slot_of[r] == s)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    board = Board(problem)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for (r, s), var in x.items():
            if solver.boolean_value(var):
                board.place(r, s)
        bound = int(solver.best_objective_bound + 1e-6) // scale
    else:  # no solution within the time limit: fall back on the start
        if start is not None:
            for r, s in enumerate(start.slot_of):
                if s >= 0:
                    board.place(r, s)
        else:
            board.place_locked()
        bound = sum(problem.rw)
    return board, bound, status == cp_model.OPTIMAL
