"""Who answers an introduction: a keeper of the need's profile, never for their own
organisation; and an acceptance goes when the relation that let its giver answer goes."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from clusterbroker.brokering import permissions, services
from clusterbroker.brokering.models import Introduction
from clusterbroker.registry.models import Membership, PartnershipMember, Person, Position
from tests.factories import ClusterFactory, PartnershipMemberFactory, PositionFactory

from .factories import save_profile

pytestmark = pytest.mark.django_db
SECRET = "Cryogenic valve redesign"


@pytest.fixture
def need(world):
    """A confidential need of `cluster_member`, a member of `cluster` (whose manager keeps
    its profile)."""
    owner = PositionFactory(organisation=world.cluster_member, role="editor").person.user
    profile = save_profile(
        owner,
        world.cluster_member,
        needs=[services.NeedData(kind="technology", description=SECRET, confidential=True)],
    )
    need = profile.needs.get()
    need.owner = owner
    return need


def _reads(world, user, need) -> bool:
    return SECRET in world.client(user).get(need.get_absolute_url()).content.decode()


def test_an_answer_records_who_gave_it_and_when(world, need):
    introduction = services.request_introduction(
        world.other_company_user, need, world.other_company
    )
    owner = world.client(need.owner)
    owner.post(reverse("brokering:introduction-answer", args=[introduction.pk, "accept"]))
    introduction.refresh_from_db()
    assert introduction.status == "accepted"
    assert introduction.answered_by == need.owner and introduction.answered_at is not None
    page = owner.get(need.profile.get_absolute_url()).content.decode()
    assert need.owner.get_username() in page
    listed = world.client(need.owner).get("/api/brokering/introductions").json()
    assert listed[0]["answered_by"] == need.owner.get_username()
    # The requester learns the answer, not which keeper gave it.
    outgoing = world.client(world.other_company_user).get("/api/brokering/introductions").json()
    assert outgoing[0]["status"] == "accepted" and outgoing[0]["answered_by"] is None


def test_a_cluster_manager_cannot_accept_for_their_own_cluster(world, need):
    """The review's path: the cluster manager asks, for the cluster, to be introduced to a
    member's need, and accepts it themselves."""
    introduction = services.request_introduction(world.cluster_manager, need, world.cluster)
    assert not permissions.can_answer_introduction(world.cluster_manager, introduction)
    with pytest.raises(PermissionDenied):
        services.answer_introduction(world.cluster_manager, introduction, accept=True)
    client = world.client(world.cluster_manager)
    page = client.post(reverse("brokering:introduction-answer", args=[introduction.pk, "accept"]))
    assert page.status_code == 403
    api = client.post(f"/api/brokering/introductions/{introduction.pk}/accept")
    assert api.status_code == 403
    introduction.refresh_from_db()
    assert introduction.status == "pending"
    # The member's own editor decides.
    services.answer_introduction(need.owner, introduction, accept=False)


def test_nobody_answers_for_an_organisation_they_hold_a_position_in(world, need):
    """A contact of the requester (no editing right there) who keeps the need's profile."""
    PositionFactory(person=Person.objects.get(user=need.owner), organisation=world.other_company)
    introduction = services.request_introduction(
        world.other_company_user, need, world.other_company
    )
    with pytest.raises(PermissionDenied):
        services.answer_introduction(need.owner, introduction, accept=True)
    services.answer_introduction(world.cluster_manager, introduction, accept=True)
    assert _reads(world, world.other_company_user, need)


def test_removing_the_membership_revokes_what_the_cluster_manager_accepted(world, need):
    introduction = services.request_introduction(
        world.other_company_user, need, world.other_company
    )
    services.answer_introduction(world.cluster_manager, introduction, accept=True)
    assert _reads(world, world.other_company_user, need)
    Membership.objects.get(organisation=world.cluster_member, cluster=world.cluster).delete()
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.REVOKED
    assert not _reads(world, world.other_company_user, need)
    client = world.client(world.other_company_user)
    assert client.get(f"/api/brokering/needs/{need.pk}").status_code == 404  # no longer its id
    api = client.get(f"/api/brokering/needs/{need.ref}").json()
    assert api["visible"] is False and api["description"] is None and api["id"] is None
    # The former cluster manager neither reads the need nor answers again.
    assert not _reads(world, world.cluster_manager, need)
    with pytest.raises(PermissionDenied):
        services.answer_introduction(world.cluster_manager, introduction, accept=True)
    # The owner's own keepers see the revoked request and decide anew.
    page = world.client(need.owner).get(need.profile.get_absolute_url()).content.decode()
    assert "Revoked" in page
    assert reverse("brokering:introduction-answer", args=[introduction.pk, "accept"]) in page
    services.answer_introduction(need.owner, introduction, accept=True)
    assert _reads(world, world.other_company_user, need)


def test_an_acceptance_by_a_keeper_who_stays_is_kept(world, need):
    introduction = services.request_introduction(
        world.other_company_user, need, world.other_company
    )
    services.answer_introduction(need.owner, introduction, accept=True)
    Membership.objects.get(organisation=world.cluster_member, cluster=world.cluster).delete()
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.ACCEPTED


def test_removing_the_position_revokes_what_its_holder_accepted(world, need):
    """A manager of the cluster leaves it: their acceptances for its members go."""
    introduction = services.request_introduction(
        world.other_company_user, need, world.other_company
    )
    services.answer_introduction(world.cluster_manager, introduction, accept=True)
    Position.objects.get(person__user=world.cluster_manager, organisation=world.cluster).delete()
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.REVOKED


def test_a_position_changed_to_contact_revokes_too(world, need):
    introduction = services.request_introduction(
        world.other_company_user, need, world.other_company
    )
    services.answer_introduction(world.cluster_manager, introduction, accept=True)
    position = Position.objects.get(person__user=world.cluster_manager)
    position.role = Position.Role.CONTACT
    position.save()
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.REVOKED


def test_a_declined_or_admins_answer_is_not_revoked(world, need):
    first = services.request_introduction(world.other_company_user, need, world.other_company)
    services.answer_introduction(world.cluster_manager, first, accept=False)
    second = services.request_introduction(world.company_user, need, world.member_company)
    services.answer_introduction(world.admin, second, accept=True)
    Membership.objects.get(organisation=world.cluster_member, cluster=world.cluster).delete()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("declined", "accepted")


def test_a_partnership_seat_removed_checks_the_acceptances_too(world, need):
    """Partnership managers never keep profiles; removing a seat revokes an acceptance whose
    giver no longer keeps the profile (here, their cluster's membership was moved elsewhere
    behind the hooks' back) and keeps the others."""
    PartnershipMemberFactory(partnership=world.partnership, organisation=world.cluster_member)
    assert not permissions.can_keep_profile(world.partnership_manager, world.cluster_member)
    first = services.request_introduction(world.other_company_user, need, world.other_company)
    services.answer_introduction(world.cluster_manager, first, accept=True)
    second = services.request_introduction(world.company_user, need, world.member_company)
    services.answer_introduction(need.owner, second, accept=True)
    Membership.objects.filter(organisation=world.cluster_member).update(cluster=ClusterFactory())
    first.refresh_from_db()
    assert first.status == "accepted"  # no hook ran
    PartnershipMember.objects.get(organisation=world.cluster_member).delete()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("revoked", "accepted")
