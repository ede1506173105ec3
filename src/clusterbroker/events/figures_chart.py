"""An event's figures over time: registrations, meeting requests sent and accepted, and the
meetings held and their outcomes, counted day by day (cumulative) and laid out for an SVG line
chart with a table beside it. `build_chart` is plain (dates in, points out); `event_chart`
reads the event's records."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 12, 34  # room for the axes' labels
COLOURS = {
    "registrations": "#5b6475",
    "requests": "#1f5fae",
    "accepted": "#1c7c4a",
    "held": "#d97706",
    "agreements": "#b42318",
}


@dataclass
class Series:
    key: str
    colour: str
    totals: list[int]  # cumulative, one per day of the chart
    points: str = ""  # SVG polyline points

    @property
    def last(self) -> int:
        return self.totals[-1] if self.totals else 0


@dataclass
class FiguresChart:
    days: list[dt.date]
    series: list[Series]
    most: int
    ticks: list[tuple[float, str]]  # x, date label
    levels: list[tuple[float, int]]  # y, count
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def rows(self) -> list[tuple[dt.date, list[int]]]:
        """The table alternative: each day on which something changed, with the totals."""
        out, previous = [], None
        for i, day in enumerate(self.days):
            totals = [s.totals[i] for s in self.series]
            if totals != previous:
                out.append((day, totals))
                previous = totals
        return out


def build_chart(
    dates: dict[str, Iterable[dt.date]], *, until: dt.date | None = None, max_days: int = 120
) -> FiguresChart | None:
    """Cumulative counts per day of each series of `dates` (key → dates of its events), from
    the first date to `until` (or the last date); None when there is nothing to draw. Longer
    spans keep their last `max_days` days, earlier counts carried into the first."""
    counts = {key: Counter(values) for key, values in dates.items()}
    every = [d for c in counts.values() for d in c]
    if not every:
        return None
    first, last = min(every), max(max(every), until or max(every))
    start = max(first, last - dt.timedelta(days=max_days - 1))
    days = [start + dt.timedelta(days=i) for i in range((last - start).days + 1)]
    if len(days) < 2:  # one day: the figures above say it all
        return None
    series = []
    for key, counter in counts.items():
        running = sum(n for d, n in counter.items() if d < start)
        totals = []
        for day in days:
            running += counter.get(day, 0)
            totals.append(running)
        series.append(Series(key, COLOURS.get(key, "#1d2433"), totals))
    most = max(1, *(s.last for s in series))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / (len(days) - 1)

    def y(value: int) -> float:
        return round(TOP + inner_h * (1 - value / most), 1)

    for s in series:
        s.points = " ".join(f"{round(LEFT + i * step, 1)},{y(v)}" for i, v in enumerate(s.totals))
    tick_every = max(1, round(len(days) / 6))
    ticks = [
        (round(LEFT + i * step, 1), day.strftime("%d.%m"))
        for i, day in enumerate(days)
        if i % tick_every == 0
    ]
    levels = sorted({0, most // 2, most})
    return FiguresChart(days, series, most, ticks, [(y(v), v) for v in levels])


def _day(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value else None


def event_chart(event) -> FiguresChart | None:
    """The chart of an event's records (registrations, requests, acceptances, meetings held
    and agreements, the last two on the day of the meeting)."""
    from .models import Meeting, MeetingOutcome, MeetingRequest, Participant

    def days(values: Sequence[dt.datetime | None]) -> list[dt.date]:
        return [d for d in map(_day, values) if d is not None]

    requests = MeetingRequest.objects.filter(event=event)
    meetings = Meeting.objects.filter(request__event=event)
    dates = {
        "registrations": days(
            Participant.objects.filter(event=event).values_list("registered_at", flat=True)
        ),
        "requests": days(requests.values_list("created_at", flat=True)),
        "accepted": days(
            requests.filter(status=MeetingRequest.Status.ACCEPTED).values_list(
                "answered_at", flat=True
            )
        ),
        "held": days(meetings.filter(happened=True).values_list("start", flat=True)),
        "agreements": days(
            meetings.filter(outcome=MeetingOutcome.AGREEMENT).values_list("start", flat=True)
        ),
    }
    until = min(timezone.localdate(), event.end_date)
    return build_chart(dates, until=until)
