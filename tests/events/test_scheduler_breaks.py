"""Compact agendas: breaks counted right, never bought with weight, the minimum reached and
proven on small events, the fairness limit, and the command line's output."""

import datetime as dt
import io
import json
import random

import pytest
from django.core.management import CommandError, call_command

from clusterbroker.events.scheduler import Instance, Request, Slot, schedule
from clusterbroker.events.scheduler.breaks import breaks_per_participant, mask_breaks
from clusterbroker.events.scheduler.synthetic import synthetic_instance

from .test_scheduler import assert_valid, random_small

EVERYONE = ["s1", "s2", "s3", "s4", "s5"]


def people(*names: str, slots=EVERYONE) -> dict[str, list[str]]:
    return {name: list(slots) for name in names}


def test_breaks_are_idle_periods_within_a_day():
    order = ["d1a", "d1b", "d1c", "d1d", "d2a", "d2b"]
    day = {"d1a": "1", "d1b": "1", "d1c": "1", "d1d": "1", "d2a": "2", "d2b": "2"}
    meetings = [
        ("ann", "bob", "d1a"),
        ("ann", "cat", "d1d"),  # ann: idle in d1b and d1c, one break however long
        ("ann", "dan", "d2b"),  # the night is no break
        ("bob", "cat", "d1b"),  # bob: d1a, d1b back to back
        ("cat", "dan", "d2a"),  # cat: d1b, d1d (a break), d2a
    ]
    assert breaks_per_participant(order, day, meetings) == {
        "ann": 1, "bob": 0, "cat": 1, "dan": 0,
    }  # fmt: skip


def test_the_bitmask_count_agrees_with_the_definition():
    rng = random.Random(7)
    order = [f"s{i}" for i in range(12)]
    day = {s: "1" if i < 7 else "2" for i, s in enumerate(order)}
    days = [0b1111111, 0b11111 << 7]
    for _ in range(300):
        busy = rng.getrandbits(12)
        meetings = [("p", f"q{i}", order[i]) for i in range(12) if busy >> i & 1]
        expected = breaks_per_participant(order, day, meetings).get("p", 0)
        assert mask_breaks(busy, days) == expected


def test_the_result_counts_breaks_per_participant_and_day():
    nine = dt.datetime(2026, 3, 10, 9)
    slots = [
        Slot(f"d{d}-{i}", nine + dt.timedelta(days=d, minutes=30 * i),
             nine + dt.timedelta(days=d, minutes=30 * i + 20))
        for d in (0, 1) for i in range(3)
    ]  # fmt: skip
    instance = Instance(
        slots=slots,
        availability={"a": ["d0-0", "d0-2", "d1-0"], "b": ["d0-0"], "c": ["d0-2", "d1-0"]},
        requests=[Request("ab", "a", "b"), Request("ac", "a", "c")],
    )
    result = schedule(instance, mode="exact")
    assert result.placements["ab"].slot == "d0-0"
    # ac goes to d1-0 (the next day: no break for a) rather than d0-2 (a break).
    assert result.placements["ac"].slot == "d1-0"
    assert result.breaks == {"a": 0, "b": 0, "c": 0}
    assert result.total_breaks == 0 and result.breaks_optimal


def window_instance() -> Instance:
    # The naive baseline puts ac first into s1, then ab (morning window s1/s3) into s3:
    # a break for a. Compact: ab in s1, ac in s2.
    return Instance(
        slots=["s1", "s2", "s3"],
        availability=people("a", "b", "c", slots=["s1", "s2", "s3"]),
        requests=[Request("ac", "a", "c"), Request("ab", "a", "b", slots=("s1", "s3"))],
    )


def test_exact_compact_mode_reaches_zero_where_the_baseline_leaves_a_break():
    instance = window_instance()
    baseline = schedule(instance, mode="naive")
    assert baseline.breaks["a"] == 1
    result = schedule(instance, mode="exact")
    assert_valid(instance, result)
    assert result.placed_weight == baseline.placed_weight == 2
    assert result.total_breaks == 0
    assert result.breaks_optimal and result.breaks_bound == 0


