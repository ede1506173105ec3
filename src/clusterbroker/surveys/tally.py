"""Count a survey's answers: plain data in, plain data out (no database, no web).

Each question's choices (taxonomy terms, countries) are ranked by the share of respondents
who chose them; ties go to the higher total level of interest, then to the choice's own
order (a taxonomy's order, a country's name).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

CHOICE_KINDS = ("terms", "countries")


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    position: int = 0


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    text: str
    kind: str
    choices: tuple[Choice, ...] = ()
    scale_max: int = 5
    with_level: bool = False


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    count: int
    share: float
    level_total: int = 0

    @property
    def percent(self) -> int:
        return round(self.share * 100)


@dataclass
class QuestionResult:
    question: QuestionSpec
    respondents: int
    answered: int
    rows: list[Row] = field(default_factory=list)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)


def _choice_rows(spec: QuestionSpec, values: list, respondents: int) -> list[Row]:
    known = {c.key: c for c in spec.choices}
    counts: dict[str, int] = {}
    levels: dict[str, int] = {}
    for value in values:
        for item in value or []:
            key, level = (
                (str(item.get("term")), item.get("level"))
                if isinstance(item, Mapping)
                else (str(item), None)
            )
            counts[key] = counts.get(key, 0) + 1
            levels[key] = levels.get(key, 0) + int(level or 0)
    rows = []
    for key, count in counts.items():
        choice = known.get(key, Choice(key, key, len(known)))
        rows.append(Row(choice.key, choice.label, count, count / respondents, levels.get(key, 0)))
    order = {c.key: (c.position, c.label) for c in spec.choices}
    rows.sort(key=lambda r: (-r.count, -r.level_total, order.get(r.key, (10**6, r.label))))
    return rows


def _number_rows(spec: QuestionSpec, values: list[float], respondents: int) -> list[Row]:
    if spec.kind != "scale":
        return []
    rows = []
    for point in range(spec.scale_max, 0, -1):
        count = sum(1 for v in values if v == point)
        rows.append(Row(str(point), str(point), count, count / respondents))
    return rows


def tally(
    questions: Iterable[QuestionSpec], answers: Iterable[Mapping[int, object]]
) -> list[QuestionResult]:
    """One result per question from each respondent's answers (question id -> value)."""
    answers = list(answers)
    respondents = len(answers)
    results = []
    for spec in questions:
        values = [a[spec.id] for a in answers if a.get(spec.id) not in (None, "", [])]
        result = QuestionResult(spec, respondents, len(values))
        if not respondents:
            results.append(result)
            continue
        if spec.kind in CHOICE_KINDS:
            result.rows = _choice_rows(spec, values, respondents)
        elif spec.kind in ("scale", "number"):
            numbers = [float(v) for v in values]
            result.mean = statistics.fmean(numbers) if numbers else None
            result.rows = _number_rows(spec, numbers, respondents)
        else:
            result.texts = sorted(str(v) for v in values)
        results.append(result)
    return results
