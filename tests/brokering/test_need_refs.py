"""A need's database id is a handle of those who know its owner; everyone else addresses it by
its random ref, and anonymised needs are never placed by creation order next to needs whose
owner is shown (a confidential need numbered between two of a profile's public needs would
otherwise be that profile's)."""

import pytest
from django.urls import reverse

from clusterbroker.brokering import services
from clusterbroker.brokering.models import Introduction, Need
from clusterbroker.brokering.models.profiles import NEED_REF_PATTERN
from tests.conftest import without_csrf_tokens
from tests.factories import OrganisationFactory, PositionFactory

from .factories import NeedFactory, ProfileFactory, save_profile, taxonomy_terms

pytestmark = pytest.mark.django_db
SECRET = "Cryogenic valve retrofit"


@pytest.fixture
def saved(world):
    """`cluster_member` saves three needs at once (public, confidential, public: consecutive
    ids); `other_company` offers what the confidential one asks and has a need of its own."""
    taxonomy_terms()
    owner = PositionFactory(organisation=world.cluster_member, role="editor").person.user
    profile = save_profile(
        owner,
        world.cluster_member,
        needs=[
            services.NeedData(kind="service", description="First open need"),
            services.NeedData(
                kind="technology", description=SECRET, terms=["effra:D3"], confidential=True
            ),
            services.NeedData(kind="service", description="Second open need"),
        ],
    )
    provider = save_profile(
        world.other_company_user,
        world.other_company,
        offers=[services.OfferData("Digital factory services", "We do it", ["effra:D3"])],
        needs=[services.NeedData(kind="market", description="Far away open need")],
    )
    need = profile.needs.get(confidential=True)
    first, second = profile.needs.filter(confidential=False).order_by("pk")
    assert first.pk < need.pk < second.pk  # what the ids alone would tell
    return {"owner": owner, "profile": profile, "provider": provider, "need": need}


def _others(world):
    return [world.other_company_user, world.partnership_manager, world.outsider]


def _keepers(world, saved):
    return [saved["owner"], world.cluster_manager, world.admin]


def _id_url(need: Need) -> str:
    return reverse("brokering:need", args=[need.pk])


def test_every_need_has_a_random_ref_made_at_creation(world, saved):
    needs = list(Need.objects.all())
    refs = [n.ref for n in needs]
    assert len(set(refs)) == len(refs)
    assert all(NEED_REF_PATTERN.fullmatch(ref) for ref in refs)
    assert NeedFactory().ref not in refs
    assert saved["need"].get_absolute_url() == f"/brokering/needs/{saved['need'].ref}/"
    assert str(saved["need"]) == f"Technology {saved['need'].ref}"  # no id in its name


def test_the_api_list_gives_ids_only_to_those_who_know_the_owner(world, saved):
    need = saved["need"]
    for user in _others(world):
        listed = world.client(user).get("/api/brokering/needs").json()
        assert need.pk not in [n["id"] for n in listed]
        secret = next(n for n in listed if n["ref"] == need.ref)
        assert secret["id"] is None and secret["visible"] is False
        # Nor the ids of the owner's public needs: they would show the gap between them.
        public = [n for n in listed if n["profile"] == saved["profile"].public_id]
        assert len(public) == 2 and all(n["id"] is None for n in public)
        profile = world.client(user).get(f"/api/brokering/profiles/{saved['profile'].public_id}")
        assert all(n["id"] is None for n in profile.json()["needs"])
    # One's own needs keep their ids.
    own = world.client(world.other_company_user).get("/api/brokering/needs").json()
    assert next(n for n in own if n["description"] == "Far away open need")["id"] is not None
    for user in _keepers(world, saved):
        listed = world.client(user).get("/api/brokering/needs").json()
        assert next(n for n in listed if n["ref"] == need.ref)["id"] == need.pk


