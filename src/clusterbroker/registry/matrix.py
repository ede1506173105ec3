"""The competence matrix of a partnership: members × terms of one taxonomy (seed 001's table)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MatrixRow:
    organisation_id: int
    name: str
    slug: str
    levels: tuple[str, ...]  # one entry per column: "" (none), "listed", "active" or "leading"

    @property
    def count(self) -> int:
        return sum(1 for level in self.levels if level)


@dataclass(frozen=True)
class MatrixColumn:
    code: str
    label: str  # in the language of the page
    description: str
    # The label in every language the term has, {language code: text}, English included.
    labels: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


LEVELS = ("leading", "active", "listed")


@dataclass(frozen=True)
class Coverage:
    """A column of the matrix as a bar: members holding it, strongest level first."""

    column: MatrixColumn
    members: int
    leading: int
    active: int
    listed: int

    @property
    def total(self) -> int:
        return self.leading + self.active + self.listed

    def segments(self, width: float) -> list[tuple[str, float, float, int]]:
        """(level, x, width, count) of each non-empty part of a bar `width` long for all
        members."""
        parts, x = [], 0.0
        for level, count in zip(LEVELS, (self.leading, self.active, self.listed), strict=True):
            if count:
                w = width * count / self.members
                parts.append((level, round(x, 1), round(w, 1), count))
                x += w
        return parts


@dataclass(frozen=True)
class CompetenceMatrix:
    taxonomy_code: str
    columns: tuple[MatrixColumn, ...]
    rows: tuple[MatrixRow, ...]

    def column_totals(self) -> tuple[int, ...]:
        """How many members hold each column's competence."""
        return tuple(sum(1 for row in self.rows if row.levels[i]) for i in range(len(self.columns)))

    def coverage(self) -> list["Coverage"]:
        """For each column, how many members hold it at each level: the coverage chart."""
        members = len(self.rows)
        return [
            Coverage(
                column,
                members,
                *(sum(1 for row in self.rows if row.levels[i] == lv) for lv in LEVELS),
            )
            for i, column in enumerate(self.columns)
        ]

    def cell(self, organisation_slug: str, term_code: str) -> str:
        """The level held by one organisation in one term, "" when none."""
        index = [c.code for c in self.columns].index(term_code)
        row = next(r for r in self.rows if r.slug == organisation_slug)
        return row.levels[index]


def build_matrix(
    taxonomy_code: str,
    columns: list[MatrixColumn],
    members: list[tuple[int, str, str]],
    held: dict[tuple[int, str], str],
) -> CompetenceMatrix:
    """Arrange `held[(organisation_id, term_code)] = level` as rows of members, columns of terms."""
    rows = tuple(
        MatrixRow(
            organisation_id=org_id,
            name=name,
            slug=slug,
            levels=tuple(held.get((org_id, column.code), "") for column in columns),
        )
        for org_id, name, slug in members
    )
    return CompetenceMatrix(taxonomy_code=taxonomy_code, columns=tuple(columns), rows=rows)
