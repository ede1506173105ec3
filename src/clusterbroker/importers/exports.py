"""The columns of each exportable list, shared by the pages, the API and the CLI.

Organisation exports use the import columns, so an exported file can be edited
and imported again.
"""

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from clusterbroker.registry.models import Competence, Organisation, Partnership, Project

from .organisations import COLUMNS as ORGANISATION_COLUMNS

PROJECT_COLUMNS = [
    "acronym",
    "title",
    "topic_code",
    "funding_scheme",
    "programme",
    "start",
    "end",
    "participants",
]
PARTNERSHIP_COLUMNS = [
    "slug",
    "name",
    "acronym",
    "type",
    "coordinator",
    "start",
    "end",
    "funding_programme",
    "regions",
    "members",
]


def organisation_rows(organisations: QuerySet[Organisation]) -> Iterable[dict]:
    competences = Prefetch("competences", Competence.objects.select_related("term__taxonomy"))
    for o in organisations.select_related("region").prefetch_related(competences):
        yield {
            "slug": o.slug,
            "name": o.name,
            "acronym": o.acronym,
            "type": o.kind,
            "size_class": o.size_class,
            "country": o.country,
            "nuts_code": o.region.code if o.region else "",
            "region_name": o.region.name if o.region else "",
            "city": o.city,
            "website": o.website,
            "description": o.description,
            "year_founded": o.year_founded,
            "member_count": o.member_count,
            "sme_member_count": o.sme_member_count,
            "main_thematic": o.main_thematic,
            "competences": "; ".join(f"{c.term.key}={c.level}" for c in o.competences.all()),
        }


def project_rows(projects: QuerySet[Project]) -> Iterable[dict]:
    for p in projects.prefetch_related("participations__organisation"):
        yield {
            "acronym": p.acronym,
            "title": p.title,
            "topic_code": p.topic_code,
            "funding_scheme": p.funding_scheme,
            "programme": p.programme,
            "start": p.start.isoformat() if p.start else "",
            "end": p.end.isoformat() if p.end else "",
            "participants": [x.organisation.name for x in p.participations.all()],
        }


def partnership_rows(partnerships: QuerySet[Partnership]) -> Iterable[dict]:
    for p in partnerships.select_related("coordinator").prefetch_related(
        "regions", "memberships__organisation"
    ):
        yield {
            "slug": p.slug,
            "name": p.name,
            "acronym": p.acronym,
            "type": p.kind,
            "coordinator": p.coordinator.name if p.coordinator else "",
            "start": p.start.isoformat() if p.start else "",
            "end": p.end.isoformat() if p.end else "",
            "funding_programme": p.funding_programme,
            "regions": [r.code for r in p.regions.all()],
            "members": [m.organisation.name for m in p.memberships.all()],
        }


EXPORTS = {
    "organisations": (ORGANISATION_COLUMNS, organisation_rows, Organisation),
    "projects": (PROJECT_COLUMNS, project_rows, Project),
    "partnerships": (PARTNERSHIP_COLUMNS, partnership_rows, Partnership),
}
