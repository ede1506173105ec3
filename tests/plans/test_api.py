"""The partnership-management API: reads follow publication, writes are for managers."""

import datetime as dt

import pytest
from django.test import Client

from clusterbroker.plans.models import Action, Kpi, KpiValue, PlanVisibility, TargetMarket
from clusterbroker.registry.models import ApiToken

from ..events.factories import EventFactory
from .factories import ActionFactory, ComputedKpiFactory, ManualKpiFactory

pytestmark = pytest.mark.django_db

BASE = "/api/plans/alpine-motors"


def post(client: Client, url: str, payload: dict, method: str = "post", **headers):
    return getattr(client, method)(url, payload, content_type="application/json", **headers)


def test_openapi_lists_the_plan_endpoints(db, client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/plans/measures",
        "/api/plans/{slug}/actions",
        "/api/plans/{slug}/actions/{action_id}",
        "/api/plans/{slug}/warnings",
        "/api/plans/{slug}/kpis",
        "/api/plans/{slug}/kpis/{kpi_id}/values",
        "/api/plans/{slug}/strategy",
        "/api/plans/roadmaps/{org_slug}",
    ):
        assert path in paths


def test_members_read_the_action_plan_and_the_public_only_when_published(world, client):
    ActionFactory(partnership=world.partnership, title="Study visit", lead=world.cluster)
    assert client.get(f"{BASE}/actions").status_code == 404
    member = world.client(world.company_user).get(f"{BASE}/actions").json()
    assert [(a["title"], a["lead"]) for a in member] == [("Study visit", "mecha-cluster")]
    PlanVisibility.objects.create(partnership=world.partnership, action_plan=True)
    assert [a["title"] for a in client.get(f"{BASE}/actions").json()] == ["Study visit"]
    assert client.get(f"{BASE}/warnings").status_code == 404


