"""The organiser's late changes to a schedule (see `late_changes`): cancel a meeting, mark a
no-show, add a meeting into a free slot. Only the event's organisers reach these pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import late_changes, times, windows
from .models import Meeting, MeetingRequest, Participant
from .organiser_views import _context, _organised_event, _render

SIDES = ("request__requester__organisation", "request__requested__organisation")


@login_required
def late_changes_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The schedule as it stands: its meetings (to cancel), the participants (to mark as
    no-shows) and the accepted or cancelled requests without a meeting (to add one)."""
    event = _organised_event(request, slug)
    meetings = (
        Meeting.objects.filter(request__event=event)
        .select_related(*SIDES)
        .order_by("start", "table")
    )
    participants = (
        event.participants.select_related("organisation")
        .annotate(
            sent=Count("sent_requests__meeting", distinct=True),
            received=Count("received_requests__meeting", distinct=True),
        )
        .filter(Q(sent__gt=0) | Q(received__gt=0) | Q(no_show_at__isnull=False))
        .order_by("organisation__name", "pk")
    )
    without = (
        event.requests.filter(status__in=late_changes.ADDABLE, meeting__isnull=True)
        .select_related("requester__organisation", "requested__organisation")
        .order_by("requester__organisation__name", "pk")
    )
    return _render(
        request,
        "events/organiser/late_changes.html",
        _context(
            request,
            event,
            meetings=meetings,
            participants=participants,
            without=without,
            own_zone=times.other_zone(event, times.zone_of_user(request.user)),
        ),
    )


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _organised_event(request, slug)
    meeting = get_object_or_404(Meeting.objects.select_related(*SIDES), request__event=event, pk=pk)
    told = late_changes.cancel_meeting(meeting, actor=request.user)
    messages.success(
        request,
        ngettext(
            "Meeting cancelled; %(n)s participant told.",
            "Meeting cancelled; %(n)s participants told.",
            told,
        )
        % {"n": told},
    )
    return redirect("events:late-changes", event.slug)


@login_required
@require_POST
def no_show(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _organised_event(request, slug)
    participant = get_object_or_404(
        Participant.objects.select_related("organisation"), event=event, pk=pk
    )
    absent = request.POST.get("absent", "1") != "0"
    freed = late_changes.mark_no_show(participant, absent=absent, actor=request.user)
    if absent:
        messages.success(
            request,
            ngettext(
                "%(name)s marked as not attending; %(n)s meeting freed.",
                "%(name)s marked as not attending; %(n)s meetings freed.",
                freed,
            )
            % {"name": participant.organisation.name, "n": freed},
        )
    else:
        messages.success(
            request,
            _("%(name)s is no longer marked as not attending.")
            % {"name": participant.organisation.name},
        )
    return redirect("events:late-changes", event.slug)


@login_required
def meeting_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The free slots of a request (GET) and adding its meeting into one (POST)."""
    event = _organised_event(request, slug)
    meeting_request = get_object_or_404(
        MeetingRequest.objects.select_related(
            "event", "requester__organisation", "requested__organisation"
        ),
        event=event,
        pk=pk,
    )
    error, status = "", 200
    if request.method == "POST":
        try:
            late_changes.add_meeting(meeting_request, request.POST.get("slot", ""), request.user)
        except ValidationError as problem:
            error, status = " ".join(problem.messages), 400
        else:
            messages.success(request, _("Meeting added; both participants are told."))
            return redirect("events:late-changes", event.slug)
    return _render(
        request,
        "events/organiser/meeting_add.html",
        _context(
            request,
            event,
            meeting_request=meeting_request,
            window_text=windows.describe(meeting_request) or _("any time"),
            addable=meeting_request.status in late_changes.ADDABLE
            and not Meeting.objects.filter(request=meeting_request).exists(),
            slots=late_changes.free_slots(meeting_request),
            error=error,
            own_zone=times.other_zone(event, times.zone_of_user(request.user)),
        ),
        status=status,
    )
