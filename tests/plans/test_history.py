"""The audit trail of a partnership's management: who changed what, for its managers only."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clusterbroker.ops.personal_data import erase_person
from clusterbroker.plans.models import Action, Evidence, Kpi, KpiValue, RoadmapAnswer
from clusterbroker.plans.roadmap import save_roadmap
from clusterbroker.registry.models import ApiToken

from .factories import ActionFactory, ManualKpiFactory

pytestmark = pytest.mark.django_db

HISTORY = "/plans/alpine-motors/history/"


def _edit_action(world, action, **changes):
    data = {
        "number": action.number,
        "title": action.title,
        "phase": action.phase,
        "lead": world.cluster.pk,
        "start": "2026-01-01",
        "end": "2026-12-31",
        "status": action.status,
    }
    data.update(changes)
    response = world.client(world.partnership_manager).post(
        f"/plans/alpine-motors/actions/{action.pk}/", data
    )
    assert response.status_code == 302, response.content.decode()[:1000]


def test_a_change_through_the_page_records_who_and_what(world):
    action = ActionFactory(partnership=world.partnership, title="Study visit", lead=world.cluster)
    _edit_action(world, action, title="Study visit to Turin", status="in_progress")
    record = action.history.first()
    assert record.history_type == "~" and record.history_user == world.partnership_manager
    assert set(record.diff_against(record.prev_record).changed_fields) >= {"title", "status"}
    page = world.client(world.partnership_manager).get(HISTORY)
    assert page.status_code == 200
    body = page.content.decode()
    assert "<del>Study visit</del>" in body and "<ins>Study visit to Turin</ins>" in body
    manager = world.partnership_manager
    assert f"<td>{manager.get_full_name() or manager.get_username()}</td>" in body


def test_a_change_through_the_api_records_the_token_user(world, client):
    action = ActionFactory(partnership=world.partnership, title="Visit", lead=world.cluster)
    _token, raw = ApiToken.issue(world.partnership_manager, "plans")
    response = client.put(
        f"/api/plans/alpine-motors/actions/{action.pk}",
        {"title": "Visit", "lead": "mecha-cluster", "status": "done"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200, response.content
    record = action.history.first()
    assert record.history_user == world.partnership_manager and record.status == "done"


def test_kpi_values_and_evidence_are_recorded_without_the_document(world):
    kpi = ManualKpiFactory(partnership=world.partnership, name="Clusters benefited")
    manager = world.client(world.partnership_manager)
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4 report", "application/pdf")
    response = manager.post(
        f"/plans/alpine-motors/kpis/{kpi.pk}/values/new/",
        {"value": "31", "as_of": "2025-11-01", "document": upload},
    )
    assert response.status_code == 302
    value = KpiValue.objects.get()
    assert value.history.get().history_user == world.partnership_manager
    evidence = Evidence.history.get(id=value.evidence_document_id)
    assert evidence.filename == "report.pdf" and not hasattr(evidence, "content")
    # Deleting the KPI deletes its values; the history still tells what they were.
    assert manager.post(f"/plans/alpine-motors/kpis/{kpi.pk}/delete/").status_code == 302
    assert not Kpi.objects.exists()
    assert KpiValue.history.filter(history_type="-").count() == 1
    body = manager.get(HISTORY).content.decode()
    assert "Clusters benefited" in body and "report.pdf" in body
    assert body.count('data-kind="deleted"') >= 2  # the KPI and its value


def test_strategy_and_publication_changes_are_in_the_history(world):
    manager = world.client(world.partnership_manager)
    manager.post("/plans/alpine-motors/strategy/swot/", {"quadrant": "threat", "text": "Tariffs"})
    manager.post("/plans/alpine-motors/strategy/markets/", {"country": "ca", "status": "main"})
    manager.post("/plans/alpine-motors/publication/", {"kpis": "on"})
    body = manager.get(HISTORY).content.decode()
    assert "Tariffs" in body and "CA · Alpine Motors" in body and "Plan visibility" in body


def test_roadmap_answers_are_recorded_with_who_answered(world):
    save_roadmap(
        world.cluster, {1: "Automotive", 2: "Robotics"}, dt.date(2026, 1, 5), world.cluster_manager
    )
    records = RoadmapAnswer.history.order_by("question")
    assert [r.text for r in records] == ["Automotive", "Robotics"]
    assert {r.history_user for r in records} == {world.cluster_manager}


@pytest.mark.parametrize(
    ("who", "status"),
    [("partnership_manager", 200), ("admin", 200), ("company_user", 403),
     ("cluster_manager", 403), ("other_partnership_manager", 403), ("outsider", 403),
     (None, 302)],
)  # fmt: skip
def test_only_managers_see_the_history(world, who, status):
    ActionFactory(partnership=world.partnership, title="Secret negotiation", lead=world.cluster)
    user = getattr(world, who) if who else None
    response = world.client(user).get(HISTORY)
    assert response.status_code == status
    assert (b"Secret negotiation" in response.content) is (status == 200)


def test_the_history_link_is_shown_to_managers_only(world):
    link = f'href="{HISTORY}"'
    assert (
        link
        in world.client(world.partnership_manager).get("/plans/alpine-motors/").content.decode()
    )
    assert (
        link not in world.client(world.company_user).get("/plans/alpine-motors/").content.decode()
    )


def test_an_admin_restores_a_previous_version_of_an_action(world):
    action = ActionFactory(partnership=world.partnership, title="Right title", lead=world.cluster)
    _edit_action(world, action, title="Wrong title")
    before = action.history.order_by("history_date")[0]
    admin = world.client(world.admin)
    url = f"/admin/plans/action/{action.pk}/history/{before.history_id}/"
    assert admin.get(url).status_code == 200
    data = {
        field.name: getattr(before, field.attname)
        for field in Action._meta.concrete_fields
        if field.name != "id" and getattr(before, field.attname) is not None
    }
    response = admin.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    action.refresh_from_db()
    assert action.title == "Right title"
    assert action.history.first().history_user == world.admin


def test_erasure_blanks_the_name_kept_in_kpi_value_history(world):
    kept, dropped = ManualKpiFactory.create_batch(2, partnership=world.partnership)
    manager = world.partnership_manager
    name = manager.get_full_name() or manager.get_username()
    for kpi in (kept, dropped):
        world.client(manager).post(
            f"/plans/alpine-motors/kpis/{kpi.pk}/values/new/",
            {"value": "3", "as_of": "2025-01-01", "evidence_url": "https://example.org/"},
        )
    world.client(manager).post(f"/plans/alpine-motors/kpis/{dropped.pk}/delete/")
    assert KpiValue.history.filter(entered_by_name=name).count() == 3  # 2 created, 1 deleted
    erase_person(manager.person)
    assert KpiValue.objects.get().entered_by_name == ""
    assert not KpiValue.history.exclude(entered_by_name="").exists()
