"""The computed KPI measures: each counts records over one partnership and one period.

Plain inputs (a partnership id, first and last day, both optional) and plain outputs,
so the same counts serve the dashboard, the reports, the API and the CLI. What each
measure counts is written once, in `MEASURES`, and shown on the dashboard.
"""

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterbroker.events.models import Event, Meeting, MeetingOutcome, Participant
from clusterbroker.registry.models import Membership, Organisation, Project

from .models import Action, ActionStatus, Measure


@dataclass(frozen=True)
class Period:
    """First and last day, both included; None leaves that side open."""

    start: dt.date | None = None
    end: dt.date | None = None

    def filter(self, field: str) -> Q:
        """A filter keeping the rows whose date `field` falls in the period."""
        condition = Q()
        if self.start:
            condition &= Q(**{f"{field}__gte": self.start})
        if self.end:
            condition &= Q(**{f"{field}__lte": self.end})
        return condition

    def filter_moments(self, field: str) -> Q:
        """The same for a date-time `field`, by the local calendar day.

        Bounds are moments rather than a `__date` lookup so the database can use the
        column as it is instead of converting every row.
        """
        condition = Q()
        if self.start:
            condition &= Q(**{f"{field}__gte": _midnight(self.start)})
        if self.end:
            condition &= Q(**{f"{field}__lt": _midnight(self.end + dt.timedelta(days=1))})
        return condition


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _events_held(partnership_id: int, period: Period, today: dt.date) -> QuerySet[Event]:
    return Event.objects.filter(
        period.filter("start_date"), partnership_id=partnership_id, end_date__lte=today
    )


def _held_meetings(partnership_id: int, period: Period) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        period.filter_moments("start"),
        request__event__partnership_id=partnership_id,
        happened=True,
    )


def _participants(partnership_id: int, period: Period, today: dt.date) -> QuerySet[Participant]:
    return Participant.objects.filter(event__in=_events_held(partnership_id, period, today))


def member_countries(partnership_id: int) -> set[str]:
    """Countries of the partnership's members: "other countries" are the rest."""
    return set(
        Organisation.objects.filter(
            partnership_memberships__partnership_id=partnership_id
        ).values_list("country", flat=True)
    )


def _partnership_organisations(partnership_id: int) -> QuerySet[Organisation]:
    """The partnership's members and the members of its member clusters."""
    return Organisation.objects.filter(
        Q(partnership_memberships__partnership_id=partnership_id)
        | Q(memberships__cluster__partnership_memberships__partnership_id=partnership_id)
    )


def dates_events_held(partnership_id: int, period: Period, today: dt.date) -> list[dt.date]:
    return list(_events_held(partnership_id, period, today).values_list("start_date", flat=True))


def _local_days(moments) -> list[dt.date]:
    return [timezone.localtime(moment).date() for moment in moments]


def dates_meetings_held(partnership_id: int, period: Period, today: dt.date) -> list[dt.date]:
    meetings = _held_meetings(partnership_id, period).filter(
        start__lt=_midnight(today + dt.timedelta(days=1))
    )
    return _local_days(meetings.values_list("start", flat=True))


def dates_agreements_signed(partnership_id: int, period: Period, today: dt.date) -> list[dt.date]:
    meetings = _held_meetings(partnership_id, period).filter(
        start__lt=_midnight(today + dt.timedelta(days=1)), outcome=MeetingOutcome.AGREEMENT
    )
    return _local_days(meetings.values_list("start", flat=True))


def _first_participation(participants: QuerySet[Participant]) -> list[dt.date]:
    """Each organisation once, on the first day it took part."""
    return list(
        participants.values("organisation_id")
        .annotate(first=Min("event__start_date"))
        .values_list("first", flat=True)
    )


def dates_organisations_took_part(
    partnership_id: int, period: Period, today: dt.date
) -> list[dt.date]:
    return _first_participation(_participants(partnership_id, period, today))


def dates_foreign_organisations(
    partnership_id: int, period: Period, today: dt.date
) -> list[dt.date]:
    participants = _participants(partnership_id, period, today).exclude(
        organisation__country__in=member_countries(partnership_id)
    )
    return _first_participation(participants)


def dates_projects_started(partnership_id: int, period: Period, today: dt.date) -> list[dt.date]:
    organisations = _partnership_organisations(partnership_id).values("id")
    projects = Project.objects.filter(
        period.filter("start"),
        start__isnull=False,
        start__lte=today,
        participations__organisation__in=organisations,
    ).values("id")
    return list(Project.objects.filter(pk__in=projects).values_list("start", flat=True))


def dates_members_added(partnership_id: int, period: Period, today: dt.date) -> list[dt.date]:
    return list(
        Membership.objects.filter(
            period.filter("since"),
            since__isnull=False,
            since__lte=today,
            cluster__partnership_memberships__partnership_id=partnership_id,
        ).values_list("since", flat=True)
    )


def dates_actions_completed(partnership_id: int, period: Period, today: dt.date) -> list[dt.date]:
    return list(
        Action.objects.filter(
            period.filter("completed_on"),
            partnership_id=partnership_id,
            status=ActionStatus.DONE,
            completed_on__isnull=False,
            completed_on__lte=today,
        ).values_list("completed_on", flat=True)
    )


