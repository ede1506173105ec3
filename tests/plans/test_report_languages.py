"""The funder report in the reader's language: headings, dates and figures of the PDF, the
sheet names of the workbook, and the page, in the requesting user's language."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import formats, translation
from openpyxl import load_workbook

from clusterbroker.importers.tabular import sheet_name
from clusterbroker.plans import services
from clusterbroker.plans.report_pdf import report_pdf
from clusterbroker.plans.reports import build_report, kpi_rows, report_xlsx
from clusterbroker.plans.sample_data import load_plan_sample_data
from clusterbroker.registry.models import Partnership
from clusterbroker.registry.sample_data import load_sample_data

from ..pdf_text import pdf_pages
from .factories import ManualKpiFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)
LANGUAGES = [("en", "English"), ("fr", "Français"), ("de", "Deutsch"), ("fi", "Suomi")]


@pytest.fixture
def sample(db, settings):
    """The sample partnership, with a KPI whose target and value have decimals."""
    settings.LANGUAGES = LANGUAGES
    load_sample_data()
    load_plan_sample_data()
    partnership = Partnership.objects.get(slug="four-motors")
    kpi = ManualKpiFactory(
        partnership=partnership, name="Hours of coaching", unit="h", target=Decimal("1234.5")
    )
    services.record_kpi_value(
        kpi,
        value=Decimal("617.25"),
        as_of=dt.date(2026, 3, 1),
        entered_by=None,
        evidence_url="https://example.org/",
    )
    return partnership


def _pdf(partnership: Partnership, language: str) -> list[str]:
    with translation.override(language):
        return pdf_pages(report_pdf(build_report(partnership, TODAY)))


@pytest.mark.parametrize(
    ("language", "month", "decimal"),
    [("fr", "juin", "1234,50"), ("de", "Juni", "1234,50")],
)
def test_the_pdf_is_written_in_the_readers_language(sample, language, month, decimal):
    pages = _pdf(sample, language)
    text = " ".join(pages)
    cover, summary = pages[0], pages[1]
    with translation.override(language):
        headings = {
            "cover": translation.gettext("Partnership report"),
            "summary": translation.gettext("Summary"),
            "kpis": translation.gettext("KPIs against targets"),
            "plan": translation.gettext("Action plan"),
            "page": translation.gettext("Page %(number)s of %(total)s")
            % {"number": 2, "total": len(pages)},
            "as of": translation.gettext("Report as of"),
        }
    assert headings["cover"] != "Partnership report"  # the catalogue is there
    assert headings["cover"] in cover and headings["as of"] in cover
    assert headings["summary"] in summary and headings["kpis"] in summary
    assert headings["plan"] in text
    assert headings["page"] in pages[1]
    # The day of the report with the month's name in the language, not in English.
    assert f"30 {month} 2026" in cover.replace("30. ", "30 ")
    assert "June" not in cover
    # The KPI with decimals: its target with a decimal comma, not a point.
    assert decimal in summary and "617,25" in summary
    assert "1234.50" not in text and "617.25" not in text
    assert "Partnership report" not in text and "Summary" not in summary
    # The action plan's days are written in the language too, as on the page.
    first = sample.actions.order_by("number").first()
    with translation.override(language):
        start = formats.date_format(first.start, "DATE_FORMAT")
    assert month in start  # its first action starts in June
    assert start in " ".join(pages[2:]) and first.start.isoformat() not in text


def test_the_english_pdf_is_unchanged(sample):
    pages = _pdf(sample, "en")
    cover, summary = pages[0], pages[1]
    assert "Partnership report" in cover and "30 June 2026" in cover
    assert "Summary" in summary and "KPIs against targets" in summary
    assert "1234.50" in summary and "617.25" in summary and "50%" in summary
    assert f"Page 2 of {len(pages)}" in pages[1]


def test_the_workbook_names_its_sheets_in_the_readers_language(sample):
    with translation.override("fr"):
        content = report_xlsx(build_report(sample, TODAY))
        expected = [
            translation.gettext("KPIs against targets"),
            translation.gettext("Action plan"),
            translation.gettext("Members"),
        ]
        header = translation.gettext("Target")
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames[0] == expected[0] != "KPIs against targets"
    assert set(expected) <= set(workbook.sheetnames)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert header in rows[0]
    # Figures stay numbers the spreadsheet can add up, whatever the language.
    coaching = next(row for row in rows if row[0] == "Hours of coaching")
    assert coaching[2:4] == (1234.5, 617.25)
    # Days stay in ISO form, which a spreadsheet sorts.
    first = sample.actions.order_by("number").first()
    plan = list(workbook[expected[1]].iter_rows(values_only=True))
    assert plan[1][4] == first.start.isoformat()


def test_a_sheet_name_never_holds_what_a_workbook_refuses(sample):
    # The Finnish title of the KPI sheet holds a colon, which no sheet name may.
    with translation.override("fi"):
        title = translation.gettext("KPIs against targets")
        content = report_xlsx(build_report(sample, TODAY))
    assert ":" in title
    assert load_workbook(io.BytesIO(content)).sheetnames[0] == sheet_name(title)
    assert sheet_name("A/B: [c]? *d'") == "AB c d"
    assert len(sheet_name("x" * 40)) == 31


def test_the_kpi_table_is_written_with_the_languages_figures(sample):
    report = build_report(sample, TODAY)
    with translation.override("fr"):
        row = next(r for r in kpi_rows(report) if r[0] == "Hours of coaching")
    assert row[2:5] == ["1234,50", "617,25", "50%"]
    row = next(r for r in kpi_rows(report, localize=False) if r[0] == "Hours of coaching")
    assert row[2:4] == ["1234.50", "617.25"]


def test_the_report_follows_the_requesting_users_language(sample, world):
    client = world.client(world.admin)
    url = f"/plans/{sample.slug}/report"
    with translation.override("fr"):
        title = translation.gettext("Partnership report")
        summary = translation.gettext("Summary")
    page = client.get(f"{url}/?lang=fr").content.decode()
    assert title in page and "15 juin 2016" in page and "1234,5" in page
    pdf = client.get(f"{url}.pdf?lang=fr")
    assert pdf.status_code == 200
    pages = pdf_pages(pdf.content)
    assert (summary) in pages[1] and "1234,50" in pages[1]
    english = pdf_pages(client.get(f"{url}.pdf?lang=en").content)
    assert "Summary" in english[1] and "1234.50" in english[1]


def test_romanian_letters_and_names_beyond_western_europe_get_an_embedded_font(sample, settings):
    # Helvetica, the PDF's standard font, draws no ș, ț or ł: such a report embeds DejaVu
    # Sans (where it is installed); a report it draws stays without an embedded font.
    from clusterbroker.community.evaluation.certificate import fonts

    if fonts()["regular"] == "Helvetica":
        pytest.skip("DejaVu Sans is not installed")
    settings.LANGUAGES = [*LANGUAGES, ("ro", "Română")]
    english = report_pdf(build_report(sample, TODAY))
    assert b"/FontFile2" not in english
    with translation.override("ro"):
        romanian = report_pdf(build_report(sample, TODAY))
    assert b"/FontFile2" in romanian
    sample.name = "Łódź Industry Cluster"
    sample.save()
    assert b"/FontFile2" in report_pdf(build_report(sample, TODAY))
