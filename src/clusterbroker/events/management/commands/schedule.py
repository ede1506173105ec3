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

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instance", help="the instance file (JSON; see the docs)")
        parser.add_argument("--mode", choices=scheduler.MODES, default="auto")
        parser.add_argument(
            "--allow-moving",
            action="store_true",
            help="announced meetings may move (they stay put by default)",
        )
        parser.add_argument("--time-limit", type=float, default=60.0, help="seconds (exact)")
        parser.add_argument("--output", help="write the schedule as JSON to this file")

    def handle(self, *args: object, **options: object) -> None:
        time_limit = float(options["time_limit"])
        if not math.isfinite(time_limit) or time_limit <= 0:
            raise CommandError("--time-limit: give a positive number of seconds.")
        try:
            result = scheduler.run_file(
                str(options["instance"]),
                mode=str(options["mode"]),
                allow_moving_locked=bool(options["allow_moving"]),
                time_limit=time_limit,
            )
        except scheduler.ScheduleInputError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{result.mode}: placed {result.placed_count} meetings, weight "
            f"{result.placed_weight} of at most {result.upper_bound} "
            f"({result.ratio:.2%} of the upper bound{', optimal' if result.optimal else ''}) "
            f"in {result.seconds:.2f} s; {len(result.unplaced)} not placed."
        )
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
