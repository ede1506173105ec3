"""The organiser edits the event and its sessions; nobody else reaches these pages."""

import re

import pytest

from clusterbroker.events.models import Meeting, MeetingRequest, Session

from .factories import (
    EventFactory,
    MeetingFactory,
    ParticipantFactory,
    SessionFactory,
    client_for,
    organiser_client,
    partnership_event,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(world):
    return partnership_event(world.partnership)


@pytest.fixture
def organiser(event):
    return organiser_client(event)


def field_paragraph(body: str, name: str) -> str:
    """The form's `<p>` holding the input called `name`: its label, widget and errors."""
    for paragraph in re.findall(r"<p>.*?</p>", body, flags=re.S):
        if f'name="{name}"' in paragraph:
            return paragraph
    raise AssertionError(f"no field {name} in the page")


def organiser_urls(event) -> list[tuple[str, str]]:
    session = event.sessions.get()
    participant = ParticipantFactory(event=event)
    base = f"/events/{event.slug}"
    return [
        ("get", f"{base}/edit/"),
        ("post", f"{base}/edit/"),
        ("get", f"{base}/sessions/{session.pk}/"),
        ("post", f"{base}/sessions/{session.pk}/"),
        ("post", f"{base}/sessions/{session.pk}/remove/"),
        ("get", f"{base}/organise/participants/"),
        ("get", f"{base}/organise/participants/add/"),
        ("post", f"{base}/organise/participants/add/"),
        ("get", f"{base}/organise/participants/import/"),
        ("post", f"{base}/organise/participants/import/"),
        ("get", f"{base}/organise/check-in/"),
        ("post", f"{base}/organise/check-in/{participant.pk}/"),
    ]


def test_other_users_are_refused_every_organiser_page_and_post(world, event):
    urls = organiser_urls(event)
    for user in (world.company_user, world.other_partnership_manager, world.outsider):
        client = client_for(user)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 403, (user, method, url)
    assert Session.objects.filter(event=event).count() == 1
    assert not event.participants.filter(arrived_at__isnull=False).exists()


def test_anonymous_visitors_are_sent_to_log_in(event):
    from django.test import Client

    for method, url in organiser_urls(event):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and "/login" in response["Location"], url


def test_records_of_another_event_are_not_found(world, event, organiser):
    other = EventFactory()
    other_session = SessionFactory(event=other)
    stranger = ParticipantFactory(event=other)
    base = f"/events/{event.slug}"
    assert organiser.get(f"{base}/sessions/{other_session.pk}/").status_code == 404
    assert organiser.post(f"{base}/sessions/{other_session.pk}/remove/").status_code == 404
    assert (
        organiser.post(f"{base}/organise/check-in/{stranger.pk}/", {"arrived": "1"}).status_code
        == 404
    )
    assert Session.objects.filter(pk=other_session.pk).exists()
    stranger.refresh_from_db()
    assert stranger.arrived_at is None


def test_organiser_pages_open_for_organisers_and_partnership_managers(world, event, organiser):
    for client in (organiser, client_for(world.partnership_manager)):
        for method, url in organiser_urls(event):
            if method == "get":
                assert client.get(url).status_code == 200, url


def test_organiser_edits_the_event(event, organiser):
    url = f"/events/{event.slug}/edit/"
    data = form_data(organiser, url, name="Hannover Messe matchmaking", tables=25, max_meetings=6)
    response = organiser.post(f"/events/{event.slug}/edit/", data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.name, event.tables, event.max_meetings) == ("Hannover Messe matchmaking", 25, 6)


def test_event_errors_are_shown_next_to_the_field(event, organiser):
    response = organiser.post(
        f"/events/{event.slug}/edit/",
        {
            "name": event.name,
            "start_date": event.start_date.isoformat(),
            "end_date": "2000-01-01",
            "tables": "",
            "registration_deadline": event.registration_deadline.strftime("%Y-%m-%dT%H:%M"),
            "max_requests": "10",
            "max_meetings": "0",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "before the first day" in field_paragraph(body, "end_date")
    assert "needs a number of tables" in field_paragraph(body, "tables")
    assert "errorlist" in field_paragraph(body, "max_meetings")
    event.refresh_from_db()
    assert event.end_date != "2000-01-01"


def form_data(client, url: str, **changes) -> dict:
    """What the page's form would send back unchanged, with `changes`."""
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is not None:
            formatted = form[name].field.widget.format_value(value)
            data[name] = "" if formatted is None else formatted
    return data | {k: str(v) for k, v in changes.items()}


def test_organiser_changes_a_session_and_its_slots(event, organiser):
    session = event.sessions.get()
    assert len(session.slot_starts()) == 3
    url = f"/events/{event.slug}/sessions/{session.pk}/"
    page = organiser.get(url)
    assert len(page.context["slots"]) == 3
    response = organiser.post(url, form_data(organiser, url, name="Early", meeting_minutes=10))
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.name, len(session.slot_starts())) == ("Early", 5)
    assert (
        f"/events/{event.slug}/sessions/{session.pk}/"
        in organiser.get(f"/events/{event.slug}/").content.decode()
    )


def test_times_of_a_session_with_meetings_do_not_change(event, organiser):
    session = event.sessions.get()
    MeetingFactory(request__requester__event=event)
    url = f"/events/{event.slug}/sessions/{session.pk}/"
    response = organiser.post(url, form_data(organiser, url, meeting_minutes=30))
    assert response.status_code == 400
    assert "cannot change" in field_paragraph(response.content.decode(), "meeting_minutes")
    session.refresh_from_db()
    assert session.meeting_minutes == 20
    renamed = organiser.post(url, form_data(organiser, url, name="Main"))
    assert renamed.status_code == 302


def test_removing_a_session_with_meetings_is_refused_until_they_are_released(event, organiser):
    session = event.sessions.get()
    meeting = MeetingFactory(request__requester__event=event)
    url = f"/events/{event.slug}/sessions/{session.pk}/remove/"
    refused = organiser.post(url)
    assert refused.status_code == 400
    assert "1 scheduled meeting" in refused.content.decode()
    assert Session.objects.filter(pk=session.pk).exists()
    released = organiser.post(url, {"release": "on"}, follow=True)
    assert "1 meeting released" in released.content.decode()
    assert not Session.objects.filter(pk=session.pk).exists()
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    request = MeetingRequest.objects.get(pk=meeting.request_id)
    assert request.status == MeetingRequest.Status.ACCEPTED


def test_a_session_without_meetings_is_removed(event, organiser):
    session = SessionFactory(
        event=event, name="Afternoon", start=event.sessions.get().start.replace(hour=14)
    )
    response = organiser.post(f"/events/{event.slug}/sessions/{session.pk}/remove/")
    assert response.status_code == 302
    assert list(event.sessions.values_list("name", flat=True)) == ["Morning"]


def test_new_days_must_still_hold_the_sessions(event, organiser):
    url = f"/events/{event.slug}/edit/"
    later = event.start_date.replace(year=event.start_date.year + 1).isoformat()
    response = organiser.post(url, form_data(organiser, url, start_date=later, end_date=later))
    assert response.status_code == 400
    assert "outside the event" in field_paragraph(response.content.decode(), "start_date")
    event.refresh_from_db()
    assert event.start_date.isoformat() != later
