"""Inviting: who may invite whom, one pending invitation per address, resend and revoke."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from clusterbroker.invitations import rules, services
from clusterbroker.invitations.models import Invitation, Role
from clusterbroker.notifications.models import Notification
from clusterbroker.registry.models import Position
from clusterbroker.registry.models.people import hash_token

from ..factories import PositionFactory, UserFactory
from .conftest import link_in, token_of
from .factories import make_invitation

pytestmark = pytest.mark.django_db


def test_an_editor_invites_a_colleague_and_the_link_goes_by_email_only(world, sent):
    with sent():
        result = services.invite(
            world.company_user, "Jane@Example.ORG", "Jane Doe", world.member_company
        )
    invitation = result.invitation
    assert not result.resent
    assert (invitation.email, invitation.role, invitation.status) == (
        "Jane@example.org",
        Role.EDITOR,
        Invitation.Status.PENDING,
    )
    assert invitation.invited_by == world.company_user
    assert invitation.expires_at - invitation.sent_at == dt.timedelta(days=14)
    # Only the hash is stored; the raw token is in the e-mail's link.
    [message] = mail.outbox
    assert message.to == ["Jane@example.org"]
    raw = token_of(link_in(message))
    assert raw not in invitation.token_hash
    assert invitation.token_hash == hash_token(raw)
    assert "Precision Parts" in message.subject
    assert "Hello Jane Doe" in message.body


def test_an_ordinary_company_user_cannot_invite_to_another_organisation(world, sent):
    with sent(), pytest.raises(rules.Refused) as refused:
        services.invite(world.company_user, "spy@example.org", "", world.other_company)
    assert "Far Away GmbH" in refused.value.reason
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    assert world.other_company not in rules.invitable_organisations(world.company_user)


def test_an_outsider_may_invite_nowhere(world):
    assert not rules.invitable_organisations(world.outsider).exists()
    for organisation in (world.member_company, world.cluster, world.cluster_member):
        assert not rules.may_invite(world.outsider, organisation)


def test_a_cluster_manager_invites_to_a_member_without_editors(world):
    assert world.cluster_member in rules.invitable_organisations(world.cluster_manager)
    result = services.invite(world.cluster_manager, "boss@member.example", "", world.cluster_member)
    assert result.invitation.organisation == world.cluster_member


def test_a_member_with_its_own_editors_takes_its_people_in_itself(world):
    """A keeper through a relation does not appoint editors once the member has its own:
    consent is not delegated."""
    PositionFactory(organisation=world.cluster_member, role=Position.Role.EDITOR)
    with pytest.raises(rules.Refused) as refused:
        services.invite(world.cluster_manager, "x@example.org", "", world.cluster_member)
    assert "its own editors" in refused.value.reason
    assert world.cluster_member not in rules.invitable_organisations(world.cluster_manager)


def test_a_partnership_manager_invites_to_members_but_not_to_a_member_cluster(world):
    # member_company has its own editor (company_user): refused; a new member without one: fine.
    assert not rules.may_invite(world.partnership_manager, world.member_company)
    from ..factories import OrganisationFactory, PartnershipMemberFactory

    newcomer = OrganisationFactory(name="Newcomer SA")
    PartnershipMemberFactory(partnership=world.partnership, organisation=newcomer)
    assert rules.may_invite(world.partnership_manager, newcomer)
    # A cluster organisation takes people in through its own managers only.
    with pytest.raises(rules.Refused) as refused:
        services.invite(world.partnership_manager, "x@example.org", "", world.cluster)
    assert "managers of the cluster" in refused.value.reason


def test_inviting_to_the_cluster_itself_is_for_its_managers(world):
    services.invite(world.cluster_manager, "deputy@example.org", "", world.cluster, Role.MANAGER)
    services.invite(world.cluster_manager, "staff@example.org", "", world.cluster, Role.EDITOR)
    cluster_editor = PositionFactory(organisation=world.cluster, role=Position.Role.EDITOR)
    with pytest.raises(rules.Refused):
        services.invite(cluster_editor.person.user, "friend@example.org", "", world.cluster)


def test_only_a_cluster_has_managers(world):
    with pytest.raises(rules.Refused) as refused:
        services.invite(world.admin, "x@example.org", "", world.member_company, Role.MANAGER)
    assert "Only a cluster organisation has managers" in refused.value.reason


def test_admins_invite_anywhere(world):
    assert services.invite(world.admin, "x@example.org", "", world.other_company).invitation


def test_inviting_the_same_address_again_resends_the_pending_invitation(world, sent):
    with sent():
        first = services.invite(world.company_user, "jane@example.org", "", world.member_company)
        again = services.invite(
            world.company_user, "JANE@example.org", "Jane", world.member_company
        )
    assert again.resent and again.invitation.pk == first.invitation.pk
    assert Invitation.objects.count() == 1
    assert again.invitation.resend_count == 1
    assert len(mail.outbox) == 2
    old, new = (token_of(link_in(m)) for m in mail.outbox)
    assert old != new
    assert Invitation.by_token(old) is None  # the earlier link no longer works
    assert Invitation.by_token(new) == first.invitation


def test_someone_who_is_already_an_editor_is_not_invited(world):
    editor = world.company_user
    editor.email = "carl@example.org"
    editor.save()
    with pytest.raises(services.InvitationError) as error:
        services.invite(world.admin, "carl@example.org", "", world.member_company)
    assert "already an editor" in error.value.messages[0]


@pytest.mark.parametrize("email", ["", "not-an-address", "a@b", "x@@example.org"])
def test_a_bad_address_is_refused(world, email):
    with pytest.raises(services.InvitationError):
        services.invite(world.company_user, email, "", world.member_company)
    assert not Invitation.objects.exists()


def test_resend_renews_an_expired_invitation_with_a_new_link(world, sent):
    invitation, old = make_invitation(
        world.member_company, inviter=world.company_user, expired=True
    )
    assert invitation.state == Invitation.Status.EXPIRED
    with sent():
        services.resend(world.company_user, invitation)
    invitation.refresh_from_db()
    assert invitation.state == Invitation.Status.PENDING
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=13)
    assert invitation.resend_count == 1
    assert Invitation.by_token(old) is None
    assert Invitation.by_token(token_of(link_in(mail.outbox[0]))) == invitation


def test_resend_and_revoke_are_for_those_who_may_invite_there(world, sent):
    invitation, _raw = make_invitation(world.member_company, inviter=world.company_user)
    for intruder in (world.other_company_user, world.outsider, world.cluster_manager):
        assert not rules.may_manage(intruder, invitation)
        with pytest.raises(rules.Refused):
            services.resend(intruder, invitation)
        with pytest.raises(rules.Refused):
            services.revoke(intruder, invitation)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.resend_count) == (Invitation.Status.PENDING, 0)
    # A colleague (another editor of the organisation) and admins may.
    colleague = PositionFactory(organisation=world.member_company, role=Position.Role.EDITOR)
    assert rules.may_manage(colleague.person.user, invitation)
    assert rules.may_manage(world.admin, invitation)
    services.revoke(colleague.person.user, invitation)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert invitation.revoked_by == colleague.person.user


def test_a_revoked_or_accepted_invitation_is_neither_resent_nor_revoked_again(world):
    revoked, _raw = make_invitation(
        world.member_company, inviter=world.company_user, status=Invitation.Status.REVOKED
    )
    with pytest.raises(services.InvitationUnusable) as error:
        services.resend(world.company_user, revoked)
    assert "revoked already" in error.value.messages[0]
    with pytest.raises(services.InvitationUnusable):
        services.revoke(world.company_user, revoked)


def test_the_list_shows_only_invitations_one_may_manage(world):
    mine, _ = make_invitation(world.member_company, "a@example.org", inviter=world.company_user)
    theirs, _ = make_invitation(
        world.other_company, "b@example.org", inviter=world.other_company_user
    )
    assert list(rules.manageable_invitations(world.company_user)) == [mine]
    assert list(rules.manageable_invitations(world.other_company_user)) == [theirs]
    assert set(rules.manageable_invitations(world.admin)) == {mine, theirs}
    assert not rules.manageable_invitations(world.outsider).exists()


def test_an_invitation_to_an_address_with_an_account_reaches_its_bell_too(world, sent):
    from allauth.account.models import EmailAddress

    known = UserFactory(username="known", email="known@example.org")
    EmailAddress.objects.create(user=known, email=known.email, verified=True, primary=True)
    with sent():
        services.invite(world.company_user, "known@example.org", "", world.member_company)
    notice = Notification.objects.get(recipient=known)
    assert notice.kind == "invitation"
    assert "Precision Parts" in notice.title
    assert [m.to for m in mail.outbox] == [["known@example.org"]]


def test_the_list_and_the_rule_agree(world):
    """`manageable_invitations` (one query) lists exactly what `may_manage` allows."""
    from ..factories import OrganisationFactory, PartnershipMemberFactory

    newcomer = OrganisationFactory(name="Newcomer SA")
    PartnershipMemberFactory(partnership=world.partnership, organisation=newcomer)
    invitations = [
        make_invitation(world.member_company, "a@example.org", inviter=world.company_user)[0],
        make_invitation(world.cluster, "b@example.org", role=Role.MANAGER)[0],
        make_invitation(world.cluster, "c@example.org", role=Role.EDITOR)[0],
        make_invitation(world.cluster_member, "d@example.org")[0],
        make_invitation(newcomer, "e@example.org")[0],
        make_invitation(world.other_company, "f@example.org", inviter=world.cluster_manager)[0],
    ]
    users = [
        world.admin,
        world.partnership_manager,
        world.cluster_manager,
        world.company_user,
        world.other_company_user,
        world.outsider,
    ]
    for user in users:
        expected = {i for i in invitations if rules.may_manage(user, i)}
        assert set(rules.manageable_invitations(user)) == expected, user
    assert {i.email for i in rules.manageable_invitations(world.cluster_manager)} == {
        "b@example.org",
        "c@example.org",
        "d@example.org",
        "f@example.org",
    }
