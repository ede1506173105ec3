import json

import pytest

from ..accounts.factories import verify_address
from ..factories import CompetenceFactory, OrganisationFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_home_page_shows_counts_and_partnerships(world, client):
    body = client.get("/").content.decode()
    assert 'data-count="organisations">4<' in body
    assert 'data-count="partnerships">2<' in body
    assert "Alpine Motors" in body and "Baltic Link" in body


def test_organisation_search_filters_by_text_type_country_and_term(world, client):
    term = TermFactory(taxonomy__code="effra", code="D2")
    CompetenceFactory(organisation=world.other_company, term=term)
    assert _names(client, "q=precision") == ["Precision Parts"]
    assert _names(client, "kind=cluster") == ["Mecha Cluster"]
    assert _names(client, "country=DE") == ["Far Away GmbH"]
    assert _names(client, "term=effra:D2") == ["Far Away GmbH"]
    assert _names(client, "q=nothing-matches-this") == []


def _names(client, query: str) -> list[str]:
    response = client.get(f"/organisations/?{query}")
    return [o.name for o in response.context["page"]]


def test_organisation_list_pages_through_results(db, client):
    OrganisationFactory.create_batch(30, country="AT")
    first = client.get("/organisations/?country=AT")
    second = client.get("/organisations/?country=AT&page=2")
    assert len(first.context["page"]) == 25 and len(second.context["page"]) == 5
    assert "country=AT&amp;page=2" in first.content.decode()


def test_htmx_search_returns_only_the_results_fragment(world, client):
    response = client.get("/organisations/?q=far", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    body = response.content.decode()
    assert "Far Away GmbH" in body
    assert "<html" not in body


def test_organisation_page_shows_competences_memberships_and_projects(world, client):
    from ..factories import ParticipationFactory

    term = TermFactory(label="Adaptive manufacturing")
    CompetenceFactory(organisation=world.cluster_member, term=term)
    ParticipationFactory(organisation=world.cluster_member, project__acronym="FOFTEST")
    body = client.get(f"/organisations/{world.cluster_member.slug}/").content.decode()
    assert "Adaptive manufacturing" in body
    assert "Mecha Cluster" in body
    assert "FOFTEST" in body


def test_unknown_organisation_is_404(db, client):
    assert client.get("/organisations/does-not-exist/").status_code == 404


def test_form_errors_are_shown_next_to_the_field(world):
    response = world.client(world.admin).post(
        "/organisations/new/", {"name": "", "kind": "company", "country": "Narnia"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "name" in form.errors and "country" in form.errors
    assert "Narnia" in response.content.decode()


def test_login_and_logout(world):
    from django.test import Client

    client = Client()
    world.admin.set_password("pw-for-test")
    world.admin.save()
    verify_address(world.admin)  # log-in needs a verified address
    response = client.post("/accounts/login/", {"login": "root", "password": "pw-for-test"})
    assert response.status_code == 302
    assert "root" in client.get("/").content.decode()
    client.post("/accounts/logout/")
    assert "Log in" in client.get("/").content.decode()


def test_the_api_schema_behind_the_docs_page_has_no_repeated_key(client):
    """The interactive API documentation reads the schema as YAML, which refuses a key given
    twice in one object (a response status declared by an operation and added again)."""
    repeated: list[str] = []

    def keep_repeated(pairs: list[tuple[str, object]]) -> dict:
        keys = [key for key, _value in pairs]
        repeated.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(pairs)

    json.loads(client.get("/api/openapi.json").content, object_pairs_hook=keep_repeated)
    assert repeated == []
