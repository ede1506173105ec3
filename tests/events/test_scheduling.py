"""The organiser's scheduling run: every accepted request placed within the rules, and
a re-run after late changes keeps announced meetings where they are."""

import pytest
from django.core.exceptions import ValidationError

from clusterbroker.events.models import Meeting, MeetingRequest
from clusterbroker.events.scheduling import announce_schedule, run_scheduling

from .factories import EventFactory, MeetingRequestFactory, ParticipantFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = EventFactory(tables=2)
    SessionFactory(event=event)  # 3 slots
    return event


def _check(event):
    meetings = list(Meeting.objects.filter(request__event=event).select_related("request"))
    seen_people, seen_tables = set(), set()
    for m in meetings:
        assert m.request.status == MeetingRequest.Status.ACCEPTED
        for p in (m.request.requester_id, m.request.requested_id):
            assert (p, m.start) not in seen_people
            seen_people.add((p, m.start))
        assert (m.start, m.table) not in seen_tables
        seen_tables.add((m.start, m.table))
        assert 1 <= m.table <= event.tables
    return meetings


def test_accepted_requests_are_placed_without_conflicts(event):
    hub = ParticipantFactory(event=event)
    for _ in range(4):
        MeetingRequestFactory(requester=hub, requested=ParticipantFactory(event=event))
    MeetingRequestFactory(requester__event=event, status="pending")
    summary = run_scheduling(event, "exact")
    meetings = _check(event)
    # The hub has 4 accepted meetings but only 3 slots: 3 are placed, 1 with a reason.
    assert summary.placed_count == len(meetings) == 3
    assert summary.upper_bound == 3
    assert len(summary.unplaced) == 1 and summary.unplaced[0].reason


def test_participant_is_never_placed_outside_availability(event):
    afternoon = SessionFactory(
        event=event, name="Afternoon", start=event.sessions.get().start.replace(hour=14)
    )
    a = ParticipantFactory(event=event, sessions=[afternoon])
    MeetingRequestFactory(requester=a, requested=ParticipantFactory(event=event))
    run_scheduling(event, "fast")
    meeting = Meeting.objects.get()
    assert meeting.session == afternoon


def test_rerun_keeps_announced_meetings_in_place(event):
    first = MeetingRequestFactory(requester__event=event)
    run_scheduling(event, "exact")
    announce_schedule(event)
    before = Meeting.objects.get(request=first)
    for _ in range(3):
        MeetingRequestFactory(requester=first.requester, requested=ParticipantFactory(event=event))
    run_scheduling(event, "exact")
    after = Meeting.objects.get(request=first)
    assert (after.start, after.table, after.announced) == (before.start, before.table, True)
    assert Meeting.objects.filter(request__event=event).count() == 3
    _check(event)


def test_event_without_sessions_cannot_be_scheduled():
    event = EventFactory()
    with pytest.raises(ValidationError, match="no meeting slot"):
        run_scheduling(event)
