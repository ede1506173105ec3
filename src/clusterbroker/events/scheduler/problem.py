"""Check an instance and turn it into integer indices and slot bitmasks.

Every algorithm works on a `Problem`: participants and slots are numbered, the
slots a participant can meet in are the bits of an integer, so "free in both
calendars" is one `&` of two integers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .model import MAX_TABLES, MAX_WEIGHT, Instance, ScheduleInputError, json_path


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
    window: list[int | None] = field(default_factory=list)  # per request: its slots, or None
    day_masks: list[int] = field(default_factory=list)  # runs of consecutive slots of one day
    slot_day: dict[str, str] = field(default_factory=dict)  # slot id -> its day (date or "")

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
    seen: set[str] = set()
    for i, slot in enumerate(instance.slots):
        if slot.id in seen:
            raise ScheduleInputError(
                f"Slot {slot.id!r} is listed twice.", json_path("slots", i) + ".id"
            )
        seen.add(slot.id)
    timed = [
        (i, s) for i, s in enumerate(instance.slots) if s.start is not None and s.end is not None
    ]
    zoned = [_aware(s.start) and _aware(s.end) for _i, s in timed]
    if not all(zoned) and any(_aware(s.start) or _aware(s.end) for _i, s in timed):
        i, slot = timed[zoned.index(False)]
        raise ScheduleInputError(
            f"Slot {slot.id!r} has a time without a time zone while other times have one: "
            "give every time with its zone, or none.",
            json_path("slots", i),
        )
    for i, slot in timed:
        if slot.end <= slot.start:
            raise ScheduleInputError(
                f"Slot {slot.id!r} ends before it starts.", json_path("slots", i) + ".end"
            )
    timed.sort(key=lambda pair: pair[1].start)
    for (_i, before), (j, after) in zip(timed, timed[1:], strict=False):
        if after.start < before.end:
            where = (
                f"sessions {before.session!r} and {after.session!r}"
                if before.session != after.session
                else f"session {before.session!r}"
            )
            raise ScheduleInputError(
                f"Slots {before.id!r} and {after.id!r} overlap ({where}): "
                "sessions of one event must not overlap.",
                json_path("slots", j),
            )
    if len(timed) == len(instance.slots):
        return [s.id for _i, s in timed]
    return [s.id for s in instance.slots]


def _aware(moment: dt.datetime) -> bool:
    return moment.utcoffset() is not None


def prepare(
    instance: Instance, allow_moving_locked: bool = False, strict_locked: bool = False
) -> Problem:
    """Validate `instance` and index it; raise `ScheduleInputError` naming what is wrong.

    An announced placement that can no longer hold (a participant left the slot, another
    announced meeting takes the participant or the table) is released with a reason; with
    `strict_locked` (an instance file, where a locked placement is a statement of the
    file) it is an error instead, as is a locked placement of an unknown request.
    """
    if instance.tables is not None and not 1 <= instance.tables <= MAX_TABLES:
        raise ScheduleInputError(
            f"The number of tables must be at least 1 and at most {MAX_TABLES:,} (or unlimited).",
            "tables",
        )
    slots = _check_slots(instance)
    sidx = {s: i for i, s in enumerate(slots)}
    participants = list(instance.availability)
    pidx = {p: i for i, p in enumerate(participants)}
    avail, cap = [], []
    for pid in participants:
        where = json_path("participants", pid)
        mask = 0
        for k, slot_id in enumerate(instance.availability[pid]):
            if slot_id not in sidx:
                raise ScheduleInputError(
                    f"Participant {pid!r} is available in slot {slot_id!r}, which does not exist.",
                    json_path(where, k),
                )
            mask |= 1 << sidx[slot_id]
        if not mask:
            raise ScheduleInputError(f"Participant {pid!r} has no available slot.", where)
        limit = instance.cap(pid)
        if limit is not None and limit < 0:
            raise ScheduleInputError(
                f"Participant {pid!r} has a negative meeting limit.",
                json_path("max_meetings", pid)
                if isinstance(instance.max_meetings, dict)
                else "max_meetings",
            )
        count = mask.bit_count()
        avail.append(mask)
        cap.append(count if limit is None else min(limit, count))
    req_ids, ra, rb, rw, common, window = [], [], [], [], [], []
    seen: set[str] = set()
    for i, req in enumerate(instance.requests):
        where = json_path("requests", i)
        if req.id in seen:
            raise ScheduleInputError(f"Request {req.id!r} is listed twice.", f"{where}.id")
        seen.add(req.id)
        if req.a == req.b:
            raise ScheduleInputError(
                f"Request {req.id!r} is a meeting of participant {req.a!r} with themselves.", where
            )
        for side, pid in (("a", req.a), ("b", req.b)):
            if pid not in pidx:
                raise ScheduleInputError(
                    f"Request {req.id!r} names participant {pid!r}, who is not registered.",
                    f"{where}.{side}",
                )
        if not 1 <= req.weight <= MAX_WEIGHT:
            raise ScheduleInputError(
                f"Request {req.id!r} has a weight {'below 1' if req.weight < 1 else 'too high'}"
                f"; a weight is a whole number from 1 to {MAX_WEIGHT:,}.",
                f"{where}.weight",
            )
        a, b = pidx[req.a], pidx[req.b]
        allowed = _window(req.slots, sidx, where)
        req_ids.append(req.id)
        ra.append(a)
        rb.append(b)
        rw.append(int(req.weight))
        window.append(allowed)
        common.append(avail[a] & avail[b] & (~0 if allowed is None else allowed))
    problem = Problem(
        instance, participants, slots, avail, cap, req_ids, ra, rb, rw, common,
        instance.tables, {}, {}, {}, window,
    )  # fmt: skip
    problem.slot_day, problem.day_masks = _days(instance, slots)
    _fix_locked(problem, sidx, strict_locked)
    if allow_moving_locked:
        problem.hints, problem.locked, problem.released = problem.locked, {}, {}
    return problem


def _window(slot_ids: tuple[str, ...] | None, sidx: dict[str, int], where: str) -> int | None:
    """The bitmask of a request's time window (None: no window)."""
    if slot_ids is None:
        return None
    mask = 0
    for k, slot_id in enumerate(slot_ids):
        if slot_id not in sidx:
            raise ScheduleInputError(
                f"The time window of the request lists slot {slot_id!r}, which does not exist.",
                json_path(f"{where}.slots", k),
            )
        mask |= 1 << sidx[slot_id]
    return mask


