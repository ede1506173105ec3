"""Search across the collections and the registry: one contract, two database backends.

`search(request, user)` answers a `SearchRequest` with a `SearchResult` (hits ranked by
relevance with the matched words highlighted, the total, facets with counts). The search
snapshot answers when there is one (`snapshot.py`); otherwise SQLite uses FTS5 with BM25,
PostgreSQL its full-text search with a GIN index; the same tests run on all of them.
"""

import dataclasses

from django.db import connection
from django.utils import timezone

from . import snapshot
from .contract import FACETS, MIN_PREFIX, FacetValue, Hit, SearchError, SearchRequest, SearchResult
from .labels import facet_values
from .words import groups_of, highlight, marked_html, words_of

__all__ = [
    "FACETS",
    "FacetValue",
    "Hit",
    "SearchError",
    "SearchRequest",
    "SearchResult",
    "search",
]


def _backend():
    if connection.vendor == "postgresql":
        from . import postgres

        return postgres
    from . import sqlite

    return sqlite


def search(request: SearchRequest, user=None) -> SearchResult:
    """Run `request` for `user` (drafts are found only by their authors)."""
    from ..models import SearchDocument

    backend = _backend()
    words = words_of(request.text, request.language)
    if request.text.strip() and not words:
        return SearchResult(request, [], 0, {}, [])
    if request.prefix and words and len(words[-1].typed) < MIN_PREFIX:
        # One letter typed: a word of its own, not every word that starts with it.
        request = dataclasses.replace(request, prefix=False)
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    today = timezone.localdate()
    groups = groups_of(words, request.prefix)
    answer = snapshot.run(request, groups, user_id, today)
    if answer is None:
        answer = backend.run(request, groups, user_id, today)
    ids = [doc_id for doc_id, _score in answer["hits"]]
    # The analysed words and the vector are for the indexes, not for the page.
    documents = SearchDocument.objects.defer("title_words", "body_words", "vector").in_bulk(ids)
    hits = []
    for doc_id, score in answer["hits"]:
        document = documents.get(doc_id)
        if document is None:  # deleted while the search ran
            continue
        title, snippet = highlight(
            document.title, document.body, document.language, words, request.prefix
        )
        hits.append(
            Hit(
                id=doc_id,
                key=document.key,
                collection=document.collection,
                title_html=marked_html(title),
                snippet_html=marked_html(snippet),
                url=document.url,
                score=round(score, 6),
                published=document.published,
                date=document.date,
                language=document.language,
            )
        )
    facets = facet_values(answer["counts"], request) if request.facets else {}
    return SearchResult(request, hits, answer["total"], facets, [w.typed for w in words])
