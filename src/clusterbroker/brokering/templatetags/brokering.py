from django import template
from django.utils.translation import gettext as _

from ..network import worked_with
from ..network_graph import joint_projects, organisation_graph, partnership_graph

register = template.Library()


@register.inclusion_tag("brokering/_worked_with.html")
def worked_with_list(organisation) -> dict:
    """The "worked with" table of an organisation page (co-participations in projects)."""
    return {"worked_with": worked_with(organisation)}


@register.inclusion_tag("brokering/_network.html")
def organisation_network(organisation) -> dict:
    """The picture of an organisation's partners and the projects that link them."""
    graph = organisation_graph(organisation)
    return {
        "graph": graph,
        "joint_projects": joint_projects(graph),
        "network_heading": _("Network of partners"),
        "network_title": _("%(name)s, its partners and their joint projects")
        % {"name": organisation.name},
    }


@register.inclusion_tag("brokering/_network.html")
def partnership_network(partnership) -> dict:
    """The picture of a partnership's members and their joint projects."""
    graph = partnership_graph(partnership)
    return {
        "graph": graph,
        "joint_projects": joint_projects(graph),
        "network_heading": _("Joint projects of the members"),
        "network_title": _("The members of %(name)s and their joint projects")
        % {"name": partnership.name},
    }
