"""The candidate index: term and text inverted indexes, embedding matrix, network.

Built once from plain records and kept in memory; `rank` narrows the candidate
set with it (rows sharing a taxonomy term or a word with the query, nearest
embeddings, network neighbours, most active in the query's field) before it
scores anything, so a query touches a few thousand rows out of 100,000.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from .analyser import DEFAULT_ANALYSER, TextAnalyser
from .vocabulary import concept_matrix


@dataclass
class CandidateRecord:
    """One organisation as the engine sees it (public data only).

    `text` is written in `language` ("" when unknown: read as English); `texts` are further
    (text, language) parts written in other languages (an offer written in French by an
    organisation described in English). Each is analysed in its own language.
    """

    key: int
    name: str
    country: str = ""
    region: str = ""
    kind: str = ""
    size: str = ""
    text: str = ""
    language: str = ""
    texts: Sequence[tuple[str, str]] = ()
    terms: Iterable[int] = ()
    embedding: np.ndarray | None = None
    partnerships: Iterable[int] = ()
    fields: Mapping[str, float] = field(default_factory=dict)
    available_from: int | None = None
    available_until: int | None = None


@dataclass
class Edge:
    """Two organisations worked together in `field`; `weight`: joint projects, decayed by age."""

    a: int
    b: int
    weight: float = 1.0
    field: str = ""


@dataclass
class CandidateIndex:
    keys: np.ndarray
    names: list[str]
    countries: np.ndarray
    regions: np.ndarray
    country_codes: dict[str, int]
    country_of: np.ndarray
    region_codes: dict[str, int]
    region_of: np.ndarray
    kinds: np.ndarray
    sizes: np.ndarray
    row_of: dict[int, int]
    term_columns: dict[int, int]
    term_labels: dict[int, str]
    term_of_column: dict[int, int]
    terms: sparse.csr_matrix
    terms_by_column: sparse.csc_matrix
    complements: sparse.csr_matrix
    vectorizer: TfidfVectorizer | None
    vocabulary: np.ndarray
    text: sparse.csr_matrix
    text_by_column: sparse.csc_matrix
    # Rows × technologies of `vocabulary.CONCEPTS` their texts or term labels name.
    concepts: sparse.csr_matrix
    embeddings: np.ndarray | None
    projection: np.ndarray | None
    reduced: np.ndarray | None
    partnership_columns: dict[int, int]
    partnership_names: dict[int, str]
    partnerships: sparse.csr_matrix
    partnerships_by_column: sparse.csc_matrix
    field_columns: dict[str, int]
    fields: np.ndarray
    network: sparse.csr_matrix
    field_networks: dict[str, sparse.csr_matrix]
    activity: np.ndarray
    popular_rows: np.ndarray
    field_top: dict[str, np.ndarray]
    available_from: np.ndarray
    available_until: np.ndarray
    # How the texts were read (the query is read the same way, in its own language).
    analyser: TextAnalyser = DEFAULT_ANALYSER

    def __len__(self) -> int:
        return len(self.keys)


def _one_hot(rows: list[Iterable[int]], columns: dict[int, int]) -> sparse.csr_matrix:
    indptr, indices = [0], []
    for values in rows:
        cols = sorted({columns[v] for v in values if v in columns})
        indices.extend(cols)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sparse.csr_matrix(
        (data, np.array(indices, dtype=np.int32), np.array(indptr)),
        shape=(len(rows), max(len(columns), 1)),
    )


# Above this many rows, nearest embeddings are first sought in a reduced space
# (the leading principal directions), then scored exactly on the candidates only.
REDUCE_FROM_ROWS = 20_000
REDUCED_DIMENSIONS = 48
POPULAR_ROWS = 500
FIELD_ROWS = 1000


def _reduce(embeddings: np.ndarray | None) -> tuple[np.ndarray | None, np.ndarray | None]:
    if embeddings is None or len(embeddings) < REDUCE_FROM_ROWS:
        return None, None
    rng = np.random.default_rng(0)
    sample = embeddings[rng.choice(len(embeddings), size=min(len(embeddings), 5000), replace=False)]
    _u, _s, vt = np.linalg.svd(sample, full_matrices=False)
    projection = np.ascontiguousarray(vt[:REDUCED_DIMENSIONS].T, dtype=np.float32)
    return projection, np.ascontiguousarray(embeddings @ projection)


def _top_rows(values: np.ndarray, k: int) -> np.ndarray:
    positive = np.flatnonzero(values > 0)
    if len(positive) > k:
        positive = positive[np.argpartition(-values[positive], k)[:k]]
    return positive


def _square(rows, cols, data, n: int) -> sparse.csr_matrix:
    matrix = sparse.csr_matrix((np.asarray(data, dtype=np.float32), (rows, cols)), shape=(n, n))
    matrix.sum_duplicates()
    return matrix


def build_index(
    records: list[CandidateRecord],
    *,
    term_labels: Mapping[int, str] | None = None,
    complements: Mapping[int, Iterable[int]] | None = None,
    partnership_names: Mapping[int, str] | None = None,
    edges: Iterable[Edge] = (),
    stop_words: str | Iterable[str] = "english",
    letters_only: bool = False,
) -> CandidateIndex:
    """Index `records`; `complements[a]` lists terms that complement a need for term `a`.

    The texts are indexed as terms (`analyser.TextAnalyser`: each stemmed in its language);
    `stop_words` ("english", or a collection of English words) are left out of every text,
    stemmed in its language, with the stop words of that language; `letters_only` leaves
    out the words holding a digit."""
    n = len(records)
    keys = np.array([r.key for r in records], dtype=np.int64)
    row_of = {int(k): i for i, k in enumerate(keys)}

    term_labels = dict(term_labels or {})
    all_terms = set(term_labels)
    for r in records:
        all_terms.update(r.terms)
    for a, bs in (complements or {}).items():
        all_terms.add(a)
        all_terms.update(bs)
    term_columns = {t: i for i, t in enumerate(sorted(all_terms))}
    terms = _one_hot([list(r.terms) for r in records], term_columns)
    size = max(len(term_columns), 1)
    comp = sparse.lil_matrix((size, size), dtype=np.float32)
    for a, bs in (complements or {}).items():
        for b in bs:
            comp[term_columns[a], term_columns[b]] = 1.0

    analyser = TextAnalyser.leaving_out(stop_words, letters_only)
    texts = [analyser.analysed([(r.text or "", r.language), *r.texts]) for r in records]
    vectorizer = None
    text = sparse.csr_matrix((n, 1), dtype=np.float32)
    if any(texts):
        vectorizer = TfidfVectorizer(
            analyzer=str.split,
            sublinear_tf=True,
            min_df=1,
            dtype=np.float32,
        )
        text = vectorizer.fit_transform(texts).tocsr()

    embeddings = None
    dims = {len(r.embedding) for r in records if r.embedding is not None}
    if dims:
        (d,) = dims
        embeddings = np.zeros((n, d), dtype=np.float32)
        for i, r in enumerate(records):
            if r.embedding is not None:
                v = np.asarray(r.embedding, dtype=np.float32)
                norm = float(np.linalg.norm(v))
                embeddings[i] = v / norm if norm else v

    partnership_names = dict(partnership_names or {})
    all_partnerships = set(partnership_names)
    for r in records:
        all_partnerships.update(r.partnerships)
    partnership_columns = {p: i for i, p in enumerate(sorted(all_partnerships))}
    partnerships = _one_hot([list(r.partnerships) for r in records], partnership_columns)

    field_names = sorted({f for r in records for f in r.fields})
    field_columns = {f: i for i, f in enumerate(field_names)}
    fields = np.zeros((n, max(len(field_names), 1)), dtype=np.float32)
    for i, r in enumerate(records):
        for f, v in r.fields.items():
            fields[i, field_columns[f]] = v

    rows, cols, data, edge_fields = [], [], [], []
    for e in edges:
        a, b = row_of.get(e.a), row_of.get(e.b)
        if a is None or b is None or a == b:
            continue
        rows += [a, b]
        cols += [b, a]
        data += [e.weight, e.weight]
        edge_fields += [e.field, e.field]
    network = _square(rows, cols, data, n)
    field_networks = {}
    if edge_fields:
        rows_a, cols_a = np.array(rows), np.array(cols)
        data_a, fields_a = np.array(data, dtype=np.float32), np.array(edge_fields, dtype=object)
        for name in set(edge_fields) - {""}:
            mask = fields_a == name
            field_networks[name] = _square(rows_a[mask], cols_a[mask], data_a[mask], n)
    activity = fields.sum(axis=1) if field_names else np.asarray(network.sum(axis=1)).ravel()

    def dates(values: list[int | None]) -> np.ndarray:
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)

    projection, reduced = _reduce(embeddings)
    activity = np.asarray(activity, dtype=np.float32)
    country_codes = {c: i for i, c in enumerate(sorted({r.country for r in records}))}
    region_codes = {c: i for i, c in enumerate(sorted({r.region for r in records if r.region}))}
    return CandidateIndex(
        keys=keys,
        names=[r.name for r in records],
        countries=np.array([r.country for r in records], dtype=object),
        regions=np.array([r.region for r in records], dtype=object),
        country_codes=country_codes,
        country_of=np.array([country_codes[r.country] for r in records], dtype=np.int32),
        region_codes=region_codes,
        region_of=np.array([region_codes.get(r.region, -1) for r in records], dtype=np.int32),
        kinds=np.array([r.kind for r in records], dtype=object),
        sizes=np.array([r.size for r in records], dtype=object),
        row_of=row_of,
        term_columns=term_columns,
        term_labels=term_labels,
        term_of_column={c: t for t, c in term_columns.items()},
        terms=terms,
        terms_by_column=terms.tocsc(),
        complements=comp.tocsr(),
        vectorizer=vectorizer,
        vocabulary=vectorizer.get_feature_names_out() if vectorizer else np.array([]),
        text=text,
        text_by_column=text.tocsc(),
        concepts=concept_matrix(
            " ".join(
                [
                    r.text or "",
                    *(t for t, _lang in r.texts),
                    *(term_labels.get(t, "") for t in r.terms),
                ]
            )
            for r in records
        ),
        embeddings=embeddings,
        projection=projection,
        reduced=reduced,
        partnership_columns=partnership_columns,
        partnership_names=partnership_names,
        partnerships=partnerships,
        partnerships_by_column=partnerships.tocsc(),
        field_columns=field_columns,
        fields=fields,
        network=network,
        field_networks=field_networks,
        activity=activity,
        popular_rows=_top_rows(activity, POPULAR_ROWS),
        field_top={f: _top_rows(fields[:, c], FIELD_ROWS) for f, c in field_columns.items()},
        available_from=dates([r.available_from for r in records]),
        available_until=dates([r.available_until for r in records]),
        analyser=analyser,
    )
