"""The partnership report for funders: one set of figures, three forms (page, PDF, XLSX).

The PDF is drawn in `report_pdf`; the figures and the tables shared by the three are here."""

import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from clusterbroker.events.services import EventFigures, event_figures
from clusterbroker.importers.tabular import neutralise
from clusterbroker.registry.matrix import CompetenceMatrix
from clusterbroker.registry.models import Partnership
from clusterbroker.registry.services import competence_matrix

from .models import ActionStatus
from .services import KpiReading, action_plan_warnings, is_overdue, read_kpis

# Figures the report writes as numbers in the workbook; any other text stays text.
PLAIN_NUMBER = re.compile(r"-?\d{1,15}(\.\d{1,6})?", flags=re.ASCII)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class MemberLine:
    name: str
    country: str
    kind: str
    role: str


@dataclass(frozen=True)
class ActionLine:
    number: int
    title: str
    phase: str
    lead: str
    start: dt.date | None
    end: dt.date | None
    status: str
    overdue: bool


@dataclass(frozen=True)
class EventLine:
    name: str
    start: dt.date
    figures: EventFigures


@dataclass(frozen=True)
class PartnershipReport:
    partnership: Partnership
    made_on: dt.date
    members: tuple[MemberLine, ...]
    matrix: CompetenceMatrix
    actions: tuple[ActionLine, ...]
    status_counts: dict[str, int]
    warnings: tuple[str, ...]
    kpis: tuple[KpiReading, ...]
    events: tuple[EventLine, ...]
    # The partnership's dates, or else the span of its action plan.
    period_start: dt.date | None = None
    period_end: dt.date | None = None


def build_report(partnership: Partnership, today: dt.date) -> PartnershipReport:
    """Gather everything the report shows, as of `today`."""
    members = tuple(
        MemberLine(
            m.organisation.name,
            m.organisation.country,
            m.organisation.get_kind_display(),
            m.get_role_display(),
        )
        for m in partnership.memberships.select_related("organisation")
    )
    actions = list(partnership.actions.select_related("lead"))
    counts = Counter(a.get_status_display() for a in actions)
    starts = [a.start for a in actions if a.start]
    ends = [a.end for a in actions if a.end]
    return PartnershipReport(
        period_start=partnership.start or min(starts, default=None),
        period_end=partnership.end or max(ends, default=None),
        partnership=partnership,
        made_on=today,
        members=members,
        matrix=competence_matrix(partnership),
        actions=tuple(
            ActionLine(
                a.number,
                a.title,
                a.get_phase_display(),
                a.lead.name if a.lead else "",
                a.start,
                a.end,
                a.get_status_display(),
                is_overdue(a, today),
            )
            for a in actions
        ),
        status_counts={str(label): counts.get(str(label), 0) for _v, label in ActionStatus.choices},
        warnings=tuple(w.message for w in action_plan_warnings(partnership, today)),
        kpis=tuple(read_kpis(partnership, today)),
        events=tuple(
            EventLine(e.name, e.start_date, event_figures(e))
            for e in partnership.events.order_by("start_date")
        ),
    )


def number_text(value: Decimal | None) -> str:
    if value is None:
        return "–"
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}"


def kpi_rows(report: PartnershipReport) -> list[list[str]]:
    """The KPI table as text: header, then one row per KPI."""
    rows = [[_("KPI"), _("Unit"), _("Target"), _("Achieved"), _("Share of target"), _("Source")]]
    for reading in report.kpis:
        share = reading.share
        rows.append(
            [
                reading.kpi.name,
                reading.kpi.unit,
                number_text(reading.kpi.target),
                number_text(reading.value),
                "–" if share is None else f"{share:.0%}",
                reading.kpi.get_source_display(),
            ]
        )
    return rows


def detail_sections(report: PartnershipReport) -> list[tuple[str, list[list[str]]]]:
    """The tables after the KPIs, in order (action plan, events, surveys when there are
    any, members, competences), as (title, rows with a header row)."""
    from clusterbroker.surveys.report_section import report_section

    matrix = report.matrix
    surveys = report_section(
        report.partnership, report.period_start, report.period_end, report.made_on
    )
    return [
        (
            _("Action plan"),
            [
                [
                    _("No."),
                    _("Action"),
                    _("Phase"),
                    _("Lead partner"),
                    _("Start"),
                    _("End"),
                    _("Status"),
                ]
            ]
            + [
                [
                    str(a.number),
                    a.title,
                    a.phase,
                    a.lead,
                    a.start.isoformat() if a.start else "",
                    a.end.isoformat() if a.end else "",
                    a.status + (" " + _("(overdue)") if a.overdue else ""),
                ]
                for a in report.actions
            ],
        ),
        (
            _("Events and their figures"),
            [[_("Event"), _("Date"), _("Participants"), _("Meetings held"), _("Agreements")]]
            + [
                [
                    e.name,
                    e.start.isoformat(),
                    str(e.figures.participants),
                    str(e.figures.held),
                    str(e.figures.agreements),
                ]
                for e in report.events
            ],
        ),
        *([surveys] if len(surveys[1]) > 1 else []),
        (
            _("Members"),
            [[_("Organisation"), _("Country"), _("Type"), _("Role")]]
            + [[m.name, m.country, m.kind, m.role] for m in report.members],
        ),
        (
            _("Competence matrix"),
            [[_("Member"), *[c.code for c in matrix.columns]]]
            + [[r.name, *[level or "" for level in r.levels]] for r in matrix.rows],
        ),
    ]


def report_xlsx(report: PartnershipReport) -> bytes:
    """The report as a workbook: one sheet per table, the KPI sheet first."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    sections = [(_("KPIs against targets"), kpi_rows(report)), *detail_sections(report)]
    for title, rows in sections:
        sheet = workbook.create_sheet(title[:31])
        for row in rows:
            sheet.append([_cell(v) for v in row])
        for header in sheet[1]:
            header.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: str) -> object:
    """Numbers stay numbers in the workbook so funders can add them up; text that a
    spreadsheet would run as a formula (`=HYPERLINK(…)` in a name) is written as text,
    without the control characters a workbook cannot hold."""
    if PLAIN_NUMBER.fullmatch(value):
        number = Decimal(value)
        return int(number) if number == number.to_integral() else float(number)
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
