"""The evaluation pages' forms: scores kept when one is wrong, evaluators chosen from a list
of eligible people, award calls opened on a page."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from clusterbroker.community.evaluation import workflow
from clusterbroker.community.evaluation.evaluators import eligible_evaluators
from clusterbroker.community.models import Assignment, AwardCall, Score
from clusterbroker.community.permissions import COMMUNITY_MANAGERS_GROUP
from clusterbroker.registry.models import Position

from ..factories import OrganisationFactory, PersonFactory, PositionFactory, UserFactory
from .factories import AwardCallFactory, CriteriaSectionFactory, CriterionFactory

pytestmark = pytest.mark.django_db

CREATE_URL = "/community/awards/new/"


def person_in(organisation, first_name: str, last_name: str):
    person = PersonFactory(first_name=first_name, last_name=last_name)
    PositionFactory(person=person, organisation=organisation, role=Position.Role.CONTACT)
    return person.user


def community_manager():
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=COMMUNITY_MANAGERS_GROUP)[0])
    return user


@pytest.fixture
def call(world):
    """Two criteria on a 0–5 scale, managed by `world.partnership_manager`."""
    award_call = AwardCallFactory(name="I4MS-SAE label")
    section = CriteriaSectionFactory(criteria_set=award_call.criteria_set, name="Performance")
    CriterionFactory(section=section, name="Highly innovative")
    CriterionFactory(section=section, name="Complete team")
    award_call.managers.add(world.partnership_manager)
    return award_call


@pytest.fixture
def application(world, call):
    """By `other_company` (of another partnership than the call manager's)."""
    return workflow.submit_application(
        call, world.other_company, world.other_company_user, "Cloud welding", "Our experiment."
    )


@pytest.fixture
def scoring(world, application):
    evaluator = person_in(OrganisationFactory(), "Eva", "Luator")
    Assignment.objects.create(application=application, evaluator=evaluator)
    innovative, team = workflow.criteria_of(application.call)
    return world.client(evaluator), innovative, team


def test_a_score_out_of_range_keeps_every_value_typed_and_names_the_criterion(application, scoring):
    client, innovative, team = scoring
    response = client.post(
        application.get_absolute_url(),
        {
            "action": "score",
            f"score_{innovative.pk}": "9",
            f"comment_{innovative.pk}": "Very new",
            f"score_{team.pk}": "3",
            f"comment_{team.pk}": "A strong team",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    # The error, styled as every form error, right before the field, which keeps its value.
    assert re.search(
        r'<ul class="errorlist"[^>]*><li>Give a score from 0 to 5 for Highly innovative\.</li>'
        rf'</ul><input type="number" name="score_{innovative.pk}" value="9"',
        page,
    )
    assert "for Complete team." not in page  # the valid score has no error
    assert re.search(rf'name="score_{team.pk}" value="3"', page)
    assert "Very new</textarea>" in page and "A strong team</textarea>" in page
    assert not Score.objects.exists()


@pytest.mark.parametrize("value", ["", "-1", "²", "1e400", "9" * 5000])
def test_a_missing_or_odd_score_is_named_too(application, scoring, value):
    client, innovative, team = scoring
    response = client.post(
        application.get_absolute_url(),
        {"action": "score", f"score_{innovative.pk}": value, f"score_{team.pk}": "4"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Give a score from 0 to 5 for Highly innovative." in page
    assert re.search(rf'name="score_{team.pk}" value="4"', page)
    assert not Score.objects.exists()


def test_valid_scores_are_submitted(application, scoring):
    client, innovative, team = scoring
    response = client.post(
        application.get_absolute_url(),
        {"action": "score", f"score_{innovative.pk}": "5", f"score_{team.pk}": "0"},
    )
    assert response.status_code == 302
    assert sorted(Score.objects.values_list("value", flat=True)) == [0, 5]
    assert Assignment.objects.get().submitted_at is not None


def _listed(page: str) -> dict[str, str]:
    select = re.search(r'<select name="evaluator".*?</select>', page, re.S).group(0)
    return dict(re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select))


def test_the_manager_chooses_among_the_people_they_may_see_free_of_conflict(world, application):
    known = person_in(world.member_company, "Ada", "Known")  # of the manager's partnership
    stranger = person_in(OrganisationFactory(), "Sam", "Stranger")  # unknown to the manager
    conflicted = person_in(world.other_company, "Cora", "Applicant")  # of the applicant
    page = world.client(world.partnership_manager).get(application.get_absolute_url())
    listed = _listed(page.content.decode())
    assert listed[str(known.pk)] == "Ada Known · Precision Parts"
    assert listed[str(world.cluster_manager.pk)].endswith(" · Mecha Cluster")
    assert 'name="username"' not in page.content.decode()
    assert str(stranger.pk) not in listed and str(conflicted.pk) not in listed


def test_a_community_manager_sees_everyone_free_of_conflict(world, application):
    stranger = person_in(OrganisationFactory(name="Lone Lab"), "Sam", "Stranger")
    conflicted = person_in(world.other_company, "Cora", "Applicant")
    eligible = set(eligible_evaluators(application, community_manager()))
    assert stranger in eligible and conflicted not in eligible
    assert world.other_company_user not in eligible  # the submitter


def test_a_name_narrows_the_list(world, application):
    ada = person_in(world.member_company, "Ada", "Known")
    person_in(world.member_company, "Bob", "Other")
    page = world.client(world.partnership_manager).get(
        application.get_absolute_url(), {"people": "ada"}
    )
    assert _listed(page.content.decode()) == {str(ada.pk): "Ada Known · Precision Parts"}


def test_choosing_from_the_list_assigns_the_evaluator(world, application):
    known = person_in(world.member_company, "Ada", "Known")
    response = world.client(world.partnership_manager).post(
        application.get_absolute_url(), {"action": "assign", "evaluator": str(known.pk)}
    )
    assert response.status_code == 302
    assert list(application.assignments.values_list("evaluator", flat=True)) == [known.pk]
    # Once assigned, the person leaves the list.
    page = world.client(world.partnership_manager).get(application.get_absolute_url())
    assert str(known.pk) not in _listed(page.content.decode())


def test_anyone_not_in_the_list_gets_one_answer_that_reveals_nothing(world, application):
    stranger = person_in(OrganisationFactory(), "Sam", "Stranger")
    conflicted = person_in(world.other_company, "Cora", "Applicant")
    inactive = person_in(world.member_company, "Ina", "Active")
    inactive.is_active = False
    inactive.save()
    manager = world.client(world.partnership_manager)
    answers = set()
    for value in (stranger.pk, conflicted.pk, inactive.pk, 999_999, 10**25, "²", ""):
        response = manager.post(
            application.get_absolute_url(), {"action": "assign", "evaluator": str(value)}
        )
        page = response.content.decode()
        assert "Choose an evaluator from the list." in page
        answers.add((response.status_code, page.count("errorlist")))
    assert answers == {(422, 1)}
    assert not Assignment.objects.exists()


def test_an_applicant_cannot_choose_their_evaluator(world, application):
    known = person_in(world.member_company, "Ada", "Known")
    response = world.client(world.other_company_user).post(
        application.get_absolute_url(), {"action": "assign", "evaluator": str(known.pk)}
    )
    assert response.status_code == 403
    assert not Assignment.objects.exists()


def _call_form(**changes) -> dict:
    today = timezone.localdate()
    data = {
        "name": "Smart Factory Award 2027",
        "kind": "award",
        "description": "For the best pilot line.",
        "criteria_set": "",
        "opens_on": today.isoformat(),
        "closes_on": (today + dt.timedelta(days=30)).isoformat(),
        "scores_due_on": (today + dt.timedelta(days=45)).isoformat(),
        "threshold": "60",
    }
    return {**data, **changes}


def test_a_community_manager_opens_a_call_on_a_page_and_manages_it(world, call):
    manager = community_manager()
    client = world.client(manager)
    assert CREATE_URL in client.get("/community/awards/").content.decode()
    assert client.get(CREATE_URL).status_code == 200
    response = client.post(CREATE_URL, _call_form(criteria_set=call.criteria_set.pk))
    created = AwardCall.objects.get(name="Smart Factory Award 2027")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.slug == "smart-factory-award-2027" and created.kind == "award"
    assert list(created.managers.all()) == [manager]


def test_a_platform_admin_opens_a_call_too(world, call):
    response = world.client(world.admin).post(
        CREATE_URL, _call_form(criteria_set=call.criteria_set.pk)
    )
    assert response.status_code == 302
    assert AwardCall.objects.filter(name="Smart Factory Award 2027").exists()


@pytest.mark.parametrize("who", ["outsider", "company_user", "partnership_manager"])
def test_others_may_not_open_a_call(world, call, who):
    client = world.client(getattr(world, who))  # the partnership manager manages `call` only
    assert client.get(CREATE_URL).status_code == 403
    response = client.post(CREATE_URL, _call_form(criteria_set=call.criteria_set.pk))
    assert response.status_code == 403
    assert not AwardCall.objects.filter(name="Smart Factory Award 2027").exists()
    assert CREATE_URL not in client.get("/community/awards/").content.decode()


def test_a_visitor_is_sent_to_log_in(client, call):
    response = client.get(CREATE_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_call_closing_before_it_opens_is_refused_next_to_the_field(world, call):
    today = timezone.localdate()
    response = world.client(community_manager()).post(
        CREATE_URL,
        _call_form(
            criteria_set=call.criteria_set.pk,
            closes_on=(today - dt.timedelta(days=1)).isoformat(),
            scores_due_on="",
        ),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "The call closes on or after the day it opens." in page
    assert 'value="Smart Factory Award 2027"' in page
    assert not AwardCall.objects.filter(name="Smart Factory Award 2027").exists()
