"""Search on SQLite: FTS5 (external content on the documents table) ranked by BM25.

One statement finds the matches once (a materialised CTE with the facet columns and the
BM25 score) and answers the page of hits, the total and every facet's counts from it.
"""

from django.db import connection

from .contract import FACETS, SearchRequest
from .filters import where

FTS = "community_search_fts"
DOCS = "community_searchdocument"
# Weights of the FTS columns (title, body) in BM25.
TITLE_WEIGHT, BODY_WEIGHT = 8.0, 1.0
# The query's words, each as the stems any of which may match.
Groups = list[tuple[str, ...]]


def match_expression(groups: Groups, prefix: bool) -> str:
    """An FTS5 query over the analysed words: every group must occur, as any of its stems
    (the last group's stems as prefixes while typing)."""
    parts = []
    for n, stems in enumerate(groups):
        star = "*" if prefix and n == len(groups) - 1 else ""
        options = [f'"{stem}"{star}' for stem in stems]
        parts.append(options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")")
    return " AND ".join(parts)


def _matched_rows(request: SearchRequest, words: Groups, user_id, today) -> tuple[str, list]:
    columns = (
        "d.id AS id, d.collection AS collection, d.sector AS sector, d.country AS country, "
        "d.org_kind AS org_kind, substr(d.date, 1, 4) AS year, d.date AS date, "
        "CASE WHEN d.closes_on IS NULL THEN '' WHEN d.closes_on >= %s THEN 'open' "
        "ELSE 'closed' END AS state"
    )
    visible = "(d.published = 1 OR d.author_id = %s)"
    params: list = [today.isoformat()]
    if words:
        sql = (
            f"SELECT {columns}, bm25({FTS}, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS score "
            f"FROM {FTS} JOIN {DOCS} d ON d.id = {FTS}.rowid "
            f"WHERE {FTS} MATCH %s AND {visible}"
        )
        params += [match_expression(words, request.prefix), user_id or 0]
    else:
        sql = f"SELECT {columns}, 0.0 AS score FROM {DOCS} d WHERE {visible}"
        params += [user_id or 0]
    if request.since is not None:
        sql += " AND d.indexed_at > %s"
        params.append(request.since)
    return sql, params


def _hits_only(request: SearchRequest, words: Groups, user_id, today) -> dict:
    """Without facets: the page of hits and the count, two lean statements (SQLite flattens
    the subquery, so only the columns used are read)."""
    matched, params = _matched_rows(request, words, user_id, today)
    every, every_params = where(request)
    order = "m.score, m.id" if words else "m.date IS NULL, m.date DESC, m.id DESC"
    offset = (request.page - 1) * request.page_size
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.id, m.score FROM ({matched}) m WHERE {every} "
            f"ORDER BY {order} LIMIT %s OFFSET %s",
            [*params, *every_params, request.page_size, offset],
        )
        rows = cursor.fetchall()
        cursor.execute(
            f"SELECT count(*) FROM ({matched}) m WHERE {every}", [*params, *every_params]
        )
        total = cursor.fetchone()[0]
    hits = [(int(doc_id), -float(score) if words else 0.0) for doc_id, score in rows]
    return {"hits": hits, "total": int(total), "counts": {facet: {} for facet in FACETS}}


def run(request: SearchRequest, words: Groups, user_id, today) -> dict:
    """Hits (ids and scores, best first), total and raw facet counts."""
    if not request.facets:
        return _hits_only(request, words, user_id, today)
    matched, params = _matched_rows(request, words, user_id, today)
    every, every_params = where(request)
    order = "m.score, m.id" if words else "m.date IS NULL, m.date DESC, m.id DESC"
    parts = [
        "SELECT 'hit' AS facet, m.id AS value, m.score AS n FROM m "
        f"WHERE {every} ORDER BY {order} LIMIT %s OFFSET %s",
        f"SELECT '_total', '', count(*) FROM m WHERE {every}",
    ]
    tail_params: list = [
        *every_params,
        request.page_size,
        (request.page - 1) * request.page_size,
        *every_params,
    ]
    for facet in FACETS:
        condition, condition_params = where(request, without=facet)
        if facet == "term":
            parts.append(
                "SELECT 'term', t.term_id, count(*) FROM m JOIN community_documentterm t "
                f"ON t.document_id = m.id WHERE {condition} GROUP BY t.term_id"
            )
        else:
            parts.append(
                f"SELECT '{facet}', m.{facet}, count(*) FROM m "
                f"WHERE {condition} AND m.{facet} != '' AND m.{facet} IS NOT NULL "
                f"GROUP BY m.{facet}"
            )
        tail_params += condition_params
    body = " UNION ALL ".join(f"SELECT * FROM ({part})" for part in parts)
    sql = f"WITH m AS MATERIALIZED ({matched}) {body}"
    hits: list[tuple[int, float]] = []
    total = 0
    counts: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
    with connection.cursor() as cursor:
        cursor.execute(sql, params + tail_params)
        for facet, value, n in cursor.fetchall():
            if facet == "hit":
                hits.append((int(value), float(n)))
            elif facet == "_total":
                total = int(n)
            else:
                counts[facet][str(value)] = int(n)
    if words:
        hits.sort(key=lambda hit: (hit[1], hit[0]))
    else:
        position = {doc_id: i for i, (doc_id, _score) in enumerate(hits)}
        hits.sort(key=lambda hit: position[hit[0]])
    # BM25 in FTS5 is negative (lower is better): report it as a positive relevance.
    return {"hits": [(i, -s) for i, s in hits], "total": total, "counts": counts}
