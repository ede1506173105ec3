"""Sample brokerage events, from the seeds, loaded after the registry's sample data.

The Digital Industry Alliance reports "B2B events: 2, B2B meetings: 35" (seed 002):
the B2B meetings at the Turin networking event (13–14 September 2018, hosted by
MESAP) and at the final event beside the IoT Solutions World Congress (Barcelona,
29–31 October 2019). Both are loaded as past events whose 35 meetings took place;
who met whom is not in the seed, so the pairs are illustrative (the totals are
the seed's). The 4 Motors partnership's "Cluster Matchmaking Conference" (seed
001's toolbox) is loaded as an event 90 days ahead, with its 12 clusters registered,
for trying the flow.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from clusterbroker.registry.models import Partnership

from .models import Event, Meeting, MeetingRequest, Participant, Session
from .scheduling import announce_schedule, run_scheduling

UPCOMING = None  # dates of the upcoming sample event: 90 days after loading


@dataclass(frozen=True)
class SampleEvent:
    slug: str
    name: str
    partnership: str
    venue: str
    start: dt.date | None
    end: dt.date | None
    session_day: dt.date | None
    tables: int
    meetings_held: int  # 0: an upcoming event
    description: str


SAMPLE_EVENTS = [
    SampleEvent(
        "dia-turin-2018",
        "International Networking towards Digital Industries: B2B meetings",
        "digital-industry-alliance",
        "Turin, Italy (hosted by MESAP)",
        dt.date(2018, 9, 13),
        dt.date(2018, 9, 14),
        dt.date(2018, 9, 14),
        8,
        17,
        "Workshop with B2B and cluster-to-cluster meetings, organised with the "
        "IoT4Industry project.",
    ),
    SampleEvent(
        "dia-iot-swc-2019",
        "DIA final event at the IoT Solutions World Congress: B2B meetings",
        "digital-industry-alliance",
        "Barcelona, Spain",
        dt.date(2019, 10, 29),
        dt.date(2019, 10, 31),
        dt.date(2019, 10, 30),
        8,
        18,
        "Side event 'Digital industry: disruptive solutions to shape the future of SMEs', "
        "followed by a networking session between companies.",
    ),
    SampleEvent(
        "four-motors-matchmaking",
        "4 Motors Cluster Matchmaking Conference",
        "four-motors",
        "Lyon, France",
        UPCOMING,
        UPCOMING,
        UPCOMING,
        12,
        0,
        "Matchmaking between the clusters of the 4 Motors partnership and their SMEs "
        "(a sample event for trying registration, requests and scheduling).",
    ),
]


def _aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@transaction.atomic
def load_sample_events() -> int:
    """Create the sample events (idempotent: an existing event is left as it is)."""
    created = 0
    for sample in SAMPLE_EVENTS:
        partnership = Partnership.objects.filter(slug=sample.partnership).first()
        if partnership is None or Event.objects.filter(slug=sample.slug).exists():
            continue
        upcoming = timezone.localdate() + dt.timedelta(days=90)
        start, end = sample.start or upcoming, sample.end or upcoming
        session_day = sample.session_day or upcoming
        event = Event.objects.create(
            slug=sample.slug,
            name=sample.name,
            description=sample.description,
            partnership=partnership,
            venue=sample.venue,
            start_date=start,
            end_date=end,
            tables=sample.tables,
            registration_deadline=_aware(start, 0) - dt.timedelta(days=7),
        )
        morning = Session.objects.create(
            event=event,
            name="Morning",
            start=_aware(session_day, 9, 30),
            end=_aware(session_day, 12, 30),
            meeting_minutes=20,
            break_minutes=5,
        )
        members = list(partnership.members.order_by("name"))
        participants = []
        for organisation in members:
            participant = Participant.objects.create(
                event=event,
                organisation=organisation,
                offers=organisation.description[:300],
            )
            participant.available_sessions.add(morning)
            participants.append(participant)
        pairs = list(itertools.combinations(participants, 2))
        wanted = sample.meetings_held or len(participants)
        step = max(1, len(pairs) // wanted)
        for a, b in pairs[::step][:wanted]:
            MeetingRequest.objects.create(
                event=event,
                requester=a,
                requested=b,
                status=MeetingRequest.Status.ACCEPTED,
                answered_at=timezone.now(),
            )
        if sample.meetings_held:
            run_scheduling(event, "exact")
            announce_schedule(event)
            meetings = list(Meeting.objects.filter(request__event=event))
            for meeting in meetings:
                meeting.happened = True
            bulk_update_with_history(meetings, Meeting, ["happened"])
        created += 1
    return created
