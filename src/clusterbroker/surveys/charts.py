"""Server-side SVG bar charts of ranked answers (no script: the bars are drawn as shapes).

Each answer's label sits above its bar, so the chart stays legible when a phone shrinks it.
"""

from dataclasses import dataclass

from .tally import Row

WIDTH = 480
BAR_WIDTH = 400
ROW_HEIGHT = 40


@dataclass(frozen=True)
class Bar:
    label: str
    percent: int
    count: int
    label_y: int
    bar_y: int
    value_y: int
    width: float
    value_x: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int


def bar_chart(rows: list[Row]) -> BarChart | None:
    """Bars for the ranked rows, longest first, sized by the share of respondents."""
    if not rows:
        return None
    bars = []
    for i, row in enumerate(rows):
        top = i * ROW_HEIGHT
        width = round(max(row.share, 0.0) * BAR_WIDTH, 1)
        bars.append(
            Bar(
                label=row.label,
                percent=row.percent,
                count=row.count,
                label_y=top + 14,
                bar_y=top + 19,
                value_y=top + 32,
                width=width,
                value_x=width + 6,
            )
        )
    return BarChart(bars=bars, width=WIDTH, height=len(rows) * ROW_HEIGHT + 4)
