"""The co-participation network as a picture: organisations and the projects that link them,
for an organisation page (its partners, the strongest first) and a partnership page (its
members and their joint projects). Built from the registry's participations; the pages draw it
with Cytoscape.js and list the same in a table."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from clusterbroker.registry.models import Organisation, Participation, Partnership, Project

# The most partners an organisation's picture shows, and the most projects of any picture:
# beyond them a picture is a hairball nobody reads (the table lists the partners).
MAX_PARTNERS = 20
MAX_PROJECTS = 30


@dataclass
class Node:
    id: str
    label: str
    kind: str  # "self", "organisation" or "project"
    url: str
    weight: int = 1  # joint projects (organisations) or organisations linked (projects)
    title: str = ""  # the longer text shown on hover


@dataclass
class Graph:
    nodes: list[Node] = field(default_factory=list)
    edges: list[tuple[str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.edges

    def elements(self) -> list[dict]:
        """The graph as Cytoscape.js elements."""
        return [
            {
                "data": {
                    "id": n.id,
                    "label": n.label,
                    "kind": n.kind,
                    "url": n.url,
                    "weight": n.weight,
                    "title": n.title or n.label,
                }
            }
            for n in self.nodes
        ] + [{"data": {"id": f"{a}-{b}", "source": a, "target": b}} for a, b in self.edges]


def _short(name: str, limit: int = 28) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _graph(
    organisations: dict[int, Organisation],
    links: dict[int, set[int]],  # project id -> organisations shown that took part
    weights: Counter,
    center: int | None = None,
) -> Graph:
    projects = Project.objects.in_bulk(list(links))
    graph = Graph()
    for pk, organisation in organisations.items():
        graph.nodes.append(
            Node(
                f"o{pk}",
                _short(organisation.acronym or organisation.name),
                "self" if pk == center else "organisation",
                organisation.get_absolute_url(),
                weights.get(pk, 1),
                organisation.name,
            )
        )
    for project_id in sorted(links, key=lambda p: (-len(links[p]), projects[p].acronym)):
        project = projects[project_id]
        graph.nodes.append(
            Node(
                f"p{project_id}",
                _short(project.acronym, 20),
                "project",
                project.get_absolute_url(),
                len(links[project_id]),
                f"{project.acronym}: {project.title}" if project.title else project.acronym,
            )
        )
        graph.edges.extend((f"o{o}", f"p{project_id}") for o in sorted(links[project_id]))
    return graph


def organisation_graph(
    organisation: Organisation, max_partners: int = MAX_PARTNERS, max_projects: int = MAX_PROJECTS
) -> Graph:
    """The organisation, its partners with most joint projects (at most `max_partners`) and
    the joint projects that link most of them (at most `max_projects`)."""
    own = Participation.objects.filter(organisation=organisation).values("project_id")
    top = list(
        Participation.objects.filter(project_id__in=own)
        .exclude(organisation=organisation)
        .values("organisation_id")
        .annotate(n=Count("project_id", distinct=True))
        .order_by("-n", "organisation_id")[:max_partners]
    )
    if not top:
        return Graph()
    weights = Counter({r["organisation_id"]: r["n"] for r in top})
    members: dict[int, set[int]] = defaultdict(set)
    for project_id, org_id in Participation.objects.filter(
        project_id__in=own, organisation_id__in=list(weights)
    ).values_list("project_id", "organisation_id"):
        members[project_id].add(org_id)
    ranked = sorted(members, key=lambda p: (-len(members[p]), p))
    # Each partner, strongest first, keeps one project that links it; then the projects
    # linking most partners fill what is left.
    chosen: list[int] = []
    for partner in sorted(weights, key=lambda o: (-weights[o], o)):
        if len(chosen) >= max_projects:
            break
        if not any(partner in members[p] for p in chosen):
            chosen.append(next(p for p in ranked if partner in members[p]))
    chosen += [p for p in ranked if p not in chosen][: max_projects - len(chosen)]
    links = {p: members[p] | {organisation.pk} for p in chosen}
    shown = {o for p in chosen for o in members[p]}
    organisations = {organisation.pk: organisation} | Organisation.objects.in_bulk(list(shown))
    return _graph(organisations, links, weights, center=organisation.pk)


def partnership_graph(partnership: Partnership, max_projects: int = MAX_PROJECTS) -> Graph:
    """The partnership's members and the projects in which at least two of them took part
    (those with most members first, at most `max_projects`)."""
    member_ids = set(partnership.memberships.values_list("organisation_id", flat=True))
    members: dict[int, set[int]] = defaultdict(set)
    for project_id, org_id in Participation.objects.filter(
        organisation_id__in=member_ids
    ).values_list("project_id", "organisation_id"):
        members[project_id].add(org_id)
    joint = [p for p, orgs in members.items() if len(orgs) >= 2]
    chosen = sorted(joint, key=lambda p: (-len(members[p]), p))[:max_projects]
    if not chosen:
        return Graph()
    weights = Counter(o for p in chosen for o in members[p])
    organisations = Organisation.objects.in_bulk(list(weights))
    return _graph(organisations, {p: members[p] for p in chosen}, weights)


def joint_projects(graph: Graph) -> list[tuple[Node, list[Node]]]:
    """The table alternative of a picture: each project with the organisations it links."""
    by_id = {n.id: n for n in graph.nodes}
    linked: dict[str, list[Node]] = defaultdict(list)
    for source, target in graph.edges:
        linked[target].append(by_id[source])
    return [(by_id[p], sorted(orgs, key=lambda n: n.title.lower())) for p, orgs in linked.items()]
