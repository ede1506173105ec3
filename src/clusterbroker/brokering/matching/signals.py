"""The signals of the engine, each a vector in [0, 1] over a set of candidate rows."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from .index import CandidateIndex
from .query import MatchQuery


def _scaled_log(values: np.ndarray, top: float) -> np.ndarray:
    if top <= 0:
        return np.zeros_like(values, dtype=np.float32)
    return (np.log1p(values) / np.log1p(top)).astype(np.float32)


def _matvec(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """matrix @ vector without the BLAS thread pool, whose start-up costs more than the
    product itself for one vector (and much more when the cores are busy)."""
    return np.einsum("ij,j->i", matrix, vector)


def query_terms(index: CandidateIndex, query: MatchQuery) -> np.ndarray:
    vector = np.zeros(index.terms.shape[1], dtype=np.float32)
    for t in query.terms:
        if t in index.term_columns:
            vector[index.term_columns[t]] = 1.0
    return vector


def complement_terms(index: CandidateIndex, needed: np.ndarray) -> np.ndarray:
    """Terms that complement the needed ones (and are not needed themselves)."""
    comp = np.asarray(index.complements.T @ needed).ravel() > 0
    return (comp & (needed == 0)).astype(np.float32)


def query_text(index: CandidateIndex, query: MatchQuery) -> sparse.csr_matrix | None:
    """The TF-IDF vector of the query's text, read in the query's language."""
    if index.vectorizer is None or not query.text.strip():
        return None
    return terms_vector(index, index.analyser.query_terms(query.text, query_language(query)))


def query_language(query: MatchQuery) -> str:
    """The language of the query's text ("" when unknown: read as English)."""
    return getattr(query, "language", "") or ""


def terms_vector(index: CandidateIndex, terms: list[str]) -> sparse.csr_matrix | None:
    """The TF-IDF vector of terms already analysed (None when the index knows none)."""
    if index.vectorizer is None or not terms:
        return None
    vector = index.vectorizer.transform([" ".join(terms)])
    return vector if vector.nnz else None


def query_embedding(index: CandidateIndex, query: MatchQuery) -> np.ndarray | None:
    if index.embeddings is None or query.embedding is None:
        return None
    v = np.asarray(query.embedding, dtype=np.float32)
    norm = float(np.linalg.norm(v))
    return v / norm if norm else None


def anchor_rows(index: CandidateIndex, query: MatchQuery) -> list[int]:
    return [index.row_of[a] for a in query.anchors if a in index.row_of]


