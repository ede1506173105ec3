"""Every time of an event is shown in its time zone, with the reader's own beside it."""

import datetime as dt
import re
import zoneinfo

import pytest
from icalendar import Calendar

from clusterbroker.accounts.services import update_preferences
from clusterbroker.events import times
from clusterbroker.events.models import Event

from ..factories import UserFactory
from .factories import (
    EventFactory,
    MeetingFactory,
    SessionFactory,
    client_for,
)

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture
def event():
    event = EventFactory(
        name="Boston forum",
        time_zone="America/New_York",
        start_date=dt.date(2027, 1, 12),
        end_date=dt.date(2027, 1, 12),
    )
    start = dt.datetime(2027, 1, 12, 9, 0, tzinfo=NEW_YORK)
    SessionFactory(event=event, start=start, end=start + dt.timedelta(minutes=75))
    return event


@pytest.fixture
def meeting(event):
    return MeetingFactory(request__requester__event=event, table=2)


def test_an_event_has_the_sites_time_zone_by_default(db):
    event = EventFactory()
    assert event.time_zone == "Europe/Brussels"
    assert event.zone.key == "Europe/Brussels"


def test_an_unknown_time_zone_is_refused(db):
    event = EventFactory.build(time_zone="Mars/Olympus")
    with pytest.raises(Exception) as caught:
        event.full_clean(exclude=["slug"])
    assert "time_zone" in caught.value.message_dict


def test_time_in_the_event_zone_with_the_readers_own_beside(event):
    moment = dt.datetime(2027, 1, 12, 14, 0, tzinfo=dt.UTC)
    assert times.event_time(moment, event) == "09:00 EST"
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    assert times.event_time(moment, event, shanghai) == "09:00 EST (22:00 CST, Asia/Shanghai)"
    # The same clock in another zone adds nothing.
    assert times.event_time(moment, event, zoneinfo.ZoneInfo("America/Toronto")) == "09:00 EST"
    # A zone without an abbreviation shows its offset.
    assert times.in_zone(moment, zoneinfo.ZoneInfo("Asia/Dubai")) == "18:00 UTC+04:00"


def test_agenda_page_says_the_zone_and_the_readers_own_time(event, meeting):
    user = meeting.request.requester.user
    body = client_for(user).get(f"/events/{event.slug}/agenda/").content.decode()
    assert "09:00 EST" in body and "America/New_York" in body
    assert "Asia/Shanghai" not in body
    update_preferences(user, time_zone="Asia/Shanghai")
    body = client_for(user).get(f"/events/{event.slug}/agenda/").content.decode()
    # The middleware shows the user's zone, but event times stay in the event's zone.
    assert "Tue 12 Jan 09:00 EST (Tue 22:00 CST, Asia/Shanghai)" in body
    printable = client_for(user).get(f"/events/{event.slug}/agenda/?print=1").content.decode()
    assert "09:00 EST" in printable and "22:00 CST" in printable


def test_event_page_and_grid_show_times_with_their_zone(event, meeting):
    organiser = UserFactory()
    event.organisers.add(organiser)
    client = client_for(organiser)
    page = client.get(f"/events/{event.slug}/").content.decode()
    assert "09:00 EST" in page and "10:15 EST" in page
    assert 'data-zone="America/New_York"' in page
    grid = client.get(f"/events/{event.slug}/schedule/").content.decode()
    assert "09:00 EST" in grid


def test_ics_carries_the_events_time_zone(event, meeting):
    user = meeting.request.requester.user
    response = client_for(user).get(f"/events/{event.slug}/agenda.ics")
    text = response.content.decode()
    assert "DTSTART;TZID=America/New_York:20270112T090000" in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:America/New_York" in text
    calendar = Calendar.from_ical(response.content)
    entry = next(c for c in calendar.walk("VEVENT"))
    assert entry.decoded("dtstart") == dt.datetime(2027, 1, 12, 14, 0, tzinfo=dt.UTC)


def test_announcement_mail_gives_times_in_the_event_zone(
    event, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    organiser = UserFactory()
    event.organisers.add(organiser)
    requester = meeting.request.requester
    requester.user = UserFactory(email="ann@example.org")
    requester.save()
    update_preferences(requester.user, time_zone="Europe/Paris")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(organiser).post(f"/events/{event.slug}/schedule/announce/")
    mail = next(m for m in mailoutbox if m.to == ["ann@example.org"])
    assert "09:00 EST (15:00 CET, Europe/Paris)" in mail.body
    grid = client_for(organiser).get(f"/events/{event.slug}/schedule/").content.decode()
    assert re.search(r"Last announced <time [^>]+>\d+ \w+ \d{4}, \d\d:\d\d ES?T</time>", grid)


def test_a_new_event_takes_the_organisers_time_zone(world):
    manager = world.partnership_manager
    update_preferences(manager, time_zone="Asia/Tokyo")
    client = client_for(manager)
    form = client.get("/events/new/").content.decode()
    assert '<option value="Asia/Tokyo" selected>' in form
    response = client.post(
        "/events/new/",
        {
            "name": "Tokyo forum",
            "partnership": world.partnership.pk,
            "online": "on",
            "start_date": "2027-03-01",
            "end_date": "2027-03-01",
            "registration_deadline": "2027-02-20T12:00",
            "max_requests": 10,
            "max_meetings": 8,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Event.objects.get(name="Tokyo forum").time_zone == "Asia/Tokyo"
    wrong = client.post(
        "/events/new/",
        {
            "name": "Nowhere forum",
            "online": "on",
            "time_zone": "Mars/Olympus",
            "start_date": "2027-03-01",
            "end_date": "2027-03-01",
            "registration_deadline": "2027-02-20T12:00",
            "max_requests": 10,
            "max_meetings": 8,
        },
    )
    assert wrong.status_code == 400
    assert not Event.objects.filter(name="Nowhere forum").exists()


def test_session_times_are_read_in_the_event_zone(event):
    organiser = UserFactory()
    event.organisers.add(organiser)
    update_preferences(organiser, time_zone="Asia/Tokyo")
    response = client_for(organiser).post(
        f"/events/{event.slug}/sessions/",
        {
            "name": "Afternoon",
            "start": "2027-01-12T14:00",
            "end": "2027-01-12T15:00",
            "meeting_minutes": 20,
            "break_minutes": 5,
        },
    )
    assert response.status_code == 302
    session = event.sessions.get(name="Afternoon")
    assert session.start == dt.datetime(2027, 1, 12, 14, 0, tzinfo=NEW_YORK)
