from django.core.management.base import BaseCommand

from clusterbroker.registry.region_fill import fill_regions_from_cities


class Command(BaseCommand):
    help = (
        "Set the NUTS region of organisations that have none from their city, where the city "
        "names exactly one level-3 region of its country (run after `import nuts`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *args, dry_run: bool = False, **options):
        found, looked = fill_regions_from_cities(dry_run=dry_run)
        verb = "would get" if dry_run else "got"
        self.stdout.write(
            f"{found} of {looked} organisations without a region {verb} one from their city."
        )
