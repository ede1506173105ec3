"""The audit trail of brokering profiles, needs and introductions: who changed what."""

import pytest
from django.urls import reverse

from clusterbroker.brokering import services
from clusterbroker.brokering.models import Introduction, Need, Profile

from .factories import NeedFactory, save_profile, taxonomy_terms

pytestmark = pytest.mark.django_db


def _questionnaire(client, world, sector: str, need: str):
    payload = {
        "organisation": world.member_company.slug,
        "sector": sector,
        "needs": [{"kind": "technology", "description": need, "terms": ["dia-ict:CLOUD"]}],
    }
    response = client.post("/api/brokering/profiles", payload, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_change_through_the_api_records_who_and_what_without_embeddings(world):
    taxonomy_terms()
    client = world.client(world.company_user)
    _questionnaire(client, world, "Machining", "Cloud MES")
    _questionnaire(client, world, "Precision machining", "Cloud MES")
    profile = Profile.objects.get()
    record = profile.history.first()
    assert record.history_user == world.company_user
    assert "sector" in record.diff_against(record.prev_record).changed_fields
    assert record.prev_record.sector == "Machining"
    assert Need.history.filter(description="Cloud MES").exists()
    # Embeddings are derived data: the live records have them, their history does not.
    assert profile.embedding
    assert "embedding" not in {f.name for f in Profile.history.model._meta.get_fields()}
    assert "embedding" not in {f.name for f in Need.history.model._meta.get_fields()}


def test_an_introduction_records_who_asked_and_who_answered(world):
    taxonomy_terms()
    owner = world.company_user
    profile = save_profile(
        owner,
        world.member_company,
        needs=[services.NeedData(kind="technology", description="Secret", confidential=True)],
    )
    need = profile.needs.get()
    provider = world.client(world.other_company_user)
    response = provider.post(
        reverse("brokering:introduce-ref", args=[need.ref]),
        {"requester": world.other_company.pk, "message": "We can help"},
    )
    assert response.status_code == 302
    introduction = Introduction.objects.get()
    world.client(owner).post(
        reverse("brokering:introduction-answer", args=[introduction.pk, "accept"])
    )
    answered, asked = introduction.history.all()[:2]
    assert asked.history_type == "+" and asked.history_user == world.other_company_user
    assert answered.history_user == owner and answered.status == "accepted"
    assert answered.diff_against(asked).changed_fields.count("status") == 1


@pytest.mark.parametrize(("who", "status"), [("admin", 200), ("company_user", 302), (None, 302)])
def test_the_history_of_confidential_needs_is_for_platform_admins_only(world, who, status):
    need = NeedFactory(description="Secret alloy", confidential=True)
    user = getattr(world, who) if who else None
    response = world.client(user).get(f"/admin/brokering/need/{need.pk}/history/")
    assert response.status_code == status
    if status == 302:
        assert "/admin/login/" in response["Location"]
    else:
        record = need.history.get()
        assert f"/history/{record.history_id}/".encode() in response.content


def test_an_admin_restores_a_previous_version_of_a_need(world):
    need = NeedFactory(description="Right text", kind="technology")
    need.description = "Wrong text"
    need.save()
    before = need.history.order_by("history_date")[0]
    admin = world.client(world.admin)
    url = f"/admin/brokering/need/{need.pk}/history/{before.history_id}/"
    assert admin.get(url).status_code == 200
    data = {
        field.name: getattr(before, field.attname)
        for field in Need.history.model._meta.concrete_fields
        if field.name in {f.name for f in Need._meta.concrete_fields}
        and field.name not in {"id", "created_at"}
        and getattr(before, field.attname) is not None
    }
    response = admin.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    need.refresh_from_db()
    assert need.description == "Right text"
    assert need.history.first().history_user == world.admin
