"""`clusterbroker schedule FILE.json` on odd files: every refusal names the file, the place in
it and the reason, exits non-zero without a traceback; a byte-order mark is accepted; a
locked meeting that cannot hold is an error, never moved silently."""

import copy
import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from clusterbroker.events.scheduler import ScheduleInputError, load_instance, run_file

GOOD = {
    "tables": 2,
    "slots": [
        {"id": "s1", "start": "2026-03-10T09:00", "end": "2026-03-10T09:20"},
        {"id": "s2", "start": "2026-03-10T09:25", "end": "2026-03-10T09:45"},
    ],
    "participants": {"a": ["s1", "s2"], "b": ["s1", "s2"], "c": ["s2"]},
    "requests": [{"id": "ab", "a": "a", "b": "b"}, {"id": "ac", "a": "a", "b": "c"}],
}


def instance_file(tmp_path, text: str | bytes, name: str = "event.json"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def changed(**changes) -> str:
    data = copy.deepcopy(GOOD)
    data.update(changes)
    return json.dumps(data)


def refusal(path) -> str:
    """The command's error for `path` (and no other exception)."""
    with pytest.raises(CommandError) as caught:
        call_command("schedule", str(path), stdout=io.StringIO())
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "place", "reason"),
    [
        (changed().replace('"b": "b"}', '"b": "b", "weight": Infinity}'), "requests[0].weight",
         "Infinity is not a finite number"),
        (changed().replace('"b": "b"}', '"b": "b", "weight": 1e400}'), "requests[0].weight",
         "1e400 is not a finite number"),
        (changed().replace('"b": "b"}', '"b": "b", "weight": NaN}'), "requests[0].weight",
         "NaN is not a finite number"),
        (changed().replace('"b": "b"}', '"b": "b", "weight": ' + "9" * 40 + "}"),
         "requests[0].weight", "weight too high"),
        (changed().replace('"b": "b"}', '"b": "b", "weight": 2.5}'), "requests[0].weight",
         "must be a whole number, not 2.5"),
        (changed().replace('"b": "b"}', '"b": "b", "weight": true}'), "requests[0].weight",
         "must be a whole number, not true"),
        (changed(tables=10**30), "tables", "at most 100,000"),
        (changed().replace('"tables": 2', '"tables": -Infinity'), "tables",
         "-Infinity is not a finite number"),
        (changed(max_meetings={"a": "three"}), 'max_meetings["a"]', "must be a whole number"),
        (changed(participants={"a": "s1"}), 'participants["a"]', "must be a list"),
        (changed(requests=[{"id": "x", "a": "a"}]), "requests[0]", "'b' is missing"),
        (changed(requests=[{"id": ["x"], "a": "a", "b": "b"}]), "requests[0].id",
         "must be a text or a whole number, not a list"),
        (changed(slots=[{"id": "s1", "start": "2026-03-10T09:00"}]), "slots[0]",
         "both 'start' and 'end'"),
        (changed(slots=[{"id": "s1", "start": "9 o'clock", "end": "2026-03-10T09:20"}]),
         "slots[0].start", "is not an ISO date and time"),
        (changed(slots=[
            {"id": "s1", "start": "2026-03-10T09:00", "end": "2026-03-10T09:20"},
            {"id": "s2", "start": "2026-03-10T09:25+01:00", "end": "2026-03-10T09:45+01:00"},
        ]), "slots[0]", "without a time zone while other times have one"),
        (changed(slots=[
            {"id": "s1", "start": "2026-03-10T09:00+00:00", "end": "2026-03-10T09:20"},
        ]), "slots[0]", "without a time zone while other times have one"),
        (changed(requests=[{"id": "aa", "a": "a", "b": "a"}]), "requests[0]", "with themselves"),
        (changed(requests=[{"id": "az", "a": "a", "b": "zed"}]), "requests[0].b",
         "'zed', who is not registered"),
        (changed(participants={"a": ["s1"], "b": ["s9"]}), 'participants["b"][0]',
         "'s9', which does not exist"),
    ],
)  # fmt: skip
def test_a_malformed_file_is_refused_naming_the_file_the_place_and_the_reason(
    tmp_path, text, place, reason
):
    path = instance_file(tmp_path, text)
    message = refusal(path)
    assert message.startswith(f"{path}: {place}: "), message
    assert reason in message


