"""Relations need the consent of both sides: findings 1 and 3 of the security review.

A cluster manager who adds someone else's organisation to their cluster, a partnership
manager who adds it to their partnership, a company editor who adds its organisation to
someone else's project: each only proposes; nothing is granted until the other side accepts,
and removing the relation removes what it granted.
"""

import datetime as dt

import pytest

from clusterbroker.registry import permissions, relations
from clusterbroker.registry.models import (
    ApiToken,
    Membership,
    Participation,
    PartnershipMember,
    Position,
    Project,
    RelationRequest,
)

from ..factories import (
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    PositionFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def _api(client, user, method: str, url: str, body: dict | None = None):
    _token, raw = ApiToken.issue(user, "test")
    call = getattr(client, method)
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    if body is not None:
        return call(url, body, content_type="application/json", **kwargs)
    return call(url, **kwargs)


def _victim_with_editor():
    victim = OrganisationFactory(name="Victim Robotics", slug="victim-robotics")
    editor = PositionFactory(organisation=victim, role=Position.Role.EDITOR).person.user
    return victim, editor


def _can_patch(client, user, organisation) -> bool:
    response = _api(
        client, user, "patch", f"/api/organisations/{organisation.slug}", {"city": "Taken"}
    )
    return response.status_code == 200


# ------------------------------------------------------------------ finding 1: memberships


def test_cluster_manager_adding_an_organisation_only_proposes(world, client):
    victim, editor = _victim_with_editor()
    response = _api(
        client,
        world.cluster_manager,
        "post",
        "/api/memberships/",
        {"organisation": victim.slug, "cluster": world.cluster.slug},
    )
    assert response.status_code == 202
    assert response.json()["awaiting"] == "organisation"
    assert not Membership.objects.filter(organisation=victim).exists()
    assert victim.pk not in permissions.editable_organisation_ids(world.cluster_manager)
    assert not _can_patch(client, world.cluster_manager, victim)
    victim.refresh_from_db()
    assert victim.city != "Taken"

    # The manager cannot accept their own proposal; the victim's editor can.
    request_id = response.json()["id"]
    own = _api(client, world.cluster_manager, "post", f"/api/relation-requests/{request_id}/accept")
    assert own.status_code == 403
    accepted = _api(client, editor, "post", f"/api/relation-requests/{request_id}/accept")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert Membership.objects.filter(organisation=victim, cluster=world.cluster).exists()
    assert _can_patch(client, world.cluster_manager, victim)

    # Removing the membership removes the right it granted.
    membership = Membership.objects.get(organisation=victim, cluster=world.cluster)
    gone = _api(client, editor, "delete", f"/api/memberships/{membership.pk}")
    assert gone.status_code == 204
    assert not _can_patch(client, world.cluster_manager, victim)


def test_partnership_manager_adding_an_organisation_only_proposes(world, client):
    victim, editor = _victim_with_editor()
    person = editor.person
    person.email = "secret@victim.example"
    person.save()
    response = _api(
        client,
        world.partnership_manager,
        "post",
        "/api/partnership-members/",
        {"partnership": world.partnership.slug, "organisation": victim.slug},
    )
    assert response.status_code == 202
    assert not PartnershipMember.objects.filter(organisation=victim).exists()
    assert not permissions.can_see_contact_details(world.partnership_manager, person)
    assert not _can_patch(client, world.partnership_manager, victim)

    relations.accept(editor, RelationRequest.objects.get(pk=response.json()["id"]))
    assert PartnershipMember.objects.filter(organisation=victim).exists()
    assert permissions.can_see_contact_details(world.partnership_manager, person)


def test_an_organisation_asks_to_join_and_the_cluster_accepts(world, client):
    response = _api(
        client,
        world.company_user,
        "post",
        "/api/memberships/",
        {"organisation": world.member_company.slug, "cluster": world.cluster.slug},
    )
    assert response.status_code == 202
    assert response.json()["awaiting"] == "counterpart"
    # Asking to join grants the company nothing over the cluster.
    assert not _can_patch(client, world.company_user, world.cluster)
    listed = _api(client, world.cluster_manager, "get", "/api/relation-requests/?awaiting_me=true")
    assert [item["id"] for item in listed.json()["items"]] == [response.json()["id"]]
    declined = _api(
        client,
        world.cluster_manager,
        "post",
        f"/api/relation-requests/{response.json()['id']}/decline",
    )
    assert declined.json()["status"] == "declined"
    again = _api(
        client,
        world.cluster_manager,
        "post",
        f"/api/relation-requests/{response.json()['id']}/accept",
    )
    assert again.status_code == 409
    assert not Membership.objects.filter(organisation=world.member_company).exists()


def test_proposals_from_both_sides_meet(world):
    victim, editor = _victim_with_editor()
    first = relations.propose(
        world.cluster_manager, Membership(organisation=victim, cluster=world.cluster)
    )
    assert first.pending
    second = relations.propose(editor, Membership(organisation=victim, cluster=world.cluster))
    assert not second.pending
    first.request.refresh_from_db()
    assert first.request.status == RelationRequest.Status.ACCEPTED
    assert first.request.answered_by == editor


def test_a_proposal_cannot_be_made_twice_nor_by_a_stranger(world):
    victim, _editor = _victim_with_editor()
    relations.propose(world.cluster_manager, Membership(organisation=victim, cluster=world.cluster))
    with pytest.raises(relations.RelationConflict):
        relations.propose(
            world.cluster_manager, Membership(organisation=victim, cluster=world.cluster)
        )
    with pytest.raises(relations.PermissionDenied):
        relations.propose(
            world.other_company_user, Membership(organisation=victim, cluster=world.cluster)
        )


def test_requests_are_hidden_from_those_who_may_not_see_them(world, client):
    victim, _editor = _victim_with_editor()
    outcome = relations.propose(
        world.cluster_manager, Membership(organisation=victim, cluster=world.cluster)
    )
    url = f"/api/relation-requests/{outcome.request.pk}"
    assert _api(client, world.other_company_user, "get", url).status_code == 404
    assert (
        _api(client, world.other_company_user, "get", "/api/relation-requests/").json()["items"]
        == []
    )
    withdrawn = _api(client, world.cluster_manager, "post", f"{url}/withdraw")
    assert withdrawn.json()["status"] == "withdrawn"


def test_a_cluster_manager_does_not_consent_for_a_member(world):
    """Keeping a member's records is delegated; consenting to relations for it is not."""
    outcome = relations.propose(
        world.partnership_manager,
        PartnershipMember(organisation=world.cluster_member, partnership=world.partnership),
    )
    assert not relations.may_answer(world.cluster_manager, outcome.request)


def test_membership_role_is_set_by_the_cluster_not_the_member(world, client):
    membership = Membership.objects.get(organisation=world.cluster_member)
    member_editor = PositionFactory(
        organisation=world.cluster_member, role=Position.Role.EDITOR
    ).person.user
    url = f"/api/memberships/{membership.pk}"
    assert _api(client, member_editor, "patch", url, {"role": "board_member"}).status_code == 403
    assert (
        _api(client, world.cluster_manager, "patch", url, {"role": "board_member"}).status_code
        == 200
    )
    # The member may leave.
    assert _api(client, member_editor, "delete", url).status_code == 204


# ------------------------------------------------------------------ finding 3: participations


def _project_coordinated_by(organisation) -> Project:
    project = ProjectFactory(acronym="TWIN", start=dt.date(2024, 1, 1), end=dt.date(2026, 12, 31))
    ParticipationFactory(project=project, organisation=organisation, role="coordinator")
    return project


def test_joining_a_project_is_a_proposal_to_its_coordinator(world, client):
    coordinator = OrganisationFactory(name="Coordinator SA")
    coordinator_editor = PositionFactory(
        organisation=coordinator, role=Position.Role.EDITOR
    ).person.user
    project = _project_coordinated_by(coordinator)
    partner = ParticipationFactory(project=project, organisation=world.other_company)

    response = _api(
        client,
        world.company_user,
        "post",
        "/api/participations/",
        {"project": project.pk, "organisation": world.member_company.slug},
    )
    assert response.status_code == 202
    assert not project.participations.filter(organisation=world.member_company).exists()
    # No right over the project nor its participants.
    edit = _api(client, world.company_user, "patch", f"/api/projects/{project.pk}", {"title": "x"})
    assert edit.status_code == 403
    delete = _api(client, world.company_user, "delete", f"/api/participations/{partner.pk}")
    assert delete.status_code == 403

    relations.accept(coordinator_editor, RelationRequest.objects.get(pk=response.json()["id"]))
    mine = project.participations.get(organisation=world.member_company)
    # Even accepted, a participant neither edits the project nor removes others …
    edit = _api(client, world.company_user, "patch", f"/api/projects/{project.pk}", {"title": "x"})
    assert edit.status_code == 403
    delete = _api(client, world.company_user, "delete", f"/api/participations/{partner.pk}")
    assert delete.status_code == 403
    # … nor makes itself coordinator; it may leave.
    promote = _api(
        client,
        world.company_user,
        "patch",
        f"/api/participations/{mine.pk}",
        {"role": "coordinator"},
    )
    assert promote.status_code == 403
    assert (
        _api(client, world.company_user, "delete", f"/api/participations/{mine.pk}").status_code
        == 204
    )
    # The coordinator edits the project.
    edit = _api(
        client, coordinator_editor, "patch", f"/api/projects/{project.pk}", {"title": "Twin"}
    )
    assert edit.status_code == 200


def test_a_project_is_created_with_its_coordinator(world, client):
    """An empty project would be taken by whoever joins it first: a project is created with
    its coordinator, an organisation its creator acts for."""
    created = _api(
        client,
        world.company_user,
        "post",
        "/api/projects/",
        {"acronym": "NEWP", "coordinator": world.member_company.slug},
    )
    assert created.status_code == 201
    project_id = created.json()["id"]
    coordination = Participation.objects.get(project_id=project_id)
    assert (coordination.organisation, coordination.role) == (world.member_company, "coordinator")
    edit = _api(client, world.company_user, "patch", f"/api/projects/{project_id}", {"title": "N"})
    assert edit.status_code == 200

    missing = _api(client, world.company_user, "post", "/api/projects/", {"acronym": "NOCO"})
    assert missing.status_code == 422
    assert "coordinator" in missing.json()["detail"]
    victim, _editor = _victim_with_editor()
    foreign = _api(
        client,
        world.company_user,
        "post",
        "/api/projects/",
        {"acronym": "THEIRS", "coordinator": victim.slug},
    )
    assert foreign.status_code == 403
    assert not Project.objects.filter(acronym__in=["NOCO", "THEIRS"]).exists()


def test_nobody_but_an_admin_joins_a_project_without_coordinator(world, client):
    empty = ProjectFactory(acronym="EMPTY")
    victim, editor = _victim_with_editor()
    body = {"project": empty.pk, "organisation": victim.slug}
    assert _api(client, editor, "post", "/api/participations/", body).status_code == 202
    assert not empty.participations.exists()
    request = RelationRequest.objects.get(project=empty)
    assert not relations.may_answer(world.company_user, request)
    relations.accept(world.admin, request)
    assert empty.participations.filter(organisation=victim).exists()


def test_a_project_cannot_end_before_it_starts(world, client):
    response = _api(
        client,
        world.admin,
        "post",
        "/api/projects/",
        {"acronym": "BACK", "start": "2025-06-01", "end": "2025-01-01"},
    )
    assert response.status_code == 422
    assert "end" in response.json()["detail"]
    assert not Project.objects.filter(acronym="BACK").exists()
    project = _project_coordinated_by(world.member_company)
    response = _api(
        client, world.company_user, "patch", f"/api/projects/{project.pk}", {"end": "2020-01-01"}
    )
    assert response.status_code == 422
    project.refresh_from_db()
    assert project.end == dt.date(2026, 12, 31)


def test_people_without_person_records_act_for_nobody(world):
    from ..factories import UserFactory

    stranger = UserFactory()
    assert permissions.own_organisation_ids(stranger) == set()
    assert relations.requests_for(stranger).count() == 0
    PersonFactory(user=stranger)
    assert permissions.own_organisation_ids(stranger) == set()
    assert Participation.objects.count() == 0


# ------------------------------------------------------------------ pages


def test_pages_propose_list_and_accept_a_seat(world):
    victim, editor = _victim_with_editor()
    manager = world.client(world.partnership_manager)
    page = manager.get(f"/organisations/{victim.slug}/")
    assert f"Propose a seat in {world.partnership.name}" in page.content.decode()
    response = manager.post(
        f"/organisations/{victim.slug}/propose/",
        {
            "kind": "partnership_member",
            "organisation": victim.slug,
            "counterpart": world.partnership.slug,
        },
        follow=True,
    )
    assert "nothing changes" in response.content.decode()
    assert not PartnershipMember.objects.filter(organisation=victim).exists()
    request = RelationRequest.objects.get(organisation=victim)

    # A stranger neither sees nor answers it.
    stranger = world.client(world.other_company_user)
    assert victim.name not in stranger.get("/requests/").content.decode()
    refused = stranger.post(f"/requests/{request.pk}/accept/")
    assert refused.status_code == 404

    victim_side = world.client(editor)
    listing = victim_side.get("/requests/").content.decode()
    assert 'id="awaiting"' in listing and victim.name in listing
    victim_side.post(f"/requests/{request.pk}/accept/")
    assert PartnershipMember.objects.filter(organisation=victim, partnership=world.partnership)
    request.refresh_from_db()
    assert request.status == RelationRequest.Status.ACCEPTED


def test_a_company_asks_to_join_a_cluster_from_its_page(world):
    client = world.client(world.company_user)
    page = client.get(f"/organisations/{world.cluster.slug}/").content.decode()
    assert f"Ask for {world.member_company.name} to join" in page
    client.post(
        f"/organisations/{world.cluster.slug}/propose/",
        {
            "kind": "membership",
            "organisation": world.member_company.slug,
            "counterpart": world.cluster.slug,
        },
    )
    request = RelationRequest.objects.get(organisation=world.member_company)
    assert request.awaiting == RelationRequest.Side.COUNTERPART
    # Proposing for someone else's organisation from a page is refused.
    victim, _editor = _victim_with_editor()
    response = client.post(
        f"/organisations/{world.cluster.slug}/propose/",
        {"kind": "membership", "organisation": victim.slug, "counterpart": world.cluster.slug},
        follow=True,
    )
    assert "neither side" in response.content.decode()
    assert not RelationRequest.objects.filter(organisation=victim).exists()


def test_a_cluster_cannot_be_a_member_of_itself(world, client):
    response = _api(
        client,
        world.cluster_manager,
        "post",
        "/api/memberships/",
        {"organisation": world.cluster.slug, "cluster": world.cluster.slug},
    )
    assert response.status_code == 422
    assert "itself" in response.json()["detail"]
    assert not Membership.objects.filter(organisation=world.cluster, cluster=world.cluster)
