"""A proven upper bound on what any schedule can place, from a linear relaxation.

The slots are split into groups (see `slot_groups`). The relaxation lets each
request be split over the groups holding a slot both participants can meet in,
and keeps four families of constraints of the real problem:

- a participant holds at most one meeting per slot: in a group, at most as many
  meetings as the group has slots they are available in;
- a slot holds at most one meeting per table: at most tables × |group| per group;
- a participant has at most their meeting limit;
- a request is placed at most once, and an announced meeting that stays is
  placed in its slot's group.

Why this bounds every schedule, whatever the groups: given a valid schedule, set
x[r, G] = 1 when request r is placed in a slot of group G, else 0. That slot is
one both participants can meet in, so the variable exists; r has one slot, so
its variables add up to at most 1; a participant's meetings in G are in distinct
slots of G where they are available; each slot of G holds at most `tables`
meetings; announced meetings stay where they are. So x satisfies every
constraint and has the schedule's weight: the optimum of the programme, rounded
down (weights are integers), is at least the weight of any schedule.

The groups decide only how tight the bound is and how long HiGHS takes. Slots in
which exactly the same participants are available are interchangeable; grouping
them loses nothing (in a real event they are the sessions). When availability
is irregular (participants with their own windows), hardly two slots are alike,
that programme has a variable per request and slot and HiGHS needs minutes; so
slots whose attendees barely differ are grouped too, and if the programme is
still too large, the most alike groups are merged until it fits. The bound stays
valid; on the irregular benchmark it is within 0.01 % of the schedule found.
The solution of the programme also guides the fast mode.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from .problem import Problem

# Groups whose attendance profiles differ by at most this share of their attendees
# are merged (see `slot_groups`); sessions with different attendees stay apart.
MERGE_DIFFERENCE = 0.1
# Largest programme (request × group variables) solved as it is; beyond it the most
# alike groups are merged until it fits.
VARIABLE_BUDGET = 150_000


@dataclass
class Relaxation:
    bound: int
    value: np.ndarray  # per request: how much of it the relaxation places (0..1)
    preferred: list[int]  # per request: bitmask of the slot group it is mostly placed in


class RelaxationTimeout(RuntimeError):
    """HiGHS did not solve the relaxation within the time limit given to `relax`."""


def slot_classes(problem: Problem) -> list[int]:
    """Bitmasks of slots in which exactly the same participants are available."""
    groups: dict[bytes, int] = {}
    for s in range(problem.n_slots):
        key = bytes(mask >> s & 1 for mask in problem.avail)
        groups[key] = groups.get(key, 0) | 1 << s
    return list(groups.values())


def _bit_matrix(masks: list[int], width: int) -> np.ndarray:
    """A 0/1 row per mask: column s is bit s."""
    size = max(1, (width + 7) // 8)
    raw = b"".join(mask.to_bytes(size, "little") for mask in masks)
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(len(masks), size)
    return np.unpackbits(rows, axis=1, bitorder="little")[:, :width]


def _membership(groups: list[int], width: int) -> np.ndarray:
    """Slots × groups, 1 where the slot is in the group."""
    return _bit_matrix(groups, width).T.astype(np.float32)


def slot_groups(
    problem: Problem,
    merge_difference: float = MERGE_DIFFERENCE,
    variable_budget: int = VARIABLE_BUDGET,
) -> list[int]:
    """Bitmasks of the slot groups of the relaxation.

    Start from the exact classes (`slot_classes`). A group's profile gives, per
    participant, the share of its slots they are available in; two groups differ by
    the squared distance of their profiles over their mean attendance (for single
    slots: the participants available in only one of them, as a share of those
    available). The most alike pair is merged while it differs by at most
    `merge_difference`, or while the programme has more than `variable_budget`
    request × group variables.
    """
    avail = _bit_matrix(problem.avail, problem.n_slots)
    common = _bit_matrix(problem.common, problem.n_slots)
    return _merge(slot_classes(problem), avail, common, merge_difference, variable_budget)


def _merge(
    groups: list[int],
    avail: np.ndarray,
    common: np.ndarray,
    merge_difference: float,
    variable_budget: int,
) -> list[int]:
    """`slot_groups` on the availability and common-slot matrices (rows × slots)."""
    groups = list(groups)
    if len(groups) < 2 or not len(common):
        return groups
    member = _membership(groups, avail.shape[1])
    counts = (avail @ member).astype(float)  # participant × group: slots available in
    touches = (common @ member) > 0  # request × group: a variable of the programme
    sizes = member.sum(axis=0, dtype=float)
    profile = counts / sizes
    gram = profile.T @ profile
    attendance = profile.sum(axis=0)
    while len(groups) > 1:
        norms = np.diag(gram)
        distance = norms[:, None] + norms[None, :] - 2 * gram
        mean = np.maximum((attendance[:, None] + attendance[None, :]) / 2, 1e-9)
        difference = distance / mean
        np.fill_diagonal(difference, np.inf)
        i, j = np.unravel_index(int(np.argmin(difference)), difference.shape)
        i, j = min(i, j), max(i, j)
        if difference[i, j] > merge_difference and touches.sum() <= variable_budget:
            break
        groups[i] |= groups.pop(j)
        counts[:, i] += counts[:, j]
        sizes[i] += sizes[j]
        touches[:, i] |= touches[:, j]
        counts = np.delete(counts, j, axis=1)
        sizes = np.delete(sizes, j)
        touches = np.delete(touches, j, axis=1)
        profile = np.delete(profile, j, axis=1)
        profile[:, i] = counts[:, i] / sizes[i]
        gram = np.delete(np.delete(gram, j, axis=0), j, axis=1)
        row = profile.T @ profile[:, i]
        gram[i, :] = row
        gram[:, i] = row
        attendance = np.delete(attendance, j)
        attendance[i] = profile[:, i].sum()
    return groups


def relax(
    problem: Problem, groups: list[int] | None = None, time_limit: float | None = None
) -> Relaxation:
    """Solve the relaxation over `groups`, a partition of the slots as bitmasks (by default
    `slot_groups`); see the module's docstring.

    With `time_limit` (seconds), raise `RelaxationTimeout` when HiGHS needs longer.
    """
    n_req = len(problem.req_ids)
    if n_req == 0:
        return Relaxation(0, np.zeros(0), [])
    width = problem.n_slots
    avail = _bit_matrix(problem.avail, width)
    common = _bit_matrix(problem.common, width)
    if groups is None:
        groups = _merge(slot_classes(problem), avail, common, MERGE_DIFFERENCE, VARIABLE_BUDGET)
    member = _membership(groups, width)
    touches = (common @ member) > 0
    var_req_a, var_class_a = np.nonzero(touches)  # one variable per request and group
    n_var = len(var_req_a)
    if n_var == 0:
        return Relaxation(0, np.zeros(n_req), [0] * n_req)
    ra = np.asarray(problem.ra)[var_req_a]
    rb = np.asarray(problem.rb)[var_req_a]
    n_k = len(groups)
    sizes = member.sum(axis=0, dtype=float)
    # Per participant and group: the slots of the group they are available in.
    per_group = (avail @ member).astype(float)
    cols = np.arange(n_var)
    blocks: list[tuple[np.ndarray, np.ndarray]] = []  # (row of each variable, right-hand sides)
    # Rows that can never bind are left out (a row with at most `rhs` variables,
    # each at most 1), which keeps the programme small for large events.
    # Each request at most once.
    blocks.append((var_req_a, np.ones(n_req)))
    # Per participant and group: at most one meeting per slot of the group they attend.
    ends = np.concatenate([ra, rb])
    key = ends * n_k + np.tile(var_class_a, 2)
    blocks.append((key, per_group.ravel()))
    # Per participant: at most their meeting limit.
    blocks.append((ends, np.asarray(problem.cap, dtype=float)))
    if problem.tables is not None:
        blocks.append((var_class_a, sizes * problem.tables))
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
    group_of_slot = np.argmax(member, axis=1)
    if problem.locked:
        ordered = var_req_a * n_k + var_class_a  # sorted: variables go by request, then group
        for r, (s, _table) in problem.locked.items():
            lower[np.searchsorted(ordered, r * n_k + group_of_slot[s])] = 1.0
    options = {} if time_limit is None else {"time_limit": time_limit}
    result = linprog(
        -weights,
        A_ub=matrix if offset else None,
        b_ub=np.concatenate(rhs) if offset else None,
        bounds=np.column_stack([lower, np.ones(n_var)]),
        method="highs",
        options=options,
    )
    if result.status == 1 and time_limit is not None:
        raise RelaxationTimeout(f"HiGHS did not solve the relaxation in {time_limit:g} s")
    if result.status != 0:  # pragma: no cover - the programme is always feasible and bounded
        raise RuntimeError(f"The relaxation could not be solved: {result.message}")
    value = np.zeros(n_req)
    np.add.at(value, var_req_a, result.x)
    # Variables are ordered by request: the first largest of each request names its group.
    preferred = [0] * n_req
    best = np.full(n_req, -1.0)
    for i in np.flatnonzero(result.x > 0):
        r = var_req_a[i]
        if result.x[i] > best[r]:
            best[r] = result.x[i]
            preferred[r] = groups[var_class_a[i]]
    for r in np.flatnonzero(best < 0):  # placed nowhere: the first group it could go to
        preferred[r] = groups[var_class_a[np.searchsorted(var_req_a, r)]] if touches[r].any() else 0
    # HiGHS' optimum is exact up to its relative tolerance (1e-7); round down
    # only what lies clearly below the next integer.
    optimum = -result.fun
    bound = int(np.floor(optimum + 1e-6 * max(1.0, abs(optimum))))
    return Relaxation(bound, value, preferred)
