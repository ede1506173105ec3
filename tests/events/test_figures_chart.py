"""An event's figures over time: cumulative counts day by day, drawn as lines with a table."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from clusterbroker.events.figures_chart import build_chart
from clusterbroker.events.models import MeetingRequest, Participant

from .factories import EventFactory, MeetingRequestFactory, ParticipantFactory

D = dt.date(2026, 3, 1)


def test_counts_are_cumulative_day_by_day_until_the_given_day():
    chart = build_chart(
        {"requests": [D, D, D + dt.timedelta(days=2)], "accepted": [D + dt.timedelta(days=1)]},
        until=D + dt.timedelta(days=3),
    )
    requests, accepted = chart.series
    assert chart.days[0] == D and len(chart.days) == 4
    assert requests.totals == [2, 2, 3, 3] and accepted.totals == [0, 1, 1, 1]
    assert chart.most == 3 and len(requests.points.split()) == 4
    # The highest point is the top of the plot, zero its bottom.
    ys = [float(p.split(",")[1]) for p in requests.points.split()]
    assert ys[2] < ys[0] and min(ys) == 12.0
    # The table lists only the days on which something changed.
    assert [day for day, _totals in chart.rows] == [
        D,
        D + dt.timedelta(days=1),
        D + dt.timedelta(days=2),
    ]


def test_a_long_span_keeps_its_last_days_with_earlier_counts_carried():
    old = [D - dt.timedelta(days=400)] * 5
    chart = build_chart({"registrations": [*old, D]}, max_days=10)
    assert len(chart.days) == 10 and chart.days[-1] == D
    assert chart.series[0].totals[0] == 5 and chart.series[0].last == 6


def test_nothing_to_draw_or_all_on_one_day():
    assert build_chart({"requests": [], "accepted": []}) is None
    assert build_chart({"requests": [D, D]}, until=D) is None


@pytest.mark.django_db
def test_the_event_page_draws_requests_and_registrations_over_time(client):
    event = EventFactory()
    a, b = ParticipantFactory(event=event), ParticipantFactory(event=event)
    request = MeetingRequestFactory(requester=a, requested=b, status="accepted")
    MeetingRequestFactory(requester=b, requested=a, status="pending")
    days_ago = timezone.now() - dt.timedelta(days=3)
    Participant.objects.filter(pk=a.pk).update(registered_at=days_ago)
    MeetingRequest.objects.filter(pk=request.pk).update(
        created_at=days_ago, answered_at=timezone.now()
    )
    html = client.get(f"/events/{event.slug}/").content.decode()
    figure = re.search(r'<figure class="figures-chart">.*?</figure>', html, re.S).group(0)
    lines = re.findall(r'<polyline points="([^"]+)"[^>]*data-series="(\w+)"', figure)
    assert [key for _points, key in lines] == [
        "registrations",
        "requests",
        "accepted",
        "held",
        "agreements",
    ]
    assert "requests sent (2)" in figure and "requests accepted (1)" in figure
    assert "registrations (2)" in figure
    # Four days, from three days ago to today.
    assert all(len(points.split()) == 4 for points, _key in lines)
