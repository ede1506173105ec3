"""Pairs of organisations that are probably the same, each with a score and its evidence.

Plain Python (no database): the caller hands in `Record`s and gets `Proposal`s back.

Blocking: comparing every pair of 50,000 organisations is 1.25 billion comparisons, so a
pair is only scored when the two share a *block*: a significant word of their names in the
same country (words found in more than `MAX_BLOCK` names of a country, such as "technologies",
make no block), an acronym and the initials of the other's name ("rwth" and "Rheinisch-
Westfälische Technische Hochschule"), the same PIC or the same web domain (these two across
countries). Scoring: names are compared with rapidfuzz (a maintained C++ library of string
metrics; token-sorted ratios make word order irrelevant) once normalised (`normalise.py`);
PIC, domain, country, city and type then raise or lower the score. Each step leaves a
`Reason` so that a reviewer reads why a pair was proposed.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .normalise import GENERIC_WORDS, Name, acronym_matches, fold, normalise

# A pair scoring this much or more is proposed for review.
REVIEW_THRESHOLD = 0.8
# Evidence from a short name (acronym) counts this much of the same evidence from names.
ACRONYM_WEIGHT = 0.72
# Names of a country sharing a word that more organisations have are not compared for it.
MAX_BLOCK = 200
# Words that tell what kind of body a name is; a foundation or association of a body of
# this kind is another body ("FUNDACION UNIVERSIDAD DE OVIEDO").
KIND_WORDS = GENERIC_WORDS - {"company", "group", "holding", "holdings", "international"} - {
    "europe",
    "european",
} | frozenset(
    """
    politecnico polytechnic politechnika politecnica technische technologie technology
    hospital hospitales hospitalier klinikum clinic institut institute instituto istituto
    college academy akademie school escuela ecole scuola chamber camara kammer cluster museum
    """.split()
)


@dataclass(frozen=True)
class Record:
    """What the comparison needs of an organisation."""

    id: int
    name: str
    country: str
    acronym: str = ""
    city: str = ""
    domain: str = ""
    pic: str = ""
    kind: str = ""


@dataclass(frozen=True)
class Reason:
    """One piece of evidence: a code (see `reasons.py` for the words) and its details."""

    code: str
    detail: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "detail": self.detail}


@dataclass(frozen=True)
class Proposal:
    a: int
    b: int
    score: float
    reasons: tuple[Reason, ...]
    automatic: bool = False  # may be merged without review (same PIC, same country)


@dataclass
class _Prepared:
    record: Record
    names: list[Name]  # the name first, then the acronym when there is one
    city: str
    blocks: set[str] = field(default_factory=set)


def _prepare(record: Record) -> _Prepared:
    names = [normalise(record.name)]
    if record.acronym and fold(record.acronym) != fold(record.name):
        names.append(normalise(record.acronym))
    return _Prepared(record, names, fold(record.city))


def _short_name_weight(*full_names: Name | None) -> float:
    """How much a match through a short name counts: fully when the name it matched is no
    legal entity's name ("Biolan" is "BIOLAN MICROBIOSENSORES S.L." short name), little when
    it is ("SINTEF AS" is not "SINTEF ENERGI AS" although that one's short name is "SINTEF")."""
    named = [n for n in full_names if n is not None]
    if named and not any(n.has_legal_form for n in named):
        return 0.95
    return ACRONYM_WEIGHT


def _acronym_score(short: Name, long: Name) -> bool:
    """One name's word is the other's initials and every other significant word of it is
    in the other name ("RWTH Aachen University" and "RHEINISCH-WESTFAELISCHE TECHNISCHE
    HOCHSCHULE AACHEN")."""
    for word in short.tokens:
        if 3 <= len(word) <= len(long.initials) and acronym_matches(word, long):
            rest = short.words - {word} - GENERIC_WORDS
            if rest <= long.words:
                return True
    return False


def _own_words_on_both_sides(x: Name, y: Name) -> bool:
    """Each name has a significant word with no look-alike in the other."""

    def unmatched(one: Name, other: Name) -> bool:
        return any(
            t not in GENERIC_WORDS
            and all(fuzz.ratio(t, u) < 80 for u in other.tokens if u not in GENERIC_WORDS)
            for t in one.tokens
        )

    return unmatched(x, y) and unmatched(y, x)


def name_evidence(x: Name, y: Name) -> tuple[float, Reason | None]:
    """How alike two normalised names are (0..1) and why."""
    if not x.tokens or not y.tokens:
        return 0.0, None
    if x.key == y.key:
        return 1.0, Reason("same_name", x.text)
    small, large = sorted((x.words, y.words), key=len)
    if small < large and not (large - small) - GENERIC_WORDS:
        return 0.95, Reason("name_contains", " ".join(sorted(large - small)))
    if _acronym_score(x, y) or _acronym_score(y, x):
        return 0.92, Reason("acronym")
    # Words common to thousands of names ("university") would make namesakes look alike.
    ratio = fuzz.token_sort_ratio(x.core, y.core) / 100
    if ratio >= 0.75 and _own_words_on_both_sides(x, y):  # "Hochschule Aalen", "… Karlsruhe"
        ratio *= 0.85
    if ratio >= 0.75:
        return ratio, Reason("names_alike", f"{round(ratio * 100)}")
    return ratio, None


def _cities_agree(a: str, b: str) -> bool:
    return a == b or (a and b and (f" {a} " in f" {b} " or f" {b} " in f" {a} "))


# The most the evidence besides names adds (same domain, same city); with a name evidence
# below the threshold less this, a pair cannot be proposed and is not looked at further.
MOST_ADDED = 0.2


def score_pair(p: _Prepared, q: _Prepared, floor: float = 0.0) -> tuple[float, list[Reason]]:
    """The score of a pair (0..1) and the evidence for and against it; a pair whose names
    score under `floor` without the same PIC is given that score and no evidence."""
    a, b = p.record, q.record
    best, best_reason = 0.0, None
    for i, x in enumerate(p.names):
        for j, y in enumerate(q.names):
            value, reason = name_evidence(x, y)
            if i or j:
                value *= _short_name_weight(
                    p.names[0] if not i else None, q.names[0] if not j else None
                )
            if value > best:
                best, best_reason = value, reason
    if best < floor and not (a.pic and a.pic == b.pic) and best_reason is None:
        return round(best, 3), []
    reasons: list[Reason] = [best_reason] if best_reason else []
    score = best
    if (
        best_reason is not None
        and best_reason.code == "names_alike"
        and len(p.names) > 1
        and len(q.names) > 1
        and p.names[1].key == q.names[1].key
    ):
        score += 0.1
        reasons.append(Reason("same_acronym", p.record.acronym))
    if p.names[0].body_words != q.names[0].body_words:
        common = set(p.names[0].tokens) & set(q.names[0].tokens)
        words = " ".join(sorted(p.names[0].body_words ^ q.names[0].body_words))
        plain = q.names[0] if p.names[0].body_words else p.names[0]
        # A foundation and a company ("STIFTELSEN SINTEF", "SINTEF AS") are two legal bodies.
        if common & KIND_WORDS or (plain.has_legal_form and not plain.body_words):
            score -= 0.3
            reasons.append(Reason("body_of_other", words))
        else:
            score -= 0.1
            reasons.append(Reason("legal_form_word", words))
    if a.pic and b.pic:
        if a.pic == b.pic:
            reasons.insert(0, Reason("same_pic", a.pic))
        else:
            score = min(score, 0.5)
            reasons.append(Reason("different_pic", f"{a.pic} / {b.pic}"))
    if a.domain and b.domain:
        if a.domain == b.domain:
            score += 0.15
            reasons.append(Reason("same_domain", a.domain))
        else:
            score -= 0.05
            reasons.append(Reason("different_domain", f"{a.domain} / {b.domain}"))
    if a.country == b.country:
        reasons.append(Reason("same_country", a.country))
    else:
        score -= 0.3
        reasons.append(Reason("different_country", f"{a.country} / {b.country}"))
    if p.city and q.city:
        if _cities_agree(p.city, q.city):
            score += 0.05
            reasons.append(Reason("same_city", b.city if len(b.city) < len(a.city) else a.city))
        else:
            score -= 0.1
            reasons.append(Reason("different_city", f"{a.city} / {b.city}"))
    if a.kind and b.kind and a.kind != b.kind and "other" not in (a.kind, b.kind):
        score -= 0.1
        reasons.append(Reason("different_kind", f"{a.kind} / {b.kind}"))
    if a.pic and a.pic == b.pic:
        # One PIC is one legal entity: the same when the countries agree, else for review.
        score = 1.0 if a.country == b.country else max(score, 0.85)
    return max(0.0, min(1.0, round(score, 3))), reasons


def _block_keys(p: _Prepared) -> set[str]:
    record = p.record
    keys: set[str] = set()
    if record.pic:
        keys.add(f"pic:{record.pic}")
    if record.domain:
        keys.add(f"domain:{record.domain}")
    for name in p.names:
        for token in name.tokens:
            if len(token) >= 3 and token not in GENERIC_WORDS:
                keys.add(f"word:{record.country}:{token}")
        initials = name.initials
        for length in range(3, min(len(initials), 8) + 1):
            for start in range(len(initials) - length + 1):
                keys.add(f"word:{record.country}:{initials[start : start + length]}")
    return keys


def candidate_pairs(
    prepared: list[_Prepared], only: set[int] | None = None
) -> set[tuple[int, int]]:
    """Index pairs sharing a block (see the module's description); with `only`, those with
    at least one of these organisation ids."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, p in enumerate(prepared):
        for key in _block_keys(p):
            blocks[key].append(index)
    pairs: set[tuple[int, int]] = set()
    for key, members in blocks.items():
        if len(members) < 2:
            continue
        if len(members) > MAX_BLOCK and key.startswith("word:"):
            continue
        if only is None:
            pairs.update(itertools.combinations(members, 2))
            continue
        for i in members:
            if prepared[i].record.id in only:
                pairs.update((min(i, j), max(i, j)) for j in members if j != i)
    return pairs


def find_proposals(
    records: Iterable[Record],
    threshold: float = REVIEW_THRESHOLD,
    only: set[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Proposal]:
    """Proposals scoring at least `threshold`, best first. With `only`, just the pairs with
    at least one of these organisation ids (the organisations an import touched)."""
    prepared = [_prepare(r) for r in records]
    pairs = candidate_pairs(prepared, only)
    proposals: list[Proposal] = []
    total = len(pairs)
    for done, (i, j) in enumerate(sorted(pairs), start=1):
        p, q = prepared[i], prepared[j]
        value, reasons = score_pair(p, q, floor=threshold - MOST_ADDED - 0.1)
        if value >= threshold:
            a, b = sorted((p.record.id, q.record.id))
            automatic = any(r.code == "same_pic" for r in reasons) and (
                p.record.country == q.record.country
            )
            proposals.append(Proposal(a, b, value, tuple(reasons), automatic))
        if progress is not None and (done % 5000 == 0 or done == total):
            progress(done, total)
    proposals.sort(key=lambda x: (-x.score, x.a, x.b))
    return proposals


def compare(a: Record, b: Record) -> tuple[float, list[Reason]]:
    """Score one pair (for tests and the benchmark)."""
    return score_pair(_prepare(a), _prepare(b))
