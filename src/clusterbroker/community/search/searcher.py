"""Answer a search over segments: BM25 ranking, the total and facet counts, all exact.

Plain inputs (segments, words, filters), plain output; the same answer shape as the
database backends (`sqlite.run`, `postgres.run`), so `search()` can use either.
A part is a segment with an optional `alive` mask: documents replaced or deleted since
the segment was written are masked out and answered by a newer segment.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from .contract import FACETS
from .segment import CODED, K1, NO_DATE, B, Segment

STATES = {"open": 1, "closed": 2}


@dataclass
class Part:
    segment: Segment
    alive: np.ndarray | None = None


@dataclass
class Query:
    # The query's words, each as the stems any of which may match.
    words: list[tuple[str, ...]]
    prefix: bool = False
    filters: dict[str, list[str]] | None = None
    user_id: int | None = None
    today: dt.date | None = None
    offset: int = 0
    limit: int = 20
    facets: bool = True


def _masked(part: Part, docs: np.ndarray, freq: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if part.alive is None or not len(docs):
        return docs, freq
    keep = part.alive[docs]
    return docs[keep], freq[keep]


def _intersect(size: int, lists: list[tuple[np.ndarray, np.ndarray]]):
    """Documents in every list, with each list's frequency aligned to them."""
    order = sorted(range(len(lists)), key=lambda i: len(lists[i][0]))
    candidates = np.asarray(lists[order[0]][0])
    found = {order[0]: np.asarray(lists[order[0]][1])}
    for i in order[1:]:
        docs, freq = lists[i]
        if not len(candidates):
            break
        if len(candidates) * 16 < len(docs):
            position = np.minimum(np.searchsorted(docs, candidates), len(docs) - 1)
            keep = docs[position] == candidates
            values = freq[position]
        else:
            dense = np.zeros(size, np.float32)
            dense[docs] = freq
            values = dense[candidates]
            keep = values > 0
        candidates = candidates[keep]
        found = {k: v[keep] for k, v in found.items()}
        found[i] = values[keep]
    return candidates, [found.get(i, np.empty(0, np.float32)) for i in range(len(lists))]


def _matching(size: int, phrases, lists, groups: int) -> np.ndarray:
    """Documents with at least one phrase of every group (sorted positions)."""
    per_group = []
    for g in range(groups):
        found = [lists[k][0] for k, (n, _stem) in enumerate(phrases) if n == g]
        found = [docs for docs in found if len(docs)] or [np.empty(0, np.int64)]
        if len(found) == 1:
            docs = np.asarray(found[0])
        elif sum(map(len, found)) * 8 < size:
            docs = np.unique(np.concatenate(found))
        else:
            # Large lists: a mask over the documents is cheaper than sorting their union.
            dense = np.zeros(size, bool)
            for docs in found:
                dense[docs] = True
            docs = np.flatnonzero(dense)
        per_group.append((docs, np.ones(len(docs), np.float32)))
    candidates, _freqs = _intersect(size, per_group)
    return candidates


