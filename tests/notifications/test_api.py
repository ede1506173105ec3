"""The API: only ever the caller's own notices and settings."""

import pytest
from django.test import Client

from clusterbroker.notifications import kinds, service
from clusterbroker.notifications.models import Notification
from clusterbroker.registry.models import ApiToken

from .factories import NotificationFactory

OPERATIONS = [
    ("get", "/api/notifications/"),
    ("post", "/api/notifications/1/read"),
    ("post", "/api/notifications/read-all"),
    ("get", "/api/notifications/settings"),
    ("put", "/api/notifications/settings"),
]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_anonymous_callers_get_401(db, method, path):
    NotificationFactory(pk=1)
    response = getattr(Client(), method)(path, content_type="application/json", data={})
    assert response.status_code == 401
    assert Notification.objects.get(pk=1).read_at is None


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_holds_my_notices_only(alice, bob):
    a1 = NotificationFactory(recipient=alice, title="Mine one")
    a2 = NotificationFactory(recipient=alice, title="Mine two")
    NotificationFactory(recipient=bob, title="Not mine")
    service.mark_read(alice, a1)
    body = logged_in(alice).get("/api/notifications/").json()
    assert body["count"] == 2
    assert [item["title"] for item in body["items"]] == ["Mine two", "Mine one"]
    assert body["items"][0]["read"] is False and body["items"][1]["read"] is True
    unread = logged_in(alice).get("/api/notifications/?unread=true").json()
    assert [item["id"] for item in unread["items"]] == [a2.pk]


def test_another_persons_notice_is_404(alice, bob):
    theirs = NotificationFactory(recipient=bob)
    response = logged_in(alice).post(f"/api/notifications/{theirs.pk}/read")
    assert response.status_code == 404
    assert logged_in(alice).post("/api/notifications/999999/read").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_one_and_all(alice, bob):
    mine = [NotificationFactory(recipient=alice) for _ in range(3)]
    theirs = NotificationFactory(recipient=bob)
    client = logged_in(alice)
    response = client.post(f"/api/notifications/{mine[0].pk}/read")
    assert response.status_code == 200 and response.json()["read"] is True
    assert client.post("/api/notifications/read-all").json() == {"marked": 2}
    assert service.unread_count(alice) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_settings_read_and_change(alice, bob):
    client = logged_in(alice)
    body = client.get("/api/notifications/settings").json()
    assert body == dict.fromkeys(kinds.KINDS, "immediately")
    response = client.put(
        "/api/notifications/settings",
        {"invitation": "daily", "action_overdue": "never"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["invitation"] == "daily"
    assert response.json()["action_overdue"] == "never"
    assert response.json()["scores_due"] == "immediately"
    assert service.delivery_for(alice, "invitation") == "daily"
    assert service.preferences_for(bob) == dict.fromkeys(kinds.KINDS, "immediately")


@pytest.mark.parametrize(
    "payload", [{"invitation": "hourly"}, {"no_such_kind": "never"}, {"invitation": 3}]
)
def test_invalid_settings_are_422(alice, payload):
    response = logged_in(alice).put(
        "/api/notifications/settings", payload, content_type="application/json"
    )
    assert response.status_code == 422
    assert service.delivery_for(alice, "invitation") == "immediately"


def test_a_bearer_token_works(alice):
    _token, raw = ApiToken.issue(alice, "test")
    NotificationFactory(recipient=alice)
    response = Client().get("/api/notifications/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and response.json()["count"] == 1


def test_the_schema_documents_the_operations(db):
    schema = Client().get("/api/openapi.json").json()
    ids = {
        operation["operationId"]
        for path, item in schema["paths"].items()
        if path.startswith("/api/notifications")
        for operation in item.values()
    }
    assert ids == {
        "list_my_notifications",
        "read_my_notification",
        "read_all_my_notifications",
        "read_my_notification_settings",
        "update_my_notification_settings",
    }
