"""Results into action: the partnership's managers turn a ranked area of the results into an
action of the plan (POST, CSRF, checked on the server); nobody else can."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from clusterbroker.plans.models import Action, ActionStatus
from clusterbroker.surveys import use_of_results

from ..factories import ClusterFactory, PartnershipRoleFactory, PositionFactory
from .factories import SurveyFactory
from .test_pages import open_now, submit_both


def post_area(client, scene, term, question=None):
    return client.post(
        reverse("surveys:results-plan-action", args=[scene.survey.pk]),
        {"question": (question or scene.areas).pk, "term": term.pk},
    )


@pytest.fixture
def answered(scene):
    open_now(scene)
    submit_both(scene)  # alpha chose Cloud and Robots, beta chose Cloud
    return scene


def test_the_manager_sees_a_button_on_each_ranked_area(answered, client):
    client.force_login(answered.manager)
    page = client.get(reverse("surveys:results", args=[answered.survey.pk])).content.decode()
    assert page.count("Add as an action of the plan") == 2  # Cloud and Robots
    assert 'name="csrfmiddlewaretoken"' in page
    assert f'name="term" value="{answered.terms[1].pk}"' in page


def test_the_manager_adds_an_area_as_an_action_and_completes_it(answered, client):
    robots, cloud, _ar = answered.terms
    client.force_login(answered.manager)
    response = post_area(client, answered, cloud)
    action = Action.objects.get(partnership=answered.partnership)
    assert response.status_code == 302
    assert response.url == reverse("plans:action-edit", args=[answered.partnership.slug, action.pk])
    assert action.title == "Cloud"
    assert action.status == ActionStatus.PLANNED and action.number == 1
    assert f"“{answered.survey.title}”" in action.description
    assert "2 of 2 respondents" in action.description
    edit = client.get(response.url).content.decode()
    assert "Cloud" in edit and "was added to the action plan" in edit
    # The same area again gives the same action; another area makes another one.
    assert post_area(client, answered, cloud).status_code == 302
    assert Action.objects.filter(partnership=answered.partnership).count() == 1
    post_area(client, answered, robots)
    robots_action = Action.objects.get(partnership=answered.partnership, title="Robots")
    assert "1 of 2 respondents" in robots_action.description
    assert robots_action.number == 2


def test_another_partnerships_manager_cannot_add_an_action(answered, client):
    stranger = PartnershipRoleFactory().person.user
    client.force_login(stranger)
    assert post_area(client, answered, answered.terms[1]).status_code == 404
    assert not Action.objects.exists()


def test_a_member_company_user_cannot_add_an_action(answered, client):
    client.force_login(answered.alpha_user)  # asked by the survey, answered it
    assert post_area(client, answered, answered.terms[1]).status_code == 403
    assert not Action.objects.exists()
    with pytest.raises(PermissionDenied):
        use_of_results.add_plan_action(
            answered.alpha_user, answered.survey, answered.areas.pk, answered.terms[1].pk
        )
    page = client.get(reverse("surveys:results", args=[answered.survey.pk]))
    assert page.status_code == 403


def test_anonymous_users_are_sent_to_log_in(answered, client):
    response = post_area(client, answered, answered.terms[1])
    assert response.status_code == 302 and "login" in response.url
    assert not Action.objects.exists()


def test_only_post_and_only_with_the_csrf_token(answered):
    url = reverse("surveys:results-plan-action", args=[answered.survey.pk])
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(answered.manager)
    assert strict.get(url).status_code == 405
    data = {"question": answered.areas.pk, "term": answered.terms[1].pk}
    assert strict.post(url, data).status_code == 403
    assert not Action.objects.exists()


def test_an_area_nobody_chose_or_a_question_without_areas_is_not_found(answered, client):
    client.force_login(answered.manager)
    assert post_area(client, answered, answered.terms[2]).status_code == 404  # AR: nobody
    assert post_area(client, answered, answered.terms[1], answered.text).status_code == 404
    url = reverse("surveys:results-plan-action", args=[answered.survey.pk])
    assert client.post(url, {"question": "x", "term": ""}).status_code == 404
    assert not Action.objects.exists()


def test_a_clusters_survey_has_no_plan_to_add_to(answered, client):
    cluster = ClusterFactory()
    manager = PositionFactory(organisation=cluster, role="manager").person.user
    survey = SurveyFactory(partnership=None, cluster=cluster)
    client.force_login(manager)
    page = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "Add as an action of the plan" not in page
    url = reverse("surveys:results-plan-action", args=[survey.pk])
    assert client.post(url, {"question": 1, "term": 1}).status_code == 403
