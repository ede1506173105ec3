"""Rank candidates for a query: narrow with the index, score, explain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import signals as s
from .combine import DEFAULT_WEIGHTS, Weights, combine
from .index import CandidateIndex
from .query import MatchQuery
from .reasons import explain

# How many rows each part of the index contributes to the candidate set.
TEXT_CANDIDATES = 2000
EMBEDDING_CANDIDATES = 1000
FIELD_CANDIDATES = 1000
POPULAR_CANDIDATES = 500
# On a large index, how many of the best are re-scored with exact embeddings.
RERANK = 300


@dataclass
class Match:
    key: int
    name: str
    score: float
    signals: dict[str, float]
    reasons: list[str] = field(default_factory=list)


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
) -> np.ndarray:
    """The rows worth scoring: every row the index links to the query, never all rows."""
    parts: list[np.ndarray] = []
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
    """The `limit` best candidates for `query`, best first, each with its reasons."""
    if len(index) == 0:
        return []
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
    rows = candidate_rows(
        index, query, needed, complementary, text_scores, embedding_scores, direct, second
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
            )
        results.append(match)
    return results
