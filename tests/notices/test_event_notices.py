"""Brokerage events tell the participants concerned, and nobody else: meeting requests and
their answers, the schedule announced (agenda and .ics to every participant with an
address) and changed."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from clusterbroker.events.models import Meeting, MeetingRequest
from clusterbroker.notifications.models import Notification

from ..events.factories import (
    EventFactory,
    MeetingRequestFactory,
    ParticipantFactory,
    SessionFactory,
    client_for,
)
from ..factories import OrganisationFactory, UserFactory
from .helpers import mails_to, notice, notified

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = EventFactory(name="Matchmaking Lyon", tables=4)
    SessionFactory(event=event)
    return event


def participant(event, name: str, email: str | None = "", with_user: bool = True):
    user = UserFactory(email=email if email is not None else "") if with_user else None
    return ParticipantFactory(
        event=event, organisation=OrganisationFactory(name=name, country="FR"), user=user
    )


@pytest.fixture
def a(event):
    return participant(event, "Alpha Robotics", "alpha@example.org")


@pytest.fixture
def b(event):
    return participant(event, "Beta Sensors", "beta@example.org")


@pytest.fixture
def c(event):
    return participant(event, "Gamma Optics", "gamma@example.org")


@pytest.fixture
def organiser(event):
    user = UserFactory(email="organiser@example.org")
    event.organisers.add(user)
    return user


def page_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- meeting requests ----------------------------------------------------------------------


def test_a_meeting_request_tells_the_requested_participant_only(event, a, b, c, committed):
    with committed():
        response = client_for(a.user).post(
            f"/events/{event.slug}/participants/{b.pk}/",
            {"priority": 2, "message": "Shall we talk about grippers?"},
        )
    assert response.status_code == 302
    assert notified("meeting_request") == {b.user.pk}
    told = notice("meeting_request", b.user)
    assert "Alpha Robotics" in told.title and "Matchmaking Lyon" in told.title
    assert "Shall we talk about grippers?" in told.body and "High" in told.body
    assert told.url == f"/events/{event.slug}/requests/"
    [email] = mails_to("beta@example.org")
    assert "Alpha Robotics" in email.subject
    assert f"/events/{event.slug}/requests/" in email.body
    assert len(mail.outbox) == 1  # not the requester, not the third participant


def test_accepting_and_declining_tell_the_requester(event, a, b, c, committed):
    to_b = MeetingRequestFactory(requester=a, requested=b, status="pending")
    to_c = MeetingRequestFactory(requester=a, requested=c, status="pending")
    with committed():
        client_for(b.user).post(f"/events/{event.slug}/requests/{to_b.pk}/accept/")
        client_for(c.user).post(f"/events/{event.slug}/requests/{to_c.pk}/decline/")
    assert notified("meeting_accepted") == {a.user.pk}
    assert notified("meeting_declined") == {a.user.pk}
    assert "Beta Sensors accepted" in notice("meeting_accepted", a.user).title
    assert "Gamma Optics declined" in notice("meeting_declined", a.user).title
    assert sorted(m.subject for m in mails_to("alpha@example.org")) == sorted(
        [
            "[ClusterBroker] Beta Sensors accepted to meet you at Matchmaking Lyon",
            "[ClusterBroker] Gamma Optics declined to meet you at Matchmaking Lyon",
        ]
    )
    assert not mails_to("beta@example.org") and not mails_to("gamma@example.org")


def test_a_refused_answer_tells_nobody(event, a, b, committed):
    request = MeetingRequestFactory(requester=a, requested=b, status="pending")
    with committed():
        # The requester may not accept their own request: 403, nothing happens.
        assert (
            client_for(a.user)
            .post(f"/events/{event.slug}/requests/{request.pk}/accept/")
            .status_code
            == 403
        )
    assert not Notification.objects.exists() and not mail.outbox


def test_withdrawing_tells_the_other_side_and_cancels_the_meeting(event, a, b, committed):
    request = MeetingRequestFactory(requester=a, requested=b, status="accepted")
    session = event.sessions.get()
    Meeting.objects.create(
        request=request,
        session=session,
        start=session.start,
        end=session.start + dt.timedelta(minutes=20),
        table=3,
        announced=True,
    )
    with committed():
        client_for(b.user).post(f"/events/{event.slug}/requests/{request.pk}/withdraw/")
    assert notified("meeting_withdrawn") == {a.user.pk}
    told = notice("meeting_withdrawn", a.user)
    assert "Beta Sensors" in told.title
    assert "table 3 is cancelled" in told.body
    assert told.url == f"/events/{event.slug}/agenda/"
    assert [m.to for m in mail.outbox] == [["alpha@example.org"]]


def test_withdrawing_through_the_api_tells_the_other_side_not_the_actor(event, a, b, committed):
    request = MeetingRequestFactory(requester=a, requested=b, status="pending")
    with committed():
        response = client_for(a.user).post(
            f"/api/events/{event.slug}/requests/{request.pk}/withdraw",
            {},
            content_type="application/json",
        )
    assert response.status_code == 200
    assert notified("meeting_withdrawn") == {b.user.pk}
    assert "No meeting" not in notice("meeting_withdrawn", b.user).body
    assert [m.to for m in mail.outbox] == [["beta@example.org"]]


def test_answering_through_the_api_tells_the_requester(event, a, b, committed):
    request = MeetingRequestFactory(requester=a, requested=b, status="pending")
    with committed():
        client_for(b.user).post(
            f"/api/events/{event.slug}/requests/{request.pk}/accept",
            {},
            content_type="application/json",
        )
    assert notified("meeting_accepted") == {a.user.pk}


# --- the schedule --------------------------------------------------------------------------


def place(request: MeetingRequest, slot: int, table: int, announced: bool = False) -> Meeting:
    session = request.event.sessions.order_by("start").first()
    start = session.slot_starts()[slot]
    return Meeting.objects.create(
        request=request,
        session=session,
        start=start,
        end=start + dt.timedelta(minutes=session.meeting_minutes),
        table=table,
        announced=announced,
    )


def test_announcing_tells_every_participant_with_an_address(event, a, b, c, organiser, committed):
    no_email = participant(event, "Delta Tools", email=None)
    no_user = participant(event, "Epsilon Labs", with_user=False)
    place(MeetingRequestFactory(requester=a, requested=b), slot=0, table=1)
    place(MeetingRequestFactory(requester=c, requested=a), slot=1, table=2)
    with committed():
        response = client_for(organiser).post(f"/events/{event.slug}/schedule/announce/")
    assert response.status_code == 302
    # Every participant with an account is told in the application; with an address by e-mail.
    assert notified("schedule_announced") == {a.user.pk, b.user.pk, c.user.pk, no_email.user.pk}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alpha@example.org",
        "beta@example.org",
        "gamma@example.org",
    ]
    # The page reports the true numbers, and who could not be told.
    said = page_messages(response)
    assert "2 meetings announced; 4 of 5 participants notified." in said
    assert "Not notified (no active account to tell): Epsilon Labs." in said
    assert no_user.user is None
    # Each e-mail carries that participant's agenda, in the text and as a calendar file.
    [to_alpha] = mails_to("alpha@example.org")
    assert "Your meetings at Matchmaking Lyon" in to_alpha.subject
    assert "table 1: Beta Sensors (FR)" in to_alpha.body
    assert "table 2: Gamma Optics (FR)" in to_alpha.body
    assert f"/events/{event.slug}/agenda/" in to_alpha.body
    [(filename, content, mimetype)] = to_alpha.attachments
    assert filename == f"{event.slug}-agenda.ics" and mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    summaries = sorted(str(e["summary"]) for e in calendar.walk("VEVENT"))
    assert summaries == ["B2B meeting: Beta Sensors", "B2B meeting: Gamma Optics"]
    [to_beta] = mails_to("beta@example.org")
    assert "Gamma Optics" not in to_beta.body  # only their own meetings
    assert len(list(Calendar.from_ical(to_beta.attachments[0][1]).walk("VEVENT"))) == 1
    # A participant without a meeting is told too, and the organiser is not told.
    assert "No meeting could be scheduled" in notice("schedule_announced", no_email.user).body
    assert not mails_to("organiser@example.org")


def test_the_announcing_organiser_is_not_counted_nor_told(event, a, b, committed):
    place(MeetingRequestFactory(requester=a, requested=b), slot=0, table=1)
    event.organisers.add(a.user)  # an organiser registered for their own organisation
    with committed():
        response = client_for(a.user).post(f"/events/{event.slug}/schedule/announce/")
    assert notified("schedule_announced") == {b.user.pk}
    assert "1 meeting announced; 1 of 1 participant notified." in page_messages(response)


def test_announcing_again_tells_those_whose_agenda_changed(event, a, b, c, organiser, committed):
    place(MeetingRequestFactory(requester=a, requested=b), slot=0, table=1)
    client_for(organiser).post(f"/events/{event.slug}/schedule/announce/")
    Notification.objects.all().delete()
    mail.outbox.clear()
    late = MeetingRequestFactory(requester=c, requested=a)
    place(late, slot=1, table=1)
    with committed():
        response = client_for(organiser).post(f"/events/{event.slug}/schedule/announce/")
    assert notified("schedule_changed") == {a.user.pk, c.user.pk}
    assert not notified("schedule_announced")
    assert "1 meeting announced" not in " ".join(page_messages(response))
    assert "2 meetings announced; 2 participants whose agenda changed notified." in page_messages(
        response
    )
    [to_gamma] = mails_to("gamma@example.org")
    assert "changed" in to_gamma.subject and "Alpha Robotics" in to_gamma.body
    assert to_gamma.attachments[0][0] == f"{event.slug}-agenda.ics"
    assert not mails_to("beta@example.org")


def test_a_run_that_moves_an_announced_meeting_tells_both_participants(
    event, a, b, c, organiser, committed
):
    afternoon = SessionFactory(
        event=event,
        name="Afternoon",
        start=event.sessions.get().start + dt.timedelta(hours=5),
    )
    for side in (a, b):
        side.available_sessions.add(afternoon)
    request = MeetingRequestFactory(requester=a, requested=b)
    place(request, slot=0, table=1, announced=True)
    event.schedule_announced_at = request.created_at
    event.save()
    b.available_sessions.set([afternoon])  # b can no longer come in the morning
    with committed():
        client_for(organiser).post(f"/events/{event.slug}/schedule/", {"mode": "fast"})
    moved = Meeting.objects.get(request=request)
    assert moved.session == afternoon and not moved.announced
    assert notified("schedule_changed") == {a.user.pk, b.user.pk}
    body = notice("schedule_changed", a.user).body
    assert "Beta Sensors" in body and "was moved to" in body and "provisional" in body
    assert sorted(m.to[0] for m in mail.outbox) == ["alpha@example.org", "beta@example.org"]
    assert not notified("schedule_announced") and c.user.pk not in notified("schedule_changed")


def test_a_run_that_keeps_announced_meetings_tells_nobody(event, a, b, organiser, committed):
    request = MeetingRequestFactory(requester=a, requested=b)
    place(request, slot=0, table=1, announced=True)
    with committed():
        client_for(organiser).post(f"/events/{event.slug}/schedule/", {"mode": "fast"})
    assert Meeting.objects.get(request=request).announced
    assert not Notification.objects.exists() and not mail.outbox


def test_each_participant_reads_the_event_time_and_their_own_beside_it(
    event, a, b, organiser, committed
):
    from clusterbroker.accounts.services import update_preferences

    meeting = place(MeetingRequestFactory(requester=a, requested=b), slot=0, table=1)
    update_preferences(b.user, time_zone="America/New_York")
    update_preferences(organiser, time_zone="Asia/Tokyo")  # the announcer's zone is not used
    with committed():
        client_for(organiser).post(f"/events/{event.slug}/schedule/announce/")
    brussels = timezone.localtime(meeting.start, zoneinfo.ZoneInfo("Europe/Brussels"))
    new_york = timezone.localtime(meeting.start, zoneinfo.ZoneInfo("America/New_York"))
    # The event's time with its zone for everyone; a reader in another zone also reads
    # their own time, in brackets.
    assert f"{brussels:%H:%M} CET, table 1" in notice("schedule_announced", a.user).body
    assert (
        f"{brussels:%H:%M} CET ({new_york:%H:%M} EST, America/New_York), table 1"
        in notice("schedule_announced", b.user).body
    )
    assert "Asia/Tokyo" not in notice("schedule_announced", a.user).body
