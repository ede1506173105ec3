"""Late changes without a re-run: cancel a meeting, a no-show, add a meeting into a free slot
(pages, API, the service), who is told, and what the agendas and the next run make of it."""

import datetime as dt
import html

import pytest
from django.test import Client
from django.utils import timezone

from clusterbroker.events import late_changes
from clusterbroker.events.models import Meeting, MeetingRequest
from clusterbroker.events.scheduling import run_scheduling
from clusterbroker.notifications.models import Notification

from ..factories import UserFactory
from .factories import (
    EventFactory,
    MeetingFactory,
    MeetingRequestFactory,
    ParticipantFactory,
    SessionFactory,
    client_for,
    organiser_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    """Two tables; a morning (09:00, 09:25, 09:50) and an afternoon (14:00, 14:25, 14:50)
    session; the schedule is announced."""
    event = EventFactory(tables=2, schedule_announced_at=timezone.now())
    morning = SessionFactory(event=event, name="Morning")
    SessionFactory(event=event, name="Afternoon", start=morning.start.replace(hour=14))
    return event


@pytest.fixture
def organiser(event):
    return organiser_client(event)


def key(event, session_name: str, index: int) -> str:
    return f"{event.sessions.get(name=session_name).pk}:{index}"


def meeting_at(event, session_name: str, index: int, table: int = 1, **request) -> Meeting:
    session = event.sessions.get(name=session_name)
    start = session.slot_starts()[index]
    return MeetingFactory(
        request=MeetingRequestFactory(requester__event=event, **request),
        session=session,
        start=start,
        end=start + dt.timedelta(minutes=20),
        table=table,
        announced=True,
    )


def told(user, words: str = "") -> list[Notification]:
    return [
        n
        for n in Notification.objects.filter(recipient=user, kind="schedule_changed")
        if words in n.body
    ]


def test_free_slots_honour_the_window_busy_participants_and_tables(event):
    a, b = ParticipantFactory(event=event), ParticipantFactory(event=event)
    request = MeetingRequestFactory(requester=a, requested=b, window_part="morning")
    meeting_at(event, "Morning", 0, requester=a)  # a is busy at 09:00
    meeting_at(event, "Morning", 1, table=1)  # 09:25: both tables taken by others
    meeting_at(event, "Morning", 1, table=2)
    assert [s.key for s in late_changes.free_slots(request)] == [key(event, "Morning", 2)]
    request.window_part = ""
    request.save()
    assert [s.key for s in late_changes.free_slots(request)] == [
        key(event, "Morning", 2),
        *(key(event, "Afternoon", i) for i in range(3)),
    ]
    b.available_sessions.set([event.sessions.get(name="Morning")])
    assert [s.key for s in late_changes.free_slots(request)] == [key(event, "Morning", 2)]


def test_adding_a_meeting_into_a_free_slot_tells_both_and_updates_the_agendas(event, organiser):
    a, b = ParticipantFactory(event=event), ParticipantFactory(event=event)
    request = MeetingRequestFactory(requester=a, requested=b)
    meeting_at(event, "Afternoon", 0, table=1)
    url = f"/events/{event.slug}/organise/requests/{request.pk}/add-meeting/"
    page = organiser.get(url).content.decode()
    wanted = key(event, "Afternoon", 0)
    assert f'data-slot="{wanted}"' in page
    response = organiser.post(url, {"slot": wanted})
    assert response.status_code == 302
    meeting = Meeting.objects.get(request=request)
    afternoon = event.sessions.get(name="Afternoon")
    assert (meeting.start, meeting.table, meeting.announced) == (afternoon.start, 2, True)
    assert told(a.user, b.organisation.name) and told(b.user, a.organisation.name)
    for side in (a, b):
        agenda = client_for(side.user).get(f"/events/{event.slug}/agenda/").content.decode()
        assert f'data-meeting="{meeting.pk}"' in agenda


def test_adding_into_a_slot_that_is_not_free_is_refused(event, organiser):
    a, b = ParticipantFactory(event=event), ParticipantFactory(event=event)
    request = MeetingRequestFactory(requester=a, requested=b)
    meeting_at(event, "Morning", 2, requested=b)  # b is busy at 09:50
    meeting_at(event, "Afternoon", 0, table=1)  # 14:00: no table left
    meeting_at(event, "Afternoon", 0, table=2)
    page_url = f"/events/{event.slug}/organise/requests/{request.pk}/add-meeting/"
    api_url = f"/api/events/{event.slug}/requests/{request.pk}/meeting"

    def refused(slot: str, reason: str) -> None:
        response = organiser.post(page_url, {"slot": slot})
        assert response.status_code == 400
        assert reason in html.unescape(response.content.decode())
        response = organiser.post(api_url, {"slot": slot}, content_type="application/json")
        assert response.status_code == 409 and reason in response.json()["detail"], response.json()

    refused(key(event, "Morning", 2), "already has a meeting at that time")
    refused(key(event, "Afternoon", 0), "Every table is taken")
    refused("99999:0", "There is no slot")
    request.window_part = "afternoon"
    request.save()
    refused(key(event, "Morning", 0), "outside the request's time window")
    assert not Meeting.objects.filter(request=request).exists()
    assert not told(a.user) and not told(b.user)


def test_a_slot_that_has_begun_is_not_free(event):
    a, b = ParticipantFactory(event=event), ParticipantFactory(event=event)
    request = MeetingRequestFactory(requester=a, requested=b)
    morning = event.sessions.get(name="Morning")
    morning.start = timezone.now() - dt.timedelta(minutes=30)
    morning.end = morning.start + dt.timedelta(minutes=75)
    morning.save()
    keys = [s.key for s in late_changes.free_slots(request)]
    assert f"{morning.pk}:0" not in keys and f"{morning.pk}:2" in keys


def test_cancelling_a_meeting_frees_it_for_good_and_tells_both(event, organiser):
    meeting = meeting_at(event, "Morning", 0)
    request = meeting.request
    a, b = request.requester, request.requested
    response = organiser.post(f"/events/{event.slug}/organise/meetings/{meeting.pk}/cancel/")
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.CANCELLED
    assert told(a.user, "cancelled your meeting") and told(b.user, "cancelled your meeting")
    agenda = client_for(a.user).get(f"/events/{event.slug}/agenda/").content.decode()
    assert f'data-meeting="{meeting.pk}"' not in agenda
    run_scheduling(event, mode="fast")
    assert not Meeting.objects.filter(request=request).exists()  # the next run leaves it out
    listing = organiser.get(f"/events/{event.slug}/organise/changes/").content.decode()
    assert f'data-request="{request.pk}"' in listing
    late_changes.add_meeting(request, key(event, "Afternoon", 1))
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.ACCEPTED


def test_a_no_show_frees_their_remaining_meetings(event, organiser):
    absent = ParticipantFactory(event=event)
    first = meeting_at(event, "Morning", 0, requester=absent)
    second = meeting_at(event, "Afternoon", 1, requested=absent)
    now = timezone.now()
    past = MeetingFactory(
        request=MeetingRequestFactory(requester=absent),
        start=now - dt.timedelta(hours=2),
        end=now - dt.timedelta(hours=1),
        table=1,
    )
    others = [first.request.requested, second.request.requester]
    response = organiser.post(f"/events/{event.slug}/organise/participants/{absent.pk}/no-show/")
    assert response.status_code == 302
    absent.refresh_from_db()
    assert absent.no_show_at is not None
    assert set(Meeting.objects.values_list("pk", flat=True)) == {past.pk}
    for other in others:
        assert told(other.user, f"{absent.organisation.name} does not attend")
    assert told(absent.user, "You are marked as not attending")
    late = MeetingRequestFactory(requester=absent, requested=ParticipantFactory(event=event))
    assert late_changes.free_slots(late) == []
    run_scheduling(event, mode="fast")
    assert not Meeting.objects.filter(request=late).exists()
    organiser.post(
        f"/events/{event.slug}/organise/participants/{absent.pk}/no-show/", {"absent": "0"}
    )
    absent.refresh_from_db()
    assert absent.no_show_at is None
    assert late_changes.free_slots(late)


def test_the_late_changes_page_lists_meetings_participants_and_requests(event, organiser):
    meeting = meeting_at(event, "Morning", 0)
    waiting = MeetingRequestFactory(requester__event=event)
    page = organiser.get(f"/events/{event.slug}/organise/changes/").content.decode()
    assert f'data-meeting="{meeting.pk}"' in page
    assert f'data-participant="{meeting.request.requester_id}"' in page
    assert f'data-request="{waiting.pk}"' in page
    assert f'data-request="{meeting.request_id}"' not in page


def test_the_api_lists_free_slots_adds_cancels_and_marks_no_shows(event, organiser):
    a, b = ParticipantFactory(event=event), ParticipantFactory(event=event)
    request = MeetingRequestFactory(requester=a, requested=b, window_part="afternoon")
    base = f"/api/events/{event.slug}"
    slots = organiser.get(f"{base}/requests/{request.pk}/free-slots").json()
    assert [s["slot"] for s in slots] == [key(event, "Afternoon", i) for i in range(3)]
    assert slots[0]["table"] == 1
    added = organiser.post(
        f"{base}/requests/{request.pk}/meeting",
        {"slot": slots[1]["slot"]},
        content_type="application/json",
    )
    assert added.status_code == 201 and added.json()["request"] == request.pk
    again = organiser.post(
        f"{base}/requests/{request.pk}/meeting",
        {"slot": slots[2]["slot"]},
        content_type="application/json",
    )
    assert again.status_code == 422  # it has its meeting already
    cancelled = organiser.post(f"{base}/meetings/{added.json()['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json() == {"told": 2}
    meeting_at(event, "Morning", 0, requester=a)
    marked = organiser.post(
        f"{base}/participants/{a.pk}/no-show", {"absent": True}, content_type="application/json"
    )
    assert marked.json() == {"participant": a.pk, "absent": True, "freed": 1}


def test_only_organisers_make_late_changes(event):
    meeting = meeting_at(event, "Morning", 0)
    request = MeetingRequestFactory(requester__event=event)
    side = meeting.request.requester
    base, api = f"/events/{event.slug}/organise", f"/api/events/{event.slug}"
    for client in (client_for(side.user), client_for(UserFactory())):
        assert client.get(f"{base}/changes/").status_code == 403
        assert client.post(f"{base}/meetings/{meeting.pk}/cancel/").status_code == 403
        assert client.post(f"{base}/participants/{side.pk}/no-show/").status_code == 403
        assert client.post(f"{base}/requests/{request.pk}/add-meeting/").status_code == 403
        assert client.get(f"{api}/requests/{request.pk}/free-slots").status_code == 403
        assert client.post(f"{api}/meetings/{meeting.pk}/cancel").status_code == 403
        response = client.post(
            f"{api}/requests/{request.pk}/meeting",
            {"slot": key(event, "Afternoon", 0)},
            content_type="application/json",
        )
        assert response.status_code == 403
        response = client.post(
            f"{api}/participants/{side.pk}/no-show", {}, content_type="application/json"
        )
        assert response.status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert not Meeting.objects.filter(request=request).exists()
    side.refresh_from_db()
    assert side.no_show_at is None
    assert Client().get(f"{api}/requests/{request.pk}/free-slots").status_code == 401


def test_a_meeting_of_another_event_is_not_found(event, organiser):
    foreign = MeetingFactory(request__requester__event=SessionFactory().event)
    response = organiser.post(f"/events/{event.slug}/organise/meetings/{foreign.pk}/cancel/")
    assert response.status_code == 404
    assert Meeting.objects.filter(pk=foreign.pk).exists()
