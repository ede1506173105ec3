"""Who may do what at an event: participants see their own requests and agenda only,
organisers alone schedule, see the grid and export; anonymous users are sent to log in."""

import pytest

from clusterbroker.events import permissions
from clusterbroker.events.models import Meeting, MeetingRequest

from ..factories import UserFactory
from .factories import (
    MeetingFactory,
    MeetingRequestFactory,
    ParticipantFactory,
    client_for,
    partnership_event,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(world):
    return partnership_event(world.partnership)


@pytest.fixture
def meeting(event):
    return MeetingFactory(request__requester__event=event)


def test_who_is_an_organiser(world, event):
    named = UserFactory()
    event.organisers.add(named)
    assert permissions.is_organiser(world.admin, event)
    assert permissions.is_organiser(world.partnership_manager, event)
    assert permissions.is_organiser(named, event)
    for user in (world.other_partnership_manager, world.company_user, world.outsider):
        assert not permissions.is_organiser(user, event)


def test_who_creates_events(world):
    assert permissions.can_create_event(world.admin)
    assert permissions.can_create_event(world.partnership_manager)
    assert not permissions.can_create_event(world.company_user)
    assert client_for(world.company_user).get("/events/new/").status_code == 403


ANONYMOUS_PAGES = [
    "register/",
    "participants/",
    "requests/",
    "agenda/",
    "agenda.ics",
    "schedule/",
    "schedule/?format=csv",
]


@pytest.mark.parametrize("page", ANONYMOUS_PAGES)
def test_anonymous_is_sent_to_login(event, client, page):
    response = client.get(f"/events/{event.slug}/{page}")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_anonymous_changes_nothing(event, meeting, client):
    request = meeting.request
    for url in (
        f"/events/{event.slug}/requests/{request.pk}/withdraw/",
        f"/events/{event.slug}/schedule/announce/",
        f"/events/{event.slug}/sessions/",
        f"/events/{event.slug}/meetings/{meeting.pk}/outcome/",
    ):
        assert client.post(url, {"happened": "true"}).status_code == 302
    request.refresh_from_db()
    meeting.refresh_from_db()
    assert (request.status, meeting.announced, meeting.happened) == ("accepted", False, None)
    assert event.sessions.count() == 1


def test_participant_sees_only_their_own_requests(event):
    mine = MeetingRequestFactory(requester__event=event)
    MeetingRequestFactory(requester__event=event)
    page = client_for(mine.requester.user).get(f"/events/{event.slug}/requests/")
    assert [r.pk for r in page.context["sent"]] == [mine.pk]
    assert list(page.context["received"]) == []


def test_participant_cannot_act_on_someone_elses_request(event):
    theirs = MeetingRequestFactory(requester__event=event, status="pending")
    outsider = ParticipantFactory(event=event)
    client = client_for(outsider.user)
    for action in ("accept", "decline", "withdraw"):
        response = client.post(f"/events/{event.slug}/requests/{theirs.pk}/{action}/")
        assert response.status_code == 403
    assert MeetingRequest.objects.get(pk=theirs.pk).status == "pending"


def test_requester_cannot_accept_their_own_request(event):
    request = MeetingRequestFactory(requester__event=event, status="pending")
    response = client_for(request.requester.user).post(
        f"/events/{event.slug}/requests/{request.pk}/accept/"
    )
    assert response.status_code == 403


def test_participant_sees_only_their_own_agenda_and_calendar(event, meeting):
    outsider = ParticipantFactory(event=event)
    client = client_for(outsider.user)
    requester = meeting.request.requester
    assert client.get(f"/events/{event.slug}/agenda/").context["items"] == []
    for page in ("agenda/?", "agenda/?print=1&", "agenda.ics?"):
        url = f"/events/{event.slug}/{page}participant={requester.pk}"
        assert client.get(url).status_code == 403


def test_only_the_two_sides_and_organisers_record_an_outcome(world, event, meeting):
    outsider = ParticipantFactory(event=event)
    url = f"/events/{event.slug}/meetings/{meeting.pk}/outcome/"
    assert client_for(outsider.user).get(url).status_code == 403
    assert client_for(meeting.request.requester.user).get(url).status_code == 200
    assert client_for(world.partnership_manager).get(url).status_code == 200


def test_only_organisers_see_grid_export_and_run_or_announce(world, event, meeting):
    participant = client_for(meeting.request.requester.user)
    for user_client in (participant, client_for(world.other_partnership_manager)):
        assert user_client.get(f"/events/{event.slug}/schedule/").status_code == 403
        assert user_client.get(f"/events/{event.slug}/schedule/?format=csv").status_code == 403
        assert (
            user_client.post(f"/events/{event.slug}/schedule/", {"mode": "fast"}).status_code == 403
        )
        assert user_client.post(f"/events/{event.slug}/schedule/announce/").status_code == 403
        day = event.start_date.isoformat()
        added = user_client.post(
            f"/events/{event.slug}/sessions/",
            {
                "start": f"{day}T14:00",
                "end": f"{day}T15:00",
                "meeting_minutes": 20,
                "break_minutes": 5,
            },
        )
        assert added.status_code == 403
    assert Meeting.objects.get().announced is False
    assert event.sessions.count() == 1
    manager = client_for(world.partnership_manager)
    assert manager.get(f"/events/{event.slug}/schedule/").status_code == 200
    export = manager.get(f"/events/{event.slug}/schedule/?format=csv")
    assert export["Content-Type"].startswith("text/csv")


def test_organiser_links_only_for_organisers(world, event):
    body = client_for(world.company_user).get(f"/events/{event.slug}/").content.decode()
    assert f"/events/{event.slug}/schedule/" not in body
    body = client_for(world.partnership_manager).get(f"/events/{event.slug}/").content.decode()
    assert f"/events/{event.slug}/schedule/" in body
    assert "Add a session" in body


def test_a_second_person_of_an_organisation_gets_their_own_registration(world, event):
    first = ParticipantFactory(event=event, organisation=world.member_company, offers="Ours")
    response = client_for(world.company_user).post(
        f"/events/{event.slug}/register/",
        {
            "organisation": world.member_company.pk,
            "offers": "Take-over",
            "sessions": [event.sessions.get().pk],
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.offers == "Ours"  # nobody takes over another person's registration
    mine = event.participants.get(user=world.company_user)
    assert (mine.organisation, mine.offers) == (world.member_company, "Take-over")


def test_a_user_registers_only_organisations_they_belong_to(world, event):
    response = client_for(world.company_user).post(
        f"/events/{event.slug}/register/",
        {
            "organisation": world.other_company.pk,
            "offers": "Not ours",
            "sessions": [event.sessions.get().pk],
        },
    )
    assert response.status_code == 400
    assert "organisation" in response.context["form"].errors
