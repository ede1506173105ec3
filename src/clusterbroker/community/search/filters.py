"""Facet filters as SQL over a row set with the documents' facet columns (SQLite backend)."""

from .contract import SearchRequest

# Column of each facet in the matched-row set `m`.
COLUMNS = {
    "collection": "m.collection",
    "sector": "m.sector",
    "country": "m.country",
    "org_kind": "m.org_kind",
    "year": "m.year",
    "state": "m.state",
}


def where(request: SearchRequest, without: str | None = None) -> tuple[str, list]:
    """`AND`-ed conditions of the request's filters, leaving out the facet `without`."""
    parts: list[str] = []
    params: list = []
    for name, values in sorted(request.filters.items()):
        if name == without or not values:
            continue
        marks = ", ".join(["%s"] * len(values))
        if name == "term":
            ids = [int(v) for v in values if v.isdigit()] or [0]
            marks = ", ".join(["%s"] * len(ids))
            parts.append(
                "m.id IN (SELECT document_id FROM community_documentterm "
                f"WHERE term_id IN ({marks}))"
            )
            params.extend(ids)
        else:
            parts.append(f"{COLUMNS[name]} IN ({marks})")
            params.extend(values)
    return (" AND ".join(parts) or "1 = 1"), params