def test_anonymised_needs_are_listed_apart_in_an_order_unrelated_to_creation(world, saved):
    # More confidential needs, of several profiles, created in turn.
    for country in ("FR", "DE", "IT"):
        profile = ProfileFactory(organisation=OrganisationFactory(country=country))
        for _ in range(2):
            NeedFactory(profile=profile, confidential=True)
            NeedFactory(profile=profile)
    client = world.client(world.other_company_user)
    listed = client.get("/api/brokering/needs").json()
    hidden = [n["visible"] is False for n in listed]
    assert hidden == sorted(hidden)  # every readable need first, then the anonymised ones
    anonymised = [n["ref"] for n in listed if not n["visible"]]
    assert len(anonymised) == 7 and anonymised == sorted(anonymised)
    page = client.get(reverse("brokering:needs")).content.decode()
    positions = {
        n.ref: page.index(n.get_absolute_url()) for n in Need.objects.all() if n.ref in page
    }
    last_readable = max(positions[n["ref"]] for n in listed if n["visible"])
    assert all(positions[ref] > last_readable for ref in anonymised)
    assert "Anonymised confidential needs" in page
    for need in Need.objects.all():
        assert _id_url(need) not in page


def test_a_confidential_need_by_its_id_is_a_missing_need_to_others(world, saved):
    need = saved["need"]
    missing = Need.objects.order_by("-pk").first().pk + 1000
    for user in _others(world):
        client = world.client(user)
        for path in (_id_url(need), f"/api/brokering/needs/{need.pk}"):
            response = client.get(path)
            absent = client.get(path.replace(str(need.pk), str(missing)))
            assert response.status_code == absent.status_code == 404, path
            assert without_csrf_tokens(response.content) == without_csrf_tokens(absent.content)
    for user in _keepers(world, saved):
        client = world.client(user)
        assert SECRET in client.get(_id_url(need)).content.decode()
        api = client.get(f"/api/brokering/needs/{need.pk}").json()
        assert api["description"] == SECRET and api["id"] == need.pk and api["ref"] == need.ref


def test_public_needs_by_id_are_no_way_to_find_the_gap(world, saved):
    public = saved["profile"].needs.filter(confidential=False)
    client = world.client(world.other_company_user)
    for need in public:
        assert client.get(_id_url(need)).status_code == 404
        assert client.get(f"/api/brokering/needs/{need.pk}").status_code == 404
        assert client.get(need.get_absolute_url()).status_code == 200
        assert client.get(f"/api/brokering/needs/{need.ref}").json()["id"] is None


def test_by_its_ref_each_reads_what_they_may(world, saved):
    need = saved["need"]
    for user in _others(world):
        client = world.client(user)
        page = client.get(need.get_absolute_url())
        assert page.status_code == 200
        content = page.content.decode()
        assert "Confidential need: anonymised summary." in content and SECRET not in content
        assert _id_url(need) not in content and world.cluster_member.name not in content
        api = client.get(f"/api/brokering/needs/{need.ref}").json()
        assert api["id"] is None and api["ref"] == need.ref and api["description"] is None
    owner = world.client(saved["owner"])
    assert SECRET in owner.get(need.get_absolute_url()).content.decode()
    assert owner.get(f"/api/brokering/needs/{need.ref}").json()["id"] == need.pk


def test_an_introduction_is_asked_through_the_ref(world, saved):
    need = saved["need"]
    client = world.client(world.other_company_user)
    page = client.get(need.get_absolute_url()).content.decode()
    assert reverse("brokering:introduce-ref", args=[need.ref]) in page
    by_id = client.post(
        reverse("brokering:introduce", args=[need.pk]), {"requester": world.other_company.pk}
    )
    assert by_id.status_code == 404 and not Introduction.objects.exists()
    asked = client.post(
        reverse("brokering:introduce-ref", args=[need.ref]),
        {"requester": world.other_company.pk, "message": "We can help"},
    )
    assert asked.status_code == 302 and asked["Location"] == need.get_absolute_url()
    assert Introduction.objects.get().requester == world.other_company


