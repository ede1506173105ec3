"""The JSON instance format of `clusterbroker schedule INSTANCE.json`.

{
  "tables": 20,                       # or null for unlimited (online)
  "max_meetings": 12,                 # optional; a number or {"participant": n}
  "slots": [{"id": "d1-0900", "start": "2026-03-10T09:00", "end": "2026-03-10T09:20",
             "session": "morning"}, "d1-0925", ...],
  "participants": {"acme": ["d1-0900", "d1-0925"], ...},   # availability
  "names": {"acme": "ACME Robotics"},  # optional, for the reasons
  "requests": [{"id": "1", "a": "acme", "b": "fab", "weight": 2}, ...],
  "locked": {"1": {"slot": "d1-0900", "table": 3}}          # optional
}
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from .model import Instance, Placement, Request, Result, ScheduleInputError, Slot
from .solve import schedule


def _time(value: Any, where: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError as error:
        raise ScheduleInputError(f"{where}: {value!r} is not an ISO date and time") from error


def instance_from_dict(data: Any, source: str = "instance") -> Instance:
    """Build an instance from parsed JSON; errors name the source and the field."""
    if not isinstance(data, dict):
        raise ScheduleInputError(f"{source}: the file must hold a JSON object")
    for key in ("slots", "participants", "requests"):
        if key not in data:
            raise ScheduleInputError(f"{source}: the field {key!r} is missing")
    try:
        slots = [
            Slot(str(s))
            if not isinstance(s, dict)
            else Slot(
                str(s["id"]),
                _time(s.get("start"), f"{source}: slots[{i}].start"),
                _time(s.get("end"), f"{source}: slots[{i}].end"),
                str(s.get("session", "")),
            )
            for i, s in enumerate(data["slots"])
        ]
        availability = {str(p): [str(s) for s in v] for p, v in data["participants"].items()}
        requests = []
        for i, r in enumerate(data["requests"]):
            try:
                requests.append(
                    Request(str(r["id"]), str(r["a"]), str(r["b"]), int(r.get("weight", 1)))
                )
            except (KeyError, TypeError, ValueError) as error:
                raise ScheduleInputError(
                    f"{source}: requests[{i}] needs an id, a, b and an integer weight"
                ) from error
        locked = {
            str(rid): Placement(str(p["slot"]), int(p["table"]))
            for rid, p in (data.get("locked") or {}).items()
        }
        max_meetings = data.get("max_meetings")
        if isinstance(max_meetings, dict):
            max_meetings = {str(k): int(v) for k, v in max_meetings.items()}
        elif max_meetings is not None:
            max_meetings = int(max_meetings)
        tables = data.get("tables")
        return Instance(
            slots=slots,
            availability=availability,
            requests=requests,
            tables=None if tables is None else int(tables),
            max_meetings=max_meetings,
            locked=locked,
            names={str(k): str(v) for k, v in (data.get("names") or {}).items()},
        )
    except ScheduleInputError:
        raise
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise ScheduleInputError(f"{source}: malformed instance ({error})") from error


def load_instance(path: str | Path) -> Instance:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ScheduleInputError(f"{path}: cannot be read ({error.strerror})") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ScheduleInputError(f"{path}: not valid JSON ({error})") from error
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
    }


def run_file(path: str | Path, mode: str = "auto", **options: Any) -> Result:
    return schedule(load_instance(path), mode=mode, **options)
