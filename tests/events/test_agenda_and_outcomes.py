"""Personal agenda (page, .ics), organiser grid and export, outcomes and event figures."""

import pytest
from icalendar import Calendar

from clusterbroker.events import services
from clusterbroker.events.models import Meeting

from .factories import EventFactory, MeetingFactory, ParticipantFactory, SessionFactory, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled():
    """One event, one session, one accepted request placed at 09:00 on table 1."""
    event = EventFactory(name="Matchmaking Oyonnax")
    SessionFactory(event=event)
    meeting = MeetingFactory(request__requester__event=event)
    return event, meeting.request, meeting


def test_agenda_page_lists_the_other_participant(scheduled):
    event, request, _meeting = scheduled
    body = client_for(request.requester.user).get(f"/events/{event.slug}/agenda/").content
    assert request.requested.organisation.name in body.decode()


def test_ics_agenda_parses_with_one_event_at_the_right_time(scheduled):
    event, request, meeting = scheduled
    response = client_for(request.requested.user).get(f"/events/{event.slug}/agenda.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    entries = list(calendar.walk("VEVENT"))
    assert len(entries) == 1
    assert entries[0].decoded("dtstart") == meeting.start
    assert request.requester.organisation.name in str(entries[0]["summary"])
    assert "table 1" in str(entries[0]["location"])


def test_participant_cannot_read_someone_elses_agenda(scheduled):
    event, request, _meeting = scheduled
    outsider = ParticipantFactory(event=event)
    response = client_for(outsider.user).get(
        f"/events/{event.slug}/agenda/?participant={request.requester.pk}"
    )
    assert response.status_code == 403


def test_organiser_reads_any_agenda_and_the_grid(scheduled):
    from ..factories import UserFactory

    event, request, _meeting = scheduled
    organiser = UserFactory()
    event.organisers.add(organiser)
    client = client_for(organiser)
    agenda = client.get(f"/events/{event.slug}/agenda/?participant={request.requester.pk}")
    assert agenda.status_code == 200
    grid = client.get(f"/events/{event.slug}/schedule/")
    row = grid.context["grid"].rows[0]
    assert row.cells[0].label.startswith(request.requester.organisation.name)


def test_only_organisers_open_the_schedule(scheduled):
    event, request, _meeting = scheduled
    assert (
        client_for(request.requester.user).get(f"/events/{event.slug}/schedule/").status_code == 403
    )
    response = client_for(request.requester.user).post(
        f"/api/events/{event.slug}/schedule", {"mode": "fast"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Meeting.objects.count() == 1


def test_schedule_export_csv(scheduled):
    from ..factories import UserFactory

    event, request, _meeting = scheduled
    organiser = UserFactory(is_superuser=True)
    response = client_for(organiser).get(f"/events/{event.slug}/schedule/?format=csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Start,End,Table,Requesting organisation")
    assert request.requester.organisation.name in lines[1]


def test_outcomes_feed_the_event_figures(scheduled):
    event, _request, meeting = scheduled
    services.record_outcome(meeting, happened=True, outcome="agreement")
    figures = services.event_figures(event)
    assert (figures.requests, figures.accepted, figures.scheduled) == (1, 1, 1)
    assert (figures.held, figures.agreements) == (1, 1)


def test_a_meeting_that_did_not_happen_has_no_agreement(scheduled):
    from django.core.exceptions import ValidationError

    _event, _request, meeting = scheduled
    with pytest.raises(ValidationError):
        services.record_outcome(meeting, happened=False, outcome="agreement")


def test_withdrawing_a_scheduled_meeting_removes_it(scheduled):
    _event, request, _meeting = scheduled
    services.withdraw_request(request)
    assert not Meeting.objects.exists()