def test_the_api_asks_introductions_through_the_ref_and_shows_no_id(world, saved):
    need = saved["need"]
    client = world.client(world.other_company_user)
    body = {"requester": world.other_company.slug}
    by_id = client.post(
        f"/api/brokering/needs/{need.pk}/introductions", body, content_type="application/json"
    )
    assert by_id.status_code == 404 and not Introduction.objects.exists()
    created = client.post(
        f"/api/brokering/needs/{need.ref}/introductions", body, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["need"] is None and created.json()["need_ref"] == need.ref
    mine = client.get("/api/brokering/introductions").json()
    assert [(i["need"], i["need_ref"]) for i in mine] == [(None, need.ref)]
    owner = world.client(saved["owner"])
    received = owner.get("/api/brokering/introductions").json()
    assert [(i["need"], i["need_ref"]) for i in received] == [(need.pk, need.ref)]
    assert owner.post(f"/api/brokering/introductions/{received[0]['id']}/accept").status_code == 200
    # Introduced, the requester knows the owner: the id is theirs to use too.
    assert client.get("/api/brokering/introductions").json()[0]["need"] == need.pk
    assert client.get(f"/api/brokering/needs/{need.pk}").json()["description"] == SECRET
    assert SECRET in client.get(_id_url(need)).content.decode()


def test_keepers_still_ask_through_the_id(world, saved):
    """The old route keeps working for those who know the need by its id."""
    need = saved["need"]
    response = world.client(world.cluster_manager).post(
        f"/api/brokering/needs/{need.pk}/introductions",
        {"requester": world.cluster.slug},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["need"] == need.pk


def test_matches_link_anonymised_needs_by_their_ref(world, saved):
    need, provider = saved["need"], saved["provider"]
    client = world.client(world.other_company_user)
    page = client.get(reverse("brokering:matches", args=[provider.public_id]) + "?kind=needs")
    api = client.get(f"/api/brokering/profiles/{provider.public_id}/matches?kind=needs")
    for content in (page.content.decode(), api.content.decode()):
        assert need.get_absolute_url() in content
        for other in Need.objects.all():
            assert _id_url(other) not in content


@pytest.mark.parametrize(
    "value", ["N-%00", "n-aaaaaaaaaa", "N-AAAAAAAAAA", "%C2%B2", "N-" + "A" * 300, "-1", "0"]
)
def test_odd_refs_are_missing_needs(world, saved, value):
    client = world.client(world.other_company_user)
    # (a NUL character is refused before any view, with a 400)
    assert client.get(f"/brokering/needs/{value}/").status_code in (400, 404)
    assert client.get(f"/api/brokering/needs/{value}").status_code in (400, 404, 422)
    response = client.post(
        f"/api/brokering/needs/{value}/introductions",
        {"requester": world.other_company.slug},
        content_type="application/json",
    )
    assert response.status_code in (400, 404, 422)


@pytest.mark.django_db(transaction=True)
def test_needs_made_before_the_upgrade_get_random_refs_also_in_their_history():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = ("brokering", "0003_introduction_answered_by")
    after = ("brokering", "0006_need_ref_unique")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    organisation = old.get_model("registry", "Organisation").objects.create(
        slug="legacy-org", name="Legacy Org", country="FR"
    )
    profile = old.get_model("brokering", "Profile").objects.create(
        organisation=organisation, public_id="CB-LEGACY22"
    )
    OldNeed = old.get_model("brokering", "Need")
    History = old.get_model("brokering", "HistoricalNeed")
    pks = []
    for confidential in (False, True, False):
        need = OldNeed.objects.create(
            profile=profile, kind="service", description="Old", confidential=confidential
        )
        History.objects.create(
            id=need.pk, profile_id=profile.pk, kind="service", description="Old",
            confidential=confidential, local=False, created_at=need.created_at,
            history_date=need.created_at, history_type="+",
        )  # fmt: skip
        pks.append(need.pk)
    History.objects.create(
        id=max(pks) + 1, profile_id=profile.pk, kind="service", description="Deleted",
        confidential=False, local=False, created_at=need.created_at,
        history_date=need.created_at, history_type="-",
    )  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.migrate([after])
    refs = dict(Need.objects.filter(pk__in=pks).values_list("pk", "ref"))
    assert len(set(refs.values())) == 3
    assert all(NEED_REF_PATTERN.fullmatch(ref) for ref in refs.values())
    for pk, ref in refs.items():
        assert set(Need.history.filter(id=pk).values_list("ref", flat=True)) == {ref}
    deleted = set(Need.history.filter(id=max(pks) + 1).values_list("ref", flat=True))
    assert len(deleted) == 1 and deleted.isdisjoint(refs.values())
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
