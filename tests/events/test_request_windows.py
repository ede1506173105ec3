"""Time windows per request: kept to some sessions or to mornings / afternoons, set by the
requester, the other side or an organiser, and honoured by the scheduler."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from clusterbroker.events.models import Meeting, MeetingRequest
from clusterbroker.events.scheduling import event_slots, request_window, run_scheduling
from clusterbroker.registry.models import ApiToken

from ..factories import UserFactory
from .factories import (
    EventFactory,
    MeetingRequestFactory,
    ParticipantFactory,
    SessionFactory,
    client_for,
)

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def event():
    """A morning session (09:00, 3 slots) and an afternoon session (14:00, 3 slots); one
    table, so that only windows decide where meetings go."""
    event = EventFactory(tables=1)
    day = event.start_date
    SessionFactory(event=event, name="Morning", start=at(day, 9))
    SessionFactory(event=event, name="Afternoon", start=at(day, 14))
    return event


@pytest.fixture
def morning(event):
    return event.sessions.get(name="Morning")


@pytest.fixture
def afternoon(event):
    return event.sessions.get(name="Afternoon")


@pytest.fixture
def pair(event):
    return ParticipantFactory(event=event), ParticipantFactory(event=event)


def test_request_window_lists_the_slots_of_the_window(event, morning, afternoon, pair):
    request = MeetingRequestFactory(requester=pair[0], requested=pair[1])
    slots = event_slots(event)
    assert request_window(request, slots, event.zone) is None
    request.window_part = "afternoon"
    assert request_window(request, slots, event.zone) == tuple(
        f"{afternoon.pk}:{i}" for i in range(3)
    )
    request.window_part = ""
    request.window_sessions.set([morning])
    assert request_window(request, slots, event.zone) == tuple(
        f"{morning.pk}:{i}" for i in range(3)
    )


def test_the_scheduler_keeps_requests_in_their_window(event, afternoon, pair):
    a, b = pair
    c = ParticipantFactory(event=event)
    later = MeetingRequestFactory(requester=a, requested=b, window_part="afternoon")
    free = MeetingRequestFactory(requester=a, requested=c)
    run_scheduling(event, mode="exact")
    placed = Meeting.objects.get(request=later)
    assert placed.session == afternoon
    assert Meeting.objects.filter(request=free).exists()
    later.window_part = ""
    later.save()
    later.window_sessions.set([event.sessions.get(name="Morning")])
    run_scheduling(event, mode="fast")
    assert Meeting.objects.get(request=later).session.name == "Morning"


def test_requester_sets_the_window_when_asking(event, afternoon, pair):
    a, b = pair
    response = client_for(a.user).post(
        f"/events/{event.slug}/participants/{b.pk}/",
        {"priority": 1, "message": "Hi", "window_sessions": [afternoon.pk], "window_part": ""},
    )
    assert response.status_code == 302
    sent = MeetingRequest.objects.get(requester=a, requested=b)
    assert list(sent.window_sessions.all()) == [afternoon]
    page = client_for(b.user).get(f"/events/{event.slug}/requests/").content.decode()
    assert "Afternoon" in page


def test_a_window_without_any_slot_is_refused(event, morning, pair):
    a, b = pair
    response = client_for(a.user).post(
        f"/events/{event.slug}/participants/{b.pk}/",
        {"priority": 1, "window_sessions": [morning.pk], "window_part": "afternoon"},
    )
    assert response.status_code == 400
    assert "No meeting slot" in response.content.decode()
    assert not MeetingRequest.objects.filter(requester=a).exists()


def test_the_other_side_accepts_for_a_window(event, pair):
    a, b = pair
    request = MeetingRequestFactory(requester=a, requested=b, status="pending")
    response = client_for(b.user).post(
        f"/events/{event.slug}/requests/{request.pk}/accept/",
        {f"w{request.pk}-window_part": "morning"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "accepted" and request.window_part == "morning"


def test_accepting_with_a_bad_window_accepts_nothing(event, pair):
    a, b = pair
    request = MeetingRequestFactory(requester=a, requested=b, status="pending")
    client_for(b.user).post(
        f"/events/{event.slug}/requests/{request.pk}/accept/",
        {f"w{request.pk}-window_part": "evening"},
    )
    request.refresh_from_db()
    assert request.status == "pending" and request.window_part == ""


def test_both_sides_and_organisers_set_the_window_others_may_not(event, afternoon, pair):
    a, b = pair
    request = MeetingRequestFactory(requester=a, requested=b)
    url = f"/events/{event.slug}/requests/{request.pk}/window/"
    data = {f"w{request.pk}-window_sessions": [afternoon.pk]}
    stranger = ParticipantFactory(event=event)
    assert client_for(stranger.user).post(url, data).status_code == 403
    assert client_for(UserFactory()).post(url, data).status_code == 403
    assert not request.window_sessions.exists()
    for user in (a.user, b.user):
        request.window_sessions.clear()
        assert client_for(user).post(url, data).status_code == 302
        assert list(request.window_sessions.all()) == [afternoon]
    organiser = UserFactory()
    event.organisers.add(organiser)
    response = client_for(organiser).post(url, {f"w{request.pk}-window_part": "morning"})
    assert response.status_code == 302 and response["Location"].endswith("/schedule/")
    request.refresh_from_db()
    assert request.window_part == "morning" and not request.window_sessions.exists()
    grid = client_for(organiser).get(f"/events/{event.slug}/schedule/").content.decode()
    assert "Mornings (before noon)" in grid


def test_a_session_of_another_event_is_refused(event, pair):
    a, b = pair
    request = MeetingRequestFactory(requester=a, requested=b)
    elsewhere = SessionFactory(event=EventFactory())
    client_for(a.user).post(
        f"/events/{event.slug}/requests/{request.pk}/window/",
        {f"w{request.pk}-window_sessions": [elsewhere.pk]},
    )
    assert not request.window_sessions.exists()


def api(client, method: str, url: str, data: dict, user):
    _token, raw = ApiToken.issue(user, "test")
    return getattr(client, method)(
        url, json.dumps(data), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )


def test_api_requests_and_windows(client, event, morning, afternoon, pair):
    a, b = pair
    created = api(
        client,
        "post",
        f"/api/events/{event.slug}/requests",
        {"requested": b.pk, "window_part": "afternoon"},
        a.user,
    )
    assert created.status_code == 201
    assert created.json()["window_part"] == "afternoon"
    rid = created.json()["id"]
    url = f"/api/events/{event.slug}/requests/{rid}/window"
    changed = api(client, "put", url, {"window_sessions": [morning.pk]}, b.user)
    assert changed.status_code == 200
    assert changed.json()["window_sessions"] == [morning.pk]
    assert changed.json()["window_part"] == ""
    stranger = ParticipantFactory(event=event)
    assert api(client, "put", url, {"window_part": "morning"}, stranger.user).status_code == 403
    unknown = api(client, "put", url, {"window_sessions": [999999]}, a.user)
    assert unknown.status_code == 422
    assert "window_sessions" in unknown.json()["detail"]
