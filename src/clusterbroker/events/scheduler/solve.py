"""`schedule()`: check the instance, run the chosen mode, number the tables, explain."""

from __future__ import annotations

import time

from .board import Board
from .bounds import relax
from .exact import solve_exact
from .fast import solve_fast
from .model import Instance, Placement, Result
from .naive import solve_naive
from .problem import Problem, prepare

MODES = ("auto", "exact", "fast", "naive")
EXACT_UP_TO = 2000  # requests; larger events go to the fast mode under "auto"


def schedule(
    instance: Instance,
    mode: str = "auto",
    allow_moving_locked: bool = False,
    strict_locked: bool = False,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
) -> Result:
    """Place the requests of `instance`; see `Result` for what comes back.

    Modes: "exact" (CP-SAT, optimal or with its proven gap), "fast" (relaxation-
    guided greedy and repair), "naive" (first come, first served: the baseline),
    "auto" (exact up to EXACT_UP_TO requests, fast above).
    Announced placements in `instance.locked` stay where they are unless
    `allow_moving_locked`, in which case they are kept where that costs nothing. One that
    cannot stay (its slot or table taken, a participant gone) is released with a reason, or,
    with `strict_locked`, refused as an error naming it.
    """
    if mode not in MODES:
        raise ValueError(f"Unknown mode {mode!r}; choose one of {', '.join(MODES)}.")
    started = time.perf_counter()
    problem = prepare(instance, allow_moving_locked, strict_locked)
    if mode == "auto":
        mode = "exact" if len(problem.req_ids) <= EXACT_UP_TO else "fast"
    relaxed_at = time.perf_counter()
    relaxation = relax(problem)
    bound_seconds = time.perf_counter() - relaxed_at
    bound = relaxation.bound
    optimal = False
    if mode == "naive":
        board = solve_naive(problem)
    else:
        board = solve_fast(problem, relaxation)
        if mode == "exact" and board.weight() == bound:
            optimal = True  # the start reaches the proven bound: nothing left to search
        elif mode == "exact":
            exact, exact_bound, optimal = solve_exact(
                problem, board, bound, time_limit=time_limit, workers=workers, seed=seed
            )
            bound = min(bound, exact_bound)
            if exact.weight() >= board.weight():
                board = exact
    weight = board.weight()
    placements = _tables(problem, board)
    return Result(
        mode=mode,
        placements=placements,
        unplaced=_reasons(problem, board),
        placed_count=len(placements),
        placed_weight=weight,
        upper_bound=max(bound, weight),
        total_weight=sum(problem.rw),
        seconds=time.perf_counter() - started,
        bound_seconds=bound_seconds,
        optimal=optimal or weight == bound,
    )


def _tables(problem: Problem, board: Board) -> dict[str, Placement]:
    """Number the tables: announced meetings keep theirs, the others fill from table 1."""
    by_slot: dict[int, list[int]] = {}
    for r in board.placed():
        by_slot.setdefault(board.slot_of[r], []).append(r)
    placements = {}
    for s, requests in by_slot.items():
        taken: set[int] = set()
        rest = []
        for r in requests:
            wanted = problem.locked.get(r) or problem.hints.get(r)
            if wanted and wanted[0] == s and wanted[1] not in taken:
                taken.add(wanted[1])
                placements[problem.req_ids[r]] = Placement(problem.slots[s], wanted[1])
            else:
                rest.append(r)
        table = 1
        for r in rest:
            while table in taken:
                table += 1
            taken.add(table)
            placements[problem.req_ids[r]] = Placement(problem.slots[s], table)
    return placements


def _reasons(problem: Problem, board: Board) -> dict[str, str]:
    reasons = {}
    for r, s in enumerate(board.slot_of):
        if s >= 0:
            continue
        a, b = problem.ra[r], problem.rb[r]
        if not problem.common[r]:
            why = f"{problem.name(a)} and {problem.name(b)} have no available time in common"
        elif board.count[a] >= problem.cap[a] or board.count[b] >= problem.cap[b]:
            who = a if board.count[a] >= problem.cap[a] else b
            why = f"{problem.name(who)} already has the most meetings possible ({problem.cap[who]})"
        elif not problem.common[r] & ~board.full:
            why = "every table is taken in the slots both participants are available"
        else:
            why = (
                "the slots both participants are available are taken by other meetings "
                "with a higher priority or placed first"
            )
        if r in problem.released:
            why += f"; the announced time could not be kept: {problem.released[r]}"
        reasons[problem.req_ids[r]] = why
    return reasons
