"""`clusterbroker invite EMAIL --organisation SLUG [--role editor] [--name NAME]`."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from clusterbroker.invitations import services
from clusterbroker.invitations.models import Invitation
from clusterbroker.registry.models import Position

from .conftest import LINK, link_in

pytestmark = pytest.mark.django_db


def run(*args, **options) -> str:
    from io import StringIO

    out = StringIO()
    call_command("invite", *args, stdout=out, **options)
    return out.getvalue()


def test_the_command_invites_as_the_platform_and_prints_the_link(world, sent):
    with sent():
        output = run(
            "ines@example.org",
            organisation="precision-parts",
            name="Ines Invitee",
            base_url="https://cb.example.eu",
        )
    invitation = Invitation.objects.get()
    assert (invitation.invited_by, invitation.by_platform) == (None, True)
    printed = LINK.search(output).group(0)
    assert printed.startswith("https://cb.example.eu/invitations/accept/")
    assert "Profile editor of Precision Parts" in output
    assert link_in(mail.outbox[0]) == printed
    token = printed.rstrip("/").rsplit("/", 1)[-1]
    result = services.accept(
        token, new_account=services.NewAccount("Ines Invitee", "a long enough passphrase 42")
    )
    assert result.position.role == Position.Role.EDITOR


def test_the_command_invites_a_cluster_manager(world):
    run("boss@example.org", organisation="mecha-cluster", role="manager")
    assert Invitation.objects.get().role == "manager"


@pytest.mark.parametrize(
    "args, options, message",
    [
        (["ines@example.org"], {"organisation": "nowhere"}, "No organisation"),
        (["not-an-address"], {"organisation": "precision-parts"}, "not a valid e-mail"),
        (
            ["ines@example.org"],
            {"organisation": "precision-parts", "role": "manager"},
            "Only a cluster",
        ),
    ],
)
def test_the_command_says_what_is_wrong(world, args, options, message):
    with pytest.raises(CommandError, match=message):
        run(*args, **options)
    assert not Invitation.objects.exists()
