"""The naive baseline: first come, first served, into the earliest common free slot."""

from __future__ import annotations

from .board import Board, lowest
from .problem import Problem


def solve_naive(problem: Problem) -> Board:
    board = Board(problem)
    board.place_locked()
    for r in range(len(problem.req_ids)):
        if board.slot_of[r] >= 0:
            continue
        free = board.free_slots(r)
        if free:
            board.place(r, lowest(free))
    return board
