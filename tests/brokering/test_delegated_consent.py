"""Consent is never delegated: a keeper through a relation (a cluster manager keeps its members'
profiles) may not publish a member's confidential need, nor remove it; the whole save is
refused, naming the need and the reason, and nothing changes."""

import pytest
from django.urls import reverse

from clusterbroker.brokering import services
from clusterbroker.brokering.models import Need, Profile
from tests.factories import PositionFactory

from .factories import save_profile, taxonomy_terms

pytestmark = pytest.mark.django_db
SECRET = "Hydrogen tank liner, not announced yet"


@pytest.fixture
def member(world):
    """`cluster_member` (kept by `cluster_manager` through its accepted membership) has an
    offer, a confidential need and a public need, saved by its own editor."""
    taxonomy_terms()
    owner = PositionFactory(organisation=world.cluster_member, role="editor").person.user
    profile = save_profile(
        owner,
        world.cluster_member,
        summary="Who we are",
        sector="Tanks",
        offers=[services.OfferData("Composite winding", "Filament winding", ["effra:D1"])],
        needs=[
            services.NeedData(
                kind="technology", description=SECRET, terms=["effra:D3"], confidential=True
            ),
            services.NeedData(kind="service", description="Open need"),
        ],
    )
    return {
        "owner": owner,
        "profile": profile,
        "secret": profile.needs.get(confidential=True),
        "open": profile.needs.get(confidential=False),
    }


def _state(profile: Profile) -> dict:
    profile.refresh_from_db()
    return {
        "summary": profile.summary,
        "sector": profile.sector,
        "offers": list(profile.offers.values_list("pk", "title", "description")),
        "needs": list(profile.needs.values_list("pk", "description", "confidential")),
    }


def _payload(world, member, secret: dict | None, **changes) -> dict:
    needs = [
        {"id": member["open"].pk, "kind": "service", "description": "Open need"},
    ]
    if secret is not None:
        base = {"id": member["secret"].pk, "kind": "technology", "description": SECRET}
        needs.insert(0, {**base, "confidential": True, **secret})
    return {
        "organisation": world.cluster_member.slug,
        "summary": "Changed by the cluster",
        "sector": "Tanks",
        "offers": [{"title": "Composite winding", "description": "Filament winding"}],
        "needs": needs,
        **changes,
    }


def _post(client, payload):
    return client.post("/api/brokering/profiles", payload, content_type="application/json")


def test_a_cluster_manager_cannot_make_a_members_confidential_need_public(world, member):
    before = _state(member["profile"])
    manager = world.client(world.cluster_manager)
    response = _post(manager, _payload(world, member, {"confidential": False}))
    assert response.status_code == 403, response.content
    detail = response.json()["detail"]
    assert "needs[1]" in detail and f"#{member['secret'].pk}" in detail
    assert world.cluster_member.name in detail and "own editors" in detail
    assert _state(member["profile"]) == before
    other = world.client(world.other_company_user)
    assert SECRET not in other.get("/api/brokering/needs").content.decode()


def test_a_cluster_manager_cannot_remove_a_members_confidential_need(world, member):
    before = _state(member["profile"])
    response = _post(world.client(world.cluster_manager), _payload(world, member, None))
    assert response.status_code == 403, response.content
    detail = response.json()["detail"]
    assert f"#{member['secret'].pk}" in detail and "remove" in detail
    assert _state(member["profile"]) == before
    # Nor by leaving every need out: the offers and needs stay as they were.
    emptied = _payload(world, member, None, offers=[], needs=[])
    assert _post(world.client(world.cluster_manager), emptied).status_code == 403
    assert _state(member["profile"]) == before


def test_naming_the_need_twice_does_not_get_round_it(world, member):
    """Kept confidential once, made public by a second entry of the same id: refused too."""
    before = _state(member["profile"])
    payload = _payload(world, member, {})
    twice = {**payload["needs"][0], "confidential": False}
    payload["needs"].append(twice)
    response = _post(world.client(world.cluster_manager), payload)
    assert response.status_code == 403, response.content
    assert "needs[3]" in response.json()["detail"]
    assert _state(member["profile"]) == before


def test_the_service_refuses_it_for_every_caller(world, member):
    data = services.Questionnaire(
        organisation=world.cluster_member,
        needs=[services.NeedData(kind="technology", description=SECRET, id=member["secret"].pk)],
    )
    before = _state(member["profile"])
    with pytest.raises(services.ConsentRequired) as refused:
        services.save_questionnaire(world.cluster_manager, data)
    assert len(refused.value.messages) == 1  # made public (the open need's removal is allowed)
    assert _state(member["profile"]) == before


def test_the_questionnaire_page_refuses_it_and_says_why(world, member):
    before = _state(member["profile"])
    client = world.client(world.cluster_manager)
    start = reverse("brokering:questionnaire") + f"?organisation={world.cluster_member.slug}"
    assert client.get(start).status_code == 200
    url = lambda step: reverse("brokering:questionnaire-step", args=[step])  # noqa: E731
    client.post(url("who"), {"organisation": world.cluster_member.pk, "new_kind": "company"})
    client.post(
        url("offers"),
        {"offers-TOTAL_FORMS": "1", "offers-INITIAL_FORMS": "0", "offers-0-title": "Other"},
    )
    client.post(
        url("needs"),
        {
            "needs-TOTAL_FORMS": "1",
            "needs-INITIAL_FORMS": "0",
            "needs-0-id": member["secret"].pk,
            "needs-0-kind": "technology",
            "needs-0-description": SECRET,  # "confidential" unticked
        },
    )
    response = client.post(url("preferences"), {"sector": "Tanks", "cross_border": "on"})
    assert response.status_code == 403
    page = response.content.decode()
    assert f"#{member['secret'].pk}" in page and "own editors" in page
    assert _state(member["profile"]) == before


def test_the_organisations_own_editors_and_admins_may(world, member):
    for user in (member["owner"], world.admin):
        need = Need.objects.get(description=SECRET)
        need.confidential = True
        need.save()
        payload = _payload(world, member, {"confidential": False})
        response = _post(world.client(user), payload)
        assert response.status_code == 200, response.content
        assert Need.objects.get(description=SECRET).confidential is False
    # … and remove it.
    response = _post(world.client(member["owner"]), _payload(world, member, None))
    assert response.status_code == 200
    assert not Need.objects.filter(description=SECRET).exists()


def test_a_keeping_manager_still_keeps_the_rest_of_the_profile(world, member):
    """Changing the text, adding a confidential need and making a public one confidential stay
    allowed: they disclose nothing."""
    payload = _payload(world, member, {"description": SECRET + ", revised"})
    payload["needs"][1]["confidential"] = True
    payload["needs"].append({"kind": "funding", "description": "New secret", "confidential": True})
    response = _post(world.client(world.cluster_manager), payload)
    assert response.status_code == 200, response.content
    needs = member["profile"].needs.order_by("pk")
    assert [(n.description, n.confidential) for n in needs] == [
        (SECRET + ", revised", True),
        ("Open need", True),
        ("New secret", True),
    ]
    assert _state(member["profile"])["summary"] == "Changed by the cluster"


def test_a_public_need_may_be_removed_by_the_keeping_manager(world, member):
    payload = _payload(world, member, {})
    payload["needs"] = payload["needs"][:1]
    response = _post(world.client(world.cluster_manager), payload)
    assert response.status_code == 200, response.content
    assert list(member["profile"].needs.values_list("description", flat=True)) == [SECRET]
