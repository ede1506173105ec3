"""The co-participation network as a picture: who is in it, in what order, with what limits,
on the organisation and partnership pages (with its table), and drawn in a real browser."""

import json
import re

import pytest

from clusterbroker.brokering.network_graph import (
    joint_projects,
    organisation_graph,
    partnership_graph,
)

from ..factories import (
    OrganisationFactory,
    ParticipationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def _projects_with(*groups):
    """One project per group of organisations, all taking part."""
    projects = []
    for group in groups:
        project = ProjectFactory()
        for organisation in group:
            ParticipationFactory(project=project, organisation=organisation)
        projects.append(project)
    return projects


def test_an_organisations_picture_shows_its_strongest_partners_and_the_projects_linking_them():
    me, strong, weak, stranger = (OrganisationFactory() for _ in range(4))
    p1, p2, _p3 = _projects_with([me, strong, weak], [me, strong], [strong, stranger])
    graph = organisation_graph(me)
    kinds = {n.id: n.kind for n in graph.nodes}
    assert kinds == {
        f"o{me.pk}": "self",
        f"o{strong.pk}": "organisation",
        f"o{weak.pk}": "organisation",
        f"p{p1.pk}": "project",
        f"p{p2.pk}": "project",
    }
    weights = {n.id: n.weight for n in graph.nodes}
    assert weights[f"o{strong.pk}"] == 2 and weights[f"o{weak.pk}"] == 1
    assert set(graph.edges) == {
        (f"o{me.pk}", f"p{p1.pk}"),
        (f"o{strong.pk}", f"p{p1.pk}"),
        (f"o{weak.pk}", f"p{p1.pk}"),
        (f"o{me.pk}", f"p{p2.pk}"),
        (f"o{strong.pk}", f"p{p2.pk}"),
    }
    # The projects linking most organisations come first in the table.
    rows = joint_projects(graph)
    assert rows[0][0].id == f"p{p1.pk}" and len(rows[0][1]) == 3


def test_the_picture_keeps_to_its_limits_strongest_first():
    me = OrganisationFactory()
    partners = [OrganisationFactory() for _ in range(5)]
    for i, partner in enumerate(partners):  # partner i shares i + 1 projects
        _projects_with(*([[me, partner]] * (i + 1)))
    graph = organisation_graph(me, max_partners=2, max_projects=3)
    shown = {n.id for n in graph.nodes if n.kind == "organisation"}
    assert shown == {f"o{partners[4].pk}", f"o{partners[3].pk}"}
    assert sum(n.kind == "project" for n in graph.nodes) == 3
    assert organisation_graph(OrganisationFactory()).empty


def test_a_partnerships_picture_shows_only_projects_joining_two_members():
    a, b, c, outsider = (OrganisationFactory() for _ in range(4))
    partnership = PartnershipFactory()
    for member in (a, b, c):
        PartnershipMemberFactory(partnership=partnership, organisation=member)
    joint, _alone, _with_outsider = _projects_with([a, b, c], [a], [c, outsider])
    graph = partnership_graph(partnership)
    assert [n.id for n in graph.nodes if n.kind == "project"] == [f"p{joint.pk}"]
    assert {n.id for n in graph.nodes if n.kind != "project"} == {
        f"o{a.pk}",
        f"o{b.pk}",
        f"o{c.pk}",
    }


def _elements(response) -> list[dict]:
    match = re.search(
        r'<script id="network-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "no network on the page"
    return json.loads(match.group(1))


def test_the_pages_carry_the_picture_and_its_table(client):
    me = OrganisationFactory(name="Centre Org")
    partner = OrganisationFactory(name="Partner Org")
    (project,) = _projects_with([me, partner])
    response = client.get(me.get_absolute_url())
    elements = _elements(response)
    urls = {e["data"].get("url") for e in elements}
    assert partner.get_absolute_url() in urls and project.get_absolute_url() in urls
    html = response.content.decode()
    assert "The network as a table" in html and "cytoscape.min.js" in html
    partnership = PartnershipFactory()
    PartnershipMemberFactory(partnership=partnership, organisation=me)
    PartnershipMemberFactory(partnership=partnership, organisation=partner)
    assert len(_elements(client.get(partnership.get_absolute_url()))) == 5  # 3 nodes, 2 edges
    loner = OrganisationFactory()
    assert "network-data" not in client.get(loner.get_absolute_url()).content.decode()
