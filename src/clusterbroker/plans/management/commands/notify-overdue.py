"""`clusterbroker notify-overdue`: tell the people responsible for overdue plan actions.

An action whose end date has passed and that is neither done nor cancelled is reported to its
lead partner's editors and managers and to the partnership's managers, once per action and
end date (what was reported is kept), so the command may run every day.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from clusterbroker.plans.notices import notify_overdue


class Command(BaseCommand):
    help = "Notify the lead partner and the partnership's managers of overdue plan actions."

    def add_arguments(self, parser):
        parser.add_argument("--on", help="the day to check for (YYYY-MM-DD); default today")

    def handle(self, *args, **options):
        try:
            today = dt.date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--on: {error}") from error
        report = notify_overdue(today)
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.actions} overdue action(s) reported ({report.notified} notice(s))."
            )
        )
