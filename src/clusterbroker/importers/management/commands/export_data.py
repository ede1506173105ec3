from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusterbroker.importers.exports import EXPORTS
from clusterbroker.importers.tabular import WRITERS, write_table


class Command(BaseCommand):
    help = "Export a list to a file: `export organisations FILE.csv|FILE.xlsx|FILE.json`."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(EXPORTS))
        parser.add_argument("file", type=Path)

    def handle(self, *args, kind: str, file: Path, **options):
        fmt = file.suffix.lower().lstrip(".")
        if fmt not in WRITERS:
            raise CommandError(f"{file}: use a .csv, .xlsx or .json file name.")
        columns, rows, model = EXPORTS[kind]
        file.write_bytes(write_table(fmt, columns, rows(model.objects.all())))
        self.stdout.write(self.style.SUCCESS(f"{kind} written to {file}."))
