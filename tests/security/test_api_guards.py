"""What the fuzzing found, kept fixed: NUL characters and huge page numbers are refused
with a 422 (they were 500s on PostgreSQL / everywhere), and every operation documents the
error responses it gives."""

import json

import pytest
from django.test import Client

from clusterbroker.registry.models import ApiToken

from ..factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_headers():
    admin = UserFactory(username="guard-admin", is_superuser=True)
    return {"Authorization": f"Bearer {ApiToken.issue(admin, 'guards')[1]}"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/organisations/?q=a%00b",
        "/api/organisations/a%00b",
        "/api/events/a%00b",
        "/api/memberships/?organisation=%00",
        "/api/partnerships/?q%00=x",
    ],
)
def test_nul_characters_in_path_or_query_are_a_422(url):
    response = Client().get(url)
    assert response.status_code == 422
    assert "NUL" in response.json()["detail"]


@pytest.mark.parametrize("body", ['{"name": "A\\u0000B", "kind": "company", "country": "FR"}'])
def test_nul_characters_in_a_body_are_a_422(admin_headers, body):
    response = Client().post(
        "/api/organisations/", body, content_type="application/json", headers=admin_headers
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("body")


def test_an_escaped_backslash_before_u0000_is_plain_text(admin_headers):
    body = json.dumps({"name": "back\\u0000slash", "kind": "company", "country": "FR"})
    response = Client().post(
        "/api/organisations/", body, content_type="application/json", headers=admin_headers
    )
    assert response.status_code == 201
    assert response.json()["name"] == "back\\u0000slash"


def test_a_huge_page_number_is_a_422_not_a_500():
    OrganisationFactory()
    assert Client().get("/api/organisations/?page=1").status_code == 200
    response = Client().get(f"/api/organisations/?page={10**30}")
    assert response.status_code == 422


def test_operations_document_their_error_responses():
    schema = Client().get("/api/openapi.json").json()
    read = schema["paths"]["/api/organisations/{key}"]["get"]["responses"]
    assert {"200", "404", "422"} <= read.keys() and "401" not in read
    patch = schema["paths"]["/api/organisations/{key}"]["patch"]["responses"]
    assert {"200", "401", "403", "404", "409", "422"} <= patch.keys()
    events = schema["paths"]["/api/events/"]["get"]["responses"]
    assert set(events) == {"200", "422"}  # no parameters, no login: only a NUL is refused
    assert Client().get("/api/events/?x=%00").status_code == 422
    assert patch["404"]["content"]["application/json"]["schema"]["required"] == ["detail"]
