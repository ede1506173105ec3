"""The second CP-SAT phase when every request is placed: breaks through gapless runs.

With every request placed, a participant whose requests all lie in one day has a fixed
number k of meetings that day, and it has no break exactly when they fill k consecutive
slots: one of its gapless runs (`breaks_bound.gapless_runs`, the runs where each of its
requests can have a slot of its own). On top of the rules of `exact.build_model` (every
request in exactly one of its slots), this model has

- a Boolean `busy[p, s]` equal to the number of p's meetings in slot s, and at most two
  busy participants per table in a slot (redundant);
- exact block starts (`start[p, s] = busy[p, s] and not busy[p, s - 1]`), the breaks of
  p in a day an integer variable equal to its blocks minus one;
- for each participant with its requests in one day, a Boolean `calm[p]` (no break) and
  one Boolean per gapless run: exactly one run chosen when calm, none otherwise; busy in
  every slot of the chosen run, idle in the other slots of the day; breaks at least
  1 - calm, and none when calm;
- what `breaks_bound` finds forced, and the counting bound on the total.

Every schedule placing all requests gives a solution with its breaks as objective, and
every solution is such a schedule (the proof is in `docs/scheduler.md`), so the minimum
and CP-SAT's proven bound are those of the event. CP-SAT then chooses a run per
participant instead of building a block pattern slot by slot, and the objective is at
least the number of participants that are not calm, which its core-based search uses to
raise its lower bound (forum 7 of the benchmark: 6 breaks proven the minimum and reached
within the time limit, where the block model stayed at the local search's 10). The
meetings', `calm` and run Booleans are hinted from the start, the block variables not:
hinting them too made CP-SAT improve less.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from .board import Board
from .breaks_bound import Forced, gapless_runs
from .exact import Variables, build_model
from .problem import Problem


def one_day_requests(problem: Problem) -> dict[int, tuple[int, list[int]]]:
    """Participant -> (its day mask, the slot masks of its requests), for each participant
    whose requests all lie in one day."""
    own: dict[int, list[int]] = {}
    for r, mask in enumerate(problem.common):
        for p in (problem.ra[r], problem.rb[r]):
            own.setdefault(p, []).append(mask)
    result = {}
    for p, masks in own.items():
        day = next((d for d in problem.day_masks if masks[0] and masks[0] & ~d == 0), 0)
        if day and all(mask & ~day == 0 for mask in masks):
            result[p] = (day, masks)
    return result


def runs_model(
    problem: Problem, start: Board, known: Forced, counted: int
) -> tuple[cp_model.CpModel, Variables, cp_model.LinearExpr]:
    """The model placing every request with the total breaks to minimise (see the module):
    the model, the meetings' Booleans (hinted from `start`) and the total."""
    model, x, at = build_model(problem)
    for r in range(len(problem.req_ids)):
        model.add_exactly_one([x[r, s] for s in _bits(problem.common[r])])
    busy: dict[tuple[int, int], cp_model.IntVar] = {}
    for (p, s), group in at.items():
        busy[p, s] = model.new_bool_var(f"busy{p}_{s}")
        model.add(sum(group) == busy[p, s])
    if problem.tables is not None:  # redundant: two participants per table
        for s in range(problem.n_slots):
            seated = [var for (_p, t), var in busy.items() if t == s]
            if len(seated) > 2 * problem.tables:
                model.add(sum(seated) <= 2 * problem.tables)
    per_day: dict[tuple[int, int], cp_model.LinearExpr] = {}
    meets = set()  # (participant, day) with a request that can only be on that day
    for r, mask in enumerate(problem.common):
        day = next((d for d in problem.day_masks if mask and mask & ~d == 0), 0)
        meets.update(((problem.ra[r], day), (problem.rb[r], day)))
    for p in range(len(problem.participants)):
        for day in problem.day_masks:
            term = _day_breaks(model, busy, p, day, (p, day) in meets)
            if term is not None:
                per_day[p, day] = term
    for p, (day, masks) in one_day_requests(problem).items():
        if (p, day) in per_day:
            runs = gapless_runs(masks, day)
            _runs(model, busy, p, day, runs, per_day[p, day], start.busy[p] & day)
    for (p, day), mask in known.busy.items():
        if (p, day) in per_day:
            for s in _bits(mask):
                model.add(busy.get((p, s), 0) + per_day[p, day] >= 1)
    for (p, day), least in known.broken.items():
        if (p, day) in per_day:
            model.add(per_day[p, day] >= least)
    total = sum(per_day.values())
    if counted:
        model.add(total >= counted)
    for (r, s), var in x.items():
        model.add_hint(var, start.slot_of[r] == s)
    return model, x, total


def _day_breaks(
    model: cp_model.CpModel,
    busy: dict[tuple[int, int], cp_model.IntVar],
    p: int,
    day: int,
    meets: bool,
) -> cp_model.IntVar | None:
    """The breaks of `p` in `day`, exactly: its blocks minus one (None when it has fewer
    than two slots to meet in that day); `meets`: it surely has a meeting that day."""
    slots = [s for s in _bits(day) if (p, s) in busy]
    if len(slots) < 2:
        return None
    starts = []
    for s in slots:
        if (p, s - 1) not in busy or not day >> (s - 1) & 1:
            starts.append(busy[p, s])
            continue
        begins = model.new_bool_var(f"block{p}_{s}")
        model.add(begins >= busy[p, s] - busy[p, s - 1])
        model.add(begins <= busy[p, s])
        model.add(begins <= 1 - busy[p, s - 1])
        starts.append(begins)
    active: cp_model.IntVar | int = 1
    if not meets:
        active = model.new_bool_var(f"day{p}_{slots[0]}")
        for s in slots:
            model.add(active >= busy[p, s])
        model.add(active <= sum(busy[p, s] for s in slots))
    breaks = model.new_int_var(0, len(slots), f"breaks{p}_{slots[0]}")
    model.add(breaks == sum(starts) - active)
    return breaks


def _runs(
    model: cp_model.CpModel,
    busy: dict[tuple[int, int], cp_model.IntVar],
    p: int,
    day: int,
    runs: list[int],
    breaks: cp_model.LinearExpr,
    now: int,
) -> None:
    """`calm` and the choice of one of `runs` (masks) for participant `p` in `day`, hinted
    with `now` (its slots on the start)."""
    calm = model.new_bool_var(f"calm{p}")
    model.add_hint(calm, now in runs)
    model.add(breaks >= 1 - calm)
    if not runs:
        model.add(calm == 0)
        return
    model.add(breaks == 0).only_enforce_if(calm)
    chosen = {run: model.new_bool_var(f"run{p}_{run.bit_length()}") for run in runs}
    model.add(sum(chosen.values()) == calm)
    for run, var in chosen.items():
        model.add_hint(var, run == now)
    for s in _bits(day):
        covering = [var for run, var in chosen.items() if run >> s & 1]
        for var in covering:
            model.add(busy.get((p, s), 0) >= var)
        if (p, s) in busy:
            model.add(busy[p, s] <= sum(covering) + 1 - calm)


def _bits(mask: int) -> list[int]:
    return [s for s in range(mask.bit_length()) if mask >> s & 1]