def _days(instance: Instance, order: list[str]) -> tuple[dict[str, str], list[int]]:
    """Each slot's day (its start date, or "" without times) and the masks of the runs of
    consecutive slots (in `order`) of one day: a break lies inside one such run."""
    by_id = {s.id: s for s in instance.slots}
    day = {
        sid: by_id[sid].start.date().isoformat() if by_id[sid].start is not None else ""
        for sid in order
    }
    masks: list[int] = []
    for i, sid in enumerate(order):
        if i and day[order[i - 1]] == day[sid]:
            masks[-1] |= 1 << i
        else:
            masks.append(1 << i)
    return day, masks


def _fix_locked(problem: Problem, sidx: dict[str, int], strict: bool) -> None:
    """Keep announced meetings where they are when that is still possible."""
    ridx = {rid: r for r, rid in enumerate(problem.req_ids)}
    busy: list[dict[int, str]] = [{} for _ in problem.participants]  # slot -> meeting there
    used: dict[tuple[int, int], str] = {}  # (slot, table) -> meeting there
    for rid, placement in problem.instance.locked.items():
        where = json_path("locked", rid)
        if placement.slot not in sidx:
            raise ScheduleInputError(
                f"Announced meeting {rid!r} is in slot {placement.slot!r}, which does not exist.",
                f"{where}.slot",
            )
        limit = problem.tables if problem.tables is not None else MAX_TABLES
        if strict and not 1 <= placement.table <= limit:
            raise ScheduleInputError(
                f"Announced meeting {rid!r} is at a table that does not exist "
                f"(tables are numbered from 1 to {limit:,}).",
                f"{where}.table",
            )
        r = ridx.get(rid)
        if r is None:
            if strict:
                raise ScheduleInputError(
                    f"Announced meeting {rid!r} is not one of the requests.", where
                )
            continue  # no longer an accepted request: nothing to keep
        s = sidx[placement.slot]
        a, b, bit = problem.ra[r], problem.rb[r], 1 << s
        other = busy[a].get(s, busy[b].get(s))
        if not problem.avail[a] & problem.avail[b] & bit:
            reason = "a participant is no longer available at the announced time"
            detail = "a participant of it is not available in that slot"
        elif not problem.common[r] & bit:
            reason = "the announced time is outside the meeting's time window"
            detail = "that slot is outside the time window of its request"
        elif other is not None:
            reason = "a participant has another announced meeting at that time"
            detail = f"a participant of it has the announced meeting {other!r} in that slot"
        elif (s, placement.table) in used or not 1 <= placement.table <= limit:
            reason = "the announced table is no longer available"
            detail = f"the announced meeting {used.get((s, placement.table))!r} has that table"
        else:
            busy[a][s] = busy[b][s] = used[s, placement.table] = rid
            problem.locked[r] = (s, placement.table)
            continue
        if strict:
            raise ScheduleInputError(
                f"Announced meeting {rid!r} cannot stay in slot {placement.slot!r} at table "
                f"{placement.table}: {detail}.",
                where,
            )
        problem.released[r] = reason
