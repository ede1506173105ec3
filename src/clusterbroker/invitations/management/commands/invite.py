from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from clusterbroker.invitations.models import Role
from clusterbroker.invitations.rules import Refused
from clusterbroker.invitations.services import InvitationError, invite, site_url
from clusterbroker.registry.models import Organisation


class Command(BaseCommand):
    help = (
        "Invite a person by e-mail to an organisation: "
        "`invite EMAIL --organisation SLUG [--role editor] [--name NAME]`. "
        "Run by the platform's operator; e-mails the invitation and prints its link."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--organisation", required=True, help="the organisation's identifier")
        parser.add_argument("--role", default=Role.EDITOR, choices=Role.values)
        parser.add_argument("--name", default="", help="the person's name, for the greeting")
        parser.add_argument(
            "--base-url",
            default="",
            help="the site's address for the link (default: the CLUSTERBROKER_BASE_URL setting)",
        )

    def handle(self, *args, email: str, organisation: str, role: str, name: str, **options):
        target = Organisation.objects.filter(slug=organisation).first()
        if target is None:
            raise CommandError(f"No organisation has the identifier “{organisation}”.")
        try:
            sent = invite(
                None, email, name, target, role, base_url=site_url(options.get("base_url"))
            )
        except Refused as error:
            raise CommandError(error.reason) from error
        except (InvitationError, ValidationError) as error:
            raise CommandError(" ".join(error.messages)) from error
        done = "sent again (the earlier link no longer works)" if sent.resent else "sent"
        self.stdout.write(
            self.style.SUCCESS(
                f"Invitation of {sent.invitation.email} as {sent.invitation.get_role_display()} "
                f"of {target.name} {done}; it expires on "
                f"{sent.invitation.expires_at:%Y-%m-%d}."
            )
        )
        self.stdout.write(sent.link)
