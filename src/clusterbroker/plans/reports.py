"""The partnership report for funders: one set of figures, three forms (page, PDF, XLSX).

The PDF is drawn in `report_pdf`; the figures and the tables shared by the three are here."""

import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from clusterbroker.events.services import EventFigures, event_figures
from clusterbroker.importers.tabular import neutralise, sheet_name
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


def number_text(value: Decimal | None, *, localize: bool = True) -> str:
    """A figure as the reader writes it: whole numbers without decimals, others with two,
    in the active language's format ("1234.5" reads "1234,50" in French). Unlocalized, it
    is the plain form a workbook reads back as a number."""
    if value is None:
        return "–"
    places = 0 if value == value.to_integral() else 2
    if not localize:
        return f"{value.normalize():f}" if places == 0 else f"{value:.2f}"
    return formats.number_format(value, places, use_l10n=True)


def share_text(share: float | None) -> str:
    """A share of a target as a whole percentage ("20%"), "–" without one."""
    if share is None:
        return "–"
    return f"{formats.number_format(round(share * 100), 0, use_l10n=True)}%"


def kpi_rows(report: PartnershipReport, *, localize: bool = True) -> list[list[str]]:
    """The KPI table as text: header, then one row per KPI (figures in the active
    language's format, or, with `localize=False`, in the plain form of a workbook)."""
    rows = [[_("KPI"), _("Unit"), _("Target"), _("Achieved"), _("Share of target"), _("Source")]]
    for reading in report.kpis:
        rows.append(
            [
                reading.kpi.name,
                reading.kpi.unit,
                number_text(reading.kpi.target, localize=localize),
                number_text(reading.value, localize=localize),
                share_text(reading.share),
                reading.kpi.get_source_display(),
            ]
        )
    return rows


def day_text(value: dt.date | None, *, localize: bool = True) -> str:
    """A day as the reader writes it ("30 juin 2026" in French); unlocalized, in ISO form
    (2026-06-30), which a workbook sorts."""
    if value is None:
        return ""
    return formats.date_format(value, "DATE_FORMAT") if localize else value.isoformat()


def detail_sections(
    report: PartnershipReport, *, localize: bool = True
) -> list[tuple[str, list[list[str]]]]:
    """The tables after the KPIs, in order (action plan, events, surveys when there are
    any, members, competences), as (title, rows with a header row); days in the active
    language's format, or, with `localize=False`, in ISO form."""
    from clusterbroker.surveys.report_section import report_section

    matrix = report.matrix
    surveys = report_section(
        report.partnership,
        report.period_start,
        report.period_end,
        report.made_on,
        localize=localize,
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
                    day_text(a.start, localize=localize),
                    day_text(a.end, localize=localize),
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
                    day_text(e.start, localize=localize),
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
    # Figures stay plain so the workbook reads them as numbers; titles and headers are in
    # the active language.
    sections = [
        (_("KPIs against targets"), kpi_rows(report, localize=False)),
        *detail_sections(report, localize=False),
    ]
    for title, rows in sections:
        sheet = workbook.create_sheet(sheet_name(title))
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
