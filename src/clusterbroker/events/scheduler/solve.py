"""`schedule()`: check the instance, run the chosen mode, number the tables, explain."""

from __future__ import annotations

import time

from .board import Board
from .breaks import breaks_per_participant
from .breaks_bound import breaks_lower_bound
from .compact import compact as compact_board
from .compact import compact_best_of
from .fast import solve_fast
from .model import Instance, Placement, Result
from .naive import solve_naive
from .problem import Problem, prepare

# The solvers (HiGHS through SciPy, CP-SAT through OR-Tools) are imported when a schedule is
# computed, not when the package is: every process of the site imports the scheduler and most
# never schedule, and the fast mode never needs OR-Tools.

MODES = ("auto", "exact", "fast", "naive")
EXACT_UP_TO = 2000  # requests; larger events go to the fast mode under "auto"


# The exact mode anneals twice from the same schedule, with 3 and 9 times the moves of the
# fast mode, and keeps the better: the slower cooling usually ends lower, not always.
EXACT_EFFORTS = (3, 9)


# The fast mode is for large events, where the whole command must answer in seconds: its
# local search stops after this long (it has done most of its work by then).
FAST_SEARCH_SECONDS = 2.0


def search_seconds(mode: str, time_limit: float) -> float:
    """Time box of the local search for compact agendas: `FAST_SEARCH_SECONDS` in fast
    mode, three quarters of the time limit in exact mode (CP-SAT has the rest, at least a
    quarter)."""
    return 3 * time_limit / 4 if mode == "exact" else min(time_limit / 2, FAST_SEARCH_SECONDS)


def schedule(
    instance: Instance,
    mode: str = "auto",
    allow_moving_locked: bool = False,
    strict_locked: bool = False,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    compact: bool = True,
    fairness: int | None = None,
) -> Result:
    """Place the requests of `instance`; see `Result` for what comes back.

    Modes: "exact" (CP-SAT, optimal or with its proven gap), "fast" (relaxation-
    guided greedy and repair), "naive" (first come, first served: the baseline),
    "auto" (exact up to EXACT_UP_TO requests, fast above).
    Announced placements in `instance.locked` stay where they are unless
    `allow_moving_locked`, in which case they are kept where that costs nothing. One that
    cannot stay (its slot or table taken, a participant gone) is released with a reason, or,
    with `strict_locked`, refused as an error naming it.

    With `compact` (the default), once the most weight is placed the agendas are made
    compact: the fewest breaks (idle periods between two meetings of a day) at that same
    weight: by local search, then in exact mode by a second CP-SAT phase (the compaction
    takes up to about `time_limit` more). `fairness` (exact mode) keeps the breaks of the
    participants with meetings within that many of each other. The naive baseline is never
    compacted.
    """
    if mode not in MODES:
        raise ValueError(f"Unknown mode {mode!r}; choose one of {', '.join(MODES)}.")
    from .bounds import relax

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
            from .exact import solve_exact

            exact, exact_bound, optimal = solve_exact(
                problem, board, bound, time_limit=time_limit, workers=workers, seed=seed
            )
            bound = min(bound, exact_bound)
            if exact.weight() >= board.weight():
                board = exact
    breaks_bound, breaks_optimal = None, False
    if compact and mode != "naive":
        if mode == "fast":
            compact_board(board, search_seconds(mode, time_limit), seed)
        else:
            # Placing every request, the counting bound is a minimum no run can go below.
            every = board.weight() == sum(problem.rw)
            enough = breaks_lower_bound(problem) if every else 0
            box = search_seconds(mode, time_limit)
            compact_best_of(board, box, seed, EXACT_EFFORTS, enough)
            left = max(time_limit / 4, time_limit - (time.perf_counter() - started))
            board, breaks_bound, breaks_optimal = _second_phase(
                problem, board, left, workers, seed, fairness
            )
    weight = board.weight()
    placements = _tables(problem, board)
    breaks = _breaks(problem, board)
    total_breaks = sum(breaks.values())
    if breaks_bound is not None and total_breaks < breaks_bound:
        breaks_bound, breaks_optimal = None, False  # days out of time order: no proof
    if breaks_bound is not None:
        breaks_optimal = breaks_optimal or total_breaks == breaks_bound
    if total_breaks == 0:
        breaks_bound, breaks_optimal = 0, True
    fairness_met = None
    if fairness is not None:
        fairness_met = max(breaks.values(), default=0) - min(breaks.values(), default=0) <= fairness
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
        breaks=breaks,
        breaks_bound=breaks_bound,
        breaks_optimal=breaks_optimal,
        fairness_met=fairness_met,
    )


def _second_phase(
    problem: Problem,
    board: Board,
    time_limit: float,
    workers: int,
    seed: int,
    fairness: int | None,
) -> tuple[Board, int | None, bool]:
    """The exact mode's fewest breaks at the weight of `board`: the board, the proven lower
    bound on the breaks (None: unknown), and whether it is reached."""
    from .compact_exact import minimise_breaks

    outcome = minimise_breaks(problem, board, time_limit, workers, seed, fairness)
    if outcome.fairness_met is False:  # no schedule is that fair: the fewest breaks then
        outcome = minimise_breaks(problem, board, time_limit, workers, seed)
    if outcome.board.weight() < board.weight():
        return board, None, False
    return outcome.board, outcome.bound, outcome.optimal


def _breaks(problem: Problem, board: Board) -> dict[str, int]:
    who, where = problem.participants, problem.slots
    return breaks_per_participant(
        problem.slots,
        problem.slot_day,
        (
            (who[problem.ra[r]], who[problem.rb[r]], where[s])
            for r, s in enumerate(board.slot_of)
            if s >= 0
        ),
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
        both = problem.avail[a] & problem.avail[b]
        windowed = problem.window[r] is not None and both & ~problem.common[r]
        if not both:
            why = f"{problem.name(a)} and {problem.name(b)} have no available time in common"
        elif not problem.common[r]:
            why = (
                f"{problem.name(a)} and {problem.name(b)} have no available time in common "
                "within the meeting's time window"
            )
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
        if windowed and problem.common[r] and both & ~board.busy[a] & ~board.busy[b] & ~board.full:
            why += "; outside the meeting's time window both would be free"
        if r in problem.released:
            why += f"; the announced time could not be kept: {problem.released[r]}"
        reasons[problem.req_ids[r]] = why
    return reasons
