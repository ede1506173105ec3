"""Invitations and join requests for the tests of this folder."""

import datetime as dt

import factory
from django.utils import timezone

from clusterbroker.invitations.models import Invitation, JoinRequest, Role

from ..factories import OrganisationFactory, UserFactory


def make_invitation(
    organisation=None,
    email: str = "invitee@example.org",
    inviter=None,
    *,
    role: str = Role.EDITOR,
    name: str = "Ines Invitee",
    expired: bool = False,
    status: str = Invitation.Status.PENDING,
) -> tuple[Invitation, str]:
    """An invitation and its raw token (as the e-mail would carry it)."""
    invitation = Invitation(
        email=email,
        name=name,
        organisation=organisation or OrganisationFactory(),
        role=role,
        invited_by=inviter,
        by_platform=inviter is None,
        status=status,
    )
    raw = invitation.new_token()
    if expired:
        invitation.sent_at = timezone.now() - dt.timedelta(days=15)
        invitation.expires_at = timezone.now() - dt.timedelta(days=1)
    invitation.save()
    return invitation, raw


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.EDITOR
    message = "I work there."
