"""The partnership-management pages render, do what they say, and refuse who may not."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clusterbroker.plans.models import Action, Kpi, KpiValue, PlanVisibility, SwotItem, TargetMarket

from ..factories import PartnershipFactory
from .factories import ActionFactory, ComputedKpiFactory, ManualKpiFactory

pytestmark = pytest.mark.django_db


def field_paragraph(body: str, name: str) -> str:
    """The form's `<p>` holding the input called `name`: its label, widget and errors."""
    for paragraph in re.findall(r"<p>.*?</p>", body, flags=re.S):
        if f'name="{name}"' in paragraph:
            return paragraph
    raise AssertionError(f"no field {name} in the page")


def publish(partnership, **sections) -> None:
    PlanVisibility.objects.update_or_create(partnership=partnership, defaults=sections)


def test_index_lists_searches_and_pages_partnerships(world, client):
    PartnershipFactory.create_batch(30)
    body = client.get("/plans/?q=alpine").content.decode()
    assert "Alpine Motors" in body and "Baltic Link" not in body
    first = client.get("/plans/").content.decode()
    assert "Page 1 of 2" in first


def test_action_plan_page_shows_timeline_actions_and_warnings_to_members(world):
    ActionFactory(
        partnership=world.partnership,
        title="Study visit to Turin",
        lead=world.cluster,
        end=dt.date(2020, 1, 1),
        start=dt.date(2019, 6, 1),
    )
    body = world.client(world.company_user).get("/plans/alpine-motors/").content.decode()
    assert "Study visit to Turin" in body
    assert 'id="gantt"' in body and "bar-overdue" in body
    assert 'data-warning="overdue"' in body and 'data-warning="no_action_led"' in body
    assert "Add an action" not in body


def test_the_public_sees_the_action_plan_only_when_published(world, client):
    ActionFactory(partnership=world.partnership, title="Study visit to Turin", lead=world.cluster)
    assert client.get("/plans/alpine-motors/").status_code == 404
    assert world.client(world.outsider).get("/plans/alpine-motors/").status_code == 404
    publish(world.partnership, action_plan=True)
    body = client.get("/plans/alpine-motors/").content.decode()
    assert "Study visit to Turin" in body
    assert "data-warning" not in body  # warnings are for members
    assert client.get("/plans/alpine-motors/kpis/").status_code == 404


