import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from clusterbroker.brokering.cordis import CordisFileError
from clusterbroker.brokering.importers.cordis import import_cordis


class Command(BaseCommand):
    help = (
        "Import Horizon 2020 participations from CORDIS: "
        "`import cordis-participations PARTICIPATIONS.csv.gz PROGRAMME_PARTS.csv.gz`."
    )

    def add_arguments(self, parser):
        parser.add_argument("participations", type=Path)
        parser.add_argument("programme_parts", type=Path)

    def handle(self, *args, participations: Path, programme_parts: Path, **options):
        for path in (participations, programme_parts):
            if not path.is_file():
                raise CommandError(f"{path}: no such file.")
        started = time.perf_counter()
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, transient=True) as bar:
            tasks: dict[str, int] = {}
            reading = bar.add_task("Reading and checking the files", total=None)

            def progress(stage: str, done: int, total: int) -> None:
                bar.update(reading, visible=False)
                if stage not in tasks:
                    tasks[stage] = bar.add_task(f"Writing {stage}", total=total)
                bar.update(tasks[stage], completed=done)

            try:
                report = import_cordis(participations, programme_parts, progress)
            except CordisFileError as error:
                for problem in error.problems[:50]:
                    self.stderr.write(problem)
                if len(error.problems) > 50:
                    self.stderr.write(f"… and {len(error.problems) - 50} more.")
                raise CommandError(
                    f"{len(error.problems)} problem(s) found; nothing was imported."
                ) from error
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.rows} rows in {seconds:.1f} s: "
                f"{report.organisations_created} organisations, "
                f"{report.projects_created} projects and "
                f"{report.participations_created} participations created; "
                f"{report.projects_updated} projects and "
                f"{report.participations_updated} participations updated."
            )
        )