def _at(size: int, docs: np.ndarray, freq: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """The frequency of a phrase in each candidate (0 where it does not occur)."""
    if not len(docs) or not len(candidates):
        return np.zeros(len(candidates), np.float64)
    if len(candidates) * 16 < len(docs):
        position = np.minimum(np.searchsorted(docs, candidates), len(docs) - 1)
        found = docs[position] == candidates
        return np.where(found, freq[position], 0).astype(np.float64)
    if len(docs) * 16 < len(candidates):
        out = np.zeros(len(candidates), np.float64)
        position = np.minimum(np.searchsorted(candidates, docs), len(candidates) - 1)
        found = candidates[position] == docs
        out[position[found]] = freq[found]
        return out
    dense = np.zeros(size, np.float32)
    dense[docs] = freq
    return dense[candidates].astype(np.float64)


class _PartSearch:
    """The matched documents of one part and the masks of the request's filters."""

    def __init__(self, part: Part, candidates: np.ndarray, query: Query) -> None:
        self.segment = part.segment
        self.candidates = candidates
        segment = part.segment
        self.visible = segment.published[candidates]
        if query.user_id:
            self.visible |= segment.author[candidates] == query.user_id
        self.today = (query.today or dt.date.today()).toordinal()
        self.masks: dict[str, np.ndarray] = {}
        for name, values in (query.filters or {}).items():
            if values:
                self.masks[name] = self._filter(name, values)
        self._selected: dict[str | None, np.ndarray] = {}
        self._grouped: dict[str, dict[str, int]] | None = None

    def column(self, name: str, docs: np.ndarray | None = None) -> np.ndarray:
        """The facet column `name` of `docs` (the candidates by default)."""
        docs = self.candidates if docs is None else docs
        if name == "state":
            closes = self.segment.closes[docs]
            return np.where(closes == NO_DATE, 0, np.where(closes >= self.today, 1, 2))
        return getattr(self.segment, name)[docs]

    def _term_dense(self, codes: list[int]) -> np.ndarray:
        dense = np.zeros(self.segment.size, bool)
        offsets = self.segment.term_offsets
        for code in codes:
            dense[self.segment.term_docs[int(offsets[code]) : int(offsets[code + 1])]] = True
        return dense

    def _filter(self, name: str, values: list[str]) -> np.ndarray:
        segment = self.segment
        if name == "term":
            index = {str(t): n for n, t in enumerate(segment.term_ids)}
            codes = [index[v] for v in values if v in index]
            return self._term_dense(codes)[self.candidates]
        if name in CODED:
            index = {v: n for n, v in enumerate(segment.labels[name]) if v}
            wanted = [index[v] for v in values if v in index]
        elif name == "year":
            wanted = [int(v) for v in values if v.isdigit() and 0 < int(v) < 10_000]
        elif name == "state":
            wanted = [STATES[v] for v in values if v in STATES]
        else:  # pragma: no cover - the contract refuses unknown facets
            raise KeyError(name)
        return np.isin(self.column(name), wanted)

    def selected(self, without: str | None = None) -> np.ndarray:
        """Positions (in the candidates) passing visibility and every filter but `without`."""
        key = without if without in self.masks else None
        found = self._selected.get(key)
        if found is None:
            mask = self.visible.copy()
            for name, other in self.masks.items():
                if name != key:
                    mask &= other
            found = self._selected[key] = np.flatnonzero(mask)
        return found

    def grouped_counts(self) -> dict[str, dict[str, int]]:
        """Counts of the facets of a group (see `segment.GROUPS`) without a filter of their
        own: they all count the same selection, so one histogram of joint codes serves."""
        if self._grouped is None:
            grouped: dict[str, dict[str, int]] = {}
            docs = None
            for names, sizes, joint, labels in self.segment.facet_groups(self.today):
                free = [name for name in names if name not in self.masks]
                if len(free) < 2:
                    continue
                if docs is None:
                    docs = self.candidates[self.selected()]
                histogram = np.bincount(joint[docs], minlength=math.prod(sizes)).reshape(sizes)
                for axis, name in enumerate(names):
                    if name in free:
                        others = tuple(a for a in range(len(names)) if a != axis)
                        found = histogram.sum(axis=others)
                        grouped[name] = {
                            labels[axis][c]: int(n)
                            for c, n in enumerate(found)
                            if n and labels[axis][c]
                        }
            self._grouped = grouped
        return self._grouped

    def counts(self, facet: str) -> dict[str, int]:
        grouped = self.grouped_counts()
        if facet in grouped:
            return grouped[facet]
        segment = self.segment
        docs = self.candidates[self.selected(without=facet)]
        if facet == "term":
            if not len(segment.term_ids):
                return {}
            dense = np.zeros(segment.size, np.uint8)
            dense[docs] = 1
            found = np.add.reduceat(
                dense[segment.term_docs], segment.term_offsets[:-1], dtype=np.int64
            )
            return {str(segment.term_ids[c]): int(n) for c, n in enumerate(found) if n}
        if facet == "state":
            closes = segment.closes[docs]
            opened = int(np.count_nonzero(closes >= self.today))
            closed = len(docs) - opened - int(np.count_nonzero(closes == NO_DATE))
            return {name: n for name, n in (("open", opened), ("closed", closed)) if n}
        values = self.column(facet, docs)
        if facet in CODED:
            labels = segment.labels[facet]
            found = np.bincount(values, minlength=len(labels))
            return {labels[c]: int(n) for c, n in enumerate(found) if n and labels[c]}
        found = np.bincount(values, minlength=1)
        return {str(c): int(n) for c, n in enumerate(found) if n and c}


def _best(keys: np.ndarray, k: int) -> np.ndarray:
    """Positions of every key at least as high as the `k`-th highest (ties included)."""
    if k <= 0 or not len(keys):
        return np.empty(0, np.int64)
    if len(keys) <= k:
        return np.arange(len(keys))
    threshold = np.partition(keys, len(keys) - k)[len(keys) - k]
    return np.flatnonzero(keys >= threshold)


def _ordered(keys: np.ndarray, ids: np.ndarray, k: int, ascending_ids: bool) -> np.ndarray:
    """The first `k` positions by descending key, then by id."""
    tie = ids if ascending_ids else -ids
    return np.lexsort((tie, -keys))[:k]


def run(parts: list[Part], query: Query) -> dict:
    """The page of hits (id, score), the total and the facet counts over `parts`."""
    words = query.words
    rows = sum(p.segment.size if p.alive is None else int(np.count_nonzero(p.alive)) for p in parts)
    tokens = sum(
        p.segment.total_length - (0 if p.alive is None else int(p.segment.length[~p.alive].sum()))
        for p in parts
    )
    searches: list[_PartSearch] = []
    scores: list[np.ndarray] = []
    if words:
        # Each group (a word of the query) matches as any of its stems; every stem is a
        # phrase of its own in BM25, as FTS5 scores `("a" OR "b") AND "c"`.
        last = len(words) - 1
        phrases = [(n, stem) for n, stems in enumerate(words) for stem in stems]
        postings = [
            [
                _masked(p, *p.segment.word_postings(stem, query.prefix and n == last))
                for n, stem in phrases
            ]
            for p in parts
        ]
        average = tokens / rows if rows else 1.0
        idf = []
        for k in range(len(phrases)):
            hits = sum(len(lists[k][0]) for lists in postings)
            value = math.log((0.5 + rows - hits) / (0.5 + hits))
            idf.append(value if value > 0 else 1e-6)
        for part, lists in zip(parts, postings, strict=True):
            candidates = _matching(part.segment.size, phrases, lists, len(words))
            search = _PartSearch(part, candidates, query)
            length = part.segment.length[candidates].astype(np.float64)
            norm = K1 * (1 - B + B * length / average)
            score = np.zeros(len(candidates), np.float64)
            for weight, (docs, freq) in zip(idf, lists, strict=True):
                f = _at(part.segment.size, docs, freq, candidates)
                score += weight * (f * (K1 + 1)) / (f + norm)
            searches.append(search)
            scores.append(score)
    else:
        for part in parts:
            size = part.segment.size
            candidates = np.arange(size) if part.alive is None else np.flatnonzero(part.alive)
            search = _PartSearch(part, candidates, query)
            date = part.segment.date[candidates].astype(np.int64)
            keys = ((date + 1) << 32) | part.segment.ids[candidates]
            searches.append(search)
            scores.append(keys)
    k = query.offset + query.limit
    merged_keys, merged_ids = [], []
    total = 0
    for search, score in zip(searches, scores, strict=True):
        kept = search.selected()
        total += len(kept)
        keys = score[kept]
        best = _best(keys, k)
        merged_keys.append(keys[best])
        merged_ids.append(search.segment.ids[search.candidates[kept[best]]])
    keys = np.concatenate(merged_keys) if merged_keys else np.empty(0)
    ids = np.concatenate(merged_ids) if merged_ids else np.empty(0, np.int64)
    page = _ordered(keys, ids, k, ascending_ids=bool(words))[query.offset :]
    if words:
        hits = [(int(ids[i]), float(keys[i])) for i in page]
    else:
        hits = [(int(ids[i]), 0.0) for i in page]
    counts: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
    if query.facets:
        for facet in FACETS:
            for search in searches:
                for value, n in search.counts(facet).items():
                    counts[facet][value] = counts[facet].get(value, 0) + n
    return {"hits": hits, "total": total, "counts": counts}
