from django.core.management.base import BaseCommand

from clusterbroker.notifications import delivery


class Command(BaseCommand):
    help = (
        "Send the e-mails of the outbox that are due: new ones, and retries of those that "
        "failed before (run it regularly, e.g. every few minutes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Send at most this many.")

    def handle(self, *args, **options):
        counts = delivery.send_due(limit=options["limit"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['sent']} sent, {counts['queued']} to retry later, "
                f"{counts['failed']} failed for good."
            )
        )
