"""The state of a schedule being built: who is busy when, and how full each slot is."""

from __future__ import annotations

from .problem import Problem


class Board:
    """Placements of requests into slots, with the bookkeeping to check them in O(1)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        n_p = len(problem.participants)
        self.busy = [0] * n_p  # bitmask of slots with a meeting, per participant
        self.count = [0] * n_p
        self.at: list[dict[int, int]] = [{} for _ in range(n_p)]  # slot -> request
        self.load = [0] * problem.n_slots
        self.full = 0  # bitmask of slots whose tables are all taken
        self.slot_of = [-1] * len(problem.req_ids)
        self.capacity = problem.slot_capacity
        self.fixed: set[int] = set(problem.locked)

    def free_slots(self, r: int) -> int:
        """Slots where request `r` could go right now."""
        p = self.problem
        a, b = p.ra[r], p.rb[r]
        if self.count[a] >= p.cap[a] or self.count[b] >= p.cap[b]:
            return 0
        return p.common[r] & ~self.busy[a] & ~self.busy[b] & ~self.full

    def place(self, r: int, s: int) -> None:
        p = self.problem
        a, b, bit = p.ra[r], p.rb[r], 1 << s
        self.busy[a] |= bit
        self.busy[b] |= bit
        self.count[a] += 1
        self.count[b] += 1
        self.at[a][s] = r
        self.at[b][s] = r
        self.load[s] += 1
        if self.load[s] >= self.capacity:
            self.full |= bit
        self.slot_of[r] = s

    def remove(self, r: int) -> int:
        p = self.problem
        s = self.slot_of[r]
        a, b, bit = p.ra[r], p.rb[r], 1 << s
        self.busy[a] &= ~bit
        self.busy[b] &= ~bit
        self.count[a] -= 1
        self.count[b] -= 1
        del self.at[a][s]
        del self.at[b][s]
        self.load[s] -= 1
        self.full &= ~bit
        self.slot_of[r] = -1
        return s

    def place_locked(self) -> None:
        for r, (s, _table) in self.problem.locked.items():
            self.place(r, s)

    def placed(self) -> list[int]:
        return [r for r, s in enumerate(self.slot_of) if s >= 0]

    def weight(self) -> int:
        return sum(self.problem.rw[r] for r, s in enumerate(self.slot_of) if s >= 0)


def lowest(mask: int) -> int:
    """Index of the lowest set bit."""
    return (mask & -mask).bit_length() - 1
