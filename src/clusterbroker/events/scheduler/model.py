"""The scheduler's input and output: plain data, no database, no web.

An instance is a list of time slots, the participants' availability (which slots
each can meet in), the accepted requests (two participants and a weight) and the
number of tables per slot. A schedule puts each placed request in one slot at one
table.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

# Largest values the scheduler accepts: beyond them the solvers' integer and floating-point
# arithmetic would overflow, and no real event comes near.
MAX_WEIGHT = 1_000_000
MAX_TABLES = 100_000


class ScheduleInputError(ValueError):
    """The instance cannot be scheduled as given; the message says what to fix.

    `path` names the place in the instance (as in its JSON file: `requests[2].weight`,
    `locked["12"]`), when the error is about one place; `str(error)` is the message alone.
    """

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.path = path


@dataclass(frozen=True)
class Slot:
    """A meeting slot; `start`/`end` are optional but checked for overlaps when given."""

    id: str
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    session: str = ""


@dataclass(frozen=True)
class Request:
    """An accepted meeting request between participants `a` and `b`.

    `slots` is the request's time window: the slot ids it may be placed in (for example the
    morning's), or None for any slot both participants attend.
    """

    id: str
    a: str
    b: str
    weight: int = 1
    slots: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.slots is not None and not isinstance(self.slots, tuple):
            object.__setattr__(self, "slots", tuple(self.slots))


@dataclass(frozen=True)
class Placement:
    slot: str
    table: int


@dataclass
class Instance:
    """Everything the scheduler needs.

    `availability` maps each participant to the slots they can meet in;
    `tables` is the number of tables per slot (None: unlimited, for online events);
    `max_meetings` caps one participant's meetings (a number for everybody or per
    participant); `locked` holds announced placements that a re-run keeps.
    """

    slots: list[Slot | str]
    availability: dict[str, list[str]]
    requests: list[Request]
    tables: int | None = None
    max_meetings: int | dict[str, int] | None = None
    locked: dict[str, Placement] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.slots = [s if isinstance(s, Slot) else Slot(str(s)) for s in self.slots]

    def cap(self, participant: str) -> int | None:
        if isinstance(self.max_meetings, dict):
            return self.max_meetings.get(participant)
        return self.max_meetings


@dataclass
class Result:
    """A schedule and how good it is.

    `upper_bound` is a proven bound on the weight any valid schedule could place,
    so `placed_weight / upper_bound` is a guaranteed quality ratio. `breaks` counts the
    breaks (idle periods between two meetings of a day) of each participant with a
    meeting; `breaks_bound` is a proven lower bound on the total breaks of any schedule
    placing `placed_weight` (when the exact mode computed one), `breaks_optimal` says the
    total is that minimum. `fairness_met` is None unless a fairness limit was asked.
    """

    mode: str
    placements: dict[str, Placement]
    unplaced: dict[str, str]
    placed_count: int
    placed_weight: int
    upper_bound: int
    total_weight: int
    seconds: float = 0.0  # the whole run, the bound included
    bound_seconds: float = 0.0  # of which computing the relaxation's bound
    optimal: bool = False
    breaks: dict[str, int] = field(default_factory=dict)
    breaks_bound: int | None = None
    breaks_optimal: bool = False
    fairness_met: bool | None = None

    @property
    def total_breaks(self) -> int:
        return sum(self.breaks.values())

    @property
    def ratio(self) -> float:
        return self.placed_weight / self.upper_bound if self.upper_bound else 1.0


def json_path(parent: str, key: str | int) -> str:
    """The place `key` under `parent` as a JSON path: `requests[2]`, `participants["acme"]`."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}[{json.dumps(key, ensure_ascii=False)}]"
