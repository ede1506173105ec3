"""`clusterbroker schedule INSTANCE.json`: run the meeting scheduler on a file."""

import json
import math
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clusterbroker.events import scheduler


class Command(BaseCommand):
    help = (
        "Place the accepted meetings of an instance file (JSON) into slots and tables; "
        "print how many were placed against the proven upper bound."
    )
    # The command reads and writes files only: Django's system checks (which import every URL,
    # API and template library of the site) would take longer than scheduling a large event.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instance", help="the instance file (JSON; see the docs)")
        parser.add_argument("--mode", choices=scheduler.MODES, default="auto")
        parser.add_argument(
            "--allow-moving",
            action="store_true",
            help="announced meetings may move (they stay put by default)",
        )
        parser.add_argument(
            "--time-limit",
            type=float,
            default=60.0,
            help="seconds (exact: for placing, then again for compacting)",
        )
        parser.add_argument(
            "--no-compact",
            action="store_true",
            help="do not minimise the breaks in the agendas once the most weight is placed",
        )
        parser.add_argument(
            "--fairness",
            type=int,
            help="exact mode: most breaks of a participant minus fewest at most this",
        )
        parser.add_argument("--output", help="write the schedule as JSON to this file")

    def handle(self, *args: object, **options: object) -> None:
        time_limit = float(options["time_limit"])
        if not math.isfinite(time_limit) or time_limit <= 0:
            raise CommandError("--time-limit: give a positive number of seconds.")
        fairness = options["fairness"]
        if fairness is not None and int(fairness) < 0:
            raise CommandError("--fairness: give a whole number of breaks, 0 or more.")
        try:
            result = scheduler.run_file(
                str(options["instance"]),
                mode=str(options["mode"]),
                allow_moving_locked=bool(options["allow_moving"]),
                time_limit=time_limit,
                compact=not options["no_compact"],
                fairness=fairness,
            )
        except scheduler.ScheduleInputError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{result.mode}: placed {result.placed_count} meetings, weight "
            f"{result.placed_weight} of at most {result.upper_bound} "
            f"({result.ratio:.2%} of the upper bound{', optimal' if result.optimal else ''}) "
            f"in {result.seconds:.2f} s; {len(result.unplaced)} not placed."
        )
        self.stdout.write(_breaks_line(result))
        for rid, reason in list(result.unplaced.items())[:20]:
            self.stdout.write(f"  request {rid}: {reason}")
        if len(result.unplaced) > 20:
            self.stdout.write(f"  … and {len(result.unplaced) - 20} more (see --output)")
        if options["output"]:
            try:
                Path(str(options["output"])).write_text(
                    json.dumps(scheduler.dump_result(result), indent=2), encoding="utf-8"
                )
            except OSError as error:
                raise CommandError(
                    f"{options['output']}: cannot be written ({error.strerror})"
                ) from error
            self.stdout.write(f"Schedule written to {options['output']}.")


def _breaks_line(result: scheduler.Result) -> str:
    """Breaks: the total, the most of one participant, and whether it is the minimum."""
    most = max(result.breaks.values(), default=0)
    line = f"Breaks: {result.total_breaks} in all, at most {most} for one participant"
    if result.breaks_optimal:
        line += " (the fewest possible at this weight)"
    elif result.breaks_bound is not None:
        line += f" (at least {result.breaks_bound} are needed at this weight)"
    if result.fairness_met is False:
        line += "; the fairness limit is not met (no schedule meeting it was found)"
    return line + "."
