"""The consortium builder: a team that covers the required competences and keeps the rules.

Plain data in and out. A greedy cover: start from the fixed coordinator (if
any), then add, one at a time, the candidate that brings the most — new
required competences first, then what the rules still lack (another country, an
SME), then a shared track record with the members already in, then relevance —
until every competence is covered and every rule met, or the team is full.
Alternatives are built the same way with the first pick of each previous
proposal left out. A rule that cannot be met is reported, never silently
broken.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class TeamCandidate:
    key: int
    name: str
    country: str
    sme: bool
    terms: set[int]
    relevance: float = 0.0  # the engine's score for the call topic
    partners: set[int] = field(default_factory=set)  # keys worked with before


@dataclass
class Rules:
    min_countries: int = 1
    min_smes: int = 0
    max_partners: int = 10
    coordinator: int | None = None


@dataclass
class Member:
    key: int
    name: str
    country: str
    sme: bool
    brings: list[str]
    why: list[str]


@dataclass
class Proposal:
    members: list[Member]
    coverage: dict[str, list[str]]
    uncovered: list[str]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


# How much each gain is worth when choosing the next member.
COVERAGE_GAIN = 10.0
RULE_GAIN = 6.0
TRACK_GAIN = 1.5
RELEVANCE_GAIN = 1.0


def _validate(rules: Rules, candidates: dict[int, TeamCandidate], _) -> list[str]:
    problems = []
    if rules.max_partners < 1:
        problems.append(_("A consortium needs at least one partner (the maximum is below 1)."))
    if rules.coordinator is not None and rules.coordinator not in candidates:
        problems.append(_("The coordinator is not among the known organisations."))
    return problems


def build_team(
    required: dict[int, str],
    candidates: list[TeamCandidate],
    rules: Rules,
    *,
    exclude: set[int] = frozenset(),
    translate: Callable[[str], str] = lambda text: text,
) -> Proposal:
    """One proposal; `required` maps term keys to their labels."""
    _ = translate
    by_key = {c.key: c for c in candidates}
    problems = _validate(rules, by_key, _)
    if problems:
        return Proposal([], {}, sorted(required.values()), problems)
    team: list[TeamCandidate] = []
    why: dict[int, list[str]] = {}
    if rules.coordinator is not None:
        team.append(by_key[rules.coordinator])
        why[rules.coordinator] = [_("fixed coordinator")]
    covered: set[int] = set()
    for member in team:
        covered |= member.terms & set(required)
    max_relevance = max((c.relevance for c in candidates), default=0.0) or 1.0

    def needs_more() -> bool:
        countries = {m.country for m in team}
        smes = sum(m.sme for m in team)
        return (
            bool(set(required) - covered)
            or len(countries) < rules.min_countries
            or smes < rules.min_smes
            or not team
        )

    while len(team) < rules.max_partners and needs_more():
        countries = {m.country for m in team}
        smes = sum(m.sme for m in team)
        in_team = {m.key for m in team}
        best, best_gain, best_why, best_progress = None, 0.0, [], False
        for c in candidates:
            if c.key in in_team or c.key in exclude:
                continue
            new_terms = (c.terms & set(required)) - covered
            gain = COVERAGE_GAIN * len(new_terms)
            progress = bool(new_terms)
            reasons = []
            if new_terms:
                reasons.append(
                    _("brings %(terms)s")
                    % {"terms": ", ".join(sorted(required[t] for t in new_terms))}
                )
            if len(countries) < rules.min_countries and c.country not in countries:
                gain += RULE_GAIN
                progress = True
                reasons.append(_("adds a country (%(country)s)") % {"country": c.country})
            if smes < rules.min_smes and c.sme:
                gain += RULE_GAIN
                progress = True
                reasons.append(_("an SME, as the rules ask"))
            shared = len(c.partners & in_team)
            if shared:
                gain += TRACK_GAIN * min(shared, 3) / 3
                reasons.append(
                    _("worked before with %(count)d member(s) of this team") % {"count": shared}
                )
            gain += RELEVANCE_GAIN * c.relevance / max_relevance
            if gain > best_gain:
                best, best_gain, best_why, best_progress = c, gain, reasons, progress
        # Stop when nobody brings a missing competence or what a rule lacks: adding
        # members would only fill the team, not meet the call.
        if best is None or (team and not best_progress):
            break
        team.append(best)
        why[best.key] = best_why or [_("among the best matches for the topic")]
        covered |= best.terms & set(required)

    coverage = {
        label: [m.name for m in team if term in m.terms]
        for term, label in sorted(required.items(), key=lambda kv: kv[1])
    }
    uncovered = [label for term, label in required.items() if term not in covered]
    countries = {m.country for m in team}
    smes = sum(m.sme for m in team)
    if uncovered:
        problems.append(
            _("No organisation within the rules brings: %(terms)s.")
            % {"terms": ", ".join(sorted(uncovered))}
        )
    if len(countries) < rules.min_countries:
        problems.append(
            _("Only %(n)d countries, the rule asks for at least %(min)d.")
            % {"n": len(countries), "min": rules.min_countries}
        )
    if smes < rules.min_smes:
        problems.append(
            _("Only %(n)d SME(s), the rule asks for at least %(min)d.")
            % {"n": smes, "min": rules.min_smes}
        )
    members = [
        Member(
            key=m.key,
            name=m.name,
            country=m.country,
            sme=m.sme,
            brings=sorted(required[t] for t in m.terms if t in required),
            why=why[m.key],
        )
        for m in team
    ]
    return Proposal(members, coverage, sorted(uncovered), problems)


def build_alternatives(
    required: dict[int, str],
    candidates: list[TeamCandidate],
    rules: Rules,
    *,
    count: int = 3,
    translate: Callable[[str], str] = lambda text: text,
) -> list[Proposal]:
    """Up to `count` different proposals; each leaves out the first pick of the ones before."""
    proposals: list[Proposal] = []
    exclude: set[int] = set()
    seen: set[frozenset[int]] = set()
    for _round in range(count * 2):
        proposal = build_team(required, candidates, rules, exclude=exclude, translate=translate)
        keys = frozenset(m.key for m in proposal.members)
        if keys not in seen:
            seen.add(keys)
            proposals.append(proposal)
        picks = [m.key for m in proposal.members if m.key != rules.coordinator]
        if not picks or len(proposals) >= count:
            break
        exclude.add(picks[0])
    return proposals
