"""The audit trail: who changed what and when, shown to those who may edit, restorable."""

import pytest

from clusterbroker.events.scheduling import announce_schedule, run_scheduling
from clusterbroker.registry.models import ApiToken, Organisation

from ..events.factories import EventFactory, MeetingRequestFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _rename(world, user, name="Precision Parts International"):
    org = world.member_company
    response = world.client(user).post(
        f"/organisations/{org.slug}/edit/", {"name": name, "kind": org.kind, "country": "FR"}
    )
    assert response.status_code == 302


def test_a_change_through_the_page_records_who_and_what(world):
    _rename(world, world.company_user)
    record = world.member_company.history.first()
    assert record.history_type == "~"
    assert record.history_user == world.company_user
    delta = record.diff_against(record.prev_record)
    assert "name" in delta.changed_fields
    page = world.client(world.company_user).get(
        f"/organisations/{world.member_company.slug}/history/"
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "Precision Parts International" in body and "<del>Precision Parts</del>" in body
    assert world.company_user.get_username() in body or world.company_user.get_full_name() in body


def test_a_change_through_the_api_records_the_token_user(world, client):
    _token, raw = ApiToken.issue(world.admin, "test")
    response = client.patch(
        f"/api/organisations/{world.other_company.slug}",
        {"city": "Graz"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200
    record = world.other_company.history.first()
    assert record.history_user == world.admin and record.city == "Graz"


@pytest.mark.parametrize(
    ("who", "status"),
    [("company_user", 200), ("partnership_manager", 200), ("admin", 200),
     ("other_company_user", 403), ("outsider", 403), (None, 302)],
)  # fmt: skip
def test_only_editors_see_an_organisations_history(world, who, status):
    _rename(world, world.company_user, name="Secret New Name")
    user = getattr(world, who) if who else None
    response = world.client(user).get(f"/organisations/{world.member_company.slug}/history/")
    assert response.status_code == status
    assert (b"Secret New Name" in response.content) is (status == 200)


def test_partnership_history_is_for_its_managers(world):
    partnership = world.partnership
    response = world.client(world.partnership_manager).post(
        f"/partnerships/{partnership.slug}/edit/",
        {"name": "Alpine Motors 2030", "kind": partnership.kind},
    )
    assert response.status_code == 302, response.content[:500]
    page = world.client(world.partnership_manager).get(f"/partnerships/{partnership.slug}/history/")
    assert page.status_code == 200 and b"Alpine Motors 2030" in page.content
    other = world.client(world.other_partnership_manager).get(
        f"/partnerships/{partnership.slug}/history/"
    )
    assert other.status_code == 403


def test_event_history_shows_scheduling_to_organisers_only(world):
    event = EventFactory(tables=2)
    SessionFactory(event=event)
    event.organisers.add(world.partnership_manager)
    request = MeetingRequestFactory(requester__event=event)
    run_scheduling(event, "exact")
    announce_schedule(event)
    meeting = request.meeting
    assert meeting.history.count() == 2  # created, then announced
    assert meeting.history.first().announced is True
    page = world.client(world.partnership_manager).get(f"/events/{event.slug}/history/")
    assert page.status_code == 200
    assert b"announced to participants" in page.content
    assert world.client(world.company_user).get(f"/events/{event.slug}/history/").status_code == 403


def test_an_admin_restores_a_previous_version(world):
    org = world.member_company
    _rename(world, world.company_user, name="Wrong Name")
    before = org.history.order_by("history_date")[0]  # as created
    admin = world.client(world.admin)
    url = f"/admin/registry/organisation/{org.pk}/history/{before.history_id}/"
    assert admin.get(url).status_code == 200
    data = {
        field.name: getattr(before, field.name)
        for field in Organisation._meta.concrete_fields
        if field.name not in {"id", "created_at", "updated_at"}
        and getattr(before, field.name) is not None
    }
    response = admin.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    org.refresh_from_db()
    assert org.name == "Precision Parts"
    assert org.history.first().history_user == world.admin
