"""The agenda's calendar file in the reader's language: the language of the request when it
is downloaded, the participant's own language when it comes attached to a notice."""

import pytest
from django.core import mail
from django.utils import translation
from icalendar import Calendar

from clusterbroker.accounts.services import update_preferences
from clusterbroker.events import notifications

from ..factories import OrganisationFactory, UserFactory
from .factories import EventFactory, MeetingFactory, SessionFactory, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def languages(settings):
    settings.LANGUAGES = [("en", "English"), ("fr", "French"), ("de", "German")]
    mail.outbox = []


@pytest.fixture
def scheduled():
    """One event with one meeting at table 3 between two participants with addresses."""
    event = EventFactory(name="Matchmaking Oyonnax", online=False, venue="Hall A")
    SessionFactory(event=event)
    meeting = MeetingFactory(
        request__requester__event=event,
        request__requester__organisation=OrganisationFactory(name="Alpha Robotics"),
        request__requester__user=UserFactory(email="alpha@example.org"),
        request__requested__organisation=OrganisationFactory(name="Beta Sensors"),
        request__requested__user=UserFactory(email="beta@example.org"),
        table=3,
    )
    return event, meeting


def texts(code: str, other: str) -> dict[str, str]:
    """The .ics texts of a meeting with `other` at table 3, in the language `code`."""
    with translation.override(code):
        found = {
            "summary": translation.gettext("B2B meeting: %(name)s") % {"name": other},
            "with": translation.gettext("With %(name)s") % {"name": other},
            "table": translation.gettext("table %(n)s") % {"n": 3},
        }
    assert found["summary"] != f"B2B meeting: {other}", "no catalogue for " + code
    return found


def only_entry(content: bytes):
    [entry] = Calendar.from_ical(content).walk("VEVENT")
    return entry


def test_the_downloaded_agenda_follows_the_requests_language(scheduled):
    event, meeting = scheduled
    client = client_for(meeting.request.requested.user)
    german = texts("de", "Alpha Robotics")
    entry = only_entry(client.get(f"/events/{event.slug}/agenda.ics?lang=de").content)
    assert str(entry["summary"]) == german["summary"]
    assert german["with"] in str(entry["description"])
    assert str(entry["location"]) == f"Hall A, {german['table']}"
    # And in English without it.
    entry = only_entry(client.get(f"/events/{event.slug}/agenda.ics?lang=en").content)
    assert str(entry["summary"]) == "B2B meeting: Alpha Robotics"
    assert str(entry["location"]) == "Hall A, table 3"


def test_the_attached_agenda_is_in_each_participants_language(
    scheduled, django_capture_on_commit_callbacks
):
    event, meeting = scheduled
    update_preferences(meeting.request.requester.user, language="fr")
    update_preferences(meeting.request.requested.user, language="de")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notifications.announce(event)  # the organiser speaks English
    attached = {m.to[0]: only_entry(m.attachments[0][1]) for m in mail.outbox}
    french, german = texts("fr", "Beta Sensors"), texts("de", "Alpha Robotics")
    to_alpha, to_beta = attached["alpha@example.org"], attached["beta@example.org"]
    assert str(to_alpha["summary"]) == french["summary"]
    assert french["with"] in str(to_alpha["description"])
    assert str(to_alpha["location"]) == f"Hall A, {french['table']}"
    assert str(to_beta["summary"]) == german["summary"]
    assert str(to_beta["location"]) == f"Hall A, {german['table']}"
