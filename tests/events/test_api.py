"""The events API: reads, requests and their answers, agenda, and who may use what."""

import pytest
from django.test import Client

from clusterbroker.events.models import MeetingRequest
from clusterbroker.registry.models import ApiToken

from ..factories import TermFactory, UserFactory
from .factories import (
    EventFactory,
    MeetingFactory,
    MeetingRequestFactory,
    ParticipantFactory,
    SessionFactory,
    client_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = EventFactory(name="Matchmaking Lyon", slug="matchmaking-lyon")
    SessionFactory(event=event)
    return event


def post(client: Client, url: str, payload: dict | None = None, **headers):
    return client.post(url, payload or {}, content_type="application/json", **headers)


def test_openapi_lists_the_event_endpoints(db, client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/events/",
        "/api/events/{slug}",
        "/api/events/{slug}/figures",
        "/api/events/{slug}/participants",
        "/api/events/{slug}/requests",
        "/api/events/{slug}/requests/{request_id}/{action}",
        "/api/events/{slug}/schedule",
        "/api/events/{slug}/agenda",
    ):
        assert path in paths


def test_anyone_lists_and_reads_events_and_figures(event, client):
    EventFactory(name="Online pitching", online=True, tables=None)
    listing = client.get("/api/events/").json()
    assert {e["name"] for e in listing} == {"Matchmaking Lyon", "Online pitching"}
    detail = client.get("/api/events/matchmaking-lyon").json()
    assert (detail["slug"], detail["tables"], detail["online"]) == ("matchmaking-lyon", 10, False)
    assert client.get("/api/events/nothing-here").status_code == 404
    MeetingRequestFactory(requester__event=event)
    figures = client.get("/api/events/matchmaking-lyon/figures").json()
    assert (figures["participants"], figures["requests"], figures["accepted"]) == (2, 1, 1)


def test_catalogue_needs_a_login_and_filters(event, client):
    vision = ParticipantFactory(event=event, offers="Industrial vision", organisation__country="DE")
    term = TermFactory(taxonomy__code="i4ms", code="AI")
    vision.terms.add(term)
    other = ParticipantFactory(event=event, offers="Machining")
    assert client.get(f"/api/events/{event.slug}/participants").status_code == 401
    user_client = client_for(UserFactory())
    everyone = user_client.get(f"/api/events/{event.slug}/participants").json()
    assert {p["id"] for p in everyone} == {vision.pk, other.pk}
    found = user_client.get(f"/api/events/{event.slug}/participants?q=vision").json()
    assert [(p["id"], p["country"], p["terms"]) for p in found] == [(vision.pk, "DE", ["i4ms:AI"])]
    by_term = user_client.get(f"/api/events/{event.slug}/participants?term={term.pk}").json()
    assert [p["id"] for p in by_term] == [vision.pk]
    assert "email" not in found[0] and "user" not in found[0]


@pytest.mark.parametrize("term", ["%C2%B2", str(2**63), "0", "-1", "abc"])
def test_catalogue_refuses_a_technology_that_is_not_an_id(event, term):
    response = client_for(UserFactory()).get(f"/api/events/{event.slug}/participants?term={term}")
    assert response.status_code == 422
    assert "term" in response.content.decode()


def test_organisers_see_every_request_others_none(event):
    MeetingRequestFactory(requester__event=event)
    MeetingRequestFactory(requester__event=event)
    organiser = UserFactory()
    event.organisers.add(organiser)
    assert len(client_for(organiser).get(f"/api/events/{event.slug}/requests").json()) == 2
    assert client_for(UserFactory()).get(f"/api/events/{event.slug}/requests").json() == []
    assert Client().get(f"/api/events/{event.slug}/requests").status_code == 401


def test_request_with_a_bearer_token(event, client):
    a, b = ParticipantFactory(event=event), ParticipantFactory(event=event)
    _token, raw = ApiToken.issue(a.user, "test")
    response = post(
        client,
        f"/api/events/{event.slug}/requests",
        {"requested": b.pk, "message": "Hello"},
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201
    assert response.json() | {"id": 0} == {
        "id": 0,
        "requester": a.pk,
        "requested": b.pk,
        "priority": 1,
        "status": "pending",
        "message": "Hello",
        "window_sessions": [],
        "window_part": "",
    }


def test_request_errors_name_the_field_and_the_reason(event):
    a, b = ParticipantFactory(event=event), ParticipantFactory(event=event)
    elsewhere = ParticipantFactory(event=EventFactory())
    client = client_for(a.user)
    url = f"/api/events/{event.slug}/requests"
    unknown = post(client, url, {"requested": elsewhere.pk})
    assert unknown.status_code == 422
    assert unknown.json()["detail"].startswith("requested:")
    priority = post(client, url, {"requested": b.pk, "priority": 7})
    assert priority.status_code == 422
    assert priority.json()["detail"].startswith("priority: Unknown priority 7")
    assert post(client, url, {"requested": b.pk}).status_code == 201
    duplicate = post(client, url, {"requested": b.pk})
    assert duplicate.status_code == 422
    assert "already a request" in duplicate.json()["detail"]
    assert MeetingRequest.objects.count() == 1


def test_unregistered_user_cannot_request(event):
    b = ParticipantFactory(event=event)
    response = post(
        client_for(UserFactory()), f"/api/events/{event.slug}/requests", {"requested": b.pk}
    )
    assert response.status_code == 403
    assert not MeetingRequest.objects.exists()


def test_answering_through_the_api(event):
    request = MeetingRequestFactory(requester__event=event, status="pending")
    url = f"/api/events/{event.slug}/requests/{request.pk}"
    requester, requested = client_for(request.requester.user), client_for(request.requested.user)
    assert post(requester, f"{url}/accept").status_code == 403
    unknown = post(requested, f"{url}/approve")
    assert unknown.status_code == 422 and unknown.json()["detail"].startswith("action:")
    accepted = post(requested, f"{url}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    again = post(requested, f"{url}/decline")
    assert again.status_code == 422 and "already been answered" in again.json()["detail"]
    withdrawn = post(requester, f"{url}/withdraw")
    assert withdrawn.json()["status"] == "withdrawn"


def test_schedule_is_for_organisers_and_checks_the_method(event):
    url = f"/api/events/{event.slug}/schedule"
    assert post(Client(), url, {"mode": "fast"}).status_code == 401
    outsider = post(client_for(UserFactory()), url, {"mode": "fast"})
    assert outsider.status_code == 403
    organiser = UserFactory(is_superuser=True)
    wrong = post(client_for(organiser), url, {"mode": "magic"})
    assert wrong.status_code == 422
    assert "mode" in str(wrong.json()["detail"])


def test_my_agenda(event):
    meeting = MeetingFactory(request__requester__event=event, table=4)
    request = meeting.request
    items = client_for(request.requested.user).get(f"/api/events/{event.slug}/agenda").json()
    assert [(i["meeting_id"], i["table"]) for i in items] == [(meeting.pk, 4)]
    assert items[0]["with_organisation"] == request.requester.organisation.name
    assert client_for(UserFactory()).get(f"/api/events/{event.slug}/agenda").status_code == 404
    assert Client().get(f"/api/events/{event.slug}/agenda").status_code == 401
