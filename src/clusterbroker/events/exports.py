"""The event's schedule as a table (CSV / XLSX) for organisers, in the language of the
request: the column headers, the yes/no values, the priorities and outcomes are translated;
times, tables, names, countries and links stay as they are."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from clusterbroker.importers.tabular import CONTENT_TYPES, write_table, write_xlsx

from .links import meeting_link
from .models import Event, Meeting, MeetingRequest

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
# The header of each column; the columns named after a field of the meeting or of its
# request take the field's (translated) name.
SCHEDULE_HEADERS = {
    "requester": gettext_lazy("Requesting organisation"),
    "requester_country": gettext_lazy("Country of the requesting organisation"),
    "requested": gettext_lazy("Requested organisation"),
    "requested_country": gettext_lazy("Country of the requested organisation"),
    "time_zone": gettext_lazy("Time zone"),
    "link": gettext_lazy("Link"),
}
REQUEST_FIELDS = {"priority"}


def schedule_headers() -> list[str]:
    """The header row, one per `SCHEDULE_COLUMNS`, in the active language."""
    headers: list[str] = []
    for column in SCHEDULE_COLUMNS:
        if column in SCHEDULE_HEADERS:
            header = str(SCHEDULE_HEADERS[column])
        else:
            model = MeetingRequest if column in REQUEST_FIELDS else Meeting
            header = capfirst(str(model._meta.get_field(column).verbose_name))
        # Two columns a language names alike keep apart by their keys.
        headers.append(f"{header} ({column})" if header in headers else header)
    return headers


def yes_no(value: bool | None) -> str:
    """A yes/no cell in the active language; empty when not known."""
    if value is None:
        return ""
    return pgettext("boolean value", "yes") if value else pgettext("boolean value", "no")


def schedule_rows(event: Event) -> list[dict]:
    """One row per meeting, keyed by `SCHEDULE_COLUMNS`; times are the event's local times
    (the `time_zone` column)."""
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
            "priority": m.request.get_priority_display(),
            "announced": yes_no(m.announced),
            "happened": yes_no(m.happened),
            "outcome": m.get_outcome_display() if m.outcome else "",
            "time_zone": zone.key,
            "link": meeting_link(event, m),
        }
        for m in meetings.order_by("start", "table")
    ]


def schedule_export_response(event: Event, fmt: str) -> HttpResponse:
    """The schedule as a CSV or XLSX download, headed in the active language."""
    headers = schedule_headers()
    records = [
        {header: row[column] for column, header in zip(SCHEDULE_COLUMNS, headers, strict=True)}
        for row in schedule_rows(event)
    ]
    if fmt == "xlsx":  # the sheet named in the same language
        content = write_xlsx(headers, records, title=_("Schedule"))
    else:
        content = write_table(fmt, headers, records)
    response = HttpResponse(content, CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-schedule.{fmt}"'
    return response
