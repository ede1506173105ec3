"""The competence matrix of a partnership: members × terms of one taxonomy (seed 001's table)."""

from dataclasses import dataclass


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
    label: str
    description: str


@dataclass(frozen=True)
class CompetenceMatrix:
    taxonomy_code: str
    columns: tuple[MatrixColumn, ...]
    rows: tuple[MatrixRow, ...]

    def column_totals(self) -> tuple[int, ...]:
        """How many members hold each column's competence."""
        return tuple(sum(1 for row in self.rows if row.levels[i]) for i in range(len(self.columns)))

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
