import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from clusterbroker.community.search import snapshot


class Command(BaseCommand):
    help = (
        "The search snapshot: `build` writes every search document into a read-optimised "
        "segment that searches use from then on, `status` tells how current it is, `drop` "
        "goes back to searching the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["build", "status", "drop"])
        parser.add_argument(
            "--margin",
            type=int,
            default=None,
            metavar="SECONDS",
            help="documents indexed this long before the build also go to the delta, for "
            "transactions still open (default 600; 0 when nothing else writes)",
        )

    def handle(self, *args, action: str, margin: int | None = None, **options):
        if action == "build":
            started = time.perf_counter()

            def progress(n: int) -> None:
                if n % 100_000 == 0:
                    self.stdout.write(f"  {n:,} documents read")

            state = snapshot.build(
                progress=progress,
                margin=None if margin is None else dt.timedelta(seconds=margin),
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Search snapshot {state.generation}: {state.documents:,} documents "
                    f"in {time.perf_counter() - started:.1f} s."
                )
            )
        elif action == "drop":
            snapshot.drop()
            self.stdout.write(self.style.SUCCESS("Search snapshot dropped."))
        else:
            found = snapshot.status()
            if not found["built"]:
                raise CommandError("No search snapshot: searches ask the database.")
            for key, value in found.items():
                self.stdout.write(f"{key}: {value}")
