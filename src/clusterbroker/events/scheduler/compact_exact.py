"""Exact compaction: the second CP-SAT phase, fewest breaks at the best weight.

The model of the first phase (see `exact`) with the placed weight held at least at the
start's (and as many announced meetings kept where they were), and the total breaks as
objective. A participant's agenda in one day is a sequence of blocks of consecutive
meetings; its breaks are its blocks minus one. With `busy[p, s]` the sum of p's Booleans
in slot s, a block starts at s when `busy[p, s]` and not `busy[p, s - 1]`; a day has a
meeting when some `busy[p, s]` is set. With a fairness limit, the breaks of every
participant with a meeting lie within `fairness` of each other.

When every meeting must be placed (the start places them all), what `breaks_bound` finds
forced enters the model (`busy[p, s] + breaks[p, day] >= 1` for each slot s that p must
meet in unless it has a break, and `breaks[p, day]` at least the breaks p surely has) and
the counting bound is a constraint on the total: CP-SAT's own bound on this objective is
weak, the counting one is often much better, and the reported bound is the larger of the
two. Every variable is hinted from the start, so CP-SAT begins from it.

When every request is placed and no fairness limit is asked, the stronger run model of
`compact_runs` replaces this block model (the same minimum, a much better search and
bound), solved with CP-SAT's core-based search first (`RUN_SUBSOLVERS`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .board import Board
from .breaks_bound import Forced, breaks_lower_bound, forced
from .compact import board_breaks
from .compact_runs import runs_model
from .exact import Variables, build_model
from .problem import Problem

# CP-SAT's full-problem searches for the run model, in the order the workers take them:
# the core-based one (it raises the lower bound by unsatisfiable cores and often reaches
# the minimum with it), then the LP-guided one that follows the hint. The neighbourhood
# searches run as usual beside them.
RUN_SUBSOLVERS = ("core", "default_lp", "no_lp")


@dataclass
class Compacted:
    board: Board
    bound: int | None  # proven least total breaks at this weight (None: not known)
    optimal: bool
    fairness_met: bool | None


def minimise_breaks(
    problem: Problem,
    start: Board,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    fairness: int | None = None,
) -> Compacted:
    """Fewest breaks among schedules placing at least the weight of `start`."""
    every = start.weight() == sum(problem.rw)
    known = forced(problem) if every else None
    counted = breaks_lower_bound(problem, known) if known else 0
    if fairness is None and board_breaks(start) <= counted:
        return Compacted(start, counted, True, None)  # the start reaches the bound: proven
    runs = every and fairness is None
    if runs:
        model, x, total = runs_model(problem, start, known, counted)
    else:
        model, x, total = _block_model(problem, start, known, counted, fairness)
    kept = [x[r, s] for r, (s, _t) in problem.hints.items() if (r, s) in x]
    kept_now = sum(1 for r, (s, _t) in problem.hints.items() if start.slot_of[r] == s)
    if kept_now:
        model.add(sum(kept) >= kept_now)
    model.minimize(total)
    exact = fairness is not None
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    if runs:  # the core-based search first: it proves and reaches the minimum soonest
        solver.parameters.subsolvers.extend(RUN_SUBSOLVERS)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        met = False if status == cp_model.INFEASIBLE and fairness is not None else None
        return Compacted(start, counted or None, False, met)
    board = Board(problem)
    for (r, s), var in x.items():
        if solver.boolean_value(var):
            board.place(r, s)
    bound = max(counted, math.ceil(solver.best_objective_bound - 1e-6))
    if not exact and board_breaks(board) > board_breaks(start):
        # CP-SAT may not complete the hint in its time; its schedule is then no better.
        return Compacted(start, bound, False, None)
    return Compacted(board, bound, status == cp_model.OPTIMAL, True if exact else None)


def _block_model(
    problem: Problem, start: Board, known: Forced | None, counted: int, fairness: int | None
) -> tuple[cp_model.CpModel, Variables, object]:
    """The block model (see the module): the model, the meetings' Booleans and the total
    breaks; every variable is hinted from `start`."""
    model, x, at = build_model(problem)
    model.add(sum(problem.rw[r] * var for (r, _s), var in x.items()) >= start.weight())
    exact = fairness is not None
    if known is not None:
        for r in range(len(problem.req_ids)):
            model.add_exactly_one([x[r, s] for s in _bits(problem.common[r])])
    per_day = [_breaks(model, problem, at, p, exact, start) for p in range(len(problem.avail))]
    if known:
        for (p, day), mask in known.busy.items():
            if day in per_day[p]:
                for s in _bits(mask):
                    model.add(sum(at.get((p, s), [])) + per_day[p][day] >= 1)
        for (p, day), least in known.broken.items():
            if day in per_day[p]:
                model.add(per_day[p][day] >= least)
    per_participant = [list(terms.values()) for terms in per_day]
    total = sum(sum(terms) for terms in per_participant)
    if counted:
        model.add(total >= counted)
    if fairness is not None:
        _fair(model, problem, at, per_participant, fairness)
    for (r, s), var in x.items():
        model.add_hint(var, start.slot_of[r] == s)
    return model, x, total


def _breaks(
    model: cp_model.CpModel,
    problem: Problem,
    at: dict[tuple[int, int], list],
    p: int,
    exact: bool,
    start: Board,
) -> dict[int, object]:
    """Per day (its mask), a linear term that is the breaks of participant `p` that day (at
    least, unless `exact`); days where `p` cannot have two meetings are left out. The new
    variables are hinted with their values on `start`."""
    now = start.busy[p]
    terms: dict[int, object] = {}
    for day in problem.day_masks:
        slots = [s for s in range(problem.n_slots) if day >> s & 1 and (p, s) in at]
        if len(slots) < 2:
            continue
        busy = {s: sum(at[p, s]) for s in slots}
        starts = []
        for s in slots:
            if s - 1 not in busy:  # the slot before is outside the day or never busy
                starts.append(busy[s])
                continue
            begins = model.new_bool_var(f"block{p}_{s}")
            model.add_hint(begins, bool(now >> s & 1) and not now >> (s - 1) & 1)
            model.add(begins >= busy[s] - busy[s - 1])
            if exact:
                model.add(begins <= busy[s])
                model.add(begins <= 1 - busy[s - 1])
            starts.append(begins)
        active = model.new_bool_var(f"day{p}_{slots[0]}")
        model.add_hint(active, bool(now & day))
        model.add(active <= sum(busy.values()))
        if exact:
            for s in slots:
                model.add(active >= busy[s])
        model.add(sum(starts) >= active)  # a day with meetings has a first block
        terms[day] = sum(starts) - active
    return terms


def _bits(mask: int) -> list[int]:
    return [s for s in range(mask.bit_length()) if mask >> s & 1]


def _fair(
    model: cp_model.CpModel,
    problem: Problem,
    at: dict[tuple[int, int], list],
    per_participant: list[list],
    fairness: int,
) -> None:
    """Most breaks minus fewest, over participants with a meeting, at most `fairness`."""
    most = model.new_int_var(0, problem.n_slots, "most_breaks")
    fewest = model.new_int_var(0, problem.n_slots, "fewest_breaks")
    for p, terms in enumerate(per_participant):
        own = [var for s in range(problem.n_slots) for var in at.get((p, s), [])]
        if not own:
            continue
        breaks = sum(terms) if terms else 0
        model.add(most >= breaks)
        meets = model.new_bool_var(f"meets{p}")
        model.add_max_equality(meets, own)
        model.add(fewest <= breaks).only_enforce_if(meets)
    model.add(most - fewest <= fairness)
