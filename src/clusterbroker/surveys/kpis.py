"""Survey figures for the partnership's KPIs, in the form of `plans.kpis` measures: the day
each counted record counts from, for one partnership and one period."""

import datetime as dt

from django.db.models import Min

from clusterbroker.plans.kpis import Period

from .models import Invitation, Response


def dates_organisations_surveyed(
    partnership_id: int, period: Period, today: dt.date
) -> list[dt.date]:
    """Each organisation asked by the partnership's surveys opened in the period, once, on
    the day the first of them opened."""
    invitations = Invitation.objects.filter(
        period.filter("survey__opens_on"),
        survey__partnership_id=partnership_id,
        survey__opens_on__lte=today,
    )
    return list(
        invitations.values("organisation_id")
        .annotate(first=Min("survey__opens_on"))
        .values_list("first", flat=True)
    )


def dates_organisations_answered(
    partnership_id: int, period: Period, today: dt.date
) -> list[dt.date]:
    """Each organisation that submitted an answer to one of those surveys, once."""
    responses = Response.objects.filter(
        period.filter("survey__opens_on"),
        survey__partnership_id=partnership_id,
        survey__opens_on__lte=today,
        submitted_at__isnull=False,
    )
    return list(
        responses.values("organisation_id")
        .annotate(first=Min("survey__opens_on"))
        .values_list("first", flat=True)
    )
