"""The search snapshot: every search document in a read-optimised segment on disk.

`build()` writes the documents of the database into a new generation directory under
`settings.SEARCH_INDEX_DIR` and records the generation in `SearchIndexState`. Searches
then read the snapshot (memory-mapped, shared by every worker process) instead of asking
the database to rank and count every match, which at a million documents is the
difference between milliseconds and a second (see docs/benchmarks.md).

The snapshot never makes a search stale: documents indexed after it was written form a
small in-memory delta segment (rebuilt when they change), the snapshot's copies of them
and of deleted documents (`SearchTombstone`) are masked, and the BM25 statistics are
those of the live documents, so the answer is the one a fresh snapshot would give. When
the delta grows past `SEARCH_INDEX_DELTA_LIMIT` documents, searches go back to the
database and a rebuild is enqueued.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from ..models import DocumentTerm, SearchDocument, SearchIndexState, SearchTombstone
from . import searcher
from .contract import SearchRequest
from .segment import Row, Segment, Tokenizer
from .segment import build as build_segment

log = logging.getLogger(__name__)
FIELDS = (
    "id",
    "title_words",
    "body_words",
    "collection",
    "sector",
    "country",
    "org_kind",
    "date",
    "closes_on",
    "published",
    "author_id",
)
CHUNK = 5_000
MARGIN = dt.timedelta(minutes=10)
_lock = threading.Lock()
_loaded: dict = {}


def directory() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def delta_limit() -> int:
    return settings.SEARCH_INDEX_DELTA_LIMIT


def _rows(documents, every: bool = False) -> Iterator[Row]:
    """The rows of `documents` in id order, each with its terms (a merge of two streams)."""
    links = DocumentTerm.objects.all()
    if not every:
        links = links.filter(document_id__in=documents.values_list("id", flat=True))
    terms = (
        links.order_by("document_id", "term_id")
        .values_list("document_id", "term_id")
        .iterator(chunk_size=CHUNK)
    )
    pending = next(terms, None)
    for values in documents.order_by("id").values_list(*FIELDS).iterator(chunk_size=CHUNK):
        row = Row(*values)
        found = []
        while pending is not None and pending[0] <= row.id:
            if pending[0] == row.id:
                found.append(pending[1])
            pending = next(terms, None)
        row.terms = found
        yield row


def build(progress=None, margin: dt.timedelta | None = None) -> SearchIndexState:
    """Write a new snapshot of every search document and make it the current one.

    Documents written by a transaction still open when the build starts are older than
    its start but not in what it reads: they, and every document indexed within `margin`
    before the start, are also answered from the delta.
    """
    started = timezone.now() - (MARGIN if margin is None else margin)
    generation = uuid.uuid4().hex
    documents = SearchDocument.objects.all()

    def rows() -> Iterator[Row]:
        for n, row in enumerate(_rows(documents, every=True), 1):
            if progress is not None and n % CHUNK == 0:
                progress(n)
            yield row

    segment = build_segment(rows(), Tokenizer())
    segment.meta = {"generation": generation, "built_at": started.isoformat()}
    root = directory()
    segment.save(root / generation)
    with transaction.atomic():
        state, _created = SearchIndexState.objects.update_or_create(
            name="default",
            defaults={"generation": generation, "built_at": started, "documents": segment.size},
        )
        SearchTombstone.objects.filter(deleted_at__lte=started).delete()
    _prune(root, keep={generation})
    return state


def _prune(root: Path, keep: set[str]) -> None:
    """Remove older generations (a process still reading one keeps its open mapping)."""
    for path in root.iterdir():
        if path.is_dir() and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


def drop() -> None:
    """Forget the snapshot: searches go back to the database."""
    SearchIndexState.objects.filter(name="default").delete()
    SearchTombstone.objects.all().delete()
    root = directory()
    if root.is_dir():
        _prune(root, keep=set())


def _segment(state: SearchIndexState) -> Segment | None:
    with _lock:
        if _loaded.get("generation") != state.generation:
            path = directory() / state.generation
            if not (path / "segment.json").is_file():
                log.warning("search snapshot %s is missing; searching the database", path)
                return None
            _loaded.clear()
            _loaded.update(generation=state.generation, segment=Segment.load(path))
        return _loaded["segment"]


def _delta(state: SearchIndexState, segment: Segment) -> list[searcher.Part] | None:
    """The snapshot with its replaced and deleted documents masked, and the delta segment."""
    since = state.built_at
    changed = SearchDocument.objects.filter(indexed_at__gt=since).aggregate(
        n=Count("id"), last=Max("indexed_at")
    )
    deleted = SearchTombstone.objects.filter(deleted_at__gt=since).aggregate(
        n=Count("id"), last=Max("id")
    )
    if changed["n"] > delta_limit():
        _enqueue_rebuild(state)
        return None
    key = (state.generation, changed["n"], changed["last"], deleted["n"], deleted["last"])
    with _lock:
        cached = _loaded.get("delta")
        if cached is not None and cached[0] == key:
            return cached[1]
    if not changed["n"] and not deleted["n"]:
        parts = [searcher.Part(segment)]
    else:
        fresh = build_segment(
            _rows(SearchDocument.objects.filter(indexed_at__gt=since)), Tokenizer()
        )
        gone = SearchTombstone.objects.filter(deleted_at__gt=since).values_list(
            "document_id", flat=True
        )
        masked = np.union1d(np.asarray(fresh.ids), np.fromiter(gone, dtype=np.int64))
        alive = np.ones(segment.size, bool)
        position = np.searchsorted(segment.ids, masked)
        inside = position < segment.size
        found = position[inside][segment.ids[position[inside]] == masked[inside]]
        alive[found] = False
        parts = [searcher.Part(segment, alive), searcher.Part(fresh)]
    with _lock:
        _loaded["delta"] = (key, parts)
    return parts


def _enqueue_rebuild(state: SearchIndexState) -> None:
    if _loaded.get("rebuild_asked") == state.generation:
        return
    _loaded["rebuild_asked"] = state.generation
    from ..tasks import rebuild_search_snapshot

    log.info("search delta past %s documents: rebuilding the snapshot", delta_limit())
    transaction.on_commit(rebuild_search_snapshot.enqueue)


def parts() -> list[searcher.Part] | None:
    """The current snapshot and delta, or None when searches should ask the database."""
    if not settings.SEARCH_INDEX_ENABLED:
        return None
    state = SearchIndexState.objects.filter(name="default").first()
    if state is None:
        return None
    segment = _segment(state)
    if segment is None:
        return None
    return _delta(state, segment)


def run(
    request: SearchRequest, groups: list[tuple[str, ...]], user_id, today: dt.date
) -> dict | None:
    """Answer like the database backends' `run`, or None when there is no usable snapshot."""
    if request.since is not None:
        return None
    found = parts()
    if found is None:
        return None
    return searcher.run(
        found,
        searcher.Query(
            words=groups,
            prefix=request.prefix,
            filters=request.filters,
            user_id=user_id,
            today=today,
            offset=(request.page - 1) * request.page_size,
            limit=request.page_size,
            facets=request.facets,
        ),
    )


def status() -> dict:
    """What the snapshot holds and how far the database has moved since."""
    state = SearchIndexState.objects.filter(name="default").first()
    if state is None:
        return {"built": False}
    return {
        "built": True,
        "generation": state.generation,
        "built_at": state.built_at,
        "documents": state.documents,
        "changed_since": SearchDocument.objects.filter(indexed_at__gt=state.built_at).count(),
        "deleted_since": SearchTombstone.objects.filter(deleted_at__gt=state.built_at).count(),
        "on_disk": (directory() / state.generation / "segment.json").is_file(),
        "delta_limit": delta_limit(),
    }
