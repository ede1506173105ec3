import pytest

from clusterbroker.registry.models import (
    ApiToken,
    Competence,
    Membership,
    Organisation,
    Participation,
    Partnership,
    RelationRequest,
)

from ..factories import OrganisationFactory, ParticipationFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_openapi_schema_loads_and_lists_every_resource(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for resource in (
        "organisations",
        "memberships",
        "partnerships",
        "partnership-members",
        "competences",
        "projects",
        "participations",
    ):
        assert f"/api/{resource}/" in paths
        assert set(paths[f"/api/{resource}/"]) == {"get", "post"}
    assert "/api/partnerships/{key}/matrix" in paths
    assert client.get("/api/docs").status_code == 200


def test_list_is_paged_and_filtered(world):
    OrganisationFactory.create_batch(60, country="PT")
    client = world.client()
    page = client.get("/api/organisations/?country=PT").json()
    assert page["count"] == 60
    assert len(page["items"]) == 50
    second = client.get("/api/organisations/?country=PT&page=2").json()
    assert len(second["items"]) == 10
    assert {i["country"] for i in page["items"] + second["items"]} == {"PT"}
    by_partnership = client.get("/api/organisations/?partnership=alpine-motors").json()
    assert {i["slug"] for i in by_partnership["items"]} == {"mecha-cluster", "precision-parts"}


def _bearer(user) -> dict:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_token_lets_an_admin_create_read_change_and_delete(world, client):
    headers = _bearer(world.admin)
    created = client.post(
        "/api/organisations/",
        {"name": "Token SME", "kind": "company", "country": "Italy", "size_class": "micro"},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201, created.content
    slug = created.json()["slug"]
    assert created.json()["country"] == "IT"
    changed = client.patch(
        f"/api/organisations/{slug}", {"city": "Torino"}, content_type="application/json", **headers
    )
    assert changed.json()["city"] == "Torino"
    assert client.get(f"/api/organisations/{slug}").json()["city"] == "Torino"
    assert client.delete(f"/api/organisations/{slug}", **headers).status_code == 204
    assert not Organisation.objects.filter(slug=slug).exists()


def test_wrong_token_is_unauthorised(world, client):
    response = client.post(
        "/api/organisations/",
        {"name": "X", "kind": "company", "country": "FR"},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer not-a-token",
    )
    assert response.status_code == 401
    assert not Organisation.objects.filter(name="X").exists()


def test_invalid_country_is_a_422_naming_the_field(world, client):
    response = client.post(
        "/api/organisations/",
        {"name": "Nowhere Ltd", "kind": "company", "country": "Atlantis"},
        content_type="application/json",
        **_bearer(world.admin),
    )
    assert response.status_code == 422
    assert "country" in response.json()["detail"]
    assert not Organisation.objects.filter(name="Nowhere Ltd").exists()


def test_invalid_kind_is_a_422(world, client):
    response = client.patch(
        f"/api/organisations/{world.member_company.slug}",
        {"kind": "spaceship"},
        content_type="application/json",
        **_bearer(world.admin),
    )
    assert response.status_code == 422
    assert "kind" in response.json()["detail"]
    world.member_company.refresh_from_db()
    assert world.member_company.kind == "company"


def test_company_user_manages_own_competences_not_others(world, client):
    term = TermFactory(taxonomy__code="effra", code="D4")
    headers = _bearer(world.company_user)
    own = client.post(
        "/api/competences/",
        {"organisation": world.member_company.slug, "term": "effra:D4", "level": "active"},
        content_type="application/json",
        **headers,
    )
    assert own.status_code == 201
    other = client.post(
        "/api/competences/",
        {"organisation": world.other_company.slug, "term": "effra:D4"},
        content_type="application/json",
        **headers,
    )
    assert other.status_code == 403
    assert list(Competence.objects.values_list("organisation__slug", "term")) == [
        (world.member_company.slug, term.pk)
    ]


def test_duplicate_competence_is_refused(world, client):
    TermFactory(taxonomy__code="effra", code="D5")
    payload = {"organisation": world.member_company.slug, "term": "effra:D5"}
    headers = _bearer(world.admin)
    client.post("/api/competences/", payload, content_type="application/json", **headers)
    again = client.post("/api/competences/", payload, content_type="application/json", **headers)
    assert again.status_code in (409, 422)
    assert Competence.objects.count() == 1


def test_cluster_manager_proposes_members_to_own_cluster_only(world, client):
    newcomer = OrganisationFactory()
    headers = _bearer(world.cluster_manager)
    ok = client.post(
        "/api/memberships/",
        {"organisation": newcomer.slug, "cluster": world.cluster.slug},
        content_type="application/json",
        **headers,
    )
    # The newcomer has not consented: a proposal (202), no membership yet.
    assert ok.status_code == 202
    assert ok.json()["status"] == "pending"
    assert not Membership.objects.filter(organisation=newcomer).exists()
    refused = client.post(
        "/api/memberships/",
        {"organisation": newcomer.slug, "cluster": world.other_company.slug},
        content_type="application/json",
        **headers,
    )
    assert refused.status_code == 403
    assert RelationRequest.objects.filter(organisation=newcomer).count() == 1


def test_partnership_manager_edits_own_partnership_only(world, client):
    headers = _bearer(world.partnership_manager)
    ok = client.patch(
        f"/api/partnerships/{world.partnership.slug}",
        {"funding_programme": "COSME"},
        content_type="application/json",
        **headers,
    )
    assert ok.status_code == 200
    refused = client.patch(
        f"/api/partnerships/{world.other_partnership.slug}",
        {"funding_programme": "COSME"},
        content_type="application/json",
        **headers,
    )
    assert refused.status_code == 403
    assert Partnership.objects.get(pk=world.other_partnership.pk).funding_programme == ""
    created = client.post(
        "/api/partnerships/",
        {"name": "New", "kind": "alliance"},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 403


def test_a_participant_neither_promotes_itself_nor_removes_others(world, client):
    participation = ParticipationFactory(organisation=world.member_company)
    headers = _bearer(world.company_user)
    response = client.patch(
        f"/api/participations/{participation.pk}",
        {"role": "coordinator"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 403
    assert Participation.objects.get(pk=participation.pk).role == "participant"
    foreign = ParticipationFactory(organisation=world.other_company)
    refused = client.delete(f"/api/participations/{foreign.pk}", **headers)
    assert refused.status_code == 403
    assert Participation.objects.filter(pk=foreign.pk).exists()


def test_session_write_without_csrf_token_is_refused(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin)
    response = client.patch(
        f"/api/organisations/{world.member_company.slug}",
        {"city": "Csrf"},
        content_type="application/json",
    )
    assert response.status_code in (401, 403)
    world.member_company.refresh_from_db()
    assert world.member_company.city != "Csrf"


@pytest.mark.parametrize("value", ["99999999999999999999999", "-1", "%C2%B2", "1e400"])
def test_odd_project_filter_on_participations_is_a_422(world, client, value):
    response = client.get(f"/api/participations/?project={value}")
    assert response.status_code == 422
    assert "project" in response.content.decode()
