"""A lower bound on the breaks when every meeting is placed, proved by counting.

Take a participant and a day, and its meetings whose time windows lie in that day. The one
whose window ends first must be at or before slot h (the window's last slot); the one whose
window starts last, at or after slot l (its first). When h <= l, the participant has a
meeting on each side of every slot s from h to l (or in s itself), so unless it is busy in
every one of them it has a break that day: at least one. Call those slots its forced span.

- A participant that cannot meet in some slot of its forced span (not available, or none of
  its requests may be there) has a break: 1 each.
- A slot seats at most two participants per table. When the participants whose forced
  span holds slot s outnumber the seats, the excess has breaks: the number of those
  participants minus twice the tables, for the slot where that is largest.

The two counts concern different participants (those of the first are left out of the
second), so their sum is a lower bound on the total breaks of any schedule that places
every meeting. See `docs/scheduler.md`.
"""

from __future__ import annotations

from collections import Counter

from .problem import Problem


def forced_spans(problem: Problem) -> dict[tuple[int, int], tuple[int, int]]:
    """(participant, day mask) -> the first and last slot of its forced span that day."""
    windows: dict[tuple[int, int], list[int]] = {}
    for r, mask in enumerate(problem.common):
        for day in problem.day_masks:
            if mask and mask & ~day == 0:
                for p in (problem.ra[r], problem.rb[r]):
                    windows.setdefault((p, day), []).append(mask)
    spans = {}
    for key, masks in windows.items():
        if len(masks) < 2:
            continue
        ends_by = min(mask.bit_length() - 1 for mask in masks)
        starts_from = max((mask & -mask).bit_length() - 1 for mask in masks)
        if ends_by <= starts_from:
            spans[key] = (ends_by, starts_from)
    return spans


def breaks_lower_bound(problem: Problem) -> int:
    """Fewest breaks of any schedule placing every request of `problem` (see the module)."""
    reach = [0] * len(problem.avail)  # slots each participant has a request allowed in
    for r, mask in enumerate(problem.common):
        reach[problem.ra[r]] |= mask
        reach[problem.rb[r]] |= mask
    surely = 0
    needed: Counter[int] = Counter()
    broken: set[int] = set()
    for (p, _day), (first, last) in forced_spans(problem).items():
        span = range(first, last + 1)
        if any(not reach[p] >> s & 1 for s in span):
            surely += 1
            broken.add(p)
    for (p, _day), (first, last) in forced_spans(problem).items():
        if p not in broken:
            needed.update(range(first, last + 1))
    seats = 2 * problem.slot_capacity
    excess = max((count - seats for count in needed.values()), default=0)
    return surely + max(0, excess)
