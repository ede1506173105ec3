"""The audit trail of evaluations and collection items: recorded, shown to call managers only."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from clusterbroker.community.evaluation import workflow
from clusterbroker.community.models import (
    Application,
    AwardCall,
    CriteriaSection,
    CriteriaSet,
    Criterion,
    Offer,
    Score,
)
from clusterbroker.community.permissions import COMMUNITY_MANAGERS_GROUP
from clusterbroker.ops.personal_data import erase_person
from clusterbroker.registry.models import Position

from ..factories import OrganisationFactory, PersonFactory, PositionFactory, UserFactory
from .factories import OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def label_call(world):
    criteria = CriteriaSet.objects.create(slug="sae", name="I4MS-SAE")
    section = CriteriaSection.objects.create(criteria_set=criteria, name="Performance")
    Criterion.objects.create(section=section, name="Highly innovative", weight=2)
    today = timezone.localdate()
    call = AwardCall.objects.create(
        slug="sae-2026",
        name="I4MS-SAE label",
        criteria_set=criteria,
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=5),
    )
    call.managers.add(world.partnership_manager)
    return call


@pytest.fixture
def evaluated(world, label_call):
    """An application with one evaluator, who scored it through the page."""
    application = workflow.submit_application(
        label_call, world.member_company, world.company_user, "Cloud welding", "Our experiment."
    )
    person = PersonFactory()
    PositionFactory(person=person, organisation=OrganisationFactory(), role=Position.Role.CONTACT)
    evaluator = person.user
    workflow.assign_evaluator(application, evaluator, world.partnership_manager)
    (criterion,) = workflow.criteria_of(label_call)
    response = world.client(evaluator).post(
        application.get_absolute_url(),
        {"action": "score", f"score_{criterion.pk}": "4", f"comment_{criterion.pk}": "Novel"},
    )
    assert response.status_code == 302
    return {"application": application, "evaluator": evaluator, "criterion": criterion}


def history_url(call: AwardCall) -> str:
    return f"/community/awards/{call.slug}/history/"


def test_scores_and_decisions_through_the_page_record_who_and_what(world, label_call, evaluated):
    score = Score.objects.get()
    assert score.history.get().history_user == evaluated["evaluator"]
    application = evaluated["application"]
    manager = world.client(world.partnership_manager)
    url = application.get_absolute_url()
    assert manager.post(url, {"action": "consensus", "comment": "Agreed"}).status_code == 302
    response = manager.post(url, {"action": "decide", "awarded": "yes", "note": "Well done"})
    assert response.status_code == 302
    decision = application.history.first()
    assert decision.history_user == world.partnership_manager and decision.awarded is True
    assert "awarded" in decision.diff_against(decision.prev_record).changed_fields
    body = manager.get(history_url(label_call)).content.decode()
    assert "<ins>Well done</ins>" in body and "<ins>Agreed</ins>" in body
    assert "Score Highly innovative: 4" in body and "Evaluator assignment" in body


@pytest.mark.parametrize(
    ("who", "status"),
    [("partnership_manager", 200), ("admin", 200), ("community_manager", 200),
     ("evaluator", 403), ("company_user", 403), ("outsider", 403), (None, 302)],
)  # fmt: skip
def test_only_those_who_run_the_call_see_its_history(world, label_call, evaluated, who, status):
    community_manager = UserFactory()
    community_manager.groups.add(Group.objects.get_or_create(name=COMMUNITY_MANAGERS_GROUP)[0])
    users = {"evaluator": evaluated["evaluator"], "community_manager": community_manager}
    user = users.get(who) or (getattr(world, who) if who else None)
    response = world.client(user).get(history_url(label_call))
    assert response.status_code == status
    assert (b"Score Highly innovative: 4" in response.content) is (status == 200)
    link = f'href="{history_url(label_call)}"'.encode()
    assert (link in world.client(user).get(label_call.get_absolute_url()).content) is (
        status == 200
    )


def test_a_collection_item_edited_through_the_page_records_its_author(world):
    offer = OfferFactory(author=world.company_user, title="HPC hours", status="draft")
    response = world.client(world.company_user).post(
        f"/community/offers/{offer.pk}/edit/",
        {
            "title": "HPC hours for SMEs",
            "kind": "service",
            "description": "x",
            "price_model": "free",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    record = offer.history.first()
    assert record.history_user == world.company_user and record.title == "HPC hours for SMEs"
    assert record.prev_record.title == "HPC hours"


def test_an_admin_restores_a_previous_version_of_an_application(world, label_call, evaluated):
    application = evaluated["application"]
    workflow.record_consensus(application, world.partnership_manager, "Too early")
    workflow.decide(application, world.partnership_manager, awarded=False, note="Wrong call")
    before = application.history.filter(history_type="+").get()
    admin = world.client(world.admin)
    url = f"/admin/community/application/{application.pk}/history/{before.history_id}/"
    assert admin.get(url).status_code == 200
    data = {
        field.name: getattr(before, field.attname)
        for field in Application._meta.concrete_fields
        if field.name not in {"id", "submitted_at"} and getattr(before, field.attname) is not None
    }
    data["awarded"] = "unknown"  # the admin's three-state select: not decided
    response = admin.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    application.refresh_from_db()
    assert application.decision_note == "" and application.awarded is None
    assert application.consensus_comment == ""
    assert application.history.first().history_user == world.admin


def test_erasure_blanks_the_contact_email_kept_in_offer_history(world):
    user = world.company_user
    offer = OfferFactory(author=user, contact_email="jane.doe@example.org")
    offer.title = "Renamed"
    offer.save()
    assert Offer.history.filter(contact_email="jane.doe@example.org").count() == 2
    erase_person(user.person)
    offer.refresh_from_db()
    assert offer.contact_email == ""
    assert not Offer.history.exclude(contact_email="").exists()
