from django import template

from ..network import worked_with

register = template.Library()


@register.inclusion_tag("brokering/_worked_with.html")
def worked_with_list(organisation) -> dict:
    """The "worked with" table of an organisation page (co-participations in projects)."""
    return {"worked_with": worked_with(organisation)}
