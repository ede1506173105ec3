"""Compact agendas by local search: fewer breaks, the same meetings.

A break is an idle period between two meetings of a participant within a day (see
`breaks`). Starting from a schedule, simulated annealing swaps two slots s and t along
a Kempe chain: a meeting moves from s to t, the meetings that then clash with it at t
move to s, and so on, so that nobody is ever in two meetings at once; when slot t has no
table left, a meeting of t (with its own chain) goes the other way. Every move keeps the
availability, the time windows and the tables; no meeting is removed, so the placed
weight never drops; announced meetings (and those kept where they were announced) stay.

The cost of an agenda is its breaks, each worth `BREAK_COST` idle slots, plus its idle
slots: shrinking a long gap is progress towards closing it. Moves that raise the cost are
accepted with a probability that falls with the temperature; the best schedule seen is
kept. The moves are drawn from `seed` and their number is fixed, so a run is repeatable;
`seconds` only boxes it on a slow machine.
"""

from __future__ import annotations

import math
import random
import time

from .board import Board
from .breaks import mask_breaks

BREAK_COST = 8
MOVES_PER_MEETING = 1000
MOST_MOVES = 200_000
HOT, COLD = 3.0, 0.05


def board_breaks(board: Board) -> int:
    """Total breaks of the schedule on `board`."""
    days = board.problem.day_masks
    return sum(mask_breaks(busy, days) for busy in board.busy)


def agenda_cost(busy: int, day_masks: list[int]) -> int:
    """`BREAK_COST` per break plus one per idle slot between the first and last meeting."""
    cost = 0
    for day in day_masks:
        mine = busy & day
        if mine:
            first = (mine & -mine).bit_length() - 1
            cost += BREAK_COST * ((mine & ~(mine << 1)).bit_count() - 1)
            cost += mine.bit_length() - first - mine.bit_count()
    return cost


def compact(board: Board, seconds: float = 10.0, seed: int = 0, effort: int = 1) -> int:
    """Lower the breaks of `board` in place; return how many breaks were removed.

    The annealing makes `effort` × `MOVES_PER_MEETING` moves per meeting, at most
    `effort` × `MOST_MOVES`, and stops after `seconds` anyway."""
    before = board_breaks(board)
    moves = effort * min(MOVES_PER_MEETING * len(board.placed()), MOST_MOVES)
    _Annealing(board, seed).run(moves, time.perf_counter() + seconds)
    return before - board_breaks(board)


def compact_best_of(
    board: Board, seconds: float, seed: int, efforts: tuple[int, ...], enough: int = 0
) -> int:
    """Anneal `board` once per effort in `efforts` (in turn, each from `board` as given, all
    within `seconds`) and keep the schedule with the fewest breaks, the earliest on a tie;
    return how many breaks were removed. A slower cooling often ends lower, but not on
    every event: the best of both is never worse than either. Stops as soon as a schedule
    has at most `enough` breaks (a proven minimum)."""
    before = board_breaks(board)
    if before <= enough:
        return 0
    start = list(board.slot_of)
    deadline = time.perf_counter() + seconds
    best, best_slots = before + 1, start
    for effort in efforts:
        if best <= enough:
            break
        trial = Board(board.problem)
        for r, s in enumerate(start):
            if s >= 0:
                trial.place(r, s)
        compact(trial, max(0.0, deadline - time.perf_counter()), seed, effort)
        if board_breaks(trial) < best:
            best, best_slots = board_breaks(trial), list(trial.slot_of)
    for r, s in enumerate(board.slot_of):
        if s >= 0 and best_slots[r] != s:
            board.remove(r)
    for r, s in enumerate(best_slots):
        if s >= 0 and board.slot_of[r] != s:
            board.place(r, s)
    return before - board_breaks(board)


