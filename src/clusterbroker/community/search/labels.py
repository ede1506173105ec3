"""Human labels of facet values."""

from django.utils.translation import gettext as _

from clusterbroker.registry.countries import country_name
from clusterbroker.registry.models import OrganisationKind, Term

from ..models import Collection
from .contract import FACET_LIMIT, FACETS, FacetValue, SearchRequest


def _label(facet: str, value: str, terms: dict[str, str]) -> str:
    if facet == "collection":
        return str(dict(Collection.choices).get(value, value))
    if facet == "term":
        return terms.get(value, value)
    if facet == "country":
        return country_name(value) or value
    if facet == "org_kind":
        return str(dict(OrganisationKind.choices).get(value, value))
    if facet == "state":
        return _("Open") if value == "open" else _("Closed")
    return value


def facet_values(counts: dict[str, dict[str, int]], request: SearchRequest) -> dict:
    """Each facet's values, most frequent first, selected ones always included."""
    term_ids = [int(v) for v in counts.get("term", {}) if v.isdigit()]
    terms = {
        str(t.pk): f"{t.code} {t.label}" if t.code != t.label else t.label
        for t in Term.objects.filter(pk__in=term_ids)
    }
    answer: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        selected = set(request.filters.get(facet, []))
        values = counts.get(facet, {})
        ordered = sorted(values.items(), key=lambda item: (-item[1], item[0]))
        if facet == "year":
            ordered = sorted(values.items(), reverse=True)
        kept = ordered[:FACET_LIMIT] + [
            item for item in ordered[FACET_LIMIT:] if item[0] in selected
        ]
        kept += [(value, 0) for value in selected if value not in values]
        answer[facet] = [
            FacetValue(value, _label(facet, value, terms), n, value in selected)
            for value, n in kept
        ]
    return answer
