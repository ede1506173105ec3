"""Fast mode: a greedy placement guided by the relaxation, then Kempe-chain repair.

1. The linear relaxation (see `bounds`) says which requests an optimal schedule
   is likely to place and in which group of slots. Requests are placed in that
   order (most surely placed first, then fewest common slots, then priority),
   each into the first slot where both participants and a table are free.
2. Repair: a request left out although both participants still have free slots
   is placed by swapping two slots s and t along an alternating chain of
   meetings (a Kempe chain, as in edge colouring): the meeting that blocks one
   participant at s moves to t, the meeting that then blocks its partner at t
   moves to s, and so on. Every move is checked against availability, tables and
   announced meetings, so the schedule stays valid at every step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .board import Board, lowest
from .problem import Problem

if TYPE_CHECKING:  # the relaxation's module imports SciPy: only when a schedule is computed
    from .bounds import Relaxation

MAX_CHAIN = 60


def solve_fast(problem: Problem, relaxation: Relaxation) -> Board:
    board = Board(problem)
    board.place_locked()
    for r, (s, _table) in problem.hints.items():
        if board.free_slots(r) >> s & 1:
            board.place(r, s)
    value, preferred = relaxation.value, relaxation.preferred
    order = sorted(
        (r for r in range(len(problem.req_ids)) if board.slot_of[r] < 0),
        key=lambda r: (-round(float(value[r]), 3), problem.common[r].bit_count(), -problem.rw[r]),
    )
    left = []
    for r in order:
        free = board.free_slots(r)
        if not free:
            left.append(r)
            continue
        better = free & preferred[r]
        board.place(r, lowest(better or free))
    for _round in range(3):
        still = []
        for r in left:
            if not _repair(board, r):
                still.append(r)
        if len(still) == len(left):
            break
        left = still
    return board


def _repair(board: Board, r: int) -> bool:
    p = board.problem
    a, b = p.ra[r], p.rb[r]
    if board.count[a] >= p.cap[a] or board.count[b] >= p.cap[b]:
        return False
    free = board.free_slots(r)
    if free:
        board.place(r, lowest(free))
        return True
    for x, y in ((a, b), (b, a)):
        targets = p.common[r] & ~board.busy[y] & board.busy[x]
        spare = p.avail[x] & ~board.busy[x]
        while targets:
            s = lowest(targets)
            targets &= targets - 1
            t_mask = spare & ~(1 << s)
            while t_mask:
                t = lowest(t_mask)
                t_mask &= t_mask - 1
                if _swap_chain(board, r, x, y, s, t):
                    return True
    return False


def _swap_chain(board: Board, r: int, x: int, y: int, s: int, t: int) -> bool:
    """Free `x` at slot `s` by swapping s and t along the chain starting at x's meeting."""
    p = board.problem
    chain: list[tuple[int, int]] = []  # (request, slot it moves to)
    vertex, here, there = x, s, t
    net_s = 0
    while True:
        m = board.at[vertex].get(here)
        if m is None:
            break
        if m in board.fixed or len(chain) >= MAX_CHAIN or not p.common[m] >> there & 1:
            return False
        other = p.rb[m] if p.ra[m] == vertex else p.ra[m]
        if other == y:
            return False
        chain.append((m, there))
        net_s += -1 if here == s else 1
        vertex, here, there = other, there, here
    net_t = -net_s
    cap = board.capacity
    if board.load[s] + net_s + 1 > cap or board.load[t] + net_t > cap:
        return False
    for m, _to in chain:
        board.remove(m)
    for m, to in chain:
        board.place(m, to)
    board.place(r, s)
    return True
