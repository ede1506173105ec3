from django.core.management.base import BaseCommand, CommandError

from clusterbroker.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup written by `clusterbroker backup` into a migrated, empty database. "
        "With --force, the database's records are replaced. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a backup file written by `clusterbroker backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="delete the records already in the database before restoring",
        )

    def handle(self, *args, file: str, force: bool, **options):
        try:
            summary = restore_backup(file, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{summary.total} records of {len(summary.counts)} models restored from {file}."
        )
