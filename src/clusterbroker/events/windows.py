"""Time windows of meeting requests: a request may be kept to some sessions and/or to the
mornings or afternoons (in the event's time zone). The requester sets it when asking, the
other side when accepting, either side or an organiser later; the scheduler then places the
meeting only in those slots (`scheduling.request_window`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import permissions
from .models import MeetingRequest, Session
from .scheduling import event_slots, request_window
from .times import in_zone

ACTIVE = (MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED)


def can_set_window(user: object, meeting_request: MeetingRequest) -> bool:
    """The two sides of the request and the event's organisers."""
    return (
        permissions.can_act_for(user, meeting_request.requester)
        or permissions.can_act_for(user, meeting_request.requested)
        or permissions.is_organiser(user, meeting_request.event)
    )


@transaction.atomic
def set_window(
    meeting_request: MeetingRequest, session_ids: Iterable[int], part: str = ""
) -> MeetingRequest:
    """Keep the request to the sessions `session_ids` (none: any) and `part` of the day
    ("", "morning", "afternoon"). A meeting already scheduled keeps its place until the
    scheduler runs again."""
    if meeting_request.status not in ACTIVE:
        raise ValidationError(_("This request is no longer active."))
    if part not in MeetingRequest.Part.values:
        raise ValidationError(
            {
                "window_part": _("Unknown part of the day “%(value)s”: use %(choices)s.")
                % {
                    "value": str(part)[:40],
                    "choices": ", ".join(v for v in MeetingRequest.Part.values if v),
                }
            }
        )
    wanted = set(session_ids)
    sessions = list(Session.objects.filter(event=meeting_request.event_id, pk__in=wanted))
    if len(sessions) != len(wanted):
        missing = sorted(wanted - {s.pk for s in sessions})
        raise ValidationError(
            {
                "window_sessions": _("No session %(ids)s at this event.")
                % {"ids": ", ".join(str(pk) for pk in missing)}
            }
        )
    meeting_request.window_part = part
    meeting_request.save(update_fields=["window_part"])
    meeting_request.window_sessions.set(sessions)
    event = meeting_request.event
    if request_window(meeting_request, event_slots(event), event.zone) == ():
        raise ValidationError(
            {"window_part": _("No meeting slot of the chosen sessions is at that time of day.")}
        )
    return meeting_request


def describe(meeting_request: MeetingRequest) -> str:
    """The window in words ("" when the request may take any slot)."""
    zone = meeting_request.event.zone
    names = [
        s.name or in_zone(s.start, zone, "D j M, H:i")
        for s in meeting_request.window_sessions.all()
    ]
    parts = []
    if names:
        parts.append(", ".join(names))
    if meeting_request.window_part:
        parts.append(str(meeting_request.get_window_part_display()))
    return " · ".join(parts)
