"""GET and PATCH /api/account: the caller's own account, nobody else's."""

import json

import pytest

from clusterbroker.accounts.models import AccountSettings
from clusterbroker.registry.models import ApiToken, Person

from .factories import verify_address

pytestmark = pytest.mark.django_db


def _bearer(user) -> dict:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _patch(client, data: dict, **headers):
    return client.patch(
        "/api/account", json.dumps(data), content_type="application/json", **headers
    )


def test_anonymous_callers_have_no_account(client):
    assert client.get("/api/account").status_code == 401
    assert _patch(client, {"language": "en"}).status_code == 401


def test_read_my_account(world):
    user = world.company_user
    verify_address(user, "carl@example.org")
    data = world.client(user).get("/api/account").json()
    assert data["username"] == user.username
    assert data["email"] == "carl@example.org" and data["email_verified"] is True
    assert data["first_name"] == "Alex"
    assert data["two_factor"] is False
    assert data["positions"] == [
        {
            "organisation": "precision-parts",
            "organisation_name": "Precision Parts",
            "role": "editor",
            "title": "",
        }
    ]
    assert data["partnership_roles"] == []
    manager = world.client(world.partnership_manager).get("/api/account").json()
    assert manager["partnership_roles"][0]["partnership"] == "alpine-motors"
    assert manager["positions"] == []


def test_a_token_reads_its_own_users_account(client, world):
    data = client.get("/api/account", **_bearer(world.other_company_user)).json()
    assert data["username"] == world.other_company_user.username
    assert data["positions"][0]["organisation"] == "far-away"


def test_change_name_language_and_time_zone(client, world, settings):
    settings.LANGUAGES = [("en", "English"), ("fr", "Français")]
    user = world.company_user
    headers = _bearer(user)
    response = _patch(client, {"last_name": "Mendes", "time_zone": "Europe/Lisbon"}, **headers)
    assert response.status_code == 200
    assert response.json()["last_name"] == "Mendes"
    assert response.json()["first_name"] == "Alex"  # left out: kept
    assert Person.objects.get(user=user).last_name == "Mendes"
    response = _patch(client, {"language": "fr"}, **headers)
    assert (response.json()["language"], response.json()["time_zone"]) == ("fr", "Europe/Lisbon")
    assert AccountSettings.objects.get(user=user).language == "fr"


@pytest.mark.parametrize(
    "data",
    [{"time_zone": "Mars/Base"}, {"language": "xx"}, {"first_name": "a\u202eb"}, {"last_name": ""}],
)
def test_bad_values_are_a_422_and_change_nothing(client, world, data):
    user = world.company_user
    response = _patch(client, {"first_name": "Changed", **data}, **_bearer(user))
    assert response.status_code == 422
    assert Person.objects.get(user=user).first_name == "Alex"
    assert not AccountSettings.objects.filter(user=user).exists()


def test_a_session_needs_the_csrf_token_to_change(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.company_user)
    assert _patch(client, {"language": ""}).status_code == 403
