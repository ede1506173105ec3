"""Join requests: a person asks, the organisation's own people answer; nothing is granted
before, and nobody else answers for them."""

import pytest
from django.core import mail

from clusterbroker.invitations import rules, services
from clusterbroker.invitations.models import JoinRequest
from clusterbroker.notifications.models import Notification
from clusterbroker.registry import permissions
from clusterbroker.registry.models import (
    Membership,
    Organisation,
    Person,
    Position,
    RelationRequest,
)

from ..factories import UserFactory
from .factories import JoinRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(db):
    return UserFactory(username="newcomer", email="newcomer@example.org", first_name="Nina")


def test_asking_tells_the_organisation_s_editors_and_grants_nothing(world, newcomer, sent):
    world.company_user.email = "carl@example.org"
    world.company_user.save()
    with sent():
        request = services.ask_to_join(newcomer, world.member_company, "I run the workshop.")
    assert request.status == JoinRequest.Status.PENDING
    assert not permissions.can_edit_organisation(newcomer, world.member_company)
    assert not Person.objects.filter(user=newcomer).exists()
    notice = Notification.objects.get(kind="join_request")
    assert notice.recipient == world.company_user
    assert "Precision Parts" in notice.title and notice.url == "/invitations/join-requests/"
    assert [m.to for m in mail.outbox] == [["carl@example.org"]]
    assert "I run the workshop." in mail.outbox[0].body


def test_an_organisation_without_people_has_its_requests_seen_by_admins(world, newcomer):
    services.ask_to_join(newcomer, world.cluster_member)
    assert Notification.objects.get(kind="join_request").recipient == world.admin


def test_a_second_pending_request_and_a_request_by_an_editor_are_refused(world, newcomer):
    services.ask_to_join(newcomer, world.member_company)
    with pytest.raises(services.JoinConflict, match="already"):
        services.ask_to_join(newcomer, world.member_company)
    with pytest.raises(services.JoinConflict, match="already an editor"):
        services.ask_to_join(world.company_user, world.member_company)
    assert JoinRequest.objects.count() == 1


def test_the_organisation_s_editor_accepts_and_the_person_becomes_editor(world, newcomer, sent):
    request = services.ask_to_join(newcomer, world.member_company)
    with sent():
        position = services.accept_join(world.company_user, request)
    assert (position.role, position.organisation) == (Position.Role.EDITOR, world.member_company)
    assert position.person.user == newcomer
    assert permissions.can_edit_organisation(newcomer, world.member_company)
    request.refresh_from_db()
    assert (request.status, request.answered_by) == (
        JoinRequest.Status.ACCEPTED,
        world.company_user,
    )
    answer = Notification.objects.get(kind="join_request_answer")
    assert answer.recipient == newcomer and "now an editor" in answer.title
    assert [m.to for m in mail.outbox] == [["newcomer@example.org"]]


def test_a_user_cannot_accept_their_own_request_even_as_admin(world):
    request = services.ask_to_join(world.admin, world.other_company)
    with pytest.raises(rules.Refused, match="own request"):
        services.accept_join(world.admin, request)
    assert world.other_company.pk not in permissions.own_organisation_ids(world.admin)


def test_nobody_else_answers_for_the_organisation(world, newcomer):
    """Not another company's editor, not the manager of a cluster it is a member of, not the
    manager of its partnership: consent is not delegated."""
    to_company = services.ask_to_join(newcomer, world.member_company)
    to_member = services.ask_to_join(newcomer, world.cluster_member)
    attempts = [
        (world.other_company_user, to_company),
        (world.partnership_manager, to_company),
        (world.outsider, to_company),
        (world.cluster_manager, to_member),
    ]
    for intruder, request in attempts:
        assert not rules.may_answer_join(intruder, request)
        for action in (services.accept_join, services.decline_join):
            with pytest.raises(rules.Refused):
                action(intruder, request)
    assert not Position.objects.filter(person__user=newcomer).exists()
    assert set(JoinRequest.objects.values_list("status", flat=True)) == {"pending"}
    # An admin may answer for an organisation that has nobody of its own.
    services.accept_join(world.admin, to_member)
    assert permissions.can_edit_organisation(newcomer, world.cluster_member)


def test_a_cluster_s_managers_answer_for_the_cluster_not_its_editors(world, newcomer):
    from ..factories import PositionFactory

    cluster_editor = PositionFactory(organisation=world.cluster, role=Position.Role.EDITOR)
    request = services.ask_to_join(newcomer, world.cluster)
    assert not rules.may_answer_join(cluster_editor.person.user, request)
    assert rules.may_answer_join(world.cluster_manager, request)


def test_decline_and_withdraw(world, newcomer, sent):
    declined = services.ask_to_join(newcomer, world.member_company)
    with sent():
        services.decline_join(world.company_user, declined)
    assert "declined" in Notification.objects.get(kind="join_request_answer").title
    assert not permissions.can_edit_organisation(newcomer, world.member_company)
    with pytest.raises(services.JoinConflict, match="declined already"):
        services.accept_join(world.company_user, declined)

    again = services.ask_to_join(newcomer, world.member_company)  # a new request is allowed
    with pytest.raises(rules.Refused):
        services.withdraw_join(world.company_user, again)
    services.withdraw_join(newcomer, again)
    again.refresh_from_db()
    assert again.status == JoinRequest.Status.WITHDRAWN
    with pytest.raises(services.JoinConflict):
        services.accept_join(world.company_user, again)


def test_visible_and_awaiting_lists(world, newcomer):
    mine = services.ask_to_join(newcomer, world.member_company)
    other = JoinRequestFactory(organisation=world.other_company)
    assert list(rules.join_requests_awaiting(world.company_user)) == [mine]
    assert list(rules.join_requests_awaiting(newcomer)) == []
    assert list(rules.visible_join_requests(newcomer)) == [mine]
    assert list(rules.visible_join_requests(world.cluster_manager)) == []
    assert set(rules.join_requests_awaiting(world.admin)) == {mine, other}


def test_registering_an_organisation_makes_its_creator_editor_and_proposes_membership(
    world, newcomer, sent
):
    organisation = Organisation(name="Fresh Robotics", kind="company", country="FR")
    with sent():
        result = services.register_organisation(
            newcomer, organisation, world.cluster, "We build cobots."
        )
    created = result.organisation
    assert created.slug == "fresh-robotics"
    assert permissions.own_organisation_ids(newcomer) == {created.pk}
    # The membership is a proposal awaiting the cluster: it grants nothing yet.
    assert result.membership.pending
    assert not Membership.objects.filter(organisation=created).exists()
    proposal = RelationRequest.objects.get(organisation=created)
    assert (proposal.cluster, proposal.awaiting, proposal.status) == (
        world.cluster,
        RelationRequest.Side.COUNTERPART,
        RelationRequest.Status.PENDING,
    )
    # The registry's relation requests tell the cluster's people (once).
    notice = Notification.objects.get(kind="relation_request", recipient=world.cluster_manager)
    assert "Fresh Robotics" in notice.title
    assert not permissions.can_edit_organisation(world.cluster_manager, created)


def test_a_registered_organisation_may_not_pass_for_another(world, newcomer):
    from django.core.exceptions import ValidationError

    twin = Organisation(name="Precision  Parts", kind="company", country="FR")
    with pytest.raises(ValidationError):
        services.register_organisation(newcomer, twin)
    assert not Position.objects.filter(person__user=newcomer).exists()
