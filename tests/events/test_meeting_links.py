"""Online and hybrid meetings: every meeting gets its room from the event's link template."""

import pytest
from django.core.exceptions import ValidationError
from icalendar import Calendar

from clusterbroker.events.links import validate_link_template
from clusterbroker.events.models import Meeting
from clusterbroker.events.scheduling import run_scheduling

from ..factories import UserFactory
from .factories import (
    EventFactory,
    MeetingFactory,
    MeetingRequestFactory,
    ParticipantFactory,
    SessionFactory,
    client_for,
)

pytestmark = pytest.mark.django_db

TEMPLATE = "https://meet.example.org/{event}-{meeting}?table={table}"


@pytest.fixture
def event():
    event = EventFactory(slug="web-forum", online=True, tables=None, meeting_link=TEMPLATE)
    SessionFactory(event=event)
    return event


@pytest.fixture
def meeting(event):
    return MeetingFactory(request__requester__event=event, table=3)


def link_of(meeting: Meeting) -> str:
    return f"https://meet.example.org/web-forum-{meeting.request_id}?table=3"


@pytest.mark.parametrize(
    "template",
    [
        "https://meet.example.org/{event}-{meeting}",
        "http://video.example.org/room/{table}",
        "https://meet.example.org/one-room-for-all",
    ],
)
def test_good_templates_pass(template):
    validate_link_template(template)


@pytest.mark.parametrize(
    ("template", "says"),
    [
        ("https://meet.example.org/{room}", "{room}"),
        ("https://meet.example.org/{event.slug}", "Unknown placeholder"),
        ("https://meet.example.org/{}", "Unknown placeholder"),
        ("https://meet.example.org/{event", "braces"),
        ("ftp://files.example.org/{meeting}", "https://"),
        ("javascript:alert(1)//{meeting}", "https://"),
        ("meet.example.org/{meeting}", "https://"),
    ],
)
def test_bad_templates_are_refused_with_the_reason(template, says):
    with pytest.raises(ValidationError) as caught:
        validate_link_template(template)
    assert says in " ".join(caught.value.messages)


def test_the_event_form_refuses_an_unknown_placeholder(world):
    client = client_for(world.partnership_manager)
    response = client.post(
        "/events/new/",
        {
            "name": "Web forum",
            "online": "on",
            "meeting_link": "https://meet.example.org/{room}",
            "start_date": "2027-03-01",
            "end_date": "2027-03-01",
            "registration_deadline": "2027-02-20T12:00",
            "max_requests": 10,
            "max_meetings": 8,
        },
    )
    assert response.status_code == 400
    assert "{room}" in response.content.decode()


def test_agenda_shows_each_meetings_room(event, meeting):
    body = client_for(meeting.request.requester.user).get(f"/events/{event.slug}/agenda/")
    assert f'href="{link_of(meeting)}"' in body.content.decode()


def test_ics_carries_the_room_as_url_location_and_description(event, meeting):
    response = client_for(meeting.request.requested.user).get(f"/events/{event.slug}/agenda.ics")
    entry = next(c for c in Calendar.from_ical(response.content).walk("VEVENT"))
    assert str(entry["url"]) == link_of(meeting)
    assert str(entry["location"]) == link_of(meeting)
    assert link_of(meeting) in str(entry["description"])


def test_hybrid_event_gives_the_venue_and_the_room(meeting, event):
    event.online, event.tables, event.venue = False, 10, "Lyon, Eurexpo"
    event.save()
    response = client_for(meeting.request.requested.user).get(f"/events/{event.slug}/agenda.ics")
    entry = next(c for c in Calendar.from_ical(response.content).walk("VEVENT"))
    assert str(entry["location"]) == f"Lyon, Eurexpo, table 3 · {link_of(meeting)}"
    page = client_for(meeting.request.requested.user).get(f"/events/{event.slug}/")
    assert "or online (hybrid)" in page.content.decode()


def test_without_a_template_there_is_no_room(meeting, event):
    event.meeting_link = ""
    event.save()
    body = client_for(meeting.request.requester.user).get(f"/events/{event.slug}/agenda/")
    assert "meet.example.org" not in body.content.decode()
    response = client_for(meeting.request.requested.user).get(f"/events/{event.slug}/agenda.ics")
    entry = next(c for c in Calendar.from_ical(response.content).walk("VEVENT"))
    assert "url" not in entry


def test_the_meeting_mail_gives_the_room(
    event, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    organiser = UserFactory()
    event.organisers.add(organiser)
    requester = meeting.request.requester
    requester.user = UserFactory(email="ann@example.org")
    requester.save()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(organiser).post(f"/events/{event.slug}/schedule/announce/")
    mail = next(m for m in mailoutbox if m.to == ["ann@example.org"])
    assert f"Online room: {link_of(meeting)}" in mail.body


def test_rooms_of_an_online_event_survive_a_rerun_and_tables_are_unlimited(event):
    people = [ParticipantFactory(event=event) for _ in range(6)]
    requests = [
        MeetingRequestFactory(requester=people[i], requested=people[i + 3]) for i in range(3)
    ]
    run_scheduling(event)
    # Three meetings can share a slot: online tables are not limited.
    assert Meeting.objects.filter(request__event=event).count() == 3
    organiser = UserFactory()
    event.organisers.add(organiser)
    grid = client_for(organiser).get(f"/events/{event.slug}/schedule/").content.decode()
    first = {r.pk: f"https://meet.example.org/web-forum-{r.pk}" for r in requests}
    for link in first.values():
        assert link in grid
    run_scheduling(event)
    grid_again = client_for(organiser).get(f"/events/{event.slug}/schedule/").content.decode()
    for link in first.values():
        assert link in grid_again


def test_the_schedule_export_gives_the_zone_and_the_room(event, meeting):
    organiser = UserFactory()
    event.organisers.add(organiser)
    response = client_for(organiser).get(f"/events/{event.slug}/schedule/?format=csv")
    header, row = response.content.decode("utf-8-sig").splitlines()[:2]
    assert header.endswith(",Time zone,Link")
    assert row.endswith(f",Europe/Brussels,{link_of(meeting)}")


def test_the_public_api_says_there_are_rooms_but_gives_no_link(client, event):
    listed = client.get(f"/api/events/{event.slug}").json()
    assert listed["online_rooms"] is True and listed["time_zone"] == "Europe/Brussels"
    assert "meet.example.org" not in str(listed)
