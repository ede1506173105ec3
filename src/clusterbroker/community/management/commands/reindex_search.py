from django.core.management.base import BaseCommand

from clusterbroker.community.search.index import rebuild


class Command(BaseCommand):
    help = "Index every collection item, organisation and event again for the search."

    def handle(self, *args, **options):
        count = rebuild()
        self.stdout.write(self.style.SUCCESS(f"{count} documents indexed."))
