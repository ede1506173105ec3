from django.core.management.base import BaseCommand

from clusterbroker.ops.backup import create_backup


class Command(BaseCommand):
    help = (
        "Write every record of the database to FILE (gzip'd JSON, the product's portable "
        "backup format); restore it with `clusterbroker restore FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file to write, e.g. clusterbroker.json.gz")

    def handle(self, *args, file: str, **options):
        summary = create_backup(file)
        self.stdout.write(
            f"{summary.total} records of {sum(1 for n in summary.counts.values() if n)} models "
            f"written to {summary.path}."
        )
