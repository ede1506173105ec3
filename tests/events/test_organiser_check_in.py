"""Check-in at the event: lists per session and slot, arrival marked and undone."""

import pytest

from clusterbroker.events.models import Participant

from .factories import (
    MeetingFactory,
    ParticipantFactory,
    SessionFactory,
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


def test_marking_arrival_and_undoing_it(event, organiser):
    participant = ParticipantFactory(event=event, contact_name="Ada Arrival")
    url = f"/events/{event.slug}/organise/check-in/{participant.pk}/"
    back = f"/events/{event.slug}/organise/participants/"
    response = organiser.post(url, {"arrived": "1", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    participant.refresh_from_db()
    first = participant.arrived_at
    assert first is not None
    organiser.post(url, {"arrived": "1"})
    participant.refresh_from_db()
    assert participant.arrived_at == first  # the first arrival is kept
    listing = organiser.get(back).content.decode()
    assert f'data-arrived="{participant.pk}"' in listing
    assert "1 registration, 1 arrived" in listing
    organiser.post(url, {"arrived": "0"})
    participant.refresh_from_db()
    assert participant.arrived_at is None
    assert f'data-arrived="{participant.pk}"' not in organiser.get(back).content.decode()


def test_a_foreign_next_address_is_not_followed(event, organiser):
    participant = ParticipantFactory(event=event)
    response = organiser.post(
        f"/events/{event.slug}/organise/check-in/{participant.pk}/",
        {"arrived": "1", "next": "https://evil.example.com/"},
    )
    assert response["Location"] == f"/events/{event.slug}/organise/check-in/"


def test_the_session_list_shows_who_is_available_and_the_slot_list_who_meets(event, organiser):
    morning = event.sessions.get()
    afternoon = SessionFactory(event=event, name="Afternoon", start=morning.start.replace(hour=14))
    meeting = MeetingFactory(request__requester__event=event)
    pair = {meeting.request.requester_id, meeting.request.requested_id}
    idle = ParticipantFactory(event=event, sessions=[morning])
    late = ParticipantFactory(event=event, sessions=[afternoon])
    url = f"/events/{event.slug}/organise/check-in/"

    def listed(query: str) -> set[int]:
        return {p.pk for p in organiser.get(url + query).context["participants"]}

    assert listed(f"?session={morning.pk}") == pair | {idle.pk}
    assert listed(f"?session={afternoon.pk}") == {late.pk} | set(
        Participant.objects.filter(available_sessions=afternoon).values_list("pk", flat=True)
    )
    assert listed(f"?session={morning.pk}&slot=0") == pair
    assert listed(f"?session={morning.pk}&slot=1") == set()
    assert listed(f"?session={morning.pk}&slot=99") == pair | {idle.pk}
