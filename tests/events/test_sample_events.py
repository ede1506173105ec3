"""The sample events reproduce the Digital Industry Alliance's reported B2B figures."""

import re
from pathlib import Path

import pytest

from clusterbroker.events.models import Event, Meeting
from clusterbroker.events.sample_data import load_sample_events
from clusterbroker.events.services import event_figures
from clusterbroker.registry.sample_data import load_sample_data

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "002_ee728bb021ec40d7.txt"

pytestmark = pytest.mark.django_db


def test_dia_events_and_meetings_match_the_seed():
    text = SEED.read_text(encoding="utf-8")
    found = re.search(r"B2B events were (\d+) and B2B meetings were (\d+)", text)
    events, meetings = int(found[1]), int(found[2])
    load_sample_data()
    assert load_sample_events() == 3
    dia = Event.objects.filter(partnership__slug="digital-industry-alliance")
    assert dia.count() == events
    assert sum(event_figures(e).held for e in dia) == meetings
    # Every held meeting was placed by the scheduler within the rules.
    seen = set()
    for m in Meeting.objects.filter(request__event__in=dia).select_related("request"):
        for p in (m.request.requester_id, m.request.requested_id):
            assert (p, m.start) not in seen
            seen.add((p, m.start))
    upcoming = Event.objects.get(slug="four-motors-matchmaking")
    assert upcoming.registration_open and upcoming.participants.count() == 12
    assert load_sample_events() == 0  # idempotent
