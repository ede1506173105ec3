"""The event's schedule as a table (CSV / XLSX) for organisers."""

from django.http import HttpResponse
from django.utils import timezone

from clusterbroker.importers.tabular import CONTENT_TYPES, write_table

from .links import meeting_link
from .models import Event, Meeting

SCHEDULE_COLUMNS = [
    "start",
    "end",
    "table",
    "requester",
    "requester_country",
    "requested",
    "requested_country",
    "priority",
    "announced",
    "happened",
    "outcome",
    "time_zone",
    "link",
]


def schedule_rows(event: Event) -> list[dict]:
    """One row per meeting; times are the event's local times (the `time_zone` column)."""
    zone = event.zone
    meetings = Meeting.objects.filter(request__event=event).select_related(
        "request__requester__organisation", "request__requested__organisation"
    )
    return [
        {
            "start": timezone.localtime(m.start, zone).strftime("%Y-%m-%d %H:%M"),
            "end": timezone.localtime(m.end, zone).strftime("%H:%M"),
            "table": m.table,
            "requester": m.request.requester.organisation.name,
            "requester_country": m.request.requester.organisation.country,
            "requested": m.request.requested.organisation.name,
            "requested_country": m.request.requested.organisation.country,
            "priority": m.request.priority,
            "announced": "yes" if m.announced else "no",
            "happened": {True: "yes", False: "no", None: ""}[m.happened],
            "outcome": m.outcome,
            "time_zone": zone.key,
            "link": meeting_link(event, m),
        }
        for m in meetings.order_by("start", "table")
    ]


def schedule_export_response(event: Event, fmt: str) -> HttpResponse:
    response = HttpResponse(
        write_table(fmt, SCHEDULE_COLUMNS, schedule_rows(event)), CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-schedule.{fmt}"'
    return response
