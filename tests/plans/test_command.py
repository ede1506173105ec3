"""`clusterbroker kpis PARTNERSHIP` prints the KPI table and writes the report files."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from clusterbroker.plans.models import TargetMarket
from clusterbroker.plans.services import target_markets

from .factories import ComputedKpiFactory

pytestmark = pytest.mark.django_db


def test_the_command_prints_kpis_and_writes_the_workbook(world, tmp_path):
    ComputedKpiFactory(partnership=world.partnership, name="Meetings held", target=40)
    out = io.StringIO()
    target = tmp_path / "report.xlsx"
    call_command("kpis", "alpine-motors", "--on", "2026-06-30", "--xlsx", str(target), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split()[:2] == ["KPI", "Unit"]
    assert lines[1].split()[:4] == ["Meetings", "held", "40", "0"]
    assert load_workbook(target).worksheets[0]["A2"].value == "Meetings held"


def test_the_command_names_an_unknown_partnership(db):
    with pytest.raises(CommandError, match="No partnership 'nowhere'"):
        call_command("kpis", "nowhere")


def test_target_markets_list_main_targets_first(world):
    for country, status in (
        ("CA", "candidate"),
        ("MX", "fallback"),
        ("US", "main"),
        ("BR", "main"),
    ):
        TargetMarket.objects.create(partnership=world.partnership, country=country, status=status)
    assert [m.country for m in target_markets(world.partnership)] == ["BR", "US", "CA", "MX"]


def test_the_action_plan_links_the_member_clusters_roadmaps(world):
    body = world.client(world.company_user).get("/plans/alpine-motors/").content.decode()
    assert "/plans/roadmaps/mecha-cluster/" in body
