"""The co-participation network: who worked with whom, how often, how recently, in what.

Built from the registry's participations (the CORDIS import fills them); the
engine uses it as its track-record signal and organisation pages show it as
"worked with".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Count, Max
from django.utils import timezone

from clusterbroker.registry.models import Organisation, Participation

from .matching.index import Edge
from .models import CordisProject

# A joint project counts half as much after this many years.
HALF_LIFE_YEARS = 3.0
# Consortia larger than this say little about who works with whom.
MAX_CONSORTIUM = 60


def recency(start: dt.date | None, today: dt.date) -> float:
    if start is None:
        return 0.5
    years = max(0.0, (today - start).days / 365.25)
    return 0.5 ** (years / HALF_LIFE_YEARS)


def coparticipation_edges(today: dt.date | None = None) -> list[Edge]:
    """One edge per pair of organisations and programme part, weighted by decayed joint projects."""
    today = today or timezone.localdate()
    parts = dict(CordisProject.objects.values_list("project_id", "programme_part"))
    members: dict[int, list[int]] = defaultdict(list)
    starts: dict[int, dt.date | None] = {}
    programme: dict[int, str] = {}
    rows = Participation.objects.values_list(
        "project_id", "organisation_id", "project__start", "project__programme"
    ).iterator(chunk_size=20000)
    for project_id, organisation_id, start, prog in rows:
        members[project_id].append(organisation_id)
        starts[project_id] = start
        programme[project_id] = prog
    weights: Counter = Counter()
    for project_id, orgs in members.items():
        if len(orgs) > MAX_CONSORTIUM:
            continue
        part = parts.get(project_id) or programme[project_id] or ""
        w = recency(starts[project_id], today)
        for a, b in combinations(sorted(set(orgs)), 2):
            weights[(a, b, part)] += w
    return [Edge(a, b, w, part) for (a, b, part), w in weights.items()]


@dataclass
class Partner:
    organisation: Organisation
    projects: int
    last_start: dt.date | None
    parts: list[str] = field(default_factory=list)


def worked_with(organisation: Organisation, limit: int = 15) -> list[Partner]:
    """The organisations that shared most projects with `organisation`, most first."""
    projects = Participation.objects.filter(organisation=organisation).values("project_id")
    rows = list(
        Participation.objects.filter(project_id__in=projects)
        .exclude(organisation=organisation)
        .values("organisation_id")
        .annotate(n=Count("project_id", distinct=True), last=Max("project__start"))
        .order_by("-n", "-last")[:limit]
    )
    if not rows:
        return []
    ids = [r["organisation_id"] for r in rows]
    organisations = Organisation.objects.in_bulk(ids)
    parts: dict[int, set[str]] = defaultdict(set)
    for org_id, part in CordisProject.objects.filter(
        project__participations__organisation_id__in=ids, project_id__in=projects
    ).values_list("project__participations__organisation_id", "programme_part"):
        parts[org_id].add(part)
    return [
        Partner(
            organisations[r["organisation_id"]],
            r["n"],
            r["last"],
            sorted(parts[r["organisation_id"]]),
        )
        for r in rows
    ]
