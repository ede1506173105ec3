"""A lower bound on the breaks when every meeting is placed, proved by counting.

Take a participant and a day, and its meetings whose time windows lie in that day. The one
whose window ends first must be at or before slot h (the window's last slot); the one whose
window starts last, at or after slot l (its first). When h <= l, the participant has a
meeting on each side of every slot s from h to l (or in s itself), so unless it is busy in
every one of them it has a break that day: at least one. Call those slots its forced span.

A participant whose requests all lie in one day says more. Without a break its k meetings
fill k consecutive slots, one of its requests in each: only the runs of k slots where its
requests can be matched one to a slot (each in its window) will do. If there is none, it
has a break (more when its usable slots fall apart into short runs: with k meetings and
runs that hold fewer, one break per extra run needed). Otherwise, it meets in every slot
that all these runs share: its forced slots (they hold its forced span).

- A participant that cannot meet in some slot of its forced span (not available, or none of
  its requests may be there), or without a run as above, has a break: 1 each (or more).
- A slot seats at most two participants per table. When the participants who must meet in
  slot s unless they have a break outnumber the seats, the excess has breaks: the number of
  those participants minus twice the tables, for the slot where that is largest.

The two counts concern different participants (those of the first are left out of the
second), so their sum is a lower bound on the total breaks of any schedule that places
every meeting. See `docs/scheduler.md`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .problem import Problem


@dataclass
class Forced:
    """What every schedule placing all requests must do, per (participant, day mask)."""

    broken: dict[tuple[int, int], int]  # breaks it surely has that day
    busy: dict[tuple[int, int], int]  # slots (a mask) it meets in unless it has a break


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


def forced(problem: Problem) -> Forced:
    """The breaks and the slots forced on each participant and day (see the module)."""
    own: dict[int, list[int]] = {}  # participant -> the slot masks of its requests
    for r, mask in enumerate(problem.common):
        for p in (problem.ra[r], problem.rb[r]):
            own.setdefault(p, []).append(mask)
    result = Forced({}, {})
    one_day = set()
    for p, masks in own.items():
        day = next((d for d in problem.day_masks if masks[0] and masks[0] & ~d == 0), 0)
        if not day or any(mask & ~day for mask in masks):
            continue
        one_day.add(p)
        if len(masks) < 2:
            continue
        runs = gapless_runs(masks, day)
        if runs:
            result.busy[p, day] = _common(runs)
        else:
            result.broken[p, day] = max(1, _runs_needed(masks, day) - 1)
    reach = {p: _union(masks) for p, masks in own.items()}
    for (p, day), (first, last) in forced_spans(problem).items():
        if p in one_day:
            continue
        span = (1 << last + 1) - (1 << first)
        if span & ~reach[p]:
            result.broken[p, day] = 1
        else:
            result.busy[p, day] = span
    return result


def breaks_lower_bound(problem: Problem, known: Forced | None = None) -> int:
    """Fewest breaks of any schedule placing every request of `problem` (see the module)."""
    known = known or forced(problem)
    broken = {p for p, _day in known.broken}
    needed: Counter[int] = Counter()
    for (p, _day), mask in known.busy.items():
        if p not in broken:
            needed.update(s for s in range(mask.bit_length()) if mask >> s & 1)
    seats = 2 * problem.slot_capacity
    excess = max((count - seats for count in needed.values()), default=0)
    return sum(known.broken.values()) + max(0, excess)


def gapless_runs(masks: list[int], day: int) -> list[int]:
    """The runs of len(masks) consecutive slots of `day` (as masks) in which each request
    (its allowed slots in `masks`) can have a slot of its own."""
    k = len(masks)
    reach = _union(masks)
    runs = []
    for first in range(day.bit_length()):
        run = ((1 << k) - 1) << first
        if run & ~day:
            continue
        if run & ~reach == 0 and _matches(masks, run):
            runs.append(run)
    return runs


def _matches(masks: list[int], run: int) -> bool:
    """Whether each request gets a distinct slot of `run` within its mask (Kuhn's matching)."""
    holder: dict[int, int] = {}  # slot -> request

    def augment(r: int, seen: set[int]) -> bool:
        mask = masks[r] & run
        while mask:
            low = mask & -mask
            mask ^= low
            s = low.bit_length() - 1
            if s in seen:
                continue
            seen.add(s)
            if s not in holder or augment(holder[s], seen):
                holder[s] = r
                return True
        return False

    return all(augment(r, set()) for r in range(len(masks)))


def _runs_needed(masks: list[int], day: int) -> int:
    """Fewest runs of consecutive usable slots of `day` holding len(masks) meetings."""
    lengths = []
    length = 0
    usable = _union(masks) & day
    for s in range(day.bit_length() + 1):
        if usable >> s & 1:
            length += 1
        elif length:
            lengths.append(length)
            length = 0
    held = needed = 0
    for length in sorted(lengths, reverse=True):
        if held >= len(masks):
            break
        held += length
        needed += 1
    return needed


def _union(masks: list[int]) -> int:
    union = 0
    for mask in masks:
        union |= mask
    return union


def _common(masks: list[int]) -> int:
    common = masks[0]
    for mask in masks[1:]:
        common &= mask
    return common
