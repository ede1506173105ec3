from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from clusterbroker.accounts.services import reset_two_factor


class Command(BaseCommand):
    help = (
        "Remove a person's two-factor authentication (authenticator app and recovery codes), "
        "for someone who lost both: they log in with their password and set it up again "
        "(platform admins must). Check who is asking before you run it."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account with the username “{username}”.")
        removed = reset_two_factor(user)
        if not removed:
            self.stdout.write(f"{username} had no two-factor authentication.")
        else:
            self.stdout.write(f"Two-factor authentication of {username} removed.")
