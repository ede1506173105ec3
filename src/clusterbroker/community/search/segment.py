"""A read-optimised full-text segment: postings in flat NumPy arrays, ranked by BM25.

No Django here: a `Segment` is built from plain rows (`build`) or loaded from a directory
of `.npy` files (memory-mapped, so every worker process shares one copy through the page
cache); `searcher.run` answers a query over one or more segments with exact BM25 as
SQLite's FTS5 computes it (`bm25()` with column weights), exact totals and exact facet
counts. Its cost grows with the number of postings it reads, which NumPy walks in C, so
a query matching a third of a million documents is answered in milliseconds.

Tokens are the document's analysed words (stemmed in its language and folded when it
was indexed, `text.analysis`), the same the database indexes store.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

# Column weights and BM25 constants of the database index (see sqlite.py).
TITLE_WEIGHT, BODY_WEIGHT = 8.0, 1.0
K1, B = 1.2, 0.75
# The facet columns coded per document (the `term` facet is kept apart: a document may
# have several terms).
CODED = ("collection", "sector", "country", "org_kind")
# One value per document, in id order.
DOCUMENT_COLUMNS = ("ids", "length", "published", "author", "year", "date", "closes", *CODED)
ARRAYS = (
    *DOCUMENT_COLUMNS,
    "vocab",
    "offsets",
    "postings",
    "freq",
    "term_offsets",
    "term_docs",
)
NO_DATE = -1
# Facets counted together, from one joint code per document (when their values make at most
# MAX_CELLS combinations): one gather and one histogram instead of one per facet.
GROUPS = (("collection", "org_kind", "year", "state"), ("sector", "country"))
MAX_CELLS = 1 << 20


class Tokenizer:
    """The terms of an analysed text (`SearchDocument.title_words` / `body_words`): the
    words are stemmed and folded when the document is indexed (`text.analysis`), as the
    database indexes store them, so here they are only split."""

    def tokens(self, text: str) -> list[str]:
        return (text or "").split()


@dataclass
class Row:
    """One document as the segment needs it: `title` and `body` are the analysed words
    (dates as `datetime.date` or None)."""

    id: int
    title: str
    body: str
    collection: str = ""
    sector: str = ""
    country: str = ""
    org_kind: str = ""
    date: dt.date | None = None
    closes_on: dt.date | None = None
    published: bool = True
    author_id: int | None = None
    terms: Sequence[int] = ()


@dataclass
class Segment:
    """Documents in id order; postings grouped by vocabulary entry in sorted order."""

    arrays: dict[str, np.ndarray]
    labels: dict[str, list[str]]
    term_ids: list[int]
    total_length: int
    meta: dict = field(default_factory=dict)

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.__dict__["arrays"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def size(self) -> int:
        return len(self.arrays["ids"])

    def facet_groups(
        self, today: int
    ) -> list[tuple[tuple[str, ...], tuple[int, ...], np.ndarray, list]]:
        """Per group of facets: names, number of values of each, the joint code of every
        document and the label of each value (computed once a day: `state` depends on it)."""
        cached = self.__dict__.get("_groups")
        if cached is not None and cached[0] == today:
            return cached[1]
        groups = []
        for names in GROUPS:
            codes, labels = [], []
            for name in names:
                if name in CODED:
                    codes.append(self.arrays[name].astype(np.int32))
                    labels.append(self.labels[name])
                elif name == "year":
                    years, code = np.unique(self.arrays["year"], return_inverse=True)
                    codes.append(code.astype(np.int32))
                    labels.append([str(int(y)) if y else "" for y in years])
                else:
                    closes = self.arrays["closes"]
                    codes.append(
                        np.where(closes == NO_DATE, 0, np.where(closes >= today, 1, 2)).astype(
                            np.int32
                        )
                    )
                    labels.append(["", "open", "closed"])
            sizes = tuple(max(1, len(values)) for values in labels)
            if math.prod(sizes) > MAX_CELLS:
                continue
            joint = np.zeros(self.size, np.int32)
            for code, size in zip(codes, sizes, strict=True):
                joint = joint * size + code
            groups.append((names, sizes, joint, labels))
        self.__dict__["_groups"] = (today, groups)
        return groups

    def word_postings(self, word: str, prefix: bool) -> tuple[np.ndarray, np.ndarray]:
        """Document positions (sorted) and weighted frequencies of a token or prefix."""
        vocab = self.arrays["vocab"]
        start = int(np.searchsorted(vocab, word, side="left"))
        end = (
            int(np.searchsorted(vocab, word + "\U0010ffff", side="left"))
            if prefix
            else start + int(start < len(vocab) and vocab[start] == word)
        )
        offsets, postings, freq = self.offsets, self.postings, self.freq
        if end <= start:
            return np.empty(0, np.int32), np.empty(0, np.float32)
        if end == start + 1:
            a, b = int(offsets[start]), int(offsets[start + 1])
            return postings[a:b], freq[a:b]
        parts = [(int(offsets[t]), int(offsets[t + 1])) for t in range(start, end)]
        docs = np.concatenate([postings[a:b] for a, b in parts])
        weights = np.concatenate([freq[a:b] for a, b in parts])
        if len(docs) * 16 > self.size:
            summed = np.bincount(docs, weights=weights, minlength=self.size)
            found = np.flatnonzero(summed).astype(np.int32)
            return found, summed[found].astype(np.float32)
        found, inverse = np.unique(docs, return_inverse=True)
        return found.astype(np.int32), np.bincount(inverse, weights=weights).astype(np.float32)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for name, array in self.arrays.items():
            np.save(directory / f"{name}.npy", array, allow_pickle=False)
        (directory / "segment.json").write_text(
            json.dumps(
                {
                    "labels": self.labels,
                    "term_ids": self.term_ids,
                    "total_length": self.total_length,
                    "meta": self.meta,
                }
            )
        )

    @classmethod
    def load(cls, directory: Path) -> Segment:
        info = json.loads((directory / "segment.json").read_text())
        arrays = {
            # A plain view of the mapping: NumPy's memmap subclass slows every indexing.
            name: np.load(directory / f"{name}.npy", mmap_mode="r", allow_pickle=False).view(
                np.ndarray
            )
            for name in ARRAYS
        }
        return cls(arrays, info["labels"], info["term_ids"], info["total_length"], info["meta"])


def _ordinal(value: dt.date | None) -> int:
    return value.toordinal() if value else NO_DATE


def build(rows: Iterable[Row], tokenizer: Tokenizer | None = None, chunk: int = 20_000) -> Segment:
    """A segment of `rows`, which come in increasing id order."""
    tokenizer = tokenizer or Tokenizer()
    vocabulary: dict[str, int] = {}
    labels: dict[str, dict[str, int]] = {name: {"": 0} for name in CODED}
    term_codes: dict[int, int] = {}
    columns: dict[str, list] = {name: [] for name in DOCUMENT_COLUMNS}
    pieces: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    doc_terms: list[tuple[int, int]] = []
    batch: list[Row] = []

    def flush() -> None:
        if not batch:
            return
        start = len(columns["ids"]) - len(batch)
        keys: list[int] = []
        for n, row in enumerate(batch):
            doc = start + n
            title = tokenizer.tokens(row.title)
            body = tokenizer.tokens(row.body)
            columns["length"].append(len(title) + len(body))
            base = doc << 32
            for word in title:
                code = vocabulary.setdefault(word, len(vocabulary))
                keys.append(base | (code << 1))
            for word in body:
                code = vocabulary.setdefault(word, len(vocabulary))
                keys.append(base | (code << 1) | 1)
        unique, counts = np.unique(np.array(keys, dtype=np.int64), return_counts=True)
        pair = unique >> 1
        weight = np.where(unique & 1, BODY_WEIGHT, TITLE_WEIGHT) * counts
        pairs, inverse = np.unique(pair, return_inverse=True)
        pieces.append(
            (
                (pairs & 0x7FFFFFFF).astype(np.int32),
                (pairs >> 31).astype(np.int32),
                np.bincount(inverse, weights=weight).astype(np.float32),
            )
        )
        batch.clear()

    for row in rows:
        columns["ids"].append(row.id)
        columns["published"].append(bool(row.published))
        columns["author"].append(row.author_id or 0)
        columns["year"].append(row.date.year if row.date else 0)
        columns["date"].append(_ordinal(row.date))
        columns["closes"].append(_ordinal(row.closes_on))
        for name in CODED:
            value = getattr(row, name) or ""
            columns[name].append(labels[name].setdefault(value, len(labels[name])))
        doc = len(columns["ids"]) - 1
        for term in set(row.terms):
            doc_terms.append((term_codes.setdefault(term, len(term_codes)), doc))
        batch.append(row)
        if len(batch) >= chunk:
            flush()
    flush()
    return _assemble(columns, pieces, vocabulary, labels, term_codes, doc_terms)


def _assemble(columns, pieces, vocabulary, labels, term_codes, doc_terms) -> Segment:
    ids = np.array(columns["ids"], dtype=np.int64)
    if len(ids) > 1 and not np.all(ids[1:] > ids[:-1]):
        raise ValueError("rows must come in increasing id order, each id once")
    words = np.array(sorted(vocabulary), dtype=str) if vocabulary else np.array([], dtype="<U1")
    rank = np.empty(len(vocabulary), dtype=np.int64)
    for position, word in enumerate(words.tolist()):
        rank[vocabulary[word]] = position
    if pieces:
        codes = rank[np.concatenate([p[0] for p in pieces])]
        docs = np.concatenate([p[1] for p in pieces])
        freq = np.concatenate([p[2] for p in pieces])
        order = np.argsort(codes, kind="stable")
        codes, docs, freq = codes[order], docs[order], freq[order]
    else:
        codes = np.empty(0, np.int64)
        docs = np.empty(0, np.int32)
        freq = np.empty(0, np.float32)
    offsets = np.searchsorted(codes, np.arange(len(words) + 1)).astype(np.int64)
    pairs = np.array(doc_terms, dtype=np.int64).reshape(-1, 2)
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))
    pairs = pairs[order]
    term_offsets = np.searchsorted(pairs[:, 0], np.arange(len(term_codes) + 1)).astype(np.int64)
    length = np.array(columns["length"], dtype=np.int32)
    arrays = {
        "ids": ids,
        "length": length,
        "published": np.array(columns["published"], dtype=bool),
        "author": np.array(columns["author"], dtype=np.int64),
        "year": np.array(columns["year"], dtype=np.int16),
        "date": np.array(columns["date"], dtype=np.int32),
        "closes": np.array(columns["closes"], dtype=np.int32),
        **{
            name: np.array(columns[name], dtype=np.int16 if len(labels[name]) < 2**15 else np.int32)
            for name in CODED
        },
        "vocab": words,
        "offsets": offsets,
        "postings": docs.astype(np.int32),
        "freq": freq.astype(np.float32),
        "term_offsets": term_offsets,
        "term_docs": pairs[:, 1].astype(np.int32),
    }
    ordered_labels = {
        name: [v for v, _c in sorted(values.items(), key=lambda kv: kv[1])]
        for name, values in labels.items()
    }
    ordered_terms = [t for t, _c in sorted(term_codes.items(), key=lambda kv: kv[1])]
    return Segment(arrays, ordered_labels, ordered_terms, int(length.sum()))
