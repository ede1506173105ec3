"""Charts of the registry's pages, laid out here and drawn as SVG by the templates."""

from __future__ import annotations

from dataclasses import dataclass

from .matrix import CompetenceMatrix, Coverage

LABEL_WIDTH = 250  # room for "D3 Digital factory …" left of the bars
BAR_WIDTH = 330
ROW_HEIGHT = 26
FILLS = {"leading": "#1f5fae", "active": "#8db6e6", "listed": "#dbe8f7"}


@dataclass
class CoverageRow:
    coverage: Coverage
    y: int
    segments: list[tuple[str, float, float, int, str]]  # level, x, width, count, fill
    end: float  # where the bar ends, for the figure after it


@dataclass
class CoverageChart:
    rows: list[CoverageRow]
    width: int
    height: int
    label_width: int
    bar_width: int

    @property
    def gaps(self) -> list[Coverage]:
        """The competences no member holds."""
        return [row.coverage for row in self.rows if not row.coverage.total]


def coverage_chart(matrix: CompetenceMatrix) -> CoverageChart | None:
    """One bar per competence of the matrix: the share of members holding it, by level;
    None without members or competences."""
    if not matrix.rows or not matrix.columns:
        return None
    rows = []
    for i, coverage in enumerate(matrix.coverage()):
        segments = [
            (level, LABEL_WIDTH + x, w, n, FILLS[level])
            for level, x, w, n in coverage.segments(BAR_WIDTH)
        ]
        end = LABEL_WIDTH + BAR_WIDTH * coverage.total / coverage.members
        rows.append(CoverageRow(coverage, i * ROW_HEIGHT, segments, round(end, 1)))
    return CoverageChart(
        rows,
        width=LABEL_WIDTH + BAR_WIDTH + 90,
        height=len(rows) * ROW_HEIGHT + 4,
        label_width=LABEL_WIDTH,
        bar_width=BAR_WIDTH,
    )
