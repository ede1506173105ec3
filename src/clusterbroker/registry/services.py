"""Registry operations that span many records; used by pages, API and CLI alike."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import urlencode

from django.db.models import Q, QuerySet

from .matrix import CompetenceMatrix, MatrixColumn, build_matrix
from .models import (
    Competence,
    Organisation,
    Partnership,
    Project,
    Taxonomy,
    Term,
)
from .ordering import by_name
from .search import RankedOrganisations, ranked_organisations


@dataclass(frozen=True)
class OrganisationFilter:
    """What the organisation list is narrowed to; every field optional."""

    text: str = ""
    kind: str = ""
    country: str = ""
    term: str = ""  # "taxonomy:code"
    partnership: str = ""  # partnership slug
    region: str = ""  # NUTS code: the region and the regions inside it

    # The parameter of the list's address that carries each field (read in `from_query`).
    PARAMETERS: ClassVar[dict[str, str]] = {
        "text": "q",
        "kind": "kind",
        "country": "country",
        "term": "term",
        "partnership": "partnership",
        "region": "region",
    }

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "OrganisationFilter":
        """The criteria of a list address; a parameter given twice counts once (the last)."""
        return cls(
            text=query.get("q", "").strip()[:200],  # a longer LIKE pattern is an error
            kind=query.get("kind", "").strip(),
            country=query.get("country", "").strip(),
            term=query.get("term", "").strip(),
            partnership=query.get("partnership", "").strip(),
            region=query.get("region", "").strip().upper()[:8],
        )

    def query_string(self) -> str:
        """The criteria as the list's query string: each one given once, nothing else."""
        return urlencode([(self.PARAMETERS[f], v) for f, v in self.__dict__.items() if v])


def filter_organisations(
    criteria: OrganisationFilter,
) -> QuerySet[Organisation] | RankedOrganisations:
    """Organisations matching every given criterion: by name without search words, otherwise
    ranked by the organisation search (name matches first, then what they do)."""
    qs = Organisation.objects.select_related("region")
    if criteria.kind:
        qs = qs.filter(kind=criteria.kind)
    if criteria.country:
        qs = qs.filter(country=criteria.country.upper())
    if criteria.region:
        qs = qs.filter(region__code__startswith=criteria.region)
    joined = False  # only filters through related rows can repeat an organisation
    if criteria.term and ":" in criteria.term:
        taxonomy, code = criteria.term.split(":", 1)
        qs = qs.filter(competences__term__taxonomy__code=taxonomy, competences__term__code=code)
        joined = True
    if criteria.partnership:
        qs = qs.filter(partnership_memberships__partnership__slug=criteria.partnership)
        joined = True
    qs = (qs.distinct() if joined else qs).order_by(*by_name(), "pk")
    if criteria.text.strip():
        narrowed = bool(criteria.kind or criteria.country or criteria.term or criteria.partnership)
        return ranked_organisations(criteria.text, qs, filtered=narrowed)
    return qs


def filter_organisations_by_name(criteria: OrganisationFilter) -> QuerySet[Organisation]:
    """The organisation list's former search (substring of the name and a few fields, sorted
    by name), kept as the baseline of `bench/org_search.py`."""
    qs = filter_organisations(OrganisationFilter(**{**criteria.__dict__, "text": ""}))
    text = criteria.text.strip()
    if text:
        qs = qs.filter(
            Q(name__icontains=text)
            | Q(acronym__icontains=text)
            | Q(city__icontains=text)
            | Q(description__icontains=text)
            | Q(main_thematic__icontains=text)
        )
    return qs


def competence_matrix(partnership: Partnership, taxonomy_code: str = "effra") -> CompetenceMatrix:
    """The partnership's members × the taxonomy's top-level terms, from `Competence` records."""
    terms = list(Term.objects.filter(taxonomy__code=taxonomy_code, parent=None))
    members = [
        (m.organisation_id, m.organisation.name, m.organisation.slug)
        for m in partnership.memberships.select_related("organisation")
    ]
    held = {
        (c.organisation_id, c.term.code): c.level
        for c in Competence.objects.filter(
            organisation_id__in=[m[0] for m in members], term__in=terms
        ).select_related("term")
    }
    columns = [
        MatrixColumn(t.code, t.label_in(), t.description_in(), {"en": t.label, **t.labels})
        for t in terms
    ]
    return build_matrix(taxonomy_code, columns, members, held)


def registry_counts() -> dict[str, int]:
    """The figures on the home page."""
    return {
        "organisations": Organisation.objects.count(),
        "clusters": Organisation.objects.filter(kind="cluster").count(),
        "partnerships": Partnership.objects.count(),
        "projects": Project.objects.count(),
        "competences": Competence.objects.count(),
        "countries": Organisation.objects.order_by().values("country").distinct().count(),
    }


def taxonomies_with_terms() -> list[Taxonomy]:
    return list(Taxonomy.objects.prefetch_related("terms"))
