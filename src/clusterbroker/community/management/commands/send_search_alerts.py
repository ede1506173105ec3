from django.core.management.base import BaseCommand

from clusterbroker.community.alerts import check_saved_search
from clusterbroker.community.models import SavedSearch


class Command(BaseCommand):
    help = "Raise alerts for items indexed since each saved search was last checked."

    def handle(self, *args, **options):
        total = 0
        for saved in SavedSearch.objects.select_related("user"):
            total += len(check_saved_search(saved))
        self.stdout.write(self.style.SUCCESS(f"{total} alert(s) raised."))
