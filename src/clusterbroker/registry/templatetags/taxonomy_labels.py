"""Taxonomy names and term labels in the page's language.

`{% load taxonomy_labels %}` then `{{ term|term_label }}`, `{{ term|term_description }}`,
`{{ taxonomy|taxonomy_name }}`: the text in the active language, falling back to the
English (`label`, `description`, `name`). Anything else (a matrix column, a string) is shown
as its `label` / `name` / itself.
"""

from typing import Any

from django import template

register = template.Library()


@register.filter
def term_label(term: Any) -> str:
    if hasattr(term, "label_in"):
        return term.label_in()
    return getattr(term, "label", term)


@register.filter
def term_description(term: Any) -> str:
    if hasattr(term, "description_in"):
        return term.description_in()
    return getattr(term, "description", "")


@register.filter
def taxonomy_name(taxonomy: Any) -> str:
    if hasattr(taxonomy, "name_in"):
        return taxonomy.name_in()
    return getattr(taxonomy, "name", taxonomy)
