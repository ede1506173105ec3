"""A proposed relation is told to those who may accept it, and its answer to the proposer;
nobody else hears of it (consent is not delegated, so neither is the notice)."""

import pytest
from django.core import mail

from clusterbroker.notifications.models import Notification
from clusterbroker.registry import relations
from clusterbroker.registry.models import ApiToken, Membership, Position, RelationRequest

from ..factories import (
    OrganisationFactory,
    PersonFactory,
    PositionFactory,
    ProjectFactory,
    UserFactory,
)
from .helpers import mails_to, notice, notified

pytestmark = pytest.mark.django_db


def api_post(client, user, url: str, body: dict | None = None):
    _token, raw = ApiToken.issue(user, "test")
    return client.post(
        url, body or {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )


def editor_of(organisation, email: str):
    person = PersonFactory(user=UserFactory(email=email))
    PositionFactory(person=person, organisation=organisation, role=Position.Role.EDITOR)
    return person.user


@pytest.fixture
def addresses(world):
    for user in (
        world.admin,
        world.partnership_manager,
        world.other_partnership_manager,
        world.cluster_manager,
        world.company_user,
        world.other_company_user,
        world.outsider,
    ):
        user.email = f"{user.username}@example.org"
        user.save()


def test_a_cluster_proposing_a_member_tells_the_organisations_editors(
    world, addresses, client, committed
):
    victim = OrganisationFactory(name="Victim Robotics", slug="victim-robotics")
    editor = editor_of(victim, "editor@victim.example")
    contact = PositionFactory(organisation=victim).person.user  # a contact does not consent
    with committed():
        response = api_post(
            client,
            world.cluster_manager,
            "/api/memberships/",
            {"organisation": victim.slug, "cluster": world.cluster.slug},
        )
    assert response.status_code == 202
    assert notified("relation_request") == {editor.pk}
    told = notice("relation_request", editor)
    assert told.title == "Mecha Cluster proposes that Victim Robotics become a member"
    assert "Nothing is granted until your side accepts" in told.body
    assert told.url == "/requests/"
    assert [m.to for m in mail.outbox] == [["editor@victim.example"]]
    assert contact.pk not in notified("relation_request")

    # The editor accepts on the page: the proposer is told, not the one who accepted.
    Notification.objects.all().delete()
    mail.outbox.clear()
    with committed():
        world.client(editor).post(f"/requests/{response.json()['id']}/accept/")
    assert Membership.objects.filter(organisation=victim, cluster=world.cluster).exists()
    assert notified("relation_request_answer") == {world.cluster_manager.pk}
    answer = notice("relation_request_answer", world.cluster_manager)
    assert answer.title.startswith("Victim Robotics accepted")
    assert mails_to(world.cluster_manager.email) and len(mail.outbox) == 1


def test_asking_to_join_a_cluster_tells_its_managers_and_the_decline_the_asker(
    world, addresses, client, committed
):
    with committed():
        response = api_post(
            client,
            world.company_user,
            "/api/memberships/",
            {"organisation": world.member_company.slug, "cluster": world.cluster.slug},
        )
    assert notified("relation_request") == {world.cluster_manager.pk}
    assert "Precision Parts asks to become a member of Mecha Cluster" == (
        notice("relation_request", world.cluster_manager).title
    )
    with committed():
        api_post(
            client,
            world.cluster_manager,
            f"/api/relation-requests/{response.json()['id']}/decline",
        )
    assert notified("relation_request_answer") == {world.company_user.pk}
    assert "declined" in notice("relation_request_answer", world.company_user).title
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.cluster_manager.email, world.company_user.email]
    )


def test_a_seat_proposal_is_told_to_the_members_own_editors_not_its_keepers(
    world, addresses, client, committed
):
    """`cluster_member` is kept by the cluster's manager, who may not consent for it: they
    are not asked."""
    editor = editor_of(world.cluster_member, "editor@member.example")
    with committed():
        api_post(
            client,
            world.other_partnership_manager,
            "/api/partnership-members/",
            {
                "partnership": world.other_partnership.slug,
                "organisation": world.cluster_member.slug,
            },
        )
    assert notified("relation_request") == {editor.pk}
    assert world.cluster_manager.pk not in notified("relation_request")


def test_asking_for_a_seat_tells_that_partnerships_managers_only(
    world, addresses, client, committed
):
    with committed():
        response = api_post(
            client,
            world.other_company_user,
            "/api/partnership-members/",
            {"partnership": world.partnership.slug, "organisation": world.other_company.slug},
        )
    assert response.status_code == 202
    assert notified("relation_request") == {world.partnership_manager.pk}


def test_a_project_without_coordinator_is_answered_for_by_admins_who_are_told(
    world, addresses, client, committed
):
    empty = ProjectFactory(acronym="EMPTY")
    with committed():
        api_post(
            client,
            world.other_company_user,
            "/api/participations/",
            {"project": empty.pk, "organisation": world.other_company.slug},
        )
    assert notified("relation_request") == {world.admin.pk}


def test_a_withdrawal_by_a_colleague_tells_the_proposer(world, addresses, committed):
    colleague = editor_of(world.member_company, "colleague@example.org")
    membership = Membership(organisation=world.member_company, cluster=world.cluster)
    request = relations.propose(world.company_user, membership).request
    Notification.objects.all().delete()
    with committed():
        world.client(colleague).post(f"/requests/{request.pk}/withdraw/")
    request.refresh_from_db()
    assert request.status == RelationRequest.Status.WITHDRAWN
    assert notified("relation_request_answer") == {world.company_user.pk}
    assert "withdrawn" in notice("relation_request_answer", world.company_user).title
    # The proposer withdrawing their own proposal tells nobody.
    again = relations.propose(
        world.company_user, Membership(organisation=world.member_company, cluster=world.cluster)
    ).request
    Notification.objects.all().delete()
    relations.withdraw(world.company_user, again)
    assert not Notification.objects.exists()


def test_a_refused_proposal_tells_nobody(world, addresses, client, committed):
    with committed():
        response = api_post(
            client,
            world.outsider,
            "/api/memberships/",
            {"organisation": world.other_company.slug, "cluster": world.cluster.slug},
        )
    assert response.status_code == 403
    assert not Notification.objects.exists() and not mail.outbox
