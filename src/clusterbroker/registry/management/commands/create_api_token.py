from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from clusterbroker.registry.models import ApiToken


class Command(BaseCommand):
    help = "Create an API token for a user; the token is printed once and never stored."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="what the token is for")

    def handle(self, *args, username: str, name: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user “{username}”.")
        _token, raw = ApiToken.issue(user, name)
        self.stdout.write(raw)
