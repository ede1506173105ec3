"""Search on PostgreSQL: a weighted tsvector behind a GIN index, ranked by ts_rank."""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Cast, ExtractYear

from ..models import DocumentTerm, SearchDocument
from .contract import FACETS, SearchRequest
from .index import CONFIG


def tsquery(groups: list[tuple[str, ...]], prefix: bool) -> SearchQuery:
    """Every group must occur as any of its stems (the last group's as prefixes while
    typing). Stems are letters and digits only, so they need no quoting."""
    parts = []
    for n, stems in enumerate(groups):
        star = ":*" if prefix and n == len(groups) - 1 else ""
        options = [f"{stem}{star}" for stem in stems]
        parts.append(options[0] if len(options) == 1 else "(" + " | ".join(options) + ")")
    return SearchQuery(" & ".join(parts), search_type="raw", config=CONFIG)


def _annotated(today) -> QuerySet:
    return SearchDocument.objects.annotate(
        year=Cast(ExtractYear("date"), CharField()),
        state=Case(
            When(closes_on__isnull=True, then=Value("")),
            When(closes_on__gte=today, then=Value("open")),
            default=Value("closed"),
            output_field=CharField(),
        ),
    )


def _filter_q(request: SearchRequest, without: str | None = None) -> Q:
    condition = Q()
    for name, values in request.filters.items():
        if name == without or not values:
            continue
        if name == "term":
            ids = [int(v) for v in values if v.isdigit()] or [0]
            condition &= Q(
                pk__in=DocumentTerm.objects.filter(term_id__in=ids).values("document_id")
            )
        else:
            condition &= Q(**{f"{name}__in": values})
    return condition


def run(request: SearchRequest, words: list[tuple[str, ...]], user_id, today) -> dict:
    documents = _annotated(today).filter(Q(published=True) | Q(author_id=user_id or 0))
    if request.since is not None:
        documents = documents.filter(indexed_at__gt=request.since)
    if words:
        query = tsquery(words, request.prefix)
        documents = documents.filter(vector=query)
    matching = documents.filter(_filter_q(request))
    start = (request.page - 1) * request.page_size
    if words:
        ranked = matching.annotate(score=SearchRank(F("vector"), query)).order_by("-score", "id")
        hits = [
            (doc_id, float(score))
            for doc_id, score in ranked.values_list("id", "score")[
                start : start + request.page_size
            ]
        ]
    else:
        ordered = matching.order_by(F("date").desc(nulls_last=True), "-id")
        hits = [
            (doc_id, 0.0)
            for doc_id in ordered.values_list("id", flat=True)[start : start + request.page_size]
        ]
    counts: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
    if request.facets:
        for facet in FACETS:
            subset = documents.filter(_filter_q(request, without=facet))
            if facet == "term":
                rows = (
                    DocumentTerm.objects.filter(document__in=subset.values("id"))
                    .values_list("term_id")
                    .annotate(n=Count("id"))
                )
            else:
                rows = (
                    subset.exclude(**{facet: ""})
                    .exclude(**{f"{facet}__isnull": True})
                    .values_list(facet)
                    .annotate(n=Count("id"))
                    .order_by()
                )
            counts[facet] = {str(value): n for value, n in rows}
    return {"hits": hits, "total": matching.count(), "counts": counts}
