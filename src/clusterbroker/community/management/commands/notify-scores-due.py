"""`clusterbroker notify-scores-due`: remind evaluators whose scores are missing.

For every call with a due date for scores (`scores due` on the call), each evaluator of an
application not yet decided who has not submitted their scores is reminded once in the days
before the due date (`--days`, a week by default) and once after it. What was sent is
recorded, so the command may run every day (from cron or the task scheduler) without
reminding anyone twice.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from clusterbroker.community.notices import REMINDER_DAYS, remind_scores_due


class Command(BaseCommand):
    help = "Remind evaluators whose scores are missing close to (or after) the due date."

    def add_arguments(self, parser):
        parser.add_argument("--on", help="the day to check for (YYYY-MM-DD); default today")
        parser.add_argument(
            "--days",
            type=int,
            default=REMINDER_DAYS,
            help=f"remind this many days before the due date (default {REMINDER_DAYS})",
        )

    def handle(self, *args, **options):
        try:
            today = dt.date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--on: {error}") from error
        if options["days"] < 1:
            raise CommandError("--days: give a number of days of at least 1.")
        report = remind_scores_due(today, options["days"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.reminded} reminder(s) of missing scores sent "
                f"({report.notified} notice(s))."
            )
        )
