"""Online meeting rooms: the event's link template and the link of each meeting.

The organiser gives one address with placeholders, e.g.
`https://meet.example.org/{event}-{meeting}`; each meeting's room is that address with
`{event}` (the event's identifier), `{meeting}` (the meeting's number, which stays the same
when the schedule is run again) and `{table}` (its table) filled in.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import Event, Meeting

PLACEHOLDERS = ("event", "meeting", "table")


def validate_link_template(value: str) -> None:
    """An http(s) address whose only placeholders are {event}, {meeting} and {table}."""
    try:
        fields = [name for _text, name, _spec, _conv in string.Formatter().parse(value)]
    except ValueError as error:
        raise ValidationError(
            _("Unbalanced braces: write placeholders as {event}, {meeting} or {table}.")
        ) from error
    unknown = sorted({name for name in fields if name is not None and name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            _("Unknown placeholder %(names)s: use {event}, {meeting} or {table}."),
            params={"names": ", ".join("{" + name + "}" for name in unknown)},
        )
    sample = fill(value, event="event", meeting="1", table="1")
    parts = urlsplit(sample)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in sample:
        raise ValidationError(_("Give an address starting with https:// (or http://)."))


def fill(template: str, *, event: str, meeting: str, table: str) -> str:
    values = {"event": quote(event, safe=""), "meeting": meeting, "table": table}
    return template.format(**values)


def meeting_link(event: Event, meeting: Meeting) -> str:
    """The address of the meeting's online room ("" when the event gives no template)."""
    return room_link(event, meeting.request_id, meeting.table)


def room_link(event: Event, request_id: int, table: int) -> str:
    if not event.meeting_link:
        return ""
    return fill(event.meeting_link, event=event.slug, meeting=str(request_id), table=str(table))
