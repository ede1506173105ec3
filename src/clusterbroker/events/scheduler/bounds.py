"""A proven upper bound on what any schedule can place, from a linear relaxation.

Slots in which exactly the same participants are available are interchangeable
for everybody, so they are grouped into classes (in a real event: the sessions).
The relaxation lets each request be split over the classes it can meet in, and
keeps three families of constraints of the real problem:

- a participant holds at most one meeting per slot: at most |class| meetings per
  class, and at most their meeting limit in all;
- a slot holds at most one meeting per table: at most tables × |class| per class;
- a request is placed at most once.

Every valid schedule is a solution of this linear programme, so its optimum
(rounded down, weights being integers) bounds the weight of any schedule. The
programme is solved with HiGHS; its solution also guides the fast mode.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from .problem import Problem


@dataclass
class Relaxation:
    bound: int
    value: np.ndarray  # per request: how much of it the relaxation places (0..1)
    preferred: list[int]  # per request: bitmask of the slot class it is mostly placed in


def slot_classes(problem: Problem) -> list[int]:
    """Bitmasks of slots in which exactly the same participants are available."""
    groups: dict[bytes, int] = {}
    for s in range(problem.n_slots):
        key = bytes(mask >> s & 1 for mask in problem.avail)
        groups[key] = groups.get(key, 0) | 1 << s
    return list(groups.values())


def relax(problem: Problem) -> Relaxation:
    """Solve the relaxation; see the module's docstring."""
    n_req = len(problem.req_ids)
    if n_req == 0:
        return Relaxation(0, np.zeros(0), [])
    classes = slot_classes(problem)
    sizes = [c.bit_count() for c in classes]
    var_req, var_class = [], []
    for r, common in enumerate(problem.common):
        for k, cmask in enumerate(classes):
            if common & cmask:
                var_req.append(r)
                var_class.append(k)
    n_var = len(var_req)
    if n_var == 0:
        return Relaxation(0, np.zeros(n_req), [0] * n_req)
    var_req_a = np.asarray(var_req)
    var_class_a = np.asarray(var_class)
    ra = np.asarray(problem.ra)[var_req_a]
    rb = np.asarray(problem.rb)[var_req_a]
    n_p, n_k = len(problem.participants), len(classes)
    cols = np.arange(n_var)
    blocks: list[tuple[np.ndarray, np.ndarray]] = []  # (row of each variable, right-hand sides)
    # Rows that can never bind are left out (a row with at most `rhs` variables,
    # each at most 1), which keeps the programme small for large events.
    # Each request at most once.
    blocks.append((var_req_a, np.ones(n_req)))
    # Per participant and class: at most |class| meetings.
    ends = np.concatenate([ra, rb])
    key = ends * n_k + np.tile(var_class_a, 2)
    blocks.append((key, np.tile(np.asarray(sizes, dtype=float), n_p)))
    # Per participant: at most their meeting limit.
    blocks.append((ends, np.asarray(problem.cap, dtype=float)))
    if problem.tables is not None:
        blocks.append((var_class_a, np.asarray(sizes, dtype=float) * problem.tables))
    row_ids, col_ids, rhs = [], [], []
    offset = 0
    for row_of, limits in blocks:
        variables = np.tile(cols, len(row_of) // n_var)
        counts = np.bincount(row_of, minlength=len(limits))
        binding = counts > limits
        new_index = np.cumsum(binding) - 1
        keep = binding[row_of]
        row_ids.append(offset + new_index[row_of[keep]])
        col_ids.append(variables[keep])
        rhs.append(limits[binding])
        offset += int(binding.sum())
    all_rows = np.concatenate(row_ids)
    all_cols = np.concatenate(col_ids)
    matrix = coo_matrix((np.ones(len(all_rows)), (all_rows, all_cols)), shape=(offset, n_var))
    matrix = matrix.tocsr()
    weights = np.asarray(problem.rw, dtype=float)[var_req_a]
    lower = np.zeros(n_var)
    class_of_slot = {}
    for k, cmask in enumerate(classes):
        for s in range(problem.n_slots):
            if cmask >> s & 1:
                class_of_slot[s] = k
    fixed = {(r, class_of_slot[s]) for r, (s, _table) in problem.locked.items()}
    if fixed:
        for i in range(n_var):
            if (var_req[i], var_class[i]) in fixed:
                lower[i] = 1.0
    result = linprog(
        -weights,
        A_ub=matrix if offset else None,
        b_ub=np.concatenate(rhs) if offset else None,
        bounds=np.column_stack([lower, np.ones(n_var)]),
        method="highs",
    )
    if result.status != 0:  # pragma: no cover - the programme is always feasible and bounded
        raise RuntimeError(f"The relaxation could not be solved: {result.message}")
    value = np.zeros(n_req)
    np.add.at(value, var_req_a, result.x)
    best = np.full(n_req, -1.0)
    preferred = [0] * n_req
    for i in range(n_var):
        r = var_req[i]
        if result.x[i] > best[r]:
            best[r] = result.x[i]
            preferred[r] = classes[var_class[i]]
    # HiGHS' optimum is exact up to its relative tolerance (1e-7); round down
    # only what lies clearly below the next integer.
    optimum = -result.fun
    bound = int(np.floor(optimum + 1e-6 * max(1.0, abs(optimum))))
    return Relaxation(bound, value, preferred)