def triangle(slots=EVERYONE) -> Instance:
    # Three meetings pairwise sharing a participant: three different slots, and whoever
    # has the first and the last of them has a gap. The fewest breaks is 1.
    return Instance(
        slots=list(slots),
        availability=people("a", "b", "c", slots=slots),
        requests=[Request("ab", "a", "b"), Request("bc", "b", "c"), Request("ac", "a", "c")],
    )


def test_exact_compact_mode_proves_the_minimum_of_one_break():
    result = schedule(triangle(), mode="exact", time_limit=10)
    assert result.placed_count == 3
    assert result.total_breaks == 1
    assert result.breaks_bound == 1 and result.breaks_optimal


def test_a_fairness_limit_spreads_the_breaks():
    result = schedule(triangle(), mode="exact", fairness=0, time_limit=10)
    assert result.placed_count == 3
    assert result.fairness_met
    assert set(result.breaks.values()) == {1}  # everyone one break rather than one person
    unmet = schedule(triangle(["s1", "s2", "s3"]), mode="exact", fairness=0, time_limit=10)
    # With three slots nobody can take a second break: the limit cannot hold, the fewest
    # breaks are given and the result says so.
    assert unmet.placed_count == 3 and unmet.total_breaks == 1
    assert unmet.fairness_met is False


@pytest.mark.parametrize("seed", range(12))
def test_compacting_never_costs_weight(seed):
    instance = random_small(seed)
    for mode in ("exact", "fast"):
        plain = schedule(instance, mode=mode, compact=False)
        compact = schedule(instance, mode=mode, time_limit=5)
        assert_valid(instance, compact)
        assert compact.placed_weight >= plain.placed_weight
        assert compact.total_breaks <= plain.total_breaks or compact.placed_weight > (
            plain.placed_weight
        )


def test_fast_mode_compacts_a_realistic_event_repeatably():
    instance = synthetic_instance(24, sessions=(5, 5), per_participant=3, seed=2)
    plain = schedule(instance, mode="fast", compact=False)
    first = schedule(instance, mode="fast", seed=3)
    again = schedule(instance, mode="fast", seed=3)
    assert_valid(instance, first)
    assert first.placed_weight == plain.placed_weight
    assert first.total_breaks < plain.total_breaks
    assert first.placements == again.placements


def test_announced_meetings_stay_while_the_others_are_compacted():
    instance = window_instance()
    instance.locked = {"ac": schedule(instance, mode="naive").placements["ac"]}
    result = schedule(instance, mode="exact")
    assert result.placements["ac"] == instance.locked["ac"]
    assert result.placements["ab"].slot == "s3"  # the only place left in ab's window


def run(tmp_path, *args) -> tuple[str, dict]:
    path, output = tmp_path / "event.json", tmp_path / "schedule.json"
    path.write_text(
        json.dumps(
            {
                "tables": None,
                "slots": EVERYONE,
                "participants": people("a", "b", "c"),
                "requests": [
                    {"id": "ab", "a": "a", "b": "b"},
                    {"id": "bc", "a": "b", "b": "c"},
                    {"id": "ac", "a": "a", "b": "c"},
                ],
            }
        )
    )
    out = io.StringIO()
    call_command("schedule", str(path), "--output", str(output), *args, stdout=out)
    return out.getvalue(), json.loads(output.read_text())


def test_the_command_prints_the_breaks_and_writes_them(tmp_path):
    out, written = run(tmp_path, "--mode", "exact")
    assert "Breaks: 1 in all, at most 1 for one participant (the fewest possible" in out
    assert written["breaks"]["total"] == 1
    assert written["breaks"]["optimal"] is True
    assert sorted(written["breaks"]["per_participant"].values()) == [0, 0, 1]
    _out, fair = run(tmp_path, "--mode", "exact", "--fairness", "0")
    assert fair["breaks"]["per_participant"] == {"a": 1, "b": 1, "c": 1}


def test_the_command_can_leave_agendas_as_placed(tmp_path):
    out, written = run(tmp_path, "--mode", "naive", "--no-compact")
    # first come, first served: ab s1, bc s2, ac s3: a has s1 and s3
    assert written["breaks"]["per_participant"] == {"a": 1, "b": 0, "c": 0}
    assert "Breaks: 1 in all" in out


def test_a_negative_fairness_is_refused(tmp_path):
    with pytest.raises(CommandError, match="--fairness"):
        run(tmp_path, "--fairness", "-1")
