"""Notices of brokerage events, sent through the notifications module.

Who is told what:
- a meeting request: the requested participant's user (`meeting_request`);
- its answer: the requester's user (`meeting_accepted`, `meeting_declined`);
- a withdrawal: the other side's user (`meeting_withdrawn`); if the meeting was already in the
  schedule, the notice says that it is cancelled;
- the first announcement of the schedule: every participant with a user, with their agenda in
  the text and their calendar file (.ics) attached (`schedule_announced`);
- later changes (`schedule_changed`): a scheduler run that moved or dropped announced meetings
  tells both participants of each, and announcing again tells the participants who got newly
  announced meetings, with their updated agenda and calendar file.

A participant is acted for by its own user only (`permissions.can_act_for`): nobody else is
told about its requests or its agenda, and the person who acted is never notified.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from clusterbroker.accounts.speaking import speaking_to
from clusterbroker.notifications import kinds
from clusterbroker.notifications.service import notify

from .agenda import agenda, agenda_ics
from .links import meeting_link
from .models import Event, Meeting, MeetingRequest, Participant
from .scheduling import announce_schedule
from .times import event_time


def _when(moment: dt.datetime, event: Event) -> str:
    """In the event's time zone, with the reader's own time beside when their account's
    zone differs: "Mon 2 Mar 2026, 09:00 CET (16:00 CST, Asia/Shanghai)"."""
    return event_time(moment, event, _reader_zone.get(), "D j M Y, H:i")


# The time zone of the person being written to, when their account sets one.
_reader_zone: ContextVar[zoneinfo.ZoneInfo | None] = ContextVar("reader_zone", default=None)


def _users(participant: Participant) -> list[AbstractBaseUser]:
    """Who acts for the participant (its own user), if it has an active one."""
    user = participant.user
    return [user] if user is not None and user.is_active else []


@contextmanager
def _their_settings(participant: Participant) -> Iterator[None]:
    """Write to the participant's user in their language and with times in their time zone,
    as their account settings say; the site's defaults otherwise (never the settings of the
    person who acted)."""
    with speaking_to(participant.user if participant.user_id else None) as own:
        token = _reader_zone.set(own)
        try:
            yield
        finally:
            _reader_zone.reset(token)


def _requests_url(event: Event) -> str:
    return reverse("events:requests", args=[event.slug])


def _agenda_url(event: Event) -> str:
    return reverse("events:agenda", args=[event.slug])


def _with(participant: Participant) -> str:
    organisation = participant.organisation
    return f"{organisation.name} ({organisation.country})"


# --- meeting requests ----------------------------------------------------------------------


def request_sent(meeting_request: MeetingRequest, actor=None) -> int:
    """Tell the requested participant that someone asks to meet them."""
    with _their_settings(meeting_request.requested):
        return _request_sent(meeting_request, actor)


def _request_sent(meeting_request: MeetingRequest, actor) -> int:
    event = meeting_request.event
    requester, requested = meeting_request.requester, meeting_request.requested
    lines = [
        _("%(requester)s asks %(requested)s for a B2B meeting at %(event)s.")
        % {
            "requester": _with(requester),
            "requested": requested.organisation.name,
            "event": event.name,
        },
        _("Priority: %(priority)s.") % {"priority": meeting_request.get_priority_display()},
    ]
    if meeting_request.message:
        lines += ["", _("Their message:"), meeting_request.message]
    lines += ["", _("Accept or decline the request on your requests page.")]
    return notify(
        _users(requested),
        kinds.MEETING_REQUEST,
        title=_("%(organisation)s asks to meet you at %(event)s")
        % {"organisation": requester.organisation.name, "event": event.name},
        body="\n".join(lines),
        url=_requests_url(event),
        actor=actor if actor is not None else requester.user,
    )


def request_answered(meeting_request: MeetingRequest, actor=None) -> int:
    """Tell the requester that the requested participant accepted or declined."""
    with _their_settings(meeting_request.requester):
        return _request_answered(meeting_request, actor)


def _request_answered(meeting_request: MeetingRequest, actor) -> int:
    event = meeting_request.event
    requested = meeting_request.requested
    names = {"organisation": requested.organisation.name, "event": event.name}
    if meeting_request.status == MeetingRequest.Status.ACCEPTED:
        kind = kinds.MEETING_ACCEPTED
        title = _("%(organisation)s accepted to meet you at %(event)s") % names
        body = _(
            "%(organisation)s accepted your meeting request at %(event)s. The organisers will "
            "give the meeting a time and a table when they schedule the event; you will be told."
        )
    else:
        kind = kinds.MEETING_DECLINED
        title = _("%(organisation)s declined to meet you at %(event)s") % names
        body = _("%(organisation)s declined your meeting request at %(event)s.")
    return notify(
        _users(meeting_request.requester),
        kind,
        title=title,
        body=body % names,
        url=_requests_url(event),
        actor=actor if actor is not None else requested.user,
    )


def request_withdrawn(
    meeting_request: MeetingRequest, actor=None, meeting: Meeting | None = None
) -> int:
    """Tell the other side that a request was withdrawn (and its meeting, if any, cancelled).

    `actor` is the user who withdrew; when it is not known, the side that withdrew is read
    from the request's history (who made the change), and failing that both sides are told.
    """
    event = meeting_request.event
    if actor is None:
        latest = meeting_request.history.first()
        actor = latest.history_user if latest is not None else None
    sides = (meeting_request.requester, meeting_request.requested)
    actor_pk = getattr(actor, "pk", None)
    notified = 0
    for side in sides:
        if actor_pk is not None and side.user_id == actor_pk:
            continue
        other = meeting_request.other(side)
        names = {"organisation": other.organisation.name, "event": event.name}
        with _their_settings(side):
            lines = [
                _("The meeting request between you and %(organisation)s was withdrawn.") % names
            ]
            if meeting is not None:
                lines.append(
                    _("The meeting planned on %(when)s at table %(table)s is cancelled.")
                    % {"when": _when(meeting.start, event), "table": meeting.table}
                )
            notified += notify(
                _users(side),
                kinds.MEETING_WITHDRAWN,
                title=_("Meeting with %(organisation)s at %(event)s withdrawn") % names,
                body="\n".join(lines),
                url=_agenda_url(event) if meeting is not None else _requests_url(event),
                actor=actor,
            )
    return notified


# --- the schedule --------------------------------------------------------------------------


def _agenda_text(participant: Participant) -> list[str]:
    lines = []
    for item in agenda(participant):
        lines.append(
            _("%(time)s, table %(table)s: %(other)s (%(country)s)")
            % {
                "time": _when(item.start, participant.event),
                "table": item.table,
                "other": item.with_organisation,
                "country": item.with_country,
            }
        )
        if item.link:
            lines.append("    " + _("Online room: %(link)s") % {"link": item.link})
    return lines or [_("No meeting could be scheduled for you this time.")]


def _agenda_notice(participant: Participant, kind: str, title: str, intro: str, actor) -> int:
    event = participant.event
    body = "\n".join(
        [
            intro,
            "",
            *_agenda_text(participant),
            "",
            _("Your agenda is attached as a calendar file; the agenda page has a printable view."),
        ]
    )
    return notify(
        _users(participant),
        kind,
        title=title,
        body=body,
        url=_agenda_url(event),
        actor=actor,
        attachments=[
            (f"{event.slug}-agenda.ics", agenda_ics(participant), "text/calendar"),
        ],
    )


@dataclass(frozen=True)
class Announcement:
    """What announcing the schedule did: meetings announced, participants told."""

    meetings: int
    first: bool  # the first announcement (else a re-announcement after changes)
    notified: int  # participants reached (in the application and/or by e-mail)
    concerned: int  # participants who should be told (all at the first announcement)
    unreachable: list[str]  # participants concerned who have no active user to tell


@transaction.atomic
def announce(event: Event, actor=None) -> Announcement:
    """Announce the schedule and tell the participants.

    The first time, every participant gets their agenda (`schedule_announced`); afterwards
    only those with newly announced meetings get their updated agenda (`schedule_changed`).
    """
    first = event.schedule_announced_at is None
    newly = list(
        Meeting.objects.filter(request__event=event, announced=False).values_list(
            "request__requester_id", "request__requested_id"
        )
    )
    count = announce_schedule(event)
    participants = event.participants.select_related("user", "organisation").order_by(
        "organisation__name"
    )
    if not first:
        changed = {pk for pair in newly for pk in pair}
        participants = participants.filter(pk__in=changed)
    actor_pk = getattr(actor, "pk", None)
    notified, concerned, unreachable = 0, 0, []
    for participant in participants:
        if actor_pk is not None and participant.user_id == actor_pk:
            continue  # the organiser who announced, registered for their own organisation
        concerned += 1
        with _their_settings(participant):
            reached = _schedule_notice(participant, first, actor)
        if reached:
            notified += 1
        else:
            unreachable.append(participant.organisation.name)
    return Announcement(count, first, notified, concerned, unreachable)


def _schedule_notice(participant: Participant, first: bool, actor) -> int:
    event = participant.event
    names = {"event": event.name, "organisation": participant.organisation.name}
    if first:
        kind = kinds.SCHEDULE_ANNOUNCED
        title = _("Your meetings at %(event)s") % names
        intro = _("The schedule of %(event)s is out. Your meetings for %(organisation)s:")
    else:
        kind = kinds.SCHEDULE_CHANGED
        title = _("Your meetings at %(event)s changed") % names
        intro = _(
            "The organisers of %(event)s announced changes to the schedule. "
            "Your meetings for %(organisation)s now are:"
        )
    return _agenda_notice(participant, kind, title, intro % names, actor)


@dataclass(frozen=True)
class _Placed:
    start: dt.datetime
    table: int


def announced_placements(event: Event) -> dict[int, _Placed]:
    """The announced meetings of the event, by request: where they are now."""
    return {
        m.request_id: _Placed(m.start, m.table)
        for m in Meeting.objects.filter(request__event=event, announced=True)
    }


def _sides(meeting_request: MeetingRequest, start, table):
    """Each participant of a meeting with the names its message uses, while its language and
    time zone are in force."""
    event = meeting_request.event
    for side in (meeting_request.requester, meeting_request.requested):
        other = meeting_request.other(side)
        with _their_settings(side):
            yield (
                side,
                {
                    "organisation": other.organisation.name,
                    "event": event.name,
                    "when": _when(start, event),
                    "table": table,
                },
            )


def rerun_changes(event: Event, before: dict[int, _Placed], actor=None) -> int:
    """After a scheduler run: tell both participants of every announced meeting that the run
    moved (now provisional, until announced again) or could not keep. Returns how many
    notices were given."""
    after = {
        m.request_id: m
        for m in Meeting.objects.filter(request__event=event, request_id__in=list(before))
    }
    notified = 0
    requests = MeetingRequest.objects.filter(pk__in=list(before)).select_related(
        "requester__organisation", "requested__organisation", "requester__user", "requested__user"
    )
    for meeting_request in requests:
        was = before[meeting_request.pk]
        now = after.get(meeting_request.pk)
        if now is not None and now.announced and (now.start, now.table) == (was.start, was.table):
            continue
        for side, names in _sides(meeting_request, was.start, was.table):
            notified += _changed_meeting(event, side, names, now, actor)
    return notified


def _changed_meeting(
    event: Event, side: Participant, names: dict, now: Meeting | None, actor
) -> int:
    if now is not None:
        body = _(
            "Your meeting with %(organisation)s, announced for %(when)s at table "
            "%(table)s, was moved to %(new_when)s at table %(new_table)s. The new time "
            "is provisional until the organisers announce the schedule again."
        ) % {**names, "new_when": _when(now.start, event), "new_table": now.table}
        if link := meeting_link(event, now):
            body += "\n" + _("Online room: %(link)s") % {"link": link}
    else:
        body = (
            _(
                "Your meeting with %(organisation)s, announced for %(when)s at table "
                "%(table)s, could not be kept in the new schedule and is cancelled."
            )
            % names
        )
    return notify(
        _users(side),
        kinds.SCHEDULE_CHANGED,
        title=_("Your meeting with %(organisation)s at %(event)s changed") % names,
        body=body,
        url=_agenda_url(event),
        actor=actor,
    )


# --- late changes (`late_changes`) ---------------------------------------------------------


def placed(meeting: Meeting) -> _Placed:
    """Where a meeting is, kept to tell its participants once it is cancelled."""
    return _Placed(meeting.start, meeting.table)


def meeting_cancelled(
    meeting_request: MeetingRequest, was: _Placed, actor=None, absent: Participant | None = None
) -> int:
    """Tell both participants that the organisers cancelled their announced meeting (because
    `absent` does not attend, when given). Returns how many were told."""
    event = meeting_request.event
    notified = 0
    for side, names in _sides(meeting_request, was.start, was.table):
        body = (
            _(
                "The organisers of %(event)s cancelled your meeting with %(organisation)s "
                "on %(when)s at table %(table)s."
            )
            % names
        )
        if absent is not None and absent.pk == side.pk:
            body += " " + _("You are marked as not attending the event.")
        elif absent is not None:
            body += " " + _("%(organisation)s does not attend the event.") % names
        body += "\n" + _("Your agenda shows your meetings as they now are.")
        notified += notify(
            _users(side),
            kinds.SCHEDULE_CHANGED,
            title=_("Meeting with %(organisation)s at %(event)s cancelled") % names,
            body=body,
            url=_agenda_url(event),
            actor=actor,
        )
    return notified


def meeting_added(meeting: Meeting, actor=None) -> int:
    """Tell both participants that the organisers added a meeting to their agendas."""
    meeting_request = meeting.request
    event = meeting_request.event
    notified = 0
    for side, names in _sides(meeting_request, meeting.start, meeting.table):
        body = (
            _(
                "The organisers of %(event)s added a meeting with %(organisation)s to your "
                "agenda: %(when)s at table %(table)s."
            )
            % names
        )
        if link := meeting_link(event, meeting):
            body += "\n" + _("Online room: %(link)s") % {"link": link}
        notified += notify(
            _users(side),
            kinds.SCHEDULE_CHANGED,
            title=_("New meeting with %(organisation)s at %(event)s") % names,
            body=body,
            url=_agenda_url(event),
            actor=actor,
        )
    return notified
