"""Confidential needs: seen by their owner and cluster managers, others see a summary."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from clusterbroker.brokering import engine, services
from clusterbroker.brokering.models import Introduction
from tests.factories import OrganisationFactory

from .factories import ProfileFactory, save_profile, taxonomy_terms

pytestmark = pytest.mark.django_db
SECRET = "zeppelinium alloy recycling plan"


@pytest.fixture
def secret(world):
    """`cluster_member` (member of `cluster`) has a confidential need; `other_company` a profile."""
    terms = taxonomy_terms()
    from clusterbroker.registry.models import Position
    from tests.factories import PositionFactory

    owner = PositionFactory(
        organisation=world.cluster_member, role=Position.Role.EDITOR
    ).person.user
    profile = save_profile(
        owner,
        world.cluster_member,
        sector="Metals",
        needs=[
            services.NeedData(
                kind="technology", description=SECRET, terms=["effra:D3"], confidential=True
            ),
            services.NeedData(kind="service", description="public need for testing"),
        ],
    )
    provider = save_profile(
        world.other_company_user,
        world.other_company,
        offers=[services.OfferData("Digital factory services", "We do it", ["effra:D3"])],
    )
    need = profile.needs.get(confidential=True)
    return {"owner": owner, "profile": profile, "need": need, "provider": provider, "terms": terms}


def _readers(world, secret):
    return {
        "owner": secret["owner"],
        "cluster_manager": world.cluster_manager,
        "admin": world.admin,
    }


def _others(world):
    return {
        "other_company_user": world.other_company_user,
        "company_user": world.company_user,
        "partnership_manager": world.partnership_manager,
        "outsider": world.outsider,
    }


def _everything_a_user_can_read(world, user, secret) -> str:
    client = world.client(user)
    need, profile = secret["need"], secret["profile"]
    pages = [
        client.get(profile.get_absolute_url()),
        client.get(need.get_absolute_url()),
        client.get(reverse("brokering:needs")),
        client.get(reverse("brokering:needs") + "?q=zeppelinium"),
        client.get(reverse("brokering:profiles") + "?q=zeppelinium"),
        client.get(f"/api/brokering/profiles/{profile.public_id}"),
        client.get(f"/api/brokering/needs/{need.pk}"),
        client.get(f"/api/brokering/needs/{need.ref}"),
        client.get("/api/brokering/needs?q=zeppelinium"),
        client.get("/api/brokering/profiles"),
    ]
    return "\n".join(p.content.decode() for p in pages)


def test_owner_and_cluster_managers_read_the_confidential_need(world, secret):
    for name, user in _readers(world, secret).items():
        assert SECRET in _everything_a_user_can_read(world, user, secret), name


def test_nobody_else_reads_it_through_pages_api_or_search(world, secret):
    for name, user in _others(world).items():
        content = _everything_a_user_can_read(world, user, secret)
        # (the search box echoes the query word, so look for the rest of the text)
        assert "recycling plan" not in content, name
        assert "public need for testing" in content, name
    anonymous = world.client().get(secret["need"].get_absolute_url()).content.decode()
    assert "recycling plan" not in anonymous


def test_others_see_an_anonymised_summary(world, secret):
    # Sector and country are shown when at least five profiles share them (test_anonymity).
    for sector, country in [("Metals", "FR"), ("", "DE")] * 4:
        ProfileFactory(organisation=OrganisationFactory(country=country), sector=sector)
    client = world.client(world.other_company_user)
    page = client.get(secret["need"].get_absolute_url()).content.decode()
    assert "Digital factory" in page  # the technology
    assert "Metals" in page and "France" in page  # the sector and country
    assert world.cluster_member.name not in page  # not who
    api = client.get(f"/api/brokering/needs/{secret['need'].ref}").json()
    assert api["description"] is None and api["organisation"] is None
    assert api["terms"] == ["effra:D3"] and api["country"] == world.cluster_member.country


def test_matching_results_never_carry_the_confidential_text(world, secret):
    results = engine.match_profile(secret["provider"], "partners")
    for result in results:
        assert all("zeppelinium" not in r for r in result.reasons)
    index = engine.current_index()
    assert index.vectorizer is None or "zeppelinium" not in index.vectorizer.vocabulary_
    # The owner's own ranking does use it: the provider offers what the need asks.
    own = engine.match_profile(secret["profile"], "partners")
    assert own and own[0].item == world.other_company
    assert any("Digital factory" in r for r in own[0].reasons)


def test_introduction_accepted_makes_the_need_visible_to_the_provider(world, secret):
    need = secret["need"]
    client = world.client(world.other_company_user)
    response = client.post(
        reverse("brokering:introduce-ref", args=[need.ref]),
        {"requester": world.other_company.pk, "message": "We can help"},
    )
    assert response.status_code == 302
    introduction = Introduction.objects.get(need=need)
    assert introduction.status == "pending"
    assert "recycling plan" not in client.get(need.get_absolute_url()).content.decode()
    # The requester cannot accept its own request.
    denied = client.post(reverse("brokering:introduction-answer", args=[introduction.pk, "accept"]))
    assert denied.status_code == 403
    # The owner sees it on their profile and accepts.
    owner = world.client(secret["owner"])
    assert "We can help" in owner.get(secret["profile"].get_absolute_url()).content.decode()
    owner.post(reverse("brokering:introduction-answer", args=[introduction.pk, "accept"]))
    introduction.refresh_from_db()
    assert introduction.status == "accepted"
    page = client.get(need.get_absolute_url()).content.decode()
    assert SECRET in page and world.cluster_member.name in page
    assert client.get(f"/api/brokering/needs/{need.pk}").json()["description"] == SECRET
    # Still hidden from everyone else.
    assert "recycling plan" not in _everything_a_user_can_read(world, world.company_user, secret)


def test_declined_introduction_keeps_it_hidden(world, secret):
    need = secret["need"]
    introduction = services.request_introduction(
        world.other_company_user, need, world.other_company
    )
    services.answer_introduction(secret["owner"], introduction, accept=False)
    content = _everything_a_user_can_read(world, world.other_company_user, secret)
    assert "recycling plan" not in content


def test_introductions_through_the_api(world, secret):
    need = secret["need"]
    provider = world.client(world.other_company_user)
    created = provider.post(
        f"/api/brokering/needs/{need.ref}/introductions",
        {"requester": world.other_company.slug},
        content_type="application/json",
    )
    assert created.status_code == 201
    again = provider.post(
        f"/api/brokering/needs/{need.ref}/introductions",
        {"requester": world.other_company.slug},
        content_type="application/json",
    )
    assert again.status_code == 422
    intro_id = created.json()["id"]
    assert provider.post(f"/api/brokering/introductions/{intro_id}/accept").status_code == 403
    owner = world.client(secret["owner"])
    assert [i["id"] for i in owner.get("/api/brokering/introductions").json()] == [intro_id]
    assert owner.post(f"/api/brokering/introductions/{intro_id}/accept").status_code == 200
    assert provider.get(f"/api/brokering/needs/{need.pk}").json()["visible"] is True


def test_introductions_only_for_organisations_one_acts_for(world, secret):
    need = secret["need"]
    with pytest.raises(PermissionDenied):
        services.request_introduction(world.outsider, need, world.other_company)
    with pytest.raises(PermissionDenied):
        services.request_introduction(secret["owner"], need, world.cluster_member)
    response = world.client(world.outsider).post(
        f"/api/brokering/needs/{need.ref}/introductions",
        {"requester": world.other_company.slug},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_matches_of_a_profile_only_for_its_keepers(world, secret):
    url = reverse("brokering:matches", args=[secret["profile"].public_id])
    assert world.client(world.other_company_user).get(url).status_code == 403
    assert world.client(world.partnership_manager).get(url).status_code == 403
    api = f"/api/brokering/profiles/{secret['profile'].public_id}/matches"
    assert world.client(world.other_company_user).get(api).status_code == 403
    assert world.client().get(api).status_code == 401
    assert world.client(secret["owner"]).get(url).status_code == 200


def test_providers_see_matching_needs_anonymised_until_introduced(world, secret):
    results = engine.match_profile(secret["provider"], "needs", user=world.other_company_user)
    top = results[0]
    assert top.item == secret["need"]
    assert "recycling plan" not in top.label and world.cluster_member.name not in top.description
    assert any("D3 Digital factory" in r and "they need" in r for r in top.reasons)
    assert all("zeppelinium" not in r for res in results for r in res.reasons)
    page = world.client(world.other_company_user).get(
        reverse("brokering:matches", args=[secret["provider"].public_id]) + "?kind=needs"
    )
    assert "Confidential need (anonymised)" in page.content.decode()
    assert "recycling plan" not in page.content.decode()
    introduction = services.request_introduction(
        world.other_company_user, secret["need"], world.other_company
    )
    services.answer_introduction(secret["owner"], introduction, accept=True)
    again = engine.match_profile(secret["provider"], "needs", user=world.other_company_user)
    assert SECRET in again[0].label and world.cluster_member.name in again[0].description