def dates_organisations_surveyed(
    partnership_id: int, period: Period, today: dt.date
) -> list[dt.date]:
    # Imported here: the surveys' figures build on this module's `Period`.
    from clusterbroker.surveys.kpis import dates_organisations_surveyed as dates

    return dates(partnership_id, period, today)


def dates_organisations_answered(
    partnership_id: int, period: Period, today: dt.date
) -> list[dt.date]:
    from clusterbroker.surveys.kpis import dates_organisations_answered as dates

    return dates(partnership_id, period, today)


@dataclass(frozen=True)
class MeasureDefinition:
    code: str
    label: str
    explanation: str
    # The day each counted record counts from: one query, then counting is plain Python.
    dates: Callable[[int, Period, dt.date], list[dt.date]]


MEASURES: dict[str, MeasureDefinition] = {
    definition.code: definition
    for definition in (
        MeasureDefinition(
            Measure.EVENTS_HELD,
            Measure.EVENTS_HELD.label,
            _(
                "Events of the partnership whose first day falls in the period and whose "
                "last day has passed."
            ),
            dates_events_held,
        ),
        MeasureDefinition(
            Measure.MEETINGS_HELD,
            Measure.MEETINGS_HELD.label,
            _(
                "Scheduled B2B meetings at the partnership's events, in the period, that the "
                "organisers marked as “took place”."
            ),
            dates_meetings_held,
        ),
        MeasureDefinition(
            Measure.AGREEMENTS_SIGNED,
            Measure.AGREEMENTS_SIGNED.label,
            _("B2B meetings held in the period whose recorded outcome is “agreement signed”."),
            dates_agreements_signed,
        ),
        MeasureDefinition(
            Measure.ORGANISATIONS_TOOK_PART,
            Measure.ORGANISATIONS_TOOK_PART.label,
            _(
                "Distinct organisations registered at the partnership's events held in the "
                "period (an organisation at several events counts once)."
            ),
            dates_organisations_took_part,
        ),
        MeasureDefinition(
            Measure.FOREIGN_ORGANISATIONS,
            Measure.FOREIGN_ORGANISATIONS.label,
            _(
                "Distinct organisations at the partnership's events held in the period whose "
                "country is not the country of any partnership member."
            ),
            dates_foreign_organisations,
        ),
        MeasureDefinition(
            Measure.PROJECTS_STARTED,
            Measure.PROJECTS_STARTED.label,
            _(
                "Projects starting in the period with at least one participant that is a "
                "partnership member or a member of one of its clusters."
            ),
            dates_projects_started,
        ),
        MeasureDefinition(
            Measure.MEMBERS_ADDED,
            Measure.MEMBERS_ADDED.label,
            _(
                "Organisations that joined one of the partnership's member clusters in the "
                "period (membership “since” date)."
            ),
            dates_members_added,
        ),
        MeasureDefinition(
            Measure.ACTIONS_COMPLETED,
            Measure.ACTIONS_COMPLETED.label,
            _("Actions of the partnership's action plan marked done in the period."),
            dates_actions_completed,
        ),
        MeasureDefinition(
            Measure.ORGANISATIONS_SURVEYED,
            Measure.ORGANISATIONS_SURVEYED.label,
            _(
                "Distinct organisations asked to answer the partnership's surveys that opened "
                "in the period (an organisation asked several times counts once)."
            ),
            dates_organisations_surveyed,
        ),
        MeasureDefinition(
            Measure.ORGANISATIONS_ANSWERED,
            Measure.ORGANISATIONS_ANSWERED.label,
            _(
                "Distinct organisations that submitted their answers to one of the "
                "partnership's surveys that opened in the period (drafts do not count)."
            ),
            dates_organisations_answered,
        ),
    )
}


def compute_measure(
    measure: str, partnership_id: int, period: Period, today: dt.date | None = None
) -> int:
    """Count `measure` over the partnership and the period, as known on `today`."""
    today = today or dt.date.today()
    return len(MEASURES[measure].dates(partnership_id, period, today))


def measure_history(
    measure: str, partnership_id: int, period: Period, today: dt.date
) -> list[tuple[dt.date, int]]:
    """The running count of `measure` from the period's start at each history point."""
    dates = sorted(MEASURES[measure].dates(partnership_id, period, today))
    return [(day, bisect_right(dates, day)) for day in history_points(period, today)]


def history_points(period: Period, today: dt.date, most: int = 12) -> list[dt.date]:
    """The dates a history is drawn at: month ends of the period up to today, at most `most`."""
    if period.start is None:
        return [min(today, period.end) if period.end else today]
    last = min(today, period.end) if period.end else today
    if last < period.start:
        return []
    months = []
    year, month = period.start.year, period.start.month
    while (year, month) <= (last.year, last.month):
        next_first = dt.date(year + month // 12, month % 12 + 1, 1)
        months.append(min(next_first - dt.timedelta(days=1), last))
        year, month = next_first.year, next_first.month
    step = max(1, -(-len(months) // most))
    # Thin from the end so the last point is always the latest value.
    return months[::-1][::step][::-1]
