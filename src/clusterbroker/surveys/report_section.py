"""The surveys' part of the partnership report for funders: for each survey of the
partnership that has opened and runs during the report period, its response rate and the
areas most respondents chose.

`survey_summaries` gives the figures; `report_section` gives them as a titled table (a
header row, then text rows) in the form of the report's other tables, its days written as
theirs are (`plans.reports.day_text`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from clusterbroker.plans.reports import day_text
from clusterbroker.registry.models import Partnership

from .models import QuestionKind, Survey
from .services import ResponseRate, SurveyResults, survey_results

TOP_AREAS = 5


@dataclass(frozen=True)
class AreaShare:
    """An area respondents chose: how many chose it and their share of the respondents."""

    label: str
    question: str
    respondents: int
    share: float

    @property
    def percent(self) -> int:
        return round(self.share * 100)


@dataclass(frozen=True)
class SurveySummary(ResponseRate):
    title: str
    opens_on: dt.date
    closes_on: dt.date
    status: str  # "open" or "closed"
    asked: int
    answered: int
    # The areas most chosen over the survey's questions on areas, most chosen first.
    top_areas: tuple[AreaShare, ...]


def report_surveys(
    partnership: Partnership, start: dt.date | None, end: dt.date | None, today: dt.date
) -> QuerySet[Survey]:
    """The partnership's surveys that have opened by `today` and run for part of the period
    (an open side of the period does not limit), first opened first."""
    surveys = Survey.objects.filter(partnership=partnership, opens_on__lte=today)
    if start:
        surveys = surveys.filter(closes_on__gte=start)
    if end:
        surveys = surveys.filter(opens_on__lte=end)
    return surveys.order_by("opens_on", "title", "pk")


def top_areas(results: SurveyResults, most: int = TOP_AREAS) -> tuple[AreaShare, ...]:
    """The `most` areas chosen by the most respondents, over every question on areas (the
    question order breaks ties, then each question's own ranking)."""
    ranked = [
        (
            -row.count,
            position,
            rank,
            AreaShare(row.label, result.question.text, row.count, row.share),
        )
        for position, result in enumerate(results.questions)
        if result.question.kind == QuestionKind.TERMS
        for rank, row in enumerate(result.rows)
    ]
    ranked.sort(key=lambda item: item[:3])
    return tuple(item[3] for item in ranked[:most])


def survey_summaries(
    partnership: Partnership, start: dt.date | None, end: dt.date | None, today: dt.date
) -> list[SurveySummary]:
    """One summary per survey of the partnership in the period, as of `today`."""
    summaries = []
    for survey in report_surveys(partnership, start, end, today):
        results = survey_results(survey)
        summaries.append(
            SurveySummary(
                title=survey.title,
                opens_on=survey.opens_on,
                closes_on=survey.closes_on,
                status=survey.status(today),
                asked=results.asked,
                answered=results.answered,
                top_areas=top_areas(results),
            )
        )
    return summaries


def report_section(
    partnership: Partnership,
    start: dt.date | None,
    end: dt.date | None,
    today: dt.date,
    *,
    localize: bool = True,
) -> tuple[str, list[list[str]]]:
    """The surveys as a report table: its title and rows, the first row the header. Each
    survey takes one row per top area (the survey's own cells on its first row only); a
    survey without areas chosen takes one row. Days are in the active language's format,
    or, with `localize=False`, in ISO form (for a workbook)."""
    header = [
        _("Survey"),
        _("Dates"),
        _("Answered"),
        _("Response rate"),
        _("Top areas"),
        _("Share of respondents"),
    ]
    rows = [header]
    for summary in survey_summaries(partnership, start, end, today):
        opens = day_text(summary.opens_on, localize=localize)
        closes = day_text(summary.closes_on, localize=localize)
        dates = f"{opens} – {closes}"
        if summary.status == "open":
            dates += " " + _("(open)")
        first = [
            summary.title,
            dates,
            _("%(answered)s of %(asked)s") % {"answered": summary.answered, "asked": summary.asked},
            f"{summary.response_percent} %",
        ]
        areas = summary.top_areas or (None,)
        for index, area in enumerate(areas):
            cells = first if index == 0 else ["", "", "", ""]
            if area is None:
                rows.append([*cells, "", ""])
            else:
                rows.append([*cells, area.label, f"{area.percent} %"])
    return _("Surveys"), rows
