"""Personal agendas: the meetings of one participant, as a list and as an iCalendar file."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .models import Meeting, Participant


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


def agenda(participant: Participant) -> list[AgendaItem]:
    """The participant's scheduled meetings in time order."""
    meetings = (
        Meeting.objects.filter(
            Q(request__requester=participant) | Q(request__requested=participant)
        )
        .select_related("request__requester__organisation", "request__requested__organisation")
        .order_by("start", "table")
    )
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
            )
        )
    return items


def agenda_ics(participant: Participant) -> bytes:
    """The agenda as an iCalendar file, one VEVENT per meeting, with stable UIDs."""
    event = participant.event
    calendar = Calendar()
    calendar.add("prodid", "-//ClusterBroker//B2B agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{event.name} – {participant.organisation.name}")
    place = _("Online") if event.online else event.venue
    stamp = timezone.now()
    for item in agenda(participant):
        table = _("table %(n)s") % {"n": item.table}
        entry = CalendarEvent()
        entry.add("uid", f"meeting-{item.meeting_id}@clusterbroker")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", item.start)
        entry.add("dtend", item.end)
        entry.add("summary", _("B2B meeting: %(name)s") % {"name": item.with_organisation})
        entry.add("location", f"{place}, {table}" if place else table)
        entry.add(
            "description",
            "\n".join([event.name, _("With %(name)s") % {"name": item.with_organisation}]),
        )
        calendar.add_component(entry)
    return calendar.to_ical()
