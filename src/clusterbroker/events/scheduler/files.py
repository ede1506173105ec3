"""The JSON instance format of `clusterbroker schedule INSTANCE.json`.

{
  "tables": 20,                       # or null for unlimited (online)
  "max_meetings": 12,                 # optional; a number or {"participant": n}
  "slots": [{"id": "d1-0900", "start": "2026-03-10T09:00", "end": "2026-03-10T09:20",
             "session": "morning"}, "d1-0925", ...],
  "participants": {"acme": ["d1-0900", "d1-0925"], ...},   # availability
  "names": {"acme": "ACME Robotics"},  # optional, for the reasons
  "requests": [{"id": "1", "a": "acme", "b": "fab", "weight": 2,
                "slots": ["d1-0900", "d1-0925"]}, ...],    # slots: optional time window
  "locked": {"1": {"slot": "d1-0900", "table": 3}}          # optional
}

Every error names the file, the place in it (a JSON path such as `requests[2].weight`)
and the reason.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

from .model import Instance, Placement, Request, Result, ScheduleInputError, Slot, json_path
from .solve import schedule


class _Reader:
    """Reads the parsed JSON of one file; every refusal names the file and the place."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, reason: str) -> ScheduleInputError:
        where = f"{self.source}: {path}" if path else self.source
        return ScheduleInputError(f"{where}: {reason}", path)

    def object(self, value: Any, path: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(path, f"must be a JSON object, not {_describe(value)}")
        return value

    def list(self, value: Any, path: str) -> list:
        if not isinstance(value, list):
            raise self.fail(path, f"must be a list, not {_describe(value)}")
        return value

    def id(self, value: Any, path: str) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.fail(path, f"must be a text or a whole number, not {_describe(value)}")
        return str(value)

    def text(self, value: Any, path: str) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(path, f"must be a text, not {_describe(value)}")
        return str(value)

    def integer(self, value: Any, path: str) -> int:
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(path, f"{_describe(value)} is not a finite number")
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(path, f"must be a whole number, not {_describe(value)}")
        return value

    def time(self, value: Any, path: str) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            try:
                return dt.datetime.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail(
            path, f"{_describe(value)} is not an ISO date and time (like 2026-03-10T09:00)"
        )


class _Number(float):
    """A JSON number as read; keeps its text, so that `1e400` is named as written."""

    text: str

    @classmethod
    def parse(cls, text: str) -> float:
        number = cls(text)
        number.text = text
        return number


def _describe(value: Any) -> str:
    """A short, safe rendering of a JSON value for a message."""
    if isinstance(value, _Number) and len(value.text) <= 60:
        return value.text
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, float) and not math.isfinite(value):
        return "Infinity" if value > 0 else "-Infinity" if value < 0 else "NaN"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        return f"a number of {len(str(abs(value)))} digits"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _slot(read: _Reader, value: Any, path: str) -> Slot:
    if not isinstance(value, dict):
        return Slot(read.id(value, path))
    if "id" not in value:
        raise read.fail(path, "the field 'id' is missing")
    start = read.time(value.get("start"), f"{path}.start")
    end = read.time(value.get("end"), f"{path}.end")
    if (start is None) != (end is None):
        raise read.fail(path, "give both 'start' and 'end', or neither")
    session = value.get("session")
    return Slot(
        read.id(value["id"], f"{path}.id"),
        start,
        end,
        "" if session is None else read.text(session, f"{path}.session"),
    )


def _request(read: _Reader, value: Any, path: str) -> Request:
    read.object(value, path)
    for key in ("id", "a", "b"):
        if key not in value:
            raise read.fail(path, f"the field {key!r} is missing")
    window = value.get("slots")
    if window is not None:
        window = tuple(
            read.id(s, json_path(f"{path}.slots", k))
            for k, s in enumerate(read.list(window, f"{path}.slots"))
        )
    return Request(
        read.id(value["id"], f"{path}.id"),
        read.id(value["a"], f"{path}.a"),
        read.id(value["b"], f"{path}.b"),
        read.integer(value.get("weight", 1), f"{path}.weight"),
        window,
    )


