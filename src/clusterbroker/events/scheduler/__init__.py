"""The meeting scheduler of B2B events: plain Python, no database, no web.

`schedule(instance, mode)` places accepted meeting requests into slots and tables
and returns a `Result` with a proven upper bound; `load_instance` / `run_file`
read the JSON format of `clusterbroker schedule INSTANCE.json`.
"""

from .files import dump_result, load_instance, run_file
from .model import Instance, Placement, Request, Result, ScheduleInputError, Slot
from .solve import MODES, schedule

__all__ = [
    "MODES",
    "Instance",
    "Placement",
    "Request",
    "Result",
    "ScheduleInputError",
    "Slot",
    "dump_result",
    "load_instance",
    "run_file",
    "schedule",
]
