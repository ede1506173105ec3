"""`{% event_time moment %}`: a time of the page's event in its zone, the reader's beside."""

import datetime as dt

from django import template
from django.utils.html import format_html

from .. import times

register = template.Library()


@register.simple_tag(takes_context=True)
def event_time(context, moment: dt.datetime | None, fmt: str = "H:i", own_fmt: str = "") -> str:
    """In the context's `event` zone; `own_zone` (the reader's, if another) follows."""
    if moment is None:
        return ""
    event = context["event"]
    text = times.event_time(moment, event, context.get("own_zone"), fmt, own_fmt or "H:i")
    return format_html('<time datetime="{}">{}</time>', moment.isoformat(), text)