class _Annealing:
    def __init__(self, board: Board, seed: int) -> None:
        self.board = board
        self.problem = board.problem
        self.rng = random.Random(seed)
        p = self.problem
        self.movable = [
            r
            for r in board.placed()
            if r not in board.fixed and p.hints.get(r, (-1, 0))[0] != board.slot_of[r]
        ]
        self.stay = set(board.placed()) - set(self.movable)
        self.members: list[set[int]] = [set() for _ in range(p.n_slots)]
        for r in board.placed():
            self.members[board.slot_of[r]].add(r)
        self.cost = [agenda_cost(busy, p.day_masks) for busy in board.busy]

    def run(self, moves: int, deadline: float) -> None:
        if not self.movable or moves <= 0:
            return
        board = self.board
        total = best = sum(self.cost)
        best_slots = list(board.slot_of)
        for i in range(moves):
            if i % 512 == 0 and time.perf_counter() > deadline:
                break
            temperature = HOT * (COLD / HOT) ** (i / moves)
            delta = self._try(temperature)
            if delta is None:
                continue
            total += delta
            if total < best:
                best, best_slots = total, list(board.slot_of)
        self._restore(best_slots)

    def _try(self, temperature: float) -> int | None:
        """One random Kempe move; its change of cost if made, None if refused."""
        board, p, rng = self.board, self.problem, self.rng
        r = rng.choice(self.movable)
        s = board.slot_of[r]
        targets = p.common[r] & ~(1 << s)
        if not targets:
            return None
        t = _nth_bit(targets, rng.randrange(targets.bit_count()))
        chain = self._chain(r, s, t, set())
        if chain is None:
            return None
        gain = sum(1 if board.slot_of[m] == s else -1 for m in chain)  # meetings into t
        if board.load[t] + gain > board.capacity:
            others = sorted(self.members[t] - chain)
            if not others:
                return None
            chain = self._chain(rng.choice(others), t, s, chain)
            if chain is None:
                return None
            gain = sum(1 if board.slot_of[m] == s else -1 for m in chain)
        if board.load[t] + gain > board.capacity or board.load[s] - gain > board.capacity:
            return None
        bits = 1 << s | 1 << t
        new_cost = {}
        delta = 0
        for m in chain:
            for x in (p.ra[m], p.rb[m]):
                if x in new_cost:
                    continue
                busy = board.busy[x]
                after = busy ^ bits if (busy & bits).bit_count() == 1 else busy
                new_cost[x] = agenda_cost(after, p.day_masks)
                delta += new_cost[x] - self.cost[x]
        if delta > 0 and rng.random() >= math.exp(-delta / temperature):
            return None
        self._apply([(m, t if board.slot_of[m] == s else s) for m in chain])
        for x, cost in new_cost.items():
            self.cost[x] = cost
        return delta

    def _chain(self, r: int, s: int, t: int, chain: set[int]) -> set[int] | None:
        """The meetings that move when `r` goes from s to t (added to `chain`), or None."""
        board, p = self.board, self.problem
        chain = set(chain)
        chain.add(r)
        stack = [r]
        while stack:
            m = stack.pop()
            there = t if board.slot_of[m] == s else s
            if m in self.stay or not p.common[m] >> there & 1:
                return None
            for x in (p.ra[m], p.rb[m]):
                other = board.at[x].get(there)
                if other is not None and other not in chain:
                    chain.add(other)
                    stack.append(other)
        return chain

    def _apply(self, moves: list[tuple[int, int]]) -> None:
        for m, _to in moves:
            self.members[self.board.remove(m)].discard(m)
        for m, to in moves:
            self.board.place(m, to)
            self.members[to].add(m)

    def _restore(self, slot_of: list[int]) -> None:
        moves = [(r, s) for r, s in enumerate(slot_of) if s >= 0 and self.board.slot_of[r] != s]
        self._apply(moves)


def _nth_bit(mask: int, n: int) -> int:
    """Index of the n-th (from 0) set bit of `mask`."""
    for _ in range(n):
        mask &= mask - 1
    return (mask & -mask).bit_length() - 1
