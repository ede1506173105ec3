"""Late changes to a schedule, without running the scheduler again: the organisers cancel a
meeting, mark a participant as a no-show (their remaining meetings are freed), or add a
meeting into a free slot.

A slot is free for a request when it has not begun, both participants attend its session,
neither is marked as a no-show, neither has a meeting at that time nor their most meetings
already, the request's time window allows it, and a table is left (always, at an online event
without a table count). Both participants of a meeting the schedule already announced are
told of each change (`notifications`); their agendas read the meetings as they now are.

A cancelled meeting's request becomes *cancelled* so that the next scheduling run does not
place it again; adding it into a free slot makes it accepted again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import notifications
from .models import Event, Meeting, MeetingRequest, Participant
from .scheduling import event_slots, request_window

# Requests that may be given a meeting by hand: accepted, or cancelled by the organisers.
ADDABLE = (MeetingRequest.Status.ACCEPTED, MeetingRequest.Status.CANCELLED)


@dataclass(frozen=True)
class FreeSlot:
    """A slot where a request's meeting can go, at the lowest free table."""

    key: str  # "session:index", as in the scheduler's slot ids
    session_id: int
    start: dt.datetime
    end: dt.datetime
    table: int


def _meetings_of(participant: Participant):
    return Meeting.objects.filter(
        Q(request__requester=participant) | Q(request__requested=participant)
    )


def _slot_problem(meeting_request: MeetingRequest, key: str, slots: dict, now) -> str | None:
    """Why the request's meeting cannot go into slot `key` (None: it can)."""
    event = meeting_request.event
    info = slots.get(key)
    if info is None:
        return _("There is no slot %(slot)s at this event.") % {"slot": key}
    if info.start <= now:
        return _("This slot has already begun.")
    window = request_window(meeting_request, slots, event.zone)
    if window is not None and key not in window:
        return _("This slot is outside the request's time window.")
    for side in (meeting_request.requester, meeting_request.requested):
        name = side.organisation.name
        if side.no_show_at is not None:
            return _("%(name)s is marked as not attending.") % {"name": name}
        if not side.available_sessions.filter(pk=info.session_id).exists():
            return _("%(name)s does not attend this session.") % {"name": name}
        mine = _meetings_of(side).exclude(request=meeting_request)
        if mine.filter(start__lt=info.end, end__gt=info.start).exists():
            return _("%(name)s already has a meeting at that time.") % {"name": name}
        if mine.count() >= event.max_meetings:
            return _("%(name)s already has the most meetings possible (%(n)s).") % {
                "name": name,
                "n": event.max_meetings,
            }
    if _free_table(event, info) is None:
        return _("Every table is taken in this slot.")
    return None


def _free_table(event: Event, info) -> int | None:
    taken = set(
        Meeting.objects.filter(session_id=info.session_id, start=info.start).values_list(
            "table", flat=True
        )
    )
    limit = event.tables if event.tables else len(taken) + 1
    return next((t for t in range(1, limit + 1) if t not in taken), None)


def free_slots(meeting_request: MeetingRequest) -> list[FreeSlot]:
    """Every slot the request's meeting could be added into now, in time order."""
    slots = event_slots(meeting_request.event)
    now = timezone.now()
    found = []
    for key, info in slots.items():
        if _slot_problem(meeting_request, key, slots, now) is None:
            table = _free_table(meeting_request.event, info)
            found.append(FreeSlot(key, info.session_id, info.start, info.end, table))
    return found


def _lock(meeting_request: MeetingRequest) -> None:
    """Serialise late changes of the two participants (the table is kept unique by the
    database)."""
    ids = [meeting_request.requester_id, meeting_request.requested_id]
    list(Participant.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


@transaction.atomic
def add_meeting(
    meeting_request: MeetingRequest, key: str, actor: AbstractBaseUser | None = None
) -> Meeting:
    """Place the request's meeting into slot `key` if it is free (else a ValidationError
    saying why, on `slot`); both participants are told once the schedule is announced."""
    _lock(meeting_request)
    meeting_request.refresh_from_db()
    if meeting_request.status not in ADDABLE:
        raise ValidationError(_("Only an accepted request can be given a meeting."))
    if Meeting.objects.filter(request=meeting_request).exists():
        raise ValidationError(_("This request already has a meeting: cancel it first."))
    slots = event_slots(meeting_request.event)
    problem = _slot_problem(meeting_request, key, slots, timezone.now())
    if problem is not None:
        raise ValidationError({"slot": problem}, code="not_free")
    info = slots[key]
    event = meeting_request.event
    meeting = Meeting.objects.create(
        request=meeting_request,
        session_id=info.session_id,
        start=info.start,
        end=info.end,
        table=_free_table(event, info),
        announced=event.schedule_announced_at is not None,
    )
    if meeting_request.status != MeetingRequest.Status.ACCEPTED:
        meeting_request.status = MeetingRequest.Status.ACCEPTED
        meeting_request.save(update_fields=["status"])
    if meeting.announced:
        notifications.meeting_added(meeting, actor)
    return meeting


def _cancel(meeting: Meeting, actor, absent: Participant | None) -> int:
    meeting_request = meeting.request
    was_announced = meeting.announced
    placed = notifications.placed(meeting)
    meeting.delete()
    meeting_request.status = MeetingRequest.Status.CANCELLED
    meeting_request.save(update_fields=["status"])
    if not was_announced:
        return 0
    return notifications.meeting_cancelled(meeting_request, placed, actor, absent=absent)


@transaction.atomic
def cancel_meeting(meeting: Meeting, actor: AbstractBaseUser | None = None) -> int:
    """Cancel one meeting; its slot and table are free again and its request is cancelled.
    Returns how many participants were told."""
    _lock(meeting.request)
    return _cancel(meeting, actor, absent=None)


@transaction.atomic
def mark_no_show(
    participant: Participant, absent: bool = True, actor: AbstractBaseUser | None = None
) -> int:
    """Mark the participant as not attending and free their meetings that have not ended
    (each is cancelled and both sides are told); with `absent=False`, clear the mark (freed
    meetings stay free). Returns how many meetings were freed."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if not absent:
        participant.no_show_at = None
        participant.save(update_fields=["no_show_at"])
        return 0
    if participant.no_show_at is None:
        participant.no_show_at = timezone.now()
        participant.save(update_fields=["no_show_at"])
    remaining = (
        _meetings_of(participant)
        .filter(end__gt=timezone.now())
        .select_related(
            "request__event",
            "request__requester__organisation",
            "request__requested__organisation",
            "request__requester__user",
            "request__requested__user",
        )
    )
    freed = 0
    for meeting in list(remaining):
        _cancel(meeting, actor, absent=participant)
        freed += 1
    return freed