def _placement(read: _Reader, value: Any, path: str) -> Placement:
    read.object(value, path)
    for key in ("slot", "table"):
        if key not in value:
            raise read.fail(path, f"the field {key!r} is missing")
    return Placement(
        read.id(value["slot"], f"{path}.slot"), read.integer(value["table"], f"{path}.table")
    )


def _max_meetings(read: _Reader, value: Any) -> int | dict[str, int] | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return {
            str(k): read.integer(v, json_path("max_meetings", str(k))) for k, v in value.items()
        }
    return read.integer(value, "max_meetings")


def instance_from_dict(data: Any, source: str = "instance") -> Instance:
    """Build an instance from parsed JSON; errors name the source, the place and the reason."""
    read = _Reader(source)
    if not isinstance(data, dict):
        raise read.fail("", "the file must hold a JSON object")
    for key in ("slots", "participants", "requests"):
        if key not in data:
            raise read.fail("", f"the field {key!r} is missing")
    slots = [
        _slot(read, s, json_path("slots", i))
        for i, s in enumerate(read.list(data["slots"], "slots"))
    ]
    availability = {}
    for pid, available in read.object(data["participants"], "participants").items():
        where = json_path("participants", str(pid))
        availability[str(pid)] = [
            read.id(s, json_path(where, k)) for k, s in enumerate(read.list(available, where))
        ]
    requests = [
        _request(read, r, json_path("requests", i))
        for i, r in enumerate(read.list(data["requests"], "requests"))
    ]
    locked = {
        str(rid): _placement(read, p, json_path("locked", str(rid)))
        for rid, p in read.object(data.get("locked") or {}, "locked").items()
    }
    names = {
        str(k): read.text(v, json_path("names", str(k)))
        for k, v in read.object(data.get("names") or {}, "names").items()
    }
    tables = data.get("tables")
    return Instance(
        slots=slots,
        availability=availability,
        requests=requests,
        tables=None if tables is None else read.integer(tables, "tables"),
        max_meetings=_max_meetings(read, data.get("max_meetings")),
        locked=locked,
        names=names,
    )


def load_instance(path: str | Path) -> Instance:
    """Read an instance file (UTF-8, with or without a byte-order mark)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ScheduleInputError(f"{path}: cannot be read ({error.strerror})") from error
    except UnicodeDecodeError as error:
        raise ScheduleInputError(
            f"{path}: not UTF-8 text (byte {error.start} cannot be decoded)"
        ) from error
    try:
        data = json.loads(text, parse_float=_Number.parse)
    except json.JSONDecodeError as error:
        raise ScheduleInputError(
            f"{path}: not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        ) from error
    except RecursionError as error:
        raise ScheduleInputError(
            f"{path}: not valid JSON for an instance (lists or objects nested too deeply)"
        ) from error
    except ValueError as error:  # an integer of more digits than Python converts
        raise ScheduleInputError(
            f"{path}: not valid JSON for an instance (a number has too many digits)"
        ) from error
    return instance_from_dict(data, str(path))


def dump_result(result: Result) -> dict[str, Any]:
    return {
        "mode": result.mode,
        "placed_count": result.placed_count,
        "placed_weight": result.placed_weight,
        "upper_bound": result.upper_bound,
        "ratio": round(result.ratio, 6),
        "optimal": result.optimal,
        "seconds": round(result.seconds, 3),
        "placements": {
            rid: {"slot": p.slot, "table": p.table} for rid, p in result.placements.items()
        },
        "unplaced": result.unplaced,
        "breaks": {
            "total": result.total_breaks,
            "bound": result.breaks_bound,
            "optimal": result.breaks_optimal,
            "per_participant": result.breaks,
        },
    }


def run_file(path: str | Path, mode: str = "auto", **options: Any) -> Result:
    """Schedule an instance file. Its locked placements must hold: one that cannot (unknown
    request, slot or table, a participant not available, two in one place) is an error."""
    instance = load_instance(path)
    try:
        return schedule(instance, mode=mode, strict_locked=True, **options)
    except ScheduleInputError as error:
        where = f"{path}: {error.path}" if error.path else str(path)
        raise ScheduleInputError(f"{where}: {error.message}", error.path) from error
