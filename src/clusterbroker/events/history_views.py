"""The history of an event's records, for its organisers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from clusterbroker.registry.history import change_log
from clusterbroker.registry.history_views import render_history

from . import permissions
from .models import Event, Meeting, MeetingRequest, Participant, Session


@login_required
def event_history(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event, slug=slug)
    if not permissions.is_organiser(request.user, event):
        raise PermissionDenied(_("Only the organisers of this event see its history."))
    request_ids = MeetingRequest.history.filter(event_id=event.pk).values("id")
    changes = change_log(
        [
            Event.history.filter(id=event.pk),
            Session.history.filter(event_id=event.pk),
            Participant.history.filter(event_id=event.pk),
            MeetingRequest.history.filter(event_id=event.pk),
            Meeting.history.filter(request_id__in=request_ids),
        ]
    )
    return render_history(request, _("History"), event, changes)
