from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from clusterbroker.importers.organisations import import_organisations
from clusterbroker.importers.tabular import TableError, read_table

KINDS = {"organisations": import_organisations}


def _eu_calls(command, file: Path) -> None:
    from clusterbroker.community.importers.commands import run_eu_calls_import

    run_eu_calls_import(command, file)


def _dih_catalogue(command, file: Path) -> None:
    from clusterbroker.importers.dih_catalogue import HubCatalogueError, import_hub_catalogue

    try:
        with Progress(transient=True) as bar:
            task = bar.add_task(f"Loading {file.name}", total=None)
            report = import_hub_catalogue(
                file, progress=lambda done, total: bar.update(task, completed=done, total=total)
            )
    except HubCatalogueError as error:
        for problem in error.problems:
            command.stderr.write(problem)
        raise CommandError(
            f"{file.name}: {len(error.problems)} problem(s) found; nothing was imported."
        ) from error
    command.stdout.write(
        command.style.SUCCESS(
            f"{file.name}: {report.hubs} hubs in {len(report.countries)} countries; "
            f"{report.created} created, {report.linked} linked to organisations already "
            f"there, {report.already_loaded} loaded before; {report.competences} sector "
            f"competences; {report.sectors_skipped} sector entries skipped (not sectors); "
            f"{report.websites_dropped} websites dropped (not a URL); {report.identifiers} "
            f"identifiers (catalogue id, web domain) added."
            + (
                f" {report.duplicates} pairs proposed as duplicates (`duplicates list`)."
                if report.duplicates
                else ""
            )
        )
    )


def _cordis_organisations(command, file: Path) -> None:
    from clusterbroker.brokering.cordis import CordisFileError
    from clusterbroker.importers.cordis_organisations import import_cordis_organisations

    try:
        with Progress(transient=True) as bar:
            task = bar.add_task(f"Loading {file.name}", total=None)
            report = import_cordis_organisations(
                file, progress=lambda done, total: bar.update(task, completed=done, total=total)
            )
    except CordisFileError as error:
        for problem in error.problems[:50]:
            command.stderr.write(problem)
        if len(error.problems) > 50:
            command.stderr.write(f"… and {len(error.problems) - 50} more.")
        raise CommandError(
            f"{file.name}: {len(error.problems)} problem(s) found; nothing was imported."
        ) from error
    summary = (
        f"{file.name}: {report.rows} organisations; {report.named} named, {report.updated} "
        f"completed, {report.unchanged} unchanged, {report.created} created (PIC not known "
        f"before), {report.without_pic} skipped (no PIC); {report.repaired} with "
        f"mis-decoded characters repaired; "
        f"{report.identifiers} identifiers added."
    )
    if not report.changed:
        summary += " Nothing changed: this file was imported before."
    if report.duplicates:
        summary += f" {report.duplicates} pairs proposed as duplicates (`duplicates list`)."
    command.stdout.write(command.style.SUCCESS(summary))


def _nuts(command, folder: Path) -> None:
    from clusterbroker.importers.nuts import NutsError, import_nuts

    try:
        with Progress(transient=True) as bar:
            task = bar.add_task("Loading NUTS regions", total=None)
            report = import_nuts(
                folder, progress=lambda done, total: bar.update(task, completed=done, total=total)
            )
    except NutsError as error:
        for problem in error.problems:
            command.stderr.write(problem)
        raise CommandError(
            f"{folder}: {len(error.problems)} problem(s) found; nothing was imported."
        ) from error
    levels = ", ".join(f"{n} of level {level}" for level, n in report.by_level.items())
    summary = (
        f"{report.regions} NUTS regions ({levels}), {report.boundaries} with a boundary; "
        f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged."
    )
    if not (report.created or report.updated):
        summary += " Nothing changed: these regions were imported before."
    command.stdout.write(command.style.SUCCESS(summary))


def _cordis_subjects(command, file: Path) -> None:
    from clusterbroker.importers.cordis_subjects import (
        CordisSubjectsError,
        import_cordis_subjects,
    )

    try:
        report = import_cordis_subjects(file)
    except CordisSubjectsError as error:
        for problem in error.problems[:50]:
            command.stderr.write(f"{file.name}: {problem}")
        raise CommandError(
            f"{file.name}: {len(error.problems)} problem(s) found; nothing was imported."
        ) from error
    summary = (
        f"{file.name}: {report.subjects} subjects in {', '.join(report.languages)}; "
        f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged."
    )
    if not report.changed:
        summary += " Nothing changed: this file was imported before."
    command.stdout.write(command.style.SUCCESS(summary))


# Kinds that read their file themselves (not a table): `import eu-calls FILE.jsonl[.gz]`,
# `import dih-catalogue FILE.jsonl[.gz]`, `import cordis-organisations FILE.csv[.gz]`,
# `import cordis-subjects FILE.csv`.
FILE_KINDS = {
    "eu-calls": _eu_calls,
    "dih-catalogue": _dih_catalogue,
    "cordis-organisations": _cordis_organisations,
    "cordis-subjects": _cordis_subjects,
}
# Kinds that read a folder of files: `import nuts FOLDER` (the Nuts2json files).
FOLDER_KINDS = {"nuts": _nuts}


class Command(BaseCommand):
    help = "Import records from a file: `import organisations FILE.csv|FILE.xlsx`."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted([*KINDS, *FILE_KINDS, *FOLDER_KINDS]))
        parser.add_argument("file", type=Path)

    def handle(self, *args, kind: str, file: Path, **options):
        if kind in FOLDER_KINDS:
            if not file.is_dir():
                raise CommandError(f"{file}: no such folder.")
            return FOLDER_KINDS[kind](self, file)
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        if file.stat().st_size > settings.IMPORT_MAX_BYTES:
            raise CommandError(
                f"{file}: {file.stat().st_size} bytes is more than the limit of "
                f"{settings.IMPORT_MAX_BYTES} bytes."
            )
        if kind in FILE_KINDS:
            return FILE_KINDS[kind](self, file)
        try:
            table = read_table(file.name, file.read_bytes())
        except TableError as error:
            raise CommandError(str(error)) from error
        with Progress(transient=True) as progress:
            task = progress.add_task(f"Checking {file.name}", total=len(table.rows))
            report = KINDS[kind](
                table, progress=lambda done, total: progress.update(task, completed=done)
            )
        if not report.ok:
            for error in report.errors:
                self.stderr.write(f"{file.name}: {error}")
            raise CommandError(
                f"{file.name}: {len(report.errors)} problem(s) found; nothing was imported."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{file.name}: {report.rows} rows, {report.created} created, "
                f"{report.updated} updated, {report.invitations} contacts invited."
            )
        )
