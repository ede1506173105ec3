"""The review of duplicate proposals through the pages: who may review, merge, undo."""

import pytest
from django.urls import reverse

from clusterbroker.registry.dedup.services import find_and_store
from clusterbroker.registry.models import DuplicateProposal, Membership, Organisation

from ..factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def propose(a, b, score=0.95) -> DuplicateProposal:
    a, b = sorted((a, b), key=lambda o: o.pk)
    return DuplicateProposal.objects.create(
        a=a,
        b=b,
        a_name=a.name,
        b_name=b.name,
        score=score,
        reasons=[
            {"code": "same_name", "detail": "mecha"},
            {"code": "same_country", "detail": "BE"},
        ],
    )


@pytest.fixture
def cordis_twin(world):
    """An unclaimed organisation (as CORDIS imports create) that looks like the cluster's
    member."""
    return OrganisationFactory(name="CLUSTER MEMBER LTD", country=world.cluster_member.country)


def test_an_ordinary_member_cannot_see_the_review_nor_decide(world, cordis_twin):
    proposal = propose(world.member_company, cordis_twin)
    client = world.client(world.company_user)
    assert client.get(reverse("registry:duplicates")).status_code == 403
    url = reverse("registry:duplicate", args=[proposal.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "merge"}).status_code == 403
    assert Organisation.objects.filter(pk=cordis_twin.pk).exists()


def test_the_review_page_shows_both_side_by_side_with_the_evidence(world, cordis_twin):
    proposal = propose(world.cluster_member, cordis_twin)
    page = world.client(world.cluster_manager).get(
        reverse("registry:duplicate", args=[proposal.pk])
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cluster Member Ltd" in text and "CLUSTER MEMBER LTD" in text
    assert 'id="side-a"' in text and 'id="side-b"' in text
    assert "Same country (BE)" in text


def test_a_cluster_manager_merges_an_unclaimed_twin_of_a_member_and_undoes_it(world, cordis_twin):
    proposal = propose(world.cluster_member, cordis_twin)
    client = world.client(world.cluster_manager)
    keep = "a" if proposal.a_id == world.cluster_member.pk else "b"
    response = client.post(
        reverse("registry:duplicate", args=[proposal.pk]), {"action": "merge", "keep": keep}
    )
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=cordis_twin.pk).exists()
    proposal.refresh_from_db()
    assert proposal.status == "merged"
    record = proposal.merges.get()
    page = client.get(reverse("registry:duplicate", args=[proposal.pk])).content.decode()
    assert reverse("registry:merge-undo", args=[record.pk]) in page
    client.post(reverse("registry:merge-undo", args=[record.pk]))
    assert Organisation.objects.filter(pk=cordis_twin.pk, slug=cordis_twin.slug).exists()
    proposal.refresh_from_db()
    assert proposal.status == "open"


def test_a_manager_cannot_merge_organisations_outside_his_reach(world):
    other = OrganisationFactory(name="Far Away", country="DE")
    proposal = propose(world.other_company, other)
    client = world.client(world.cluster_manager)
    url = reverse("registry:duplicate", args=[proposal.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "merge"}).status_code == 403
    listing = client.get(reverse("registry:duplicates")).content.decode()
    assert url not in listing
    assert Organisation.objects.filter(pk=other.pk).exists()


def test_a_manager_cannot_merge_his_member_with_an_organisation_someone_else_answers_for(world):
    proposal = propose(world.cluster_member, world.other_company)
    client = world.client(world.cluster_manager)
    url = reverse("registry:duplicate", args=[proposal.pk])
    assert client.post(url, {"action": "merge"}).status_code == 403
    assert Organisation.objects.filter(pk=world.other_company.pk).exists()
    assert world.client(world.admin).get(url).status_code == 200


def test_not_the_same_is_remembered_and_never_proposed_again(world):
    a = OrganisationFactory(name="Acme Robotics", country="DE")
    b = OrganisationFactory(name="ACME ROBOTICS GMBH", country="DE")
    find_and_store()
    proposal = DuplicateProposal.objects.get(a=a, b=b)
    world.client(world.admin).post(
        reverse("registry:duplicate", args=[proposal.pk]), {"action": "not_same"}
    )
    proposal.refresh_from_db()
    assert proposal.status == "not_same"
    report = find_and_store()
    assert report.decided == 1 and report.new == 0
    assert DuplicateProposal.objects.filter(status="open").count() == 0


def test_skip_leaves_the_pair_among_the_skipped(world, cordis_twin):
    proposal = propose(world.cluster_member, cordis_twin)
    world.client(world.admin).post(
        reverse("registry:duplicate", args=[proposal.pk]), {"action": "skipped"}
    )
    proposal.refresh_from_db()
    assert proposal.status == "skipped"
    listing = world.client(world.admin).get(reverse("registry:duplicates") + "?status=skipped")
    assert reverse("registry:duplicate", args=[proposal.pk]) in listing.content.decode()


def test_the_merge_keeps_the_memberships_of_both(world, cordis_twin):
    from ..factories import ClusterFactory, MembershipFactory

    other_cluster = ClusterFactory()
    MembershipFactory(cluster=other_cluster, organisation=cordis_twin)
    proposal = propose(world.cluster_member, cordis_twin)
    keep = "a" if proposal.a_id == world.cluster_member.pk else "b"
    world.client(world.admin).post(
        reverse("registry:duplicate", args=[proposal.pk]), {"action": "merge", "keep": keep}
    )
    clusters = set(
        Membership.objects.filter(organisation=world.cluster_member).values_list(
            "cluster", flat=True
        )
    )
    assert clusters == {world.cluster.pk, other_cluster.pk}


def test_the_organisation_list_leads_reviewers_only_to_the_duplicates(world):
    link = 'href="/duplicates/"'
    assert link in world.client(world.cluster_manager).get("/organisations/").content.decode()
    assert link not in world.client(world.company_user).get("/organisations/").content.decode()
