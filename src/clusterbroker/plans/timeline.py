"""The Gantt-style timeline of an action plan: bars placed on a month scale.

Pure layout: dates in, positions (as fractions of the width) out; the template draws them.
"""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class TimelineItem:
    key: int
    label: str
    start: dt.date | None
    end: dt.date | None
    status: str
    overdue: bool


@dataclass(frozen=True)
class Bar:
    item: TimelineItem
    left: float  # 0..1 of the chart width
    width: float
    row: int

    @property
    def left_pct(self) -> str:
        return f"{self.left * 100:.2f}%"

    @property
    def width_pct(self) -> str:
        return f"{self.width * 100:.2f}%"


@dataclass(frozen=True)
class Tick:
    day: dt.date
    left: float
    label: str

    @property
    def left_pct(self) -> str:
        return f"{self.left * 100:.2f}%"


@dataclass(frozen=True)
class Timeline:
    first: dt.date | None
    last: dt.date | None
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    today: float | None  # where today's line goes, None when outside the chart
    unscheduled: tuple[TimelineItem, ...]

    @property
    def today_pct(self) -> str:
        return "" if self.today is None else f"{self.today * 100:.2f}%"


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    months, day = [], dt.date(first.year, first.month, 1)
    while day <= last:
        months.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def build_timeline(items: list[TimelineItem], today: dt.date, max_ticks: int = 12) -> Timeline:
    """Lay out items with both dates as bars from the first start to the last end."""
    scheduled = [i for i in items if i.start and i.end]
    unscheduled = tuple(i for i in items if not (i.start and i.end))
    if not scheduled:
        return Timeline(None, None, (), (), None, unscheduled)
    first = min(i.start for i in scheduled)
    last = max(i.end for i in scheduled) + dt.timedelta(days=1)
    span = (last - first).days

    def at(day: dt.date) -> float:
        return (day - first).days / span

    bars = tuple(
        Bar(
            item=i,
            left=at(i.start),
            width=max(at(i.end + dt.timedelta(days=1)) - at(i.start), 0.004),
            row=n,
        )
        for n, i in enumerate(scheduled)
    )
    # A month label too close to the right edge would be cut off.
    months = [m for m in _month_starts(first, last) if m >= first and at(m) <= 0.95]
    step = max(1, -(-len(months) // max_ticks))
    ticks = tuple(Tick(m, at(m), m.strftime("%b %Y")) for m in months[::step])
    return Timeline(
        first=first,
        last=last,
        bars=bars,
        ticks=ticks,
        today=at(today) if first <= today <= last else None,
        unscheduled=unscheduled,
    )
