"""The scheduler on its own: optimal on small instances (checked by brute force), always
valid, a bound that holds, re-runs that keep announced meetings, and clear errors."""

import datetime as dt
import io
import itertools
import json
import random

import pytest

from clusterbroker.events.scheduler import (
    Instance,
    Placement,
    Request,
    ScheduleInputError,
    Slot,
    load_instance,
    schedule,
)
from clusterbroker.events.scheduler.synthetic import synthetic_instance


def assert_valid(instance: Instance, result) -> None:
    """Every rule of the problem, checked independently of the scheduler's own code."""
    by_id = {r.id: r for r in instance.requests}
    slot_ids = {s.id if isinstance(s, Slot) else s for s in instance.slots}
    busy, tables, count = set(), set(), {}
    for rid, placement in result.placements.items():
        request = by_id[rid]
        assert placement.slot in slot_ids
        for p in (request.a, request.b):
            assert placement.slot in instance.availability[p], (rid, p)
            assert (p, placement.slot) not in busy, (rid, p)
            busy.add((p, placement.slot))
            count[p] = count.get(p, 0) + 1
        assert (placement.slot, placement.table) not in tables
        tables.add((placement.slot, placement.table))
        assert placement.table >= 1
        if instance.tables is not None:
            assert placement.table <= instance.tables
    for p, n in count.items():
        limit = instance.cap(p)
        assert limit is None or n <= limit
    assert set(result.placements) | set(result.unplaced) == set(by_id)
    assert not set(result.placements) & set(result.unplaced)
    assert result.placed_count == len(result.placements)
    assert result.placed_weight == sum(by_id[r].weight for r in result.placements)
    assert result.placed_weight <= result.upper_bound


def brute_force(instance: Instance) -> int:
    """The best weight over every assignment of each request to a slot or to nothing."""
    slots = [s.id for s in instance.slots]
    best = 0
    options = [
        [None]
        + [s for s in slots if s in instance.availability[r.a] and s in instance.availability[r.b]]
        for r in instance.requests
    ]
    for choice in itertools.product(*options):
        seen, per_slot, weight, count = set(), {}, 0, {}
        ok = True
        for request, slot in zip(instance.requests, choice, strict=True):
            if slot is None:
                continue
            for p in (request.a, request.b):
                if (p, slot) in seen:
                    ok = False
                seen.add((p, slot))
                count[p] = count.get(p, 0) + 1
            per_slot[slot] = per_slot.get(slot, 0) + 1
            weight += request.weight
        if not ok:
            continue
        if instance.tables is not None and any(n > instance.tables for n in per_slot.values()):
            continue
        if any(instance.cap(p) is not None and n > instance.cap(p) for p, n in count.items()):
            continue
        best = max(best, weight)
    return best


def random_small(seed: int) -> Instance:
    rng = random.Random(seed)
    slots = [f"s{i}" for i in range(rng.randint(2, 3))]
    people = [f"p{i}" for i in range(rng.randint(3, 5))]
    availability = {p: rng.sample(slots, rng.randint(1, len(slots))) for p in people}
    candidates = list(itertools.combinations(people, 2))
    pairs = rng.sample(candidates, min(len(candidates), rng.randint(3, 6)))
    requests = [Request(str(i), a, b, rng.choice((1, 1, 2, 3))) for i, (a, b) in enumerate(pairs)]
    return Instance(
        slots=slots,
        availability=availability,
        requests=requests,
        tables=rng.choice((1, 2, None)),
        max_meetings=rng.choice((None, 2)),
    )


@pytest.mark.parametrize("seed", range(40))
def test_exact_mode_finds_the_brute_force_optimum(seed):
    instance = random_small(seed)
    optimum = brute_force(instance)
    exact = schedule(instance, mode="exact", time_limit=10)
    assert_valid(instance, exact)
    assert exact.placed_weight == optimum
    assert exact.optimal and exact.upper_bound == optimum
    for mode in ("fast", "naive"):
        other = schedule(instance, mode=mode)
        assert_valid(instance, other)
        assert other.placed_weight <= optimum <= other.upper_bound


def test_fast_mode_beats_the_naive_baseline_on_a_realistic_event():
    instance = synthetic_instance(400, sessions=(8, 8), per_participant=12, seed=3)
    fast = schedule(instance, mode="fast")
    naive = schedule(instance, mode="naive")
    assert_valid(instance, fast)
    assert_valid(instance, naive)
    assert fast.upper_bound == naive.upper_bound
    assert fast.placed_weight > naive.placed_weight
    assert fast.ratio >= 0.99


def test_exact_mode_closes_the_gap_that_the_fast_mode_leaves():
    # Tight tables: the fast mode stops short of the bound here, CP-SAT proves the optimum.
    instance = synthetic_instance(60, sessions=(6,), per_participant=8, attend=1, tables=10, seed=5)
    fast = schedule(instance, mode="fast")
    exact = schedule(instance, mode="exact", time_limit=20)
    assert_valid(instance, fast)
    assert_valid(instance, exact)
    assert fast.placed_weight < exact.placed_weight
    assert exact.optimal and exact.placed_weight == exact.upper_bound
    assert fast.placed_weight <= exact.upper_bound <= fast.upper_bound


def test_unplaced_meetings_say_why():
    instance = Instance(
        slots=["s1", "s2"],
        availability={"hub": ["s1", "s2"], "a": ["s1", "s2"], "b": ["s1", "s2"], "c": ["s1"],
                      "late": ["s2"]},
        requests=[Request("1", "hub", "a"), Request("2", "hub", "b"), Request("3", "hub", "c"),
                  Request("4", "c", "late")],
        names={"hub": "Hub GmbH"},
    )  # fmt: skip
    result = schedule(instance, mode="exact")
    assert result.placed_count == 2
    assert "no available time in common" in result.unplaced["4"]
    (rid,) = set(result.unplaced) - {"4"}
    assert "Hub GmbH" in result.unplaced[rid]