def test_a_token_reads_as_its_user(world, client):
    ActionFactory(partnership=world.partnership, lead=world.cluster)
    _token, raw = ApiToken.issue(world.company_user, "reports")
    response = client.get(f"{BASE}/actions", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and len(response.json()) == 1


def test_manager_creates_changes_and_deletes_an_action(world):
    manager = world.client(world.partnership_manager)
    event = EventFactory(partnership=world.partnership, slug="turin-b2b")
    created = post(
        manager,
        f"{BASE}/actions",
        {
            "title": "Brokerage event in Turin",
            "phase": "implementation",
            "lead": "precision-parts",
            "contributors": ["mecha-cluster"],
            "start": "2026-03-01",
            "end": "2026-03-31",
            "funding_source": "cosme",
            "events": ["turin-b2b"],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["lead"], body["events"], body["number"]) == ("precision-parts", [event.slug], 1)
    changed = post(
        manager,
        f"{BASE}/actions/{body['id']}",
        {"title": "Brokerage event in Turin", "lead": "precision-parts", "status": "done"},
        method="put",
    )
    assert changed.json()["status"] == "done" and changed.json()["completed_on"] is not None
    assert manager.delete(f"{BASE}/actions/{body['id']}").status_code == 204
    assert not Action.objects.exists()


def test_an_action_led_by_an_outsider_is_refused_with_the_field(world):
    response = post(
        world.client(world.partnership_manager),
        f"{BASE}/actions",
        {"title": "Visit", "lead": "far-away"},
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("lead:")


def test_non_managers_cannot_write(world, client):
    action = ActionFactory(partnership=world.partnership, lead=world.cluster)
    assert post(client, f"{BASE}/actions", {"title": "x"}).status_code == 401
    for user in (world.company_user, world.other_partnership_manager):
        c = world.client(user)
        assert post(c, f"{BASE}/actions", {"title": "x"}).status_code == 403
        assert c.delete(f"{BASE}/actions/{action.pk}").status_code == 403
        assert post(c, f"{BASE}/kpis", {"name": "x", "source": "manual"}).status_code == 403
    assert Action.objects.count() == 1 and not Kpi.objects.exists()


def test_warnings_for_members(world):
    ActionFactory(
        partnership=world.partnership,
        lead=world.cluster,
        end=dt.date(2020, 1, 1),
        status="in_progress",
    )
    warnings = world.client(world.company_user).get(f"{BASE}/warnings").json()
    assert sorted(w["kind"] for w in warnings) == ["no_action_led", "overdue"]


def test_kpis_read_with_value_and_explanation(world):
    ComputedKpiFactory(partnership=world.partnership, name="Meetings", target=40)
    kpis = world.client(world.company_user).get(f"{BASE}/kpis").json()
    assert kpis[0]["name"] == "Meetings" and kpis[0]["value"] == "0"
    assert "took place" in kpis[0]["how"]


def test_manager_defines_kpis_and_enters_values_with_evidence(world):
    manager = world.client(world.partnership_manager)
    bad = post(manager, f"{BASE}/kpis", {"name": "Meetings", "source": "computed"})
    assert bad.status_code == 422 and "measure" in bad.json()["detail"]
    kpi = post(
        manager, f"{BASE}/kpis", {"name": "Agreements", "source": "manual", "target": "10"}
    ).json()
    url = f"{BASE}/kpis/{kpi['id']}/values"
    refused = post(manager, url, {"value": "2", "as_of": "2025-11-01"})
    assert refused.status_code == 422 and "evidence" in refused.json()["detail"]
    accepted = post(
        manager,
        url,
        {"value": "2", "as_of": "2025-11-01", "evidence_url": "https://example.org/mou.pdf"},
    )
    assert accepted.status_code == 201
    assert KpiValue.objects.get().entered_by == world.partnership_manager


def test_a_computed_kpi_value_cannot_be_posted(world):
    kpi = ComputedKpiFactory(partnership=world.partnership)
    response = post(
        world.client(world.partnership_manager),
        f"{BASE}/kpis/{kpi.pk}/values",
        {"value": "5", "as_of": "2025-11-01", "evidence_url": "https://example.org/"},
    )
    assert response.status_code == 422
    assert not KpiValue.objects.exists()


def test_manual_kpi_reads_its_latest_value(world):
    kpi = ManualKpiFactory(partnership=world.partnership, target=10)
    KpiValue.objects.create(
        kpi=kpi, value=31, as_of=dt.date(2025, 11, 1), evidence_url="https://e.org"
    )
    KpiValue.objects.create(
        kpi=kpi, value=12, as_of=dt.date(2025, 5, 1), evidence_url="https://e.org"
    )
    reading = world.client(world.company_user).get(f"{BASE}/kpis").json()[0]
    assert reading["value"] == "31.00" and reading["share_of_target"] == pytest.approx(3.1)
    assert [p["value"] for p in reading["history"]] == ["12.00", "31.00"]


def test_strategy_read_and_write(world, client):
    manager = world.client(world.partnership_manager)
    assert (
        post(
            manager, f"{BASE}/strategy/swot", {"quadrant": "threat", "text": "Tariffs"}
        ).status_code
        == 201
    )
    assert (
        post(manager, f"{BASE}/strategy/swot", {"quadrant": "nope", "text": "x"}).status_code == 422
    )
    assert (
        post(manager, f"{BASE}/strategy/markets", {"country": "br", "status": "main"}).status_code
        == 201
    )
    assert post(manager, f"{BASE}/strategy/markets", {"country": "ZZ"}).status_code == 422
    assert (
        post(
            world.client(world.company_user), f"{BASE}/strategy/markets", {"country": "CN"}
        ).status_code
        == 403
    )
    assert client.get(f"{BASE}/strategy").status_code == 404
    strategy = world.client(world.company_user).get(f"{BASE}/strategy").json()
    assert [m["country"] for m in strategy["target_markets"]] == ["BR"]
    assert strategy["swot"][0]["text"] == "Tariffs"
    assert TargetMarket.objects.count() == 1


def test_the_menu_of_measures_explains_each_one(db, client):
    measures = {m["code"]: m for m in client.get("/api/plans/measures").json()}
    assert len(measures) == 10
    assert "agreement signed" in measures["agreements_signed"]["explanation"]


def test_manager_changes_and_deletes_kpis(world):
    kpi = ComputedKpiFactory(partnership=world.partnership, measure="events_held", target=5)
    manager = world.client(world.partnership_manager)
    url = f"{BASE}/kpis/{kpi.pk}"
    changed = post(
        manager,
        url,
        {"name": "Events", "source": "computed", "measure": "meetings_held", "target": "8"},
        method="put",
    )
    assert changed.status_code == 200
    assert (changed.json()["measure"], changed.json()["target"]) == ("meetings_held", "8")
    member = world.client(world.company_user)
    assert member.delete(url).status_code == 403
    assert manager.delete(url).status_code == 204
    assert not Kpi.objects.exists()


def test_manager_removes_swot_points_and_markets(world):
    manager = world.client(world.partnership_manager)
    item = post(manager, f"{BASE}/strategy/swot", {"quadrant": "threat", "text": "Tariffs"}).json()
    post(manager, f"{BASE}/strategy/markets", {"country": "BR"})
    member = world.client(world.company_user)
    assert member.delete(f"{BASE}/strategy/markets/BR").status_code == 403
    assert manager.delete(f"{BASE}/strategy/swot/{item['id']}").status_code == 204
    assert manager.delete(f"{BASE}/strategy/markets/br").status_code == 204
    strategy = member.get(f"{BASE}/strategy").json()
    assert strategy["swot"] == [] and strategy["target_markets"] == []
