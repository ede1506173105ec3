"""The surveys' section of the funder report writes its days as the rest of the report does:
in the reader's language, or in ISO form for the workbook."""

import datetime as dt

from django.utils import translation

from clusterbroker.plans.reports import day_text
from clusterbroker.surveys.report_section import report_section

from .factories import TODAY

YEAR_START, YEAR_END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def dates_cell(scene, **kwargs) -> str:
    _title, rows = report_section(scene.partnership, YEAR_START, YEAR_END, TODAY, **kwargs)
    return rows[1][1]


def test_in_french_the_survey_runs_from_a_french_day_to_another(scene):
    with translation.override("fr"):
        cell = dates_cell(scene)
        opened = translation.gettext("(open)")
    assert cell == f"1 juin 2026 – 30 juin 2026 {opened}"
    assert "2026-06" not in cell


def test_the_days_are_the_reports_own(scene):
    with translation.override("de"):
        cell = dates_cell(scene)
        days = f"{day_text(dt.date(2026, 6, 1))} – {day_text(dt.date(2026, 6, 30))}"
    assert cell.startswith(days) and "Juni" in days


def test_the_workbook_keeps_iso_days(scene):
    with translation.override("fr"):
        assert dates_cell(scene, localize=False).startswith("2026-06-01 – 2026-06-30")
