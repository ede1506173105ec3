"""Breaks in agendas: idle periods between two meetings of the same participant.

A break is counted once per idle period, whatever its length, and only within a day: the
time between the last meeting of one day and the first of the next is not a break. Slots
are taken in the order given (the event's order); a day is the slot's date when it has a
start time, else every slot belongs to one day. The gap between two sessions of the same
day (lunch) is no break either, since no slot lies in it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping


def breaks_per_participant(
    slot_order: list[str],
    slot_day: Mapping[str, str],
    meetings: Iterable[tuple[str, str, str]],
) -> dict[str, int]:
    """Breaks of each participant who has a meeting, from `meetings` as (a, b, slot id).

    `slot_order` lists the slot ids in time order; `slot_day` gives each slot's day (any
    text; slots missing from it share one day)."""
    position = {slot: i for i, slot in enumerate(slot_order)}
    taken: dict[str, list[int]] = defaultdict(list)
    for a, b, slot in meetings:
        taken[a].append(position[slot])
        taken[b].append(position[slot])
    result = {}
    for participant, slots in taken.items():
        slots.sort()
        result[participant] = sum(
            1
            for before, after in zip(slots, slots[1:], strict=False)
            if after > before + 1
            and slot_day.get(slot_order[before], "") == slot_day.get(slot_order[after], "")
        )
    return result


def mask_breaks(busy: int, day_masks: list[int]) -> int:
    """Breaks of one participant whose meetings are the bits of `busy` (slot indices in time
    order); `day_masks` are the runs of consecutive slots of one day. A break is a block of
    consecutive meetings after the first of its day."""
    total = 0
    for day in day_masks:
        mine = busy & day
        if mine:
            total += (mine & ~(mine << 1)).bit_count() - 1
    return total
