"""The partnership report: the same figures as a page, a PDF and a workbook."""

import base64
import datetime as dt
import io
import re
import zlib
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from clusterbroker.plans import services
from clusterbroker.plans.reports import build_report, kpi_rows, report_pdf, report_xlsx

from .factories import ActionFactory, ComputedKpiFactory, ManualKpiFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)


def pdf_text(content: bytes) -> str:
    """The text drawn on the PDF's pages (ReportLab's compressed content streams)."""
    assert content.startswith(b"%PDF")
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", content, flags=re.S):
        data = stream.strip()
        if data.endswith(b"~>"):  # ASCII85, then deflate
            data = base64.a85decode(data[:-2])
        try:
            chunks.append(zlib.decompress(data).decode("latin-1"))
        except zlib.error:
            continue  # an image or a font, not text
    return " ".join(re.findall(r"\((.*?)\)\s*Tj", " ".join(chunks)))


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
