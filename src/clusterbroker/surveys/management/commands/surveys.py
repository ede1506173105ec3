"""`clusterbroker surveys remind`: the notices of surveys, to run every day.

Surveys that are open and whose opening was not announced are announced to the asked
organisations' people; those closing within a few days remind the organisations that have
not submitted their answers. Each notice goes out once per survey.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from clusterbroker.surveys.notices import send_due_notices


class Command(BaseCommand):
    help = "Announce open surveys and remind the organisations that have not answered."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["remind"])
        parser.add_argument("--on", help="the day to check for (YYYY-MM-DD); default today")

    def handle(self, *args, **options):
        try:
            today = dt.date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--on: {error}") from error
        report = send_due_notices(today)
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.opened} survey(s) announced, {report.reminded} reminder(s) "
                f"({report.notices} notice(s))."
            )
        )
