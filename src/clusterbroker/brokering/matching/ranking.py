"""Rank candidates for a query: narrow with the index, score, explain."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import signals as s
from .combine import DEFAULT_WEIGHTS, Weights, combine
from .index import CandidateIndex
from .query import MatchQuery
from .reasons import explain
from .vocabulary import COLUMN, concepts_in

# How many rows each part of the index contributes to the candidate set.
TEXT_CANDIDATES = 2000
EMBEDDING_CANDIDATES = 1000
FIELD_CANDIDATES = 1000
POPULAR_CANDIDATES = 500
# On a large index, how many of the best are re-scored with exact embeddings.
RERANK = 300
# Relevance first: a candidate without a needed or complementary term is relevant when its
# texts are this close to the query (sentence-embedding cosine, or TF-IDF cosine).
MEANING_RELEVANT = 0.35
WORDS_RELEVANT = 0.08
# A candidate offering a needed term moves up a tier when its texts also answer the rest of
# the query: the words of the query left once the needed terms' labels are taken out, or a
# sentence-embedding cosine at least this high.
MEANING_CLOSE = 0.5
KNOWN_PARTNERS = ("include", "exclude", "only")
# Local help preferred: the share of the first places kept for the asker's region or country
# where it can give what was asked (see `_keep_local_share`).
LOCAL_SHARE = 0.7
# Relevance first: inside a tier, what the candidate offers (terms, words, meaning) orders
# the candidates; the context signals (network, geography, activity, time) count this much
# of their weight, enough to break near-ties, never to outweigh a closer offer.
CONTENT_SIGNALS = ("words", "meaning", "coverage", "complement")
CONTEXT_SHARE = 0.1


@dataclass
class Match:
    key: int
    name: str
    score: float
    signals: dict[str, float]
    reasons: list[str] = field(default_factory=list)
    tier: int = 0
    known_partner: bool = False


def relevance_tiers(
    values: dict[str, np.ndarray],
    beyond_terms: np.ndarray | None = None,
    technology: np.ndarray | None = None,
) -> np.ndarray:
    """How much of what was asked a candidate offers.

    3: a needed term, and texts that answer what the query says beyond its terms: when the
    query names technologies its terms do not (`technology`: the share of them the
    candidate's texts or terms name, see `vocabulary`), texts naming one of them; otherwise
    texts close to the query's other words (`beyond_terms`: TF-IDF cosine with the query's
    words minus the needed terms' labels) or very close in meaning; 2: a needed term;
    1: a complementary term, or texts close to the query or naming an asked technology;
    0: nothing asked (left out when relevance comes first).
    """
    text = (values["meaning"] >= MEANING_RELEVANT) | (values["words"] >= WORDS_RELEVANT)
    if technology is not None:
        rest = technology > 0
        text |= rest
    else:
        rest = values["meaning"] >= MEANING_CLOSE
        if beyond_terms is not None:
            rest |= beyond_terms >= WORDS_RELEVANT
    return np.where(
        values["coverage"] > 0,
        2 + rest.astype(np.int8),
        np.where((values["complement"] > 0) | text, 1, 0),
    ).astype(np.int8)


def _beyond_terms(index: CandidateIndex, query: MatchQuery, needed: np.ndarray, rows: np.ndarray):
    """TF-IDF cosine of the rows with the query's words that the needed terms' labels do not
    already say (None when nothing is left)."""
    if index.vectorizer is None or not query.text.strip():
        return None
    analyse = index.analyser.terms
    language = s.query_language(query)
    # The labels of the taxonomy's terms are English; a need written in another language
    # may quote them as they are (read then in the need's language): both are left out.
    labels = [
        index.term_labels.get(index.term_of_column[int(column)], "")
        for column in np.flatnonzero(needed)
    ]
    said = {term for label in labels for code in ("en", language) for term in analyse(label, code)}
    rest = [t for t in index.analyser.query_terms(query.text, language) if t not in said]
    vector = s.terms_vector(index, rest)
    if vector is None:
        return None
    return np.asarray(index.text[rows][:, vector.indices] @ vector.data).ravel()


def asked_technologies(index: CandidateIndex, query: MatchQuery, needed: np.ndarray) -> list[str]:
    """The technologies the query's text names that its needed terms' labels do not."""
    said = set(
        concepts_in(
            " ".join(
                index.term_labels.get(index.term_of_column[int(c)], "")
                for c in np.flatnonzero(needed)
            )
        )
    )
    return [k for k in concepts_in(query.text) if k not in said]


def technology_share(index: CandidateIndex, rows: np.ndarray, asked: list[str]) -> np.ndarray:
    """For each row, the share of the `asked` technologies its texts or terms name."""
    columns = [COLUMN[k] for k in asked]
    named = np.asarray(index.concepts[rows][:, columns].sum(axis=1)).ravel()
    return (named / len(columns)).astype(np.float32)


def _keep_local_share(
    order: np.ndarray,
    nearby: np.ndarray,
    complete: np.ndarray,
    offers_needed: np.ndarray,
    limit: int,
) -> np.ndarray:
    """Local help preferred, where the asker's region or country can give it.

    When at least half of the first `limit` places can go to near candidates that offer
    everything asked (`complete`), `LOCAL_SHARE` of the places go to near ones: after those,
    the nearest that offer the needed terms take the places of the last ones from abroad.
    Where the country has fewer, the list is not filled with partial answers: those that
    offer everything asked come first wherever they are. The order of those kept is
    unchanged."""
    top = order[:limit]
    if int((nearby & complete).sum()) < math.ceil(len(top) / 2):
        return order
    wanted = min(math.ceil(LOCAL_SHARE * len(top)), int((nearby & offers_needed).sum()))
    missing = wanted - int(nearby[top].sum())
    if missing <= 0:
        return order
    rest = order[limit:]
    extra = rest[nearby[rest] & offers_needed[rest]][:missing]
    abroad = top[~nearby[top]]
    dropped = set(abroad[len(abroad) - len(extra) :].tolist())
    position = {int(row): i for i, row in enumerate(order)}
    kept = sorted([int(i) for i in top if int(i) not in dropped] + extra.tolist(), key=position.get)
    return np.array(kept, dtype=order.dtype)


def _top(values: np.ndarray, k: int) -> np.ndarray:
    positive = np.flatnonzero(values > 0)
    if len(positive) <= k:
        return positive
    part = np.argpartition(-values[positive], k)[:k]
    return positive[part]


def candidate_rows(
    index: CandidateIndex,
    query: MatchQuery,
    needed: np.ndarray,
    complementary: np.ndarray,
    text_scores: np.ndarray | None,
    embedding_scores: np.ndarray | None,
    direct: np.ndarray,
    second: np.ndarray,
    technologies: list[str] = (),
) -> np.ndarray:
    """The rows worth scoring: every row the index links to the query, never all rows."""
    parts: list[np.ndarray] = []
    if technologies:
        named = index.concepts[:, [COLUMN[k] for k in technologies]]
        parts.append(np.unique(named.nonzero()[0]))
    term_cols = np.flatnonzero((needed + complementary) > 0)
    if len(term_cols):
        parts.append(index.terms_by_column[:, term_cols].indices)
    if text_scores is not None:
        parts.append(_top(text_scores, TEXT_CANDIDATES))
    if embedding_scores is not None:
        parts.append(_top(embedding_scores, EMBEDDING_CANDIDATES))
    parts.append(np.flatnonzero(direct))
    parts.append(_top(second, FIELD_CANDIDATES))
    if query.field in index.field_top:
        parts.append(index.field_top[query.field])
    for p in query.partnerships:
        if p in index.partnership_columns:
            parts.append(index.partnerships_by_column[:, index.partnership_columns[p]].indices)
    parts.append(index.popular_rows)
    rows = np.unique(np.concatenate(parts))
    if len(rows) == 0:
        # Nothing links the query to anyone: fall back on the most active (or first) rows.
        rows = np.sort(np.argsort(-index.activity, kind="stable")[:POPULAR_CANDIDATES])
    if len(query.kinds or ()):
        rows = rows[np.isin(index.kinds[rows], list(query.kinds))]
    excluded = [index.row_of[k] for k in query.exclude if k in index.row_of]
    excluded += s.anchor_rows(index, query)
    if excluded:
        rows = rows[~np.isin(rows, excluded)]
    return rows


def rank(
    index: CandidateIndex,
    query: MatchQuery,
    *,
    limit: int = 20,
    weights: Weights = DEFAULT_WEIGHTS,
    with_reasons: bool = True,
    translate: Callable[[str], str] = lambda text: text,
) -> list[Match]:
    """The `limit` best candidates for `query`, best first, each with its reasons.

    With `query.relevance`, the order is lexicographic: relevance tier first (see
    `relevance_tiers`; tier 0 is left out), then the share of the asked technologies named,
    then, with local help preferred, the same region and then country, then the content
    signals, the context signals (network, geography, activity) counting `CONTEXT_SHARE` of
    their weight. No network or activity signal can lift a candidate above one of a higher
    tier. With local help preferred, `LOCAL_SHARE` of the places stay near the asker where
    enough candidates offer what was asked there (`_keep_local_share`).
    """
    if len(index) == 0:
        return []
    if query.known_partners not in KNOWN_PARTNERS:
        raise ValueError(f"known_partners: one of {', '.join(KNOWN_PARTNERS)}")
    needed = s.query_terms(index, query)
    complementary = s.complement_terms(index, needed)
    text_vector = s.query_text(index, query)
    embedding = s.query_embedding(index, query)
    anchors = s.anchor_rows(index, query)
    direct, second = s.network_vectors(index, anchors)
    in_field = s.field_ties(index, anchors, query.field)
    # Text and embedding similarity of every row at once (one sparse and one dense
    # product); they serve both to narrow the candidates and as signals.
    text_scores = s.text_scores(index, text_vector)
    embedding_scores = s.embedding_scores(index, embedding)
    technologies = asked_technologies(index, query, needed) if query.relevance else []
    rows = candidate_rows(
        index,
        query,
        needed,
        complementary,
        text_scores,
        embedding_scores,
        direct,
        second,
        technologies,
    )
    if len(rows) == 0:
        return []
    values = {
        "words": s.at(text_scores, rows),
        "meaning": (
            np.clip(s.at(embedding_scores, rows), 0.0, 1.0)
            if index.reduced is not None
            else s.meaning(index, rows, embedding)
        ),
        "coverage": s.coverage(index, rows, needed),
        "complement": s.complement(index, rows, complementary),
        "geography": s.geography(index, rows, query),
        "track": s._scaled_log(direct[rows], float(direct.max(initial=0.0))),
        "track_in_field": s._scaled_log(in_field[rows], float(in_field.max(initial=0.0))),
        "partners_of_partners": s._scaled_log(second[rows], float(second.max(initial=0.0))),
        "partnership": s.partnership(index, rows, query),
        "field": s.field_activity(index, rows, query),
        "popularity": s.popularity(index, rows),
        "time": s.time_window(index, rows, query),
    }
    scores = combine(values, weights)
    if index.reduced is not None and embedding is not None:
        # Re-rank the best with the exact embedding cosine instead of the reduced one.
        best = np.argsort(-scores, kind="stable")[: max(RERANK, limit)]
        exact = s.meaning(index, rows[best], embedding)
        scores[best] += weights.meaning * (exact - values["meaning"][best])
        values["meaning"][best] = exact
    known = direct[rows] > 0
    asked = bool(needed.any() or text_vector is not None or embedding is not None or technologies)
    relevance = query.relevance and asked
    technologies = technologies if relevance else []
    technology = technology_share(index, rows, technologies) if technologies else None
    beyond = (
        _beyond_terms(index, query, needed, rows)
        if relevance and needed.any() and technology is None
        else None
    )
    tiers = relevance_tiers(values, beyond, technology)
    if technology is None:
        technology = np.zeros(len(rows), dtype=np.float32)
    keep = np.ones(len(rows), dtype=bool)
    if query.known_partners == "exclude":
        keep &= ~known
    elif query.known_partners == "only":
        keep &= known
    if relevance:
        keep &= tiers > 0
    if not keep.all():
        rows, scores, known, tiers = rows[keep], scores[keep], known[keep], tiers[keep]
        technology = technology[keep]
        values = {name: v[keep] for name, v in values.items()}
    if relevance:
        local = values["geography"] if query.local else np.zeros(len(rows), dtype=np.float32)
        content = combine({n: values[n] for n in CONTENT_SIGNALS}, weights)
        ordering = content + CONTEXT_SHARE * (scores - content)
        # Local help preferred: among the candidates offering a needed term (tiers 2 and 3),
        # the same region, then country, come first; a complementary or text-only one (tier 1)
        # never passes one offering a needed term.
        # Offering everything asked comes first (tier, then the share of the asked
        # technologies named); local help preferred orders each tier by place.
        order = np.lexsort((-ordering, -technology, -local, -tiers))
        if query.local:
            complete = technology > 0 if technologies else tiers >= 2
            order = _keep_local_share(order, local > 0, complete, tiers >= 2, limit)
        order = order[:limit]
    else:
        order = np.argsort(-scores, kind="stable")[:limit]
    results = []
    for position in order:
        row = int(rows[position])
        signal_values = {name: float(v[position]) for name, v in values.items()}
        match = Match(
            key=int(index.keys[row]),
            name=index.names[row],
            score=float(scores[position]),
            signals=signal_values,
            tier=int(tiers[position]),
            known_partner=bool(known[position]),
        )
        if with_reasons:
            match.reasons = explain(
                index,
                row,
                query,
                signal_values,
                weights,
                needed=needed,
                complementary=complementary,
                text_vector=text_vector,
                direct=float(direct[row]),
                second=float(second[row]),
                translate=translate,
                technologies=technologies,
            )
        results.append(match)
    return results
