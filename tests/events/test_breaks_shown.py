"""Breaks shown: each agenda and the organiser's grid show the idle periods between two
meetings of a participant on the same day, counted from the stored meetings."""

import datetime as dt

import pytest
from django.utils import timezone

from clusterbroker.events.agenda import agenda, breaks_in
from clusterbroker.events.models import Meeting
from clusterbroker.events.scheduling import stored_breaks

from ..factories import UserFactory
from .factories import (
    EventFactory,
    MeetingRequestFactory,
    ParticipantFactory,
    SessionFactory,
    client_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    """Two days, each with a morning session of three slots (09:00, 09:25, 09:50)."""
    event = EventFactory()
    event.end_date = event.start_date + dt.timedelta(days=1)
    event.save()
    for offset in (0, 1):
        day = event.start_date + dt.timedelta(days=offset)
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
        SessionFactory(event=event, name=f"Day {offset + 1}", start=start)
    return event


@pytest.fixture
def people(event):
    return [ParticipantFactory(event=event) for _ in range(4)]


def place(event, a, b, day: int, slot: int, table: int = 1) -> Meeting:
    session = event.sessions.order_by("start")[day]
    start = session.slot_starts()[slot]
    return Meeting.objects.create(
        request=MeetingRequestFactory(requester=a, requested=b),
        session=session,
        start=start,
        end=start + dt.timedelta(minutes=20),
        table=table,
    )


def test_a_gap_in_a_day_is_a_break_a_night_is_not(event, people):
    ann, bob, cat, dan = people
    first = place(event, ann, bob, day=0, slot=0)
    after_gap = place(event, ann, cat, day=0, slot=2)
    next_day = place(event, ann, dan, day=1, slot=2)
    place(event, bob, cat, day=0, slot=1)  # bob: slots 0 and 1, no break
    found = stored_breaks(event)
    assert found.per_participant == {ann.pk: 1, bob.pk: 0, cat.pk: 0, dan.pk: 0}
    assert found.total == 1
    items = agenda(ann)
    assert [i.after_break for i in items] == [False, True, False]
    assert [i.meeting_id for i in items] == [first.pk, after_gap.pk, next_day.pk]
    assert breaks_in(items) == 1
    assert breaks_in(agenda(bob)) == 0


def test_agenda_page_shows_the_break(event, people):
    ann, bob, cat, _dan = people
    place(event, ann, bob, day=0, slot=0)
    place(event, ann, cat, day=0, slot=2)
    body = client_for(ann.user).get(f"/events/{event.slug}/agenda/").content.decode()
    assert 'data-breaks="1"' in body and "1 break between meetings." in body
    assert body.count("data-break>") == 1
    printable = client_for(ann.user).get(f"/events/{event.slug}/agenda/?print=1")
    assert "1 break between meetings." in printable.content.decode()
    other = client_for(bob.user).get(f"/events/{event.slug}/agenda/").content.decode()
    assert "No break between meetings." in other and "data-break>" not in other


def test_grid_shows_breaks_per_participant_and_in_all(event, people):
    ann, bob, cat, dan = people
    place(event, ann, bob, day=0, slot=0)
    place(event, ann, cat, day=0, slot=2)
    place(event, dan, bob, day=1, slot=0)
    place(event, dan, cat, day=1, slot=2)
    organiser = UserFactory()
    event.organisers.add(organiser)
    body = client_for(organiser).get(f"/events/{event.slug}/schedule/").content.decode()
    assert 'data-total-breaks="2"' in body and "2 breaks in all agendas" in body
    assert f'data-participant-breaks="{ann.pk}"' in body
    # Those with most breaks first.
    assert body.index(f'data-participant-breaks="{ann.pk}"') < body.index(
        f'data-participant-breaks="{bob.pk}"'
    )
    # Participants do not see the organiser's grid.
    assert client_for(ann.user).get(f"/events/{event.slug}/schedule/").status_code == 403


def test_the_agenda_api_marks_meetings_after_a_break(client, event, people):
    from clusterbroker.registry.models import ApiToken

    ann, bob, cat, _dan = people
    place(event, ann, bob, day=0, slot=0)
    place(event, ann, cat, day=0, slot=2)
    _token, raw = ApiToken.issue(ann.user, "test")
    response = client.get(f"/api/events/{event.slug}/agenda", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert [item["after_break"] for item in response.json()] == [False, True]


def test_a_scheduling_run_reports_the_breaks_it_left(event, people):
    from clusterbroker.events.scheduling import start_scheduling_run

    ann, bob, cat, _dan = people
    MeetingRequestFactory(requester=ann, requested=bob)
    MeetingRequestFactory(requester=ann, requested=cat)
    organiser = UserFactory()
    event.organisers.add(organiser)
    run = start_scheduling_run(event, organiser, "exact")
    assert run.status == "done"
    assert run.summary["total_breaks"] == stored_breaks(event).total == 0
    body = client_for(organiser).get(f"/events/{event.slug}/schedule/").content.decode()
    assert 'data-run-breaks="0"' in body
