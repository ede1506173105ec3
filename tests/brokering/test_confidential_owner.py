"""A confidential need never appears under its owner for anyone but its keepers (and those
introduced); brokering needs a login; the summary does not single the owner out."""

import pytest
from django.urls import reverse

from clusterbroker.brokering import engine, services
from tests.factories import OrganisationFactory, PositionFactory

from .factories import ProfileFactory, save_profile, taxonomy_terms

pytestmark = pytest.mark.django_db
SECRET = "Zeppelin hull recycling"


@pytest.fixture
def owned(world):
    """`cluster_member` (a rare profile: the only one in Luxembourg making zeppelins) has a
    confidential need; `other_company` offers what it asks."""
    taxonomy_terms()
    world.cluster_member.country = "LU"
    world.cluster_member.save()
    owner = PositionFactory(organisation=world.cluster_member, role="editor").person.user
    profile = save_profile(
        owner,
        world.cluster_member,
        sector="Zeppelins",
        needs=[
            services.NeedData(
                kind="technology", description=SECRET, terms=["effra:D3"], confidential=True
            ),
            services.NeedData(kind="service", description="Open need for everyone"),
        ],
    )
    provider = save_profile(
        world.other_company_user,
        world.other_company,
        offers=[services.OfferData("Digital factory services", "We do it", ["effra:D3"])],
    )
    return {
        "owner": owner,
        "profile": profile,
        "need": profile.needs.get(confidential=True),
        "provider": provider,
    }


def _owner_marks(world, profile) -> list[str]:
    """What would tell who the owner is."""
    return [
        world.cluster_member.name,
        world.cluster_member.slug,
        profile.public_id,
        profile.get_absolute_url(),
        "Zeppelins",
        "Luxembourg",
        '"LU"',
    ]


def test_the_profile_does_not_list_a_confidential_need_to_others(world, owned):
    profile, need = owned["profile"], owned["need"]
    for user in (world.other_company_user, world.partnership_manager, world.outsider):
        client = world.client(user)
        page = client.get(profile.get_absolute_url()).content.decode()
        assert "Open need for everyone" in page
        assert need.get_absolute_url() not in page and "confidential" not in page
        api = client.get(f"/api/brokering/profiles/{profile.public_id}").json()
        assert [n["description"] for n in api["needs"]] == ["Open need for everyone"]
        listed = client.get("/api/brokering/profiles").json()
        mine = next(p for p in listed if p["public_id"] == profile.public_id)
        assert all(n["confidential"] is False for n in mine["needs"])


def test_keepers_and_introduced_see_it_under_the_owner(world, owned):
    profile, need = owned["profile"], owned["need"]
    for user in (owned["owner"], world.cluster_manager, world.admin):
        page = world.client(user).get(profile.get_absolute_url()).content.decode()
        assert SECRET in page
    introduction = services.request_introduction(
        world.other_company_user, need, world.other_company
    )
    services.answer_introduction(owned["owner"], introduction, accept=True)
    client = world.client(world.other_company_user)
    assert SECRET in client.get(profile.get_absolute_url()).content.decode()
    api = client.get(f"/api/brokering/profiles/{profile.public_id}").json()
    assert SECRET in [n["description"] for n in api["needs"]]


def test_the_list_search_and_matches_never_name_the_owner(world, owned):
    need = owned["need"]
    owned["profile"].needs.filter(confidential=False).delete()  # it names its owner, rightly
    client = world.client(world.other_company_user)
    pages = [
        client.get(reverse("brokering:needs")),
        client.get(reverse("brokering:needs") + "?q=Digital"),
        client.get(need.get_absolute_url()),
        client.get("/api/brokering/needs"),
        client.get(f"/api/brokering/needs/{need.ref}"),
        client.get(
            reverse("brokering:matches", args=[owned["provider"].public_id]) + "?kind=needs"
        ),
        client.get(f"/api/brokering/profiles/{owned['provider'].public_id}/matches?kind=needs"),
    ]
    content = "\n".join(p.content.decode() for p in pages)
    assert "Digital factory" in content  # the technology is in the summary
    for mark in _owner_marks(world, owned["profile"]):
        assert mark not in content, mark
    results = engine.match_profile(owned["provider"], "needs", user=world.other_company_user)
    shown = " ".join([results[0].description, *results[0].reasons])
    assert "LU" not in shown and "Luxembourg" not in shown


def test_a_rare_sector_cannot_be_searched_for(world, owned):
    """Searching the owner's exact sector would tell that this need is theirs."""
    client = world.client(world.other_company_user)
    found = client.get("/api/brokering/needs?q=Zeppelins").json()
    assert [n["description"] for n in found] == ["Open need for everyone"]
    page = client.get(reverse("brokering:needs") + "?q=Zeppelins").content.decode()
    assert owned["need"].get_absolute_url() not in page
    assert client.get("/api/brokering/needs?q=Digital").json()[0]["ref"] == owned["need"].ref


def test_the_summary_names_sector_and_country_once_five_profiles_share_them(world, owned):
    for _ in range(4):
        ProfileFactory(organisation=OrganisationFactory(country="LU"), sector="Zeppelins")
        ProfileFactory(organisation=OrganisationFactory(country="DE"), sector="")
    client = world.client(world.other_company_user)
    api = client.get(f"/api/brokering/needs/{owned['need'].ref}").json()
    assert (api["sector"], api["country"], api["area"]) == ("Zeppelins", "LU", "Luxembourg")
    page = client.get(owned["need"].get_absolute_url()).content.decode()
    assert "Zeppelins" in page and "Luxembourg" in page
    found = client.get("/api/brokering/needs?q=Zeppelins").json()
    assert owned["need"].ref in [n["ref"] for n in found]


@pytest.mark.parametrize(
    "path",
    [
        "/brokering/",
        "/brokering/needs/",
        "/brokering/needs/?q=zeppelin",
        "/brokering/consortium/",
        "/brokering/questionnaire/",
    ],
)
def test_every_brokering_page_needs_a_login(world, path):
    response = world.client().get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_profile_and_need_pages_need_a_login(world, owned):
    for path in (owned["profile"].get_absolute_url(), owned["need"].get_absolute_url()):
        response = world.client().get(path)
        assert response.status_code == 302, path
        assert SECRET not in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/api/brokering/profiles", "/api/brokering/needs", "/api/brokering/introductions"]
)
def test_the_api_reads_need_authentication(world, owned, path):
    assert world.client().get(path).status_code == 401
    assert world.client().get(f"/api/brokering/needs/{owned['need'].pk}").status_code == 401
    profile = f"/api/brokering/profiles/{owned['profile'].public_id}"
    assert world.client().get(profile).status_code == 401
