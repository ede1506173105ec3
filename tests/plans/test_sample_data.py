"""The seeds' action plans and KPIs load on top of the registry's sample data."""

from pathlib import Path

import pytest

from clusterbroker.plans.models import Action, Kpi, KpiValue, SwotItem, TargetMarket
from clusterbroker.plans.sample_data import PlanSampleDataError, load_plan_sample_data
from clusterbroker.registry.models import Partnership
from clusterbroker.registry.sample_data import load_sample_data

pytestmark = pytest.mark.django_db

SEED_002_KPIS = [
    (
        "Cluster organisations and business networks from different COSME countries that benefited",
        "10",
        "31",
    ),
    ("Partnership agreements established", "10", "2"),
    ("New collaboration strategies and network activities identified", "50", "12"),
    ("B2B events", "–", "2"),
    ("B2B meetings", "–", "35"),
]


@pytest.fixture
def loaded(db):
    load_sample_data()
    load_plan_sample_data()


def test_four_motors_has_its_five_action_lines_with_lead_partners(loaded):
    actions = list(Action.objects.filter(partnership__slug="four-motors").select_related("lead"))
    assert [a.number for a in actions] == [1, 2, 3, 4, 5]
    assert actions[2].title == "Interregional joint roadmap on industry 4.0"
    assert {a.lead.slug for a in actions} == {"plastipolis"}


FOUR_MOTORS_TARGETS = [
    ("Partners leading at least one action", "12", "manual"),
    ("Regional Industry 4.0 alliances or working groups connected", "7", "manual"),
    ("Regional S3 activities on industry 4.0 connected and coordinated", "7", "manual"),
    ("Interregional joint roadmap on industry 4.0", "1", "manual"),
    ("Dedicated 4M4IoF brokerage event", "1", "computed"),
    ("Action lines completed", "5", "computed"),
]


def test_four_motors_dashboard_shows_seed_001s_objectives_with_targets(loaded, admin_client):
    kpis = Kpi.objects.filter(partnership__slug="four-motors")
    assert [(k.name, f"{k.target.normalize():f}", k.source) for k in kpis] == FOUR_MOTORS_TARGETS
    body = admin_client.get("/plans/four-motors/kpis/").content.decode()
    assert "No KPI yet." not in body
    for name, target, _source in FOUR_MOTORS_TARGETS:
        row = body[body.index(name) :]
        assert f"<td data-target>{target}</td>" in row[: row.index("</tr>")]
    # The seed states targets, not results: nothing is entered as achieved.
    assert not KpiValue.objects.filter(kpi__partnership__slug="four-motors").exists()


def test_four_motors_action_lines_are_dated_and_on_the_timeline(loaded, admin_client):
    actions = Action.objects.filter(partnership__slug="four-motors")
    assert {(a.number, a.start.isoformat(), a.end.isoformat()) for a in actions} == {
        (1, "2016-06-15", "2017-06-14"),
        (2, "2016-06-15", "2017-03-31"),
        (3, "2016-06-15", "2017-03-31"),
        (4, "2016-06-15", "2017-06-14"),
        (5, "2016-06-15", "2017-06-14"),
    }
    body = admin_client.get("/plans/four-motors/").content.decode()
    assert body.count('class="bar ') == 5
    assert "no dates yet" not in body


def test_the_dia_dashboard_shows_seed_002s_targets_and_achieved_values(loaded, admin_client):
    body = admin_client.get("/plans/digital-industry-alliance/kpis/").content.decode()
    rows = []
    for name, target, achieved in SEED_002_KPIS:
        row = body[body.index(name) :]
        row = row[: row.index("</tr>")]
        rows.append(row)
        assert f"<td data-value>{achieved}</td>" in row
        assert f"<td data-target>{target}</td>" in row
    assert "CRIM (Canada) and Global EPIC (USA)." in body
    assert Kpi.objects.filter(partnership__slug="digital-industry-alliance").count() == 5


def test_the_dia_strategy_has_its_markets_and_swot(loaded):
    markets = dict(
        TargetMarket.objects.filter(partnership__slug="digital-industry-alliance").values_list(
            "country", "status"
        )
    )
    assert {c for c, s in markets.items() if s == "main"} == {"US", "CN", "BR"}
    assert markets["CA"] == "candidate"
    assert set(SwotItem.objects.values_list("quadrant", flat=True)) == {
        "strength",
        "weakness",
        "opportunity",
        "threat",
    }


def test_loading_twice_changes_nothing(loaded):
    counts = (Action.objects.count(), Kpi.objects.count(), KpiValue.objects.count())
    load_plan_sample_data()
    assert (Action.objects.count(), Kpi.objects.count(), KpiValue.objects.count()) == counts


def test_a_file_naming_an_unknown_lead_is_refused_and_nothing_is_written(loaded, tmp_path: Path):
    Action.objects.all().delete()
    (tmp_path / "10_ok.yaml").write_text(
        "partnership: four-motors\nactions:\n  - number: 1\n    title: Fine\n", encoding="utf-8"
    )
    (tmp_path / "20_bad.yaml").write_text(
        "partnership: four-motors\nactions:\n  - number: 2\n    title: Bad\n    lead: nobody\n",
        encoding="utf-8",
    )
    with pytest.raises(PlanSampleDataError, match=r"20_bad.yaml: action 1: lead 'nobody'"):
        load_plan_sample_data(tmp_path)
    assert not Action.objects.exists()


def test_an_unknown_partnership_is_named(db, tmp_path: Path):
    Partnership.objects.all().delete()
    (tmp_path / "x.yaml").write_text("partnership: nowhere\n", encoding="utf-8")
    with pytest.raises(PlanSampleDataError, match="x.yaml: unknown partnership 'nowhere'"):
        load_plan_sample_data(tmp_path)