def test_manager_adds_an_action_with_lead_and_contributors(world):
    manager = world.client(world.partnership_manager)
    assert "Add an action" in manager.get("/plans/alpine-motors/").content.decode()
    response = manager.post(
        "/plans/alpine-motors/actions/new/",
        {
            "number": "",
            "title": "Joint roadmap on industry 4.0",
            "phase": "preparation",
            "lead": world.cluster.pk,
            "contributors": [world.member_company.pk],
            "start": "2026-01-01",
            "end": "2026-06-30",
            "status": "in_progress",
            "budget": "12000",
            "funding_source": "interreg",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.number, action.lead, action.funding_source) == (1, world.cluster, "interreg")
    assert list(action.contributors.all()) == [world.member_company]


def test_the_action_form_shows_errors_next_to_the_field(world):
    response = world.client(world.partnership_manager).post(
        "/plans/alpine-motors/actions/new/",
        {
            "title": "Backwards",
            "phase": "preparation",
            "status": "planned",
            "start": "2026-05-01",
            "end": "2026-04-01",
        },
    )
    assert response.status_code == 400
    assert "ends before it starts" in field_paragraph(response.content.decode(), "end")


def test_only_managers_change_the_action_plan(world):
    action = ActionFactory(partnership=world.partnership, lead=world.cluster)
    for user in (world.company_user, world.other_partnership_manager, world.cluster_manager):
        client = world.client(user)
        assert client.get("/plans/alpine-motors/actions/new/").status_code == 403
        assert client.post(f"/plans/alpine-motors/actions/{action.pk}/delete/").status_code == 403
    assert Action.objects.filter(pk=action.pk).exists()
    admin = world.client(world.admin)
    assert admin.post(f"/plans/alpine-motors/actions/{action.pk}/delete/").status_code == 302
    assert not Action.objects.exists()


def test_dashboard_shows_values_targets_and_how_they_were_computed(world):
    ComputedKpiFactory(partnership=world.partnership, name="B2B meetings held", target=40)
    body = world.client(world.company_user).get("/plans/alpine-motors/kpis/").content.decode()
    assert "B2B meetings held" in body
    assert "marked as “took place”" in body  # the explanation of the measure
    assert 'class="bullet"' in body
    assert "Add a KPI" not in body


def test_manager_defines_a_computed_kpi(world):
    response = world.client(world.partnership_manager).post(
        "/plans/alpine-motors/kpis/new/",
        {
            "name": "Agreements",
            "source": "computed",
            "measure": "agreements_signed",
            "target": "10",
            "position": "1",
        },
    )
    assert response.status_code == 302
    assert Kpi.objects.get().measure == "agreements_signed"


def test_manager_enters_a_value_with_an_evidence_document(world):
    kpi = ManualKpiFactory(partnership=world.partnership, name="Clusters benefited", target=10)
    manager = world.client(world.partnership_manager)
    url = f"/plans/alpine-motors/kpis/{kpi.pk}/values/new/"
    refused = manager.post(url, {"value": "31", "as_of": "2025-11-01"})
    assert refused.status_code == 400
    assert "document or a link" in field_paragraph(refused.content.decode(), "evidence_url")
    upload = SimpleUploadedFile("final report.pdf", b"%PDF-1.4 report", "application/pdf")
    response = manager.post(url, {"value": "31", "as_of": "2025-11-01", "document": upload})
    assert response.status_code == 302
    entry = KpiValue.objects.get()
    assert entry.entered_by == world.partnership_manager
    body = manager.get("/plans/alpine-motors/kpis/").content.decode()
    assert "final report.pdf" in body and ">31<" in body
    download = manager.get(f"/plans/alpine-motors/evidence/{entry.pk}/")
    assert download.content == b"%PDF-1.4 report"
    assert 'filename="final-report.pdf"' in download["Content-Disposition"]


def test_evidence_is_for_members_only_even_when_kpis_are_public(world, client):
    kpi = ManualKpiFactory(partnership=world.partnership)
    upload = SimpleUploadedFile("agreement.pdf", b"secret", "application/pdf")
    world.client(world.partnership_manager).post(
        f"/plans/alpine-motors/kpis/{kpi.pk}/values/new/",
        {"value": "2", "as_of": "2025-11-01", "document": upload},
    )
    entry = KpiValue.objects.get()
    publish(world.partnership, kpis=True)
    public = client.get("/plans/alpine-motors/kpis/").content.decode()
    assert "agreement.pdf" not in public
    assert world.partnership_manager.get_username() not in public
    member_page = world.client(world.company_user).get("/plans/alpine-motors/kpis/")
    assert f"Entered by {world.partnership_manager.get_username()}" in member_page.content.decode()
    outsider = world.client(world.outsider)
    assert outsider.get(f"/plans/alpine-motors/evidence/{entry.pk}/").status_code == 404
    member = world.client(world.company_user)
    assert member.get(f"/plans/alpine-motors/evidence/{entry.pk}/").content == b"secret"


def test_a_computed_kpi_has_no_value_form(world):
    kpi = ComputedKpiFactory(partnership=world.partnership)
    response = world.client(world.partnership_manager).post(
        f"/plans/alpine-motors/kpis/{kpi.pk}/values/new/",
        {"value": "99", "as_of": "2025-11-01", "evidence_url": "https://example.org/"},
    )
    assert response.status_code == 302
    assert not KpiValue.objects.exists()


def test_report_page_and_files(world):
    ComputedKpiFactory(partnership=world.partnership, name="Meetings held", target=40)
    member = world.client(world.company_user)
    body = member.get("/plans/alpine-motors/report/").content.decode()
    assert 'id="kpi-table"' in body and "Meetings held" in body and "Precision Parts" in body
    pdf = member.get("/plans/alpine-motors/report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = member.get("/plans/alpine-motors/report.xlsx")
    assert xlsx.content[:2] == b"PK"
    assert "alpine-motors-report-" in xlsx["Content-Disposition"]


def test_report_is_hidden_from_the_public_until_published(world, client):
    assert client.get("/plans/alpine-motors/report.pdf").status_code == 404
    publish(world.partnership, report=True)
    assert client.get("/plans/alpine-motors/report.pdf").status_code == 200
    public = client.get("/plans/alpine-motors/report/").content.decode()
    assert "Precision Parts" in public and "leads no action" not in public
    member = world.client(world.company_user).get("/plans/alpine-motors/report/")
    assert "Precision Parts leads no action" in member.content.decode()


def test_strategy_page_shows_swot_markets_and_roadmap(world):
    SwotItem.objects.create(partnership=world.partnership, quadrant="threat", text="Tariffs")
    TargetMarket.objects.create(partnership=world.partnership, country="BR", status="main")
    ActionFactory(partnership=world.partnership, title="Soft landing", horizon="5y")
    body = world.client(world.company_user).get("/plans/alpine-motors/strategy/").content.decode()
    assert "Tariffs" in body and "BR" in body and "Soft landing" in body
    assert "Add a SWOT point" not in body


def test_manager_adds_swot_points_and_target_markets(world):
    manager = world.client(world.partnership_manager)
    assert (
        manager.post(
            "/plans/alpine-motors/strategy/swot/", {"quadrant": "strength", "text": "Experience"}
        ).status_code
        == 302
    )
    assert (
        manager.post(
            "/plans/alpine-motors/strategy/markets/", {"country": "us", "status": "main"}
        ).status_code
        == 302
    )
    bad = manager.post(
        "/plans/alpine-motors/strategy/markets/", {"country": "XX", "status": "main"}
    )
    assert bad.status_code == 400
    assert "ISO 3166-1" in field_paragraph(bad.content.decode(), "country")
    assert list(TargetMarket.objects.values_list("country", flat=True)) == ["US"]
    assert SwotItem.objects.get().text == "Experience"


def test_non_managers_cannot_change_the_strategy(world):
    member = world.client(world.company_user)
    assert (
        member.post(
            "/plans/alpine-motors/strategy/swot/", {"quadrant": "strength", "text": "x"}
        ).status_code
        == 403
    )
    assert not SwotItem.objects.exists()


def test_manager_publishes_sections(world, client):
    manager = world.client(world.partnership_manager)
    assert (
        world.client(world.company_user).get("/plans/alpine-motors/publication/").status_code == 403
    )
    response = manager.post("/plans/alpine-motors/publication/", {"kpis": "on"})
    assert response.status_code == 302
    assert client.get("/plans/alpine-motors/kpis/").status_code == 200
    assert client.get("/plans/alpine-motors/strategy/").status_code == 404


def test_only_managers_define_kpis_and_enter_values(world):
    kpi = ManualKpiFactory(partnership=world.partnership)
    for user in (world.company_user, world.other_partnership_manager):
        client = world.client(user)
        assert client.get("/plans/alpine-motors/kpis/new/").status_code == 403
        assert client.get(f"/plans/alpine-motors/kpis/{kpi.pk}/").status_code == 403
        response = client.post(
            f"/plans/alpine-motors/kpis/{kpi.pk}/values/new/",
            {"value": "5", "as_of": "2025-01-01", "evidence_url": "https://example.org/"},
        )
        assert response.status_code == 403
    assert not KpiValue.objects.exists()


def test_manager_deletes_a_kpi_and_others_cannot(world):
    kpi = ComputedKpiFactory(partnership=world.partnership)
    url = f"/plans/alpine-motors/kpis/{kpi.pk}/delete/"
    assert world.client(world.company_user).post(url).status_code == 403
    assert world.client(world.partnership_manager).post(url).status_code == 302
    assert not Kpi.objects.exists()