def locked_instance(**changes) -> Instance:
    base = dict(
        slots=["s1", "s2"],
        availability={"a": ["s1", "s2"], "b": ["s1", "s2"], "c": ["s1"]},
        requests=[Request("ab", "a", "b"), Request("ac", "a", "c", weight=3)],
        tables=2,
        locked={"ab": Placement("s1", 2)},
    )
    base.update(changes)
    return Instance(**base)


def test_rerun_keeps_announced_meetings_where_they_are():
    instance = locked_instance()
    kept = schedule(instance, mode="exact")
    assert_valid(instance, kept)
    assert kept.placements["ab"] == Placement("s1", 2)
    # c can only meet at s1, where a's announced meeting stays: not placed.
    assert "ac" in kept.unplaced
    assert kept.upper_bound == kept.placed_weight == 1


def test_rerun_may_move_announced_meetings_when_allowed():
    instance = locked_instance()
    moved = schedule(instance, mode="exact", allow_moving_locked=True)
    assert_valid(instance, moved)
    assert moved.placements["ab"].slot == "s2"
    assert moved.placements["ac"].slot == "s1"
    assert moved.placed_weight == 4
    # Moving is only done when it gains something: otherwise the meeting stays put.
    calm = schedule(locked_instance(requests=[Request("ab", "a", "b")]), allow_moving_locked=True)
    assert calm.placements["ab"] == Placement("s1", 2)


def test_announced_meeting_that_became_impossible_is_released_with_a_reason():
    instance = locked_instance(
        availability={"a": ["s1", "s2"], "b": ["s2"], "c": ["s1"]}
    )  # b is no longer there at s1
    result = schedule(instance, mode="fast")
    assert_valid(instance, result)
    assert result.placements["ab"].slot == "s2"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"requests": [Request("1", "a", "a")]}, "with themselves"),
        ({"requests": [Request("1", "a", "zed")]}, "'zed', who is not registered"),
        ({"availability": {"a": ["s1"], "b": []}}, "'b' has no available slot"),
        ({"availability": {"a": ["s1"], "b": ["s9"]}}, "'s9', which does not exist"),
        ({"requests": [Request("1", "a", "b"), Request("1", "b", "a")]}, "listed twice"),
        ({"tables": 0}, "at least 1"),
    ],
)
def test_impossible_input_is_refused_clearly(changes, message):
    base = dict(slots=["s1"], availability={"a": ["s1"], "b": ["s1"]}, requests=[])
    base.update(changes)
    with pytest.raises(ScheduleInputError, match=message):
        schedule(Instance(**base))


def test_overlapping_sessions_are_refused():
    nine = dt.datetime(2026, 3, 10, 9, 0)
    slots = [
        Slot("m1", nine, nine + dt.timedelta(minutes=30), "morning"),
        Slot("x1", nine + dt.timedelta(minutes=15), nine + dt.timedelta(minutes=45), "extra"),
    ]
    instance = Instance(slots=slots, availability={"a": ["m1"], "b": ["x1"]}, requests=[])
    with pytest.raises(ScheduleInputError, match="overlap.*'morning' and 'extra'"):
        schedule(instance)


def test_instance_file_round_trip_and_errors(tmp_path):
    path = tmp_path / "event.json"
    path.write_text(
        json.dumps(
            {
                "tables": 1,
                "slots": [
                    {"id": "s1", "start": "2026-03-10T09:00", "end": "2026-03-10T09:20"},
                    "s2",
                ],
                "participants": {"a": ["s1", "s2"], "b": ["s1", "s2"], "c": ["s2"]},
                "requests": [
                    {"id": "1", "a": "a", "b": "b"},
                    {"id": "2", "a": "b", "b": "c", "weight": 2},
                ],
            }
        )
    )
    instance = load_instance(path)
    result = schedule(instance, mode="exact")
    assert result.placed_weight == 3
    assert result.placements["2"].slot == "s2"
    bad = tmp_path / "bad.json"
    bad.write_text('{"slots": [], "participants": {}}')
    with pytest.raises(ScheduleInputError, match="bad.json.*'requests' is missing"):
        load_instance(bad)
    bad.write_text("{not json")
    with pytest.raises(ScheduleInputError, match="bad.json: not valid JSON"):
        load_instance(bad)


def test_schedule_command_prints_the_bound_and_writes_the_schedule(tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "event.json"
    path.write_text(
        json.dumps(
            {
                "tables": 1,
                "slots": ["s1", "s2"],
                "participants": {"a": ["s1", "s2"], "b": ["s1"], "c": ["s1"]},
                "requests": [{"id": "ab", "a": "a", "b": "b"}, {"id": "ac", "a": "a", "b": "c"}],
            }
        )
    )
    out, output = io.StringIO(), tmp_path / "schedule.json"
    call_command("schedule", str(path), "--mode", "exact", "--output", str(output), stdout=out)
    assert "placed 1 meetings, weight 1 of at most 1" in out.getvalue()
    written = json.loads(output.read_text())
    assert len(written["placements"]) == 1 and len(written["unplaced"]) == 1
    path.write_text('{"slots": ["s1"], "participants": {"a": ["s1"]}, "requests": '
                    '[{"id": "1", "a": "a", "b": "a"}]}')  # fmt: skip
    with pytest.raises(CommandError, match="with themselves"):
        call_command("schedule", str(path))
