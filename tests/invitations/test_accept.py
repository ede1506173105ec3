"""Accepting: the account, the person and the position in one step, or nothing; expired,
revoked and used invitations are refused, each with its own message."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from clusterbroker.invitations import rules, services
from clusterbroker.invitations.models import Invitation, Role
from clusterbroker.registry import permissions
from clusterbroker.registry.models import Membership, Person, Position

from ..factories import PersonFactory, PositionFactory, UserFactory
from .factories import make_invitation

pytestmark = pytest.mark.django_db

User = get_user_model()
GOOD = services.NewAccount(name="Ines Invitee", password="a long enough passphrase 42")


def test_accepting_creates_the_account_the_person_and_the_editor_position(world):
    invitation, raw = make_invitation(
        world.member_company, "Ines@example.org", inviter=world.company_user
    )
    result = services.accept(raw, new_account=GOOD)
    user = result.user
    assert result.account_created
    assert (user.username, user.email, user.first_name, user.last_name) == (
        "Ines",
        "Ines@example.org",
        "Ines",
        "Invitee",
    )
    assert user.check_password(GOOD.password)
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("Ines@example.org", True, True)
    person = Person.objects.get(user=user)
    position = Position.objects.get(person=person, organisation=world.member_company)
    assert position.role == Position.Role.EDITOR
    invitation.refresh_from_db()
    assert (invitation.status, invitation.accepted_by) == (Invitation.Status.ACCEPTED, user)
    assert permissions.can_edit_organisation(user, world.member_company)


def test_usernames_made_from_addresses_are_unique(world):
    UserFactory(username="ines")
    _invitation, raw = make_invitation(world.member_company, "ines@example.org")
    assert services.accept(raw, new_account=GOOD).user.username == "ines2"


def test_an_unlinked_person_with_the_address_is_reused(world):
    contact = PersonFactory(user=None, email="ines@example.org", first_name="Ines")
    PositionFactory(person=contact, organisation=world.member_company, role=Position.Role.CONTACT)
    _invitation, raw = make_invitation(world.member_company, "INES@example.org")
    result = services.accept(raw, new_account=GOOD)
    contact.refresh_from_db()
    assert contact.user == result.user
    assert Person.objects.filter(email__iexact="ines@example.org").count() == 1
    assert Position.objects.get(person=contact).role == Position.Role.EDITOR


@pytest.mark.parametrize(
    "account, field",
    [
        (services.NewAccount(name="Ines", password="123"), "password"),
        (services.NewAccount(name="Ines", password="password"), "password"),
        (
            services.NewAccount(
                name="Ines", password="a long enough passphrase 42", password_again="other one"
            ),
            "password_again",
        ),
        (services.NewAccount(name="", password="a long enough passphrase 42"), "name"),
    ],
)
def test_a_failed_acceptance_leaves_nothing_behind(world, account, field):
    invitation, raw = make_invitation(world.member_company, "ines@example.org", name="")
    users, people, positions = (
        User.objects.count(),
        Person.objects.count(),
        Position.objects.count(),
    )
    with pytest.raises(services.InvitationError) as error:
        services.accept(raw, new_account=account)
    assert field in error.value.message_dict
    assert (User.objects.count(), Person.objects.count(), Position.objects.count()) == (
        users,
        people,
        positions,
    )
    assert not EmailAddress.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_an_address_with_an_account_must_log_in_instead(world):
    UserFactory(username="ines", email="ines@example.org")
    invitation, raw = make_invitation(world.member_company, "INES@example.org")
    with pytest.raises(services.InvitationError) as error:
        services.accept(raw, new_account=GOOD)
    assert "exists already: log in" in " ".join(error.value.messages)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_expired_revoked_used_and_unknown_invitations_are_refused_with_their_own_message(world):
    _expired, expired = make_invitation(world.member_company, "a@example.org", expired=True)
    _revoked, revoked = make_invitation(
        world.member_company, "b@example.org", status=Invitation.Status.REVOKED
    )
    _used, used = make_invitation(world.member_company, "c@example.org")
    services.accept(used, new_account=GOOD)

    messages = {}
    for name, raw in [
        ("expired", expired),
        ("revoked", revoked),
        ("accepted", used),
        ("invalid", "not-a-token"),
    ]:
        with pytest.raises(services.InvitationUnusable) as error:
            services.accept(raw, new_account=GOOD)
        assert error.value.state == name
        messages[name] = error.value.messages[0]
    assert "expired on" in messages["expired"]
    assert "withdrawn" in messages["revoked"]
    assert "already been used" in messages["accepted"]
    assert "link is not valid" in messages["invalid"]
    assert len(set(messages.values())) == 4
    # Nothing was created by the refused attempts: one account (the first acceptance).
    assert User.objects.filter(email__in=["a@example.org", "b@example.org"]).count() == 0


def test_an_invitation_works_once(world):
    _invitation, raw = make_invitation(world.member_company, "ines@example.org")
    services.accept(raw, new_account=GOOD)
    with pytest.raises(services.InvitationUnusable):
        services.accept(raw, user=world.outsider)
    assert not permissions.can_edit_organisation(world.outsider, world.member_company)


def test_a_logged_in_user_accepts_for_themselves_whatever_the_address(world):
    contact = PersonFactory(user=None, email="ines@example.org")
    user = UserFactory(username="ines-private", email="ines@private.example")
    _invitation, raw = make_invitation(world.member_company, "ines@example.org")
    result = services.accept(raw, user=user)
    assert not result.account_created and result.user == user
    assert permissions.can_edit_organisation(user, world.member_company)
    # The unlinked record of the invited address is not handed to another account.
    contact.refresh_from_db()
    assert contact.user is None
    assert Person.objects.get(user=user).email == "ines@private.example"


def test_a_logged_in_user_with_the_invited_address_gets_that_record(world):
    contact = PersonFactory(user=None, email="ines@example.org")
    user = UserFactory(username="ines", email="ines@example.org")
    _invitation, raw = make_invitation(world.member_company, "ines@example.org")
    services.accept(raw, user=user)
    contact.refresh_from_db()
    assert contact.user == user


def test_the_sender_cannot_accept_their_own_invitation(world):
    invitation, raw = make_invitation(world.cluster_member, inviter=world.cluster_manager)
    with pytest.raises(rules.Refused):
        services.accept(raw, user=world.cluster_manager)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert world.cluster_member.pk not in permissions.own_organisation_ids(world.cluster_manager)


def test_a_keeper_s_invitation_grants_nothing_once_the_membership_ended(world):
    _invitation, raw = make_invitation(world.cluster_member, inviter=world.cluster_manager)
    Membership.objects.filter(organisation=world.cluster_member, cluster=world.cluster).delete()
    with pytest.raises(services.InvitationUnusable) as error:
        services.accept(raw, new_account=GOOD)
    assert "no longer" in error.value.messages[0]
    assert not Position.objects.filter(organisation=world.cluster_member).exists()


def test_a_keeper_s_invitation_grants_nothing_once_the_member_has_its_own_editors(world):
    _invitation, raw = make_invitation(world.cluster_member, inviter=world.cluster_manager)
    PositionFactory(organisation=world.cluster_member, role=Position.Role.EDITOR)
    with pytest.raises(services.InvitationUnusable):
        services.accept(raw, user=world.outsider)
    assert not permissions.can_edit_organisation(world.outsider, world.cluster_member)


def test_accepting_never_lowers_a_role(world):
    manager = PositionFactory(organisation=world.cluster, role=Position.Role.MANAGER)
    services.give_role(manager.person, world.cluster, Role.EDITOR)
    manager.refresh_from_db()
    assert manager.role == Position.Role.MANAGER
    contact = PositionFactory(organisation=world.cluster, role=Position.Role.CONTACT)
    services.give_role(contact.person, world.cluster, Role.MANAGER)
    contact.refresh_from_db()
    assert contact.role == Position.Role.MANAGER


def test_someone_who_holds_the_role_does_not_use_up_another_s_invitation(world):
    invitation, raw = make_invitation(world.member_company, "colleague@example.org")
    with pytest.raises(rules.Refused, match="already Profile editor"):
        services.accept(raw, user=world.company_user)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
