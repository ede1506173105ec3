"""Acting for one of several registrations in the API (`acting_for`): a person registered
for two organisations requests, lists and reads the agenda of each; nobody acts for a
registration that is not theirs."""

import pytest

from clusterbroker.events.models import MeetingRequest

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


@pytest.fixture
def event():
    event = EventFactory()
    SessionFactory(event=event)
    return event


@pytest.fixture
def person(event):
    """A user registered for two organisations: `first` (their default) and `second`."""
    user = UserFactory()
    first = ParticipantFactory(event=event, user=user)
    second = ParticipantFactory(event=event, user=user)
    return user, first, second


def test_my_registrations_lists_only_mine(event, person):
    user, first, second = person
    ParticipantFactory(event=event)  # someone else's
    found = client_for(user).get(f"/api/events/{event.slug}/my-registrations").json()
    assert [r["id"] for r in found] == [first.pk, second.pk]
    assert found[1]["name"] == second.organisation.name


def test_a_request_acting_for_my_second_registration(event, person):
    user, first, second = person
    other = ParticipantFactory(event=event)
    client = client_for(user)
    url = f"/api/events/{event.slug}/requests"
    response = client.post(
        f"{url}?acting_for={second.pk}", {"requested": other.pk}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["requester"] == second.pk
    by_default = client.post(url, {"requested": other.pk}, content_type="application/json")
    assert by_default.status_code == 201 and by_default.json()["requester"] == first.pk
    mine = client.get(f"{url}?acting_for={second.pk}").json()
    assert [r["requester"] for r in mine] == [second.pk]


def test_the_agenda_of_the_registration_acted_for(event, person):
    user, first, second = person
    meeting = MeetingFactory(request__requester=second)
    url = f"/api/events/{event.slug}/agenda"
    client = client_for(user)
    assert [i["meeting_id"] for i in client.get(f"{url}?acting_for={second.pk}").json()] == [
        meeting.pk
    ]
    assert client.get(url).json() == []  # the first registration has no meeting


def test_nobody_acts_for_a_registration_that_is_not_theirs(event, person):
    """The attacker is registered at the event and names the victim's registration: refused
    (403) for every operation, nothing is created in the victim's name and nothing of theirs
    is shown; an organiser of the event may not act for a participant either."""
    _user, victim, _second = person
    MeetingFactory(request__requester=victim)
    MeetingRequestFactory(requester=ParticipantFactory(event=event), requested=victim)
    attacker = ParticipantFactory(event=event)
    organiser = UserFactory()
    event.organisers.add(organiser)
    target = ParticipantFactory(event=event)
    base = f"/api/events/{event.slug}"
    before = MeetingRequest.objects.count()
    for user in (attacker.user, organiser, UserFactory()):
        client = client_for(user)
        for wanted in (victim.pk, 999999):
            response = client.post(
                f"{base}/requests?acting_for={wanted}",
                {"requested": target.pk},
                content_type="application/json",
            )
            assert response.status_code == 403
            assert "not one of your registrations" in response.json()["detail"]
            assert client.get(f"{base}/requests?acting_for={wanted}").status_code == 403
            assert client.get(f"{base}/agenda?acting_for={wanted}").status_code == 403
    assert MeetingRequest.objects.count() == before
    assert not MeetingRequest.objects.filter(requester=victim, requested=target).exists()
