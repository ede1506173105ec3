"""Personal agendas: the meetings of one participant, as a list and as an iCalendar file."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .links import meeting_link
from .models import Meeting, Participant
from .scheduling import stored_breaks


@dataclass(frozen=True)
class AgendaItem:
    meeting_id: int
    start: datetime
    end: datetime
    table: int
    with_organisation: str
    with_country: str
    with_contact: str
    announced: bool
    link: str = ""
    after_break: bool = False


def agenda(participant: Participant) -> list[AgendaItem]:
    """The participant's scheduled meetings in time order; `after_break` marks a meeting
    that follows an idle slot of the same day (see `scheduling.stored_breaks`)."""
    event = participant.event
    meetings = list(
        Meeting.objects.filter(
            Q(request__requester=participant) | Q(request__requested=participant)
        )
        .select_related("request__requester__organisation", "request__requested__organisation")
        .order_by("start", "table")
    )
    after_break = stored_breaks(event, meetings).after_break.get(participant.pk, set())
    items = []
    for meeting in meetings:
        other = meeting.request.other(participant)
        items.append(
            AgendaItem(
                meeting_id=meeting.pk,
                start=meeting.start,
                end=meeting.end,
                table=meeting.table,
                with_organisation=other.organisation.name,
                with_country=other.organisation.country,
                with_contact=other.contact_name,
                announced=meeting.announced,
                link=meeting_link(event, meeting),
                after_break=meeting.pk in after_break,
            )
        )
    return items


def breaks_in(items: list[AgendaItem]) -> int:
    """How many breaks an agenda has."""
    return sum(1 for item in items if item.after_break)


def agenda_ics(participant: Participant) -> bytes:
    """The agenda as an iCalendar file, one VEVENT per meeting, with stable UIDs; times
    carry the event's time zone (TZID, its VTIMEZONE included); online rooms are the URL."""
    from icalendar import Calendar  # imported on use: a slow import few requests need
    from icalendar import Event as CalendarEvent

    event = participant.event
    calendar = Calendar()
    calendar.add("prodid", "-//ClusterBroker//B2B agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{event.name} – {participant.organisation.name}")
    place = _("Online") if event.online else event.venue
    calendar.add("x-wr-timezone", event.zone.key)
    stamp = timezone.now()
    for item in agenda(participant):
        table = _("table %(n)s") % {"n": item.table}
        entry = CalendarEvent()
        entry.add("uid", f"meeting-{item.meeting_id}@clusterbroker")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", timezone.localtime(item.start, event.zone))
        entry.add("dtend", timezone.localtime(item.end, event.zone))
        entry.add("summary", _("B2B meeting: %(name)s") % {"name": item.with_organisation})
        description = [event.name, _("With %(name)s") % {"name": item.with_organisation}]
        if item.link:
            entry.add("url", item.link)
            description.append(_("Online room: %(link)s") % {"link": item.link})
            location = item.link if event.online else f"{place}, {table} · {item.link}"
        else:
            location = f"{place}, {table}" if place else table
        entry.add("location", location)
        entry.add("description", "\n".join(description))
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
