import time

from django.core.management.base import BaseCommand, CommandError

from clusterbroker.brokering import engine


class Command(BaseCommand):
    help = (
        "The matching engine's index: `build` writes the index of the current data as the "
        "generation every process reads (what the background task does when the data "
        "change), `status` tells which generation is current."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["build", "status"])

    def handle(self, *args, action: str, **options):
        directory = engine.index_directory()
        if directory is None:
            raise CommandError(
                "The index is kept by each process (CLUSTERBROKER_BROKERING_INDEX_DIR=off): "
                "there is nothing to build."
            )
        if action == "build":
            started = time.perf_counter()
            generation = engine.persist_index()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Brokering index {generation.name} written to {directory} "
                    f"in {time.perf_counter() - started:.1f} s."
                )
            )
            return
        pointer = directory / "CURRENT"
        current = pointer.read_text(encoding="utf-8").strip() if pointer.exists() else ""
        if not current:
            self.stdout.write(f"No brokering index in {directory} yet.")
            return
        fresh = current == engine.current_version_name()
        self.stdout.write(
            f"Brokering index {current} in {directory}: "
            + ("current." if fresh else "the data have changed since; a rebuild is due.")
        )