def test_json_nested_thousands_deep_is_refused_not_a_recursion_error(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    path = instance_file(tmp_path, changed(names=None).replace('"names": null', f'"names": {deep}'))
    assert "nested too deeply" in refusal(path)


def test_a_number_of_thousands_of_digits_is_refused(tmp_path):
    path = instance_file(tmp_path, changed().replace('"tables": 2', '"tables": ' + "9" * 5000))
    assert refusal(path) == f"{path}: not valid JSON for an instance (a number has too many digits)"


def test_a_file_with_a_byte_order_mark_is_read(tmp_path):
    path = instance_file(tmp_path, b"\xef\xbb\xbf" + json.dumps(GOOD).encode())
    assert len(load_instance(path).requests) == 2
    out = io.StringIO()
    call_command("schedule", str(path), stdout=out)
    assert "placed 2 meetings" in out.getvalue()


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = instance_file(tmp_path, json.dumps(GOOD).encode().replace(b'"a"', b'"\xe9"', 1))
    assert "not UTF-8 text" in refusal(path)


@pytest.mark.parametrize(
    ("locked", "place", "reason"),
    [
        ({"ab": {"slot": "s9", "table": 1}}, 'locked["ab"].slot', "'s9', which does not exist"),
        ({"ab": {"slot": "s1", "table": 3}}, 'locked["ab"].table', "numbered from 1 to 2"),
        ({"ab": {"slot": "s1", "table": 0}}, 'locked["ab"].table', "numbered from 1 to 2"),
        ({"zz": {"slot": "s1", "table": 1}}, 'locked["zz"]', "'zz' is not one of the requests"),
        ({"ac": {"slot": "s1", "table": 1}}, 'locked["ac"]', "not available in that slot"),
        (
            {"ab": {"slot": "s2", "table": 1}, "ac": {"slot": "s2", "table": 2}},
            'locked["ac"]',
            "has the announced meeting 'ab' in that slot",
        ),
        ({"ab": {"slot": "s1", "table": 1.5}}, 'locked["ab"].table', "must be a whole number"),
    ],
)
def test_an_invalid_locked_meeting_is_an_error_naming_it_not_moved(tmp_path, locked, place, reason):
    path = instance_file(tmp_path, changed(locked=locked))
    message = refusal(path)
    assert message.startswith(f"{path}: {place}: "), message
    assert reason in message
    with pytest.raises(ScheduleInputError, match="Announced meeting|whole number"):
        run_file(path, allow_moving_locked=True)  # allowing moves does not excuse a bad file


def test_two_locked_meetings_at_one_table_are_an_error(tmp_path):
    data = copy.deepcopy(GOOD)
    data["participants"]["d"] = ["s2"]
    data["requests"].append({"id": "cd", "a": "c", "b": "d"})
    data["locked"] = {"ab": {"slot": "s2", "table": 1}, "cd": {"slot": "s2", "table": 1}}
    message = refusal(instance_file(tmp_path, json.dumps(data)))
    assert "locked[\"cd\"]: Announced meeting 'cd'" in message
    assert "the announced meeting 'ab' has that table" in message


def test_valid_locked_meetings_stay_where_they_are(tmp_path):
    path = instance_file(tmp_path, changed(locked={"ab": {"slot": "s2", "table": 2}}))
    result = run_file(path, mode="exact")
    assert (result.placements["ab"].slot, result.placements["ab"].table) == ("s2", 2)


def test_a_time_limit_that_is_not_a_positive_number_is_refused(tmp_path):
    path = instance_file(tmp_path, json.dumps(GOOD))
    for value in ("nan", "inf", "0", "-1"):
        with pytest.raises(CommandError, match="--time-limit"):
            call_command("schedule", str(path), "--time-limit", value)


def test_an_output_that_cannot_be_written_is_refused(tmp_path):
    path = instance_file(tmp_path, json.dumps(GOOD))
    with pytest.raises(CommandError, match="missing/schedule.json: cannot be written"):
        call_command(
            "schedule", str(path), "--output", str(tmp_path / "missing" / "schedule.json"),
            stdout=io.StringIO(),
        )  # fmt: skip


def test_the_command_line_exits_non_zero_without_a_traceback(tmp_path):
    path = instance_file(tmp_path, changed().replace('"tables": 2', '"tables": 1e400'))
    done = subprocess.run(
        [sys.executable, "-m", "clusterbroker", "schedule", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert f"{path}: tables: 1e400 is not a finite number" in done.stderr
