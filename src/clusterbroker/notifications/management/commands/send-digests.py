from django.core.management.base import BaseCommand

from clusterbroker.notifications import delivery


class Command(BaseCommand):
    help = (
        "Write the daily digest e-mails: one per person with the notices of the kinds they "
        "chose to receive daily (run it once a day). A notice goes into one digest only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--send", action="store_true", help="Also send the outbox right away.")

    def handle(self, *args, **options):
        written = delivery.send_digests()
        self.stdout.write(self.style.SUCCESS(f"{written} digest(s) written to the outbox."))
        if options["send"]:
            counts = delivery.send_due()
            self.stdout.write(f"{counts['sent']} e-mail(s) sent.")
