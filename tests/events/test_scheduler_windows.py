"""Time windows of requests: a request asked for the morning is placed in the morning, in
every mode, compact or not; the bound and the reasons know it; files and locks are checked."""

import copy
import io
import json
import random

import pytest
from django.core.management import CommandError, call_command

from clusterbroker.events.scheduler import (
    Instance,
    Placement,
    Request,
    ScheduleInputError,
    schedule,
)
from clusterbroker.events.scheduler.synthetic import synthetic_instance
from clusterbroker.events.scheduler.synthetic_forum import forum_instance

from .test_scheduler import assert_valid


def windowed(instance: Instance, seed: int) -> Instance:
    """The instance with a window on most requests: the first or the second session."""
    rng = random.Random(seed)
    ids = [s.id for s in instance.slots]
    halves = (tuple(ids[: len(ids) // 2]), tuple(ids[len(ids) // 2 :]))
    requests = [
        Request(r.id, r.a, r.b, r.weight, rng.choice((None, *halves))) for r in instance.requests
    ]
    return Instance(instance.slots, instance.availability, requests, instance.tables)


def assert_in_windows(instance: Instance, result) -> None:
    windows = {r.id: r.slots for r in instance.requests}
    for rid, placement in result.placements.items():
        assert windows[rid] is None or placement.slot in windows[rid], rid


@pytest.mark.parametrize(
    ("mode", "compact"),
    [("exact", True), ("exact", False), ("fast", True), ("fast", False), ("naive", True)],
)
def test_every_mode_places_requests_inside_their_window(mode, compact):
    instance = windowed(synthetic_instance(40, sessions=(5, 5), per_participant=5, seed=4), 4)
    assert any(r.slots for r in instance.requests)
    result = schedule(instance, mode=mode, compact=compact, time_limit=4)
    assert_valid(instance, result)
    assert_in_windows(instance, result)
    # Without windows more fits: the windows are a real restriction of these requests.
    free = Instance(instance.slots, instance.availability, [
        Request(r.id, r.a, r.b, r.weight) for r in instance.requests
    ], instance.tables)  # fmt: skip
    assert schedule(free, mode=mode, compact=False, time_limit=4).upper_bound >= result.upper_bound


def test_a_forum_is_placed_whole_inside_the_windows_with_fewer_breaks():
    instance = forum_instance(2)
    baseline = schedule(instance, mode="fast", compact=False)
    compact = schedule(instance, mode="fast", time_limit=4)
    for result in (baseline, compact):
        assert_valid(instance, result)
        assert_in_windows(instance, result)
    assert compact.placed_weight == baseline.placed_weight == compact.total_weight
    assert compact.total_breaks < baseline.total_breaks / 2


def two_sessions(**changes) -> Instance:
    base = dict(
        slots=["m1", "m2", "a1", "a2"],
        availability={"x": ["m1", "m2", "a1", "a2"], "y": ["m1", "m2", "a1", "a2"]},
        requests=[Request("xy", "x", "y", slots=("a1", "a2"))],
    )
    base.update(changes)
    return Instance(**base)


def test_the_bound_and_the_reason_know_the_window():
    instance = two_sessions(
        availability={"x": ["m1", "m2", "a1"], "y": ["m1", "m2", "a1"], "z": ["a1"]},
        requests=[
            Request("xz", "x", "z", weight=3),
            Request("xy", "x", "y", slots=("a1", "a2")),
            Request("yz", "y", "z", slots=("m1",)),
        ],
    )
    for mode in ("exact", "fast", "naive"):
        result = schedule(instance, mode=mode)
        assert result.placements["xz"].slot == "a1"
        assert result.upper_bound == 3
        assert "within the meeting's time window" in result.unplaced["yz"]
        assert "outside the meeting's time window both would be free" in result.unplaced["xy"]


def test_a_window_given_as_a_list_is_kept_as_a_tuple():
    assert Request("1", "a", "b", slots=["m1"]).slots == ("m1",)


def test_an_unknown_slot_in_a_window_is_refused_naming_the_place():
    instance = two_sessions(requests=[Request("xy", "x", "y", slots=("a1", "pm9"))])
    with pytest.raises(ScheduleInputError, match="'pm9', which does not exist") as caught:
        schedule(instance)
    assert caught.value.path == "requests[0].slots[1]"


def test_an_announced_meeting_outside_its_window_is_released_or_refused():
    instance = two_sessions(locked={"xy": Placement("m1", 1)})
    released = schedule(instance, mode="exact")
    assert released.placements["xy"].slot in ("a1", "a2")
    with pytest.raises(ScheduleInputError, match="outside the time window of its request"):
        schedule(instance, strict_locked=True)


GOOD = {
    "tables": 2,
    "slots": ["m1", "m2", "a1", "a2"],
    "participants": {"x": ["m1", "m2", "a1", "a2"], "y": ["m1", "m2", "a1", "a2"]},
    "requests": [{"id": "xy", "a": "x", "b": "y", "slots": ["a2"]}],
}


def run(tmp_path, data, *args):
    path = tmp_path / "event.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = io.StringIO()
    call_command("schedule", str(path), *args, stdout=out)
    return out.getvalue()


def test_the_instance_file_takes_a_window_per_request(tmp_path):
    output = tmp_path / "schedule.json"
    run(tmp_path, GOOD, "--output", str(output))
    assert json.loads(output.read_text())["placements"]["xy"]["slot"] == "a2"


@pytest.mark.parametrize(
    ("slots", "message"),
    [
        ("a2", 'requests[0].slots: must be a list, not "a2"'),
        ([True], "requests[0].slots[0]: must be a text or a whole number, not true"),
        (["a2", "pm9"], "requests[0].slots[1]: The time window of the request lists slot "
                        "'pm9', which does not exist."),
    ],
)  # fmt: skip
def test_a_bad_window_in_a_file_is_refused_naming_the_place(tmp_path, slots, message):
    data = copy.deepcopy(GOOD)
    data["requests"][0]["slots"] = slots
    with pytest.raises(CommandError) as caught:
        run(tmp_path, data)
    assert str(caught.value).endswith(f"/event.json: {message}")


def test_a_locked_meeting_outside_its_window_in_a_file_is_an_error(tmp_path):
    data = copy.deepcopy(GOOD)
    data["locked"] = {"xy": {"slot": "m1", "table": 1}}
    with pytest.raises(CommandError, match=r'locked\["xy"\].*outside the time window'):
        run(tmp_path, data)
