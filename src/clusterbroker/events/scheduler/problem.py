"""Check an instance and turn it into integer indices and slot bitmasks.

Every algorithm works on a `Problem`: participants and slots are numbered, the
slots a participant can meet in are the bits of an integer, so "free in both
calendars" is one `&` of two integers.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Instance, ScheduleInputError


@dataclass
class Problem:
    instance: Instance
    participants: list[str]
    slots: list[str]
    avail: list[int]  # bitmask of available slots per participant
    cap: list[int]  # most meetings a participant can have
    req_ids: list[str]
    ra: list[int]
    rb: list[int]
    rw: list[int]
    common: list[int]  # slots both participants of a request can meet in
    tables: int | None
    locked: dict[int, tuple[int, int]]  # request index -> (slot index, table)
    released: dict[int, str]  # announced meetings that can no longer stay where they were
    hints: dict[int, tuple[int, int]]  # announced placements that may move (kept if possible)

    @property
    def n_slots(self) -> int:
        return len(self.slots)

    @property
    def slot_capacity(self) -> int:
        """Meetings one slot can hold: the tables, or everybody in pairs if unlimited."""
        return self.tables if self.tables is not None else max(1, len(self.participants) // 2)

    def name(self, participant: int) -> str:
        pid = self.participants[participant]
        return self.instance.names.get(pid, pid)

    def request_label(self, r: int) -> str:
        return f"{self.name(self.ra[r])} · {self.name(self.rb[r])}"


def _check_slots(instance: Instance) -> list[str]:
    ids = [s.id for s in instance.slots]
    seen: set[str] = set()
    for slot_id in ids:
        if slot_id in seen:
            raise ScheduleInputError(f"Slot {slot_id!r} is listed twice.")
        seen.add(slot_id)
    timed = [s for s in instance.slots if s.start is not None and s.end is not None]
    for slot in timed:
        if slot.end <= slot.start:
            raise ScheduleInputError(f"Slot {slot.id!r} ends before it starts.")
    timed.sort(key=lambda s: s.start)
    for before, after in zip(timed, timed[1:], strict=False):
        if after.start < before.end:
            where = (
                f"sessions {before.session!r} and {after.session!r}"
                if before.session != after.session
                else f"session {before.session!r}"
            )
            raise ScheduleInputError(
                f"Slots {before.id!r} and {after.id!r} overlap ({where}): "
                "sessions of one event must not overlap."
            )
    if len(timed) == len(ids):
        return [s.id for s in timed]
    return ids


def prepare(instance: Instance, allow_moving_locked: bool = False) -> Problem:
    """Validate `instance` and index it; raise `ScheduleInputError` naming what is wrong."""
    if instance.tables is not None and instance.tables < 1:
        raise ScheduleInputError("The number of tables must be at least 1 (or unlimited).")
    slots = _check_slots(instance)
    sidx = {s: i for i, s in enumerate(slots)}
    participants = list(instance.availability)
    pidx = {p: i for i, p in enumerate(participants)}
    avail, cap = [], []
    for pid in participants:
        mask = 0
        for slot_id in instance.availability[pid]:
            if slot_id not in sidx:
                raise ScheduleInputError(
                    f"Participant {pid!r} is available in slot {slot_id!r}, which does not exist."
                )
            mask |= 1 << sidx[slot_id]
        if not mask:
            raise ScheduleInputError(f"Participant {pid!r} has no available slot.")
        limit = instance.cap(pid)
        if limit is not None and limit < 0:
            raise ScheduleInputError(f"Participant {pid!r} has a negative meeting limit.")
        count = mask.bit_count()
        avail.append(mask)
        cap.append(count if limit is None else min(limit, count))
    req_ids, ra, rb, rw, common = [], [], [], [], []
    seen: set[str] = set()
    for req in instance.requests:
        if req.id in seen:
            raise ScheduleInputError(f"Request {req.id!r} is listed twice.")
        seen.add(req.id)
        if req.a == req.b:
            raise ScheduleInputError(
                f"Request {req.id!r} is a meeting of participant {req.a!r} with themselves."
            )
        for pid in (req.a, req.b):
            if pid not in pidx:
                raise ScheduleInputError(
                    f"Request {req.id!r} names participant {pid!r}, who is not registered."
                )
        if req.weight < 1:
            raise ScheduleInputError(f"Request {req.id!r} has a weight below 1.")
        a, b = pidx[req.a], pidx[req.b]
        req_ids.append(req.id)
        ra.append(a)
        rb.append(b)
        rw.append(int(req.weight))
        common.append(avail[a] & avail[b])
    problem = Problem(
        instance, participants, slots, avail, cap, req_ids, ra, rb, rw, common,
        instance.tables, {}, {}, {},
    )  # fmt: skip
    _fix_locked(problem, sidx)
    if allow_moving_locked:
        problem.hints, problem.locked, problem.released = problem.locked, {}, {}
    return problem


def _fix_locked(problem: Problem, sidx: dict[str, int]) -> None:
    """Keep announced meetings where they are when that is still possible."""
    ridx = {rid: r for r, rid in enumerate(problem.req_ids)}
    busy = [0] * len(problem.participants)
    used: dict[int, set[int]] = {}
    for rid, placement in problem.instance.locked.items():
        if placement.slot not in sidx:
            raise ScheduleInputError(
                f"Announced meeting {rid!r} is in slot {placement.slot!r}, which does not exist."
            )
        r = ridx.get(rid)
        if r is None:
            continue  # no longer an accepted request: nothing to keep
        s = sidx[placement.slot]
        a, b, bit = problem.ra[r], problem.rb[r], 1 << sidx[placement.slot]
        tables = used.setdefault(s, set())
        if not problem.common[r] & bit:
            problem.released[r] = "a participant is no longer available at the announced time"
        elif (busy[a] | busy[b]) & bit:
            problem.released[r] = "a participant has another announced meeting at that time"
        elif placement.table in tables or (
            problem.tables is not None and not 1 <= placement.table <= problem.tables
        ):
            problem.released[r] = "the announced table is no longer available"
        else:
            busy[a] |= bit
            busy[b] |= bit
            tables.add(placement.table)
            problem.locked[r] = (s, placement.table)