def network_vectors(index: CandidateIndex, anchors: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Joint-project weight with the anchors, and with the anchors' partners (two hops)."""
    n = len(index)
    if not anchors:
        return np.zeros(n, dtype=np.float32), np.zeros(n, dtype=np.float32)
    first = index.network[anchors]
    direct = np.asarray(first.sum(axis=0)).ravel()
    # Two hops: partners of partners, each partner counted once (not by weight),
    # so that a large network does not drown the direct ties.
    binary = first.copy()
    binary.data = np.ones_like(binary.data)
    second = np.asarray((binary @ index.network).sum(axis=0)).ravel()
    second[anchors] = 0
    return direct.astype(np.float32), second.astype(np.float32)


def field_ties(index: CandidateIndex, anchors: list[int], field: str) -> np.ndarray:
    """Joint-project weight with the anchors in the query's field only."""
    network = index.field_networks.get(field)
    if network is None or not anchors:
        return np.zeros(len(index), dtype=np.float32)
    return np.asarray(network[anchors].sum(axis=0)).ravel().astype(np.float32)


def coverage(index: CandidateIndex, rows: np.ndarray, needed: np.ndarray) -> np.ndarray:
    total = needed.sum()
    if total == 0:
        return np.zeros(len(rows), dtype=np.float32)
    return (np.asarray(index.terms[rows] @ needed).ravel() / total).astype(np.float32)


def complement(index: CandidateIndex, rows: np.ndarray, complementary: np.ndarray) -> np.ndarray:
    total = complementary.sum()
    if total == 0:
        return np.zeros(len(rows), dtype=np.float32)
    hits = np.asarray(index.terms[rows] @ complementary).ravel()
    return np.minimum(hits / min(total, 3.0), 1.0).astype(np.float32)


def text_scores(index: CandidateIndex, q: sparse.csr_matrix | None) -> np.ndarray | None:
    """TF-IDF cosine of every row with the query (through the term columns only)."""
    if q is None:
        return None
    return np.asarray(index.text_by_column[:, q.indices] @ q.data).ravel().astype(np.float32)


def embedding_scores(index: CandidateIndex, e: np.ndarray | None) -> np.ndarray | None:
    """Embedding cosine of every row with the query, for narrowing the candidates.

    On a large index this is the cosine in the reduced space (an approximation);
    `meaning` then scores the candidates exactly.
    """
    if e is None:
        return None
    e = e.astype(np.float32)
    if index.reduced is not None:
        return _matvec(index.reduced, e @ index.projection)
    return np.clip(_matvec(index.embeddings, e), 0.0, 1.0)


def meaning(index: CandidateIndex, rows: np.ndarray, e: np.ndarray | None) -> np.ndarray:
    """Exact embedding cosine of the candidate rows with the query, clipped to [0, 1]."""
    if e is None:
        return np.zeros(len(rows), dtype=np.float32)
    return np.clip(_matvec(index.embeddings[rows], e.astype(np.float32)), 0.0, 1.0)


def at(values: np.ndarray | None, rows: np.ndarray) -> np.ndarray:
    if values is None:
        return np.zeros(len(rows), dtype=np.float32)
    return values[rows]


def geography(index: CandidateIndex, rows: np.ndarray, query: MatchQuery) -> np.ndarray:
    if not query.country:
        return np.zeros(len(rows), dtype=np.float32)
    country = index.country_codes.get(query.country, -1)
    region = index.region_codes.get(query.region, -1) if query.region else -2
    same_country = index.country_of[rows] == country
    same_region = same_country & (index.region_of[rows] == region)
    # A candidate whose place is not known (a confidential need's owner) gets no credit.
    known = index.country_of[rows] != index.country_codes.get("", -3)
    if query.local:
        values = np.where(same_region, 1.0, np.where(same_country, 0.7, 0.0))
    elif query.cross_border:
        values = np.where(~same_country, 1.0, np.where(same_region, 0.0, 0.4))
    else:
        values = same_country
    return np.where(known, values, 0.0).astype(np.float32)


def partnership(index: CandidateIndex, rows: np.ndarray, query: MatchQuery) -> np.ndarray:
    cols = [
        index.partnership_columns[p] for p in query.partnerships if p in index.partnership_columns
    ]
    if not cols:
        return np.zeros(len(rows), dtype=np.float32)
    members = index.partnerships_by_column[:, cols].indices
    return np.isin(rows, members).astype(np.float32)


def field_activity(index: CandidateIndex, rows: np.ndarray, query: MatchQuery) -> np.ndarray:
    column = index.field_columns.get(query.field)
    if column is None:
        return np.zeros(len(rows), dtype=np.float32)
    values = index.fields[:, column]
    return _scaled_log(values[rows], float(values.max()))


def popularity(index: CandidateIndex, rows: np.ndarray) -> np.ndarray:
    return _scaled_log(index.activity[rows], float(index.activity.max(initial=0.0)))


def time_window(index: CandidateIndex, rows: np.ndarray, query: MatchQuery) -> np.ndarray:
    """1 when the candidate is available inside the window (or nothing is known), else 0."""
    start, end = query.window
    avail_from = index.available_from[rows]
    avail_until = index.available_until[rows]
    ok = np.ones(len(rows), dtype=bool)
    if end is not None:
        ok &= ~(avail_from > end)
    if start is not None:
        ok &= ~(avail_until < start)
    return ok.astype(np.float32)
