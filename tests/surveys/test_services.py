import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clusterbroker.surveys import permissions, services
from clusterbroker.surveys.models import Audience

from .factories import TODAY, SurveyFactory


def answer_areas(scene, *pairs):
    return {scene.areas.pk: [{"term": t.pk, "level": level} for t, level in pairs]}


def test_members_of_member_clusters_are_asked(scene):
    asked = set(scene.survey.invitations.values_list("organisation_id", flat=True))
    assert asked == {scene.alpha.pk, scene.beta.pk, scene.gamma.pk}


def test_members_audience_asks_the_partnerships_clusters(scene):
    survey = SurveyFactory(partnership=scene.partnership, audience=Audience.MEMBERS)
    services.invite(survey)
    asked = set(survey.invitations.values_list("organisation_id", flat=True))
    assert asked == {scene.cluster_a.pk, scene.cluster_b.pk}


def test_a_list_keeps_only_organisations_of_the_partnership(scene):
    survey = SurveyFactory(partnership=scene.partnership, audience=Audience.LIST)
    services.invite(survey, [scene.alpha, scene.outsider_company])
    assert list(survey.invitations.values_list("organisation_id", flat=True)) == [scene.alpha.pk]


def test_an_organisation_saves_in_two_sittings_and_then_submits(scene):
    first = services.save_response(
        scene.alpha_user, scene.survey, scene.alpha, {scene.text.pk: "Robots"}, today=TODAY
    )
    assert first.submitted_at is None
    values = {**answer_areas(scene, (scene.terms[0], 3)), scene.text.pk: "Robots"}
    second = services.save_response(
        scene.alpha_colleague, scene.survey, scene.alpha, values, submit=True, today=TODAY
    )
    assert second.pk == first.pk
    assert second.submitted_at is not None
    assert second.updated_by == scene.alpha_colleague
    assert services.response_values(second)[scene.areas.pk] == [
        {"term": scene.terms[0].pk, "level": 3}
    ]


def test_submitting_requires_the_required_answers(scene):
    with pytest.raises(ValidationError) as error:
        services.save_response(
            scene.alpha_user, scene.survey, scene.alpha, {}, submit=True, today=TODAY
        )
    assert f"q{scene.areas.pk}" in error.value.message_dict


def test_an_organisation_not_asked_cannot_answer(scene):
    with pytest.raises(PermissionDenied):
        services.save_response(
            scene.outsider_user, scene.survey, scene.outsider_company, {}, today=TODAY
        )


def test_no_one_answers_for_another_organisation(scene):
    with pytest.raises(PermissionDenied):
        services.save_response(scene.beta_user, scene.survey, scene.alpha, {}, today=TODAY)


def test_a_contact_position_does_not_answer_for_the_organisation(scene):
    with pytest.raises(PermissionDenied):
        services.save_response(scene.alpha_contact, scene.survey, scene.alpha, {}, today=TODAY)


def test_answers_cannot_change_after_the_close(scene):
    services.save_response(scene.alpha_user, scene.survey, scene.alpha, {}, today=TODAY)
    with pytest.raises(PermissionDenied):
        services.save_response(
            scene.alpha_user, scene.survey, scene.alpha, {}, today=dt.date(2026, 7, 1)
        )


def test_a_term_of_another_taxonomy_is_refused(scene):
    with pytest.raises(ValidationError):
        services.save_response(
            scene.alpha_user,
            scene.survey,
            scene.alpha,
            {scene.areas.pk: [{"term": 999999, "level": 1}]},
            today=TODAY,
        )


def test_countries_are_stored_as_codes(scene):
    response = services.save_response(
        scene.alpha_user,
        scene.survey,
        scene.alpha,
        {scene.markets.pk: ["United States", "cn", "US"]},
        today=TODAY,
    )
    assert services.response_values(response)[scene.markets.pk] == ["US", "CN"]


def test_only_managers_and_the_organisation_see_a_response(scene):
    response = services.save_response(scene.alpha_user, scene.survey, scene.alpha, {}, today=TODAY)
    assert permissions.can_see_response(scene.manager, response)
    assert permissions.can_see_response(scene.alpha_colleague, response)
    assert not permissions.can_see_response(scene.beta_user, response)
    assert not permissions.can_see_response(scene.outsider_user, response)


def test_only_managers_see_results(scene):
    assert permissions.can_see_results(scene.manager, scene.survey)
    assert not permissions.can_see_results(scene.alpha_user, scene.survey)


def submit(scene, user, organisation, *pairs, markets=()):
    values = {**answer_areas(scene, *pairs), scene.markets.pk: list(markets)}
    return services.save_response(
        user, scene.survey, organisation, values, submit=True, today=TODAY
    )


def test_results_rank_terms_by_share_of_respondents(scene):
    robots, cloud, ar = scene.terms
    submit(scene, scene.alpha_user, scene.alpha, (cloud, 1), (ar, 3))
    submit(scene, scene.beta_user, scene.beta, (cloud, 2))
    results = services.survey_results(scene.survey)
    assert (results.asked, results.answered) == (3, 2)
    rows = results.questions[0].rows
    assert [(r.label, r.count, r.percent) for r in rows] == [("Cloud", 2, 100), ("AR", 1, 50)]


def test_drafts_are_not_counted(scene):
    services.save_response(
        scene.alpha_user,
        scene.survey,
        scene.alpha,
        answer_areas(scene, (scene.terms[0], 1)),
        today=TODAY,
    )
    results = services.survey_results(scene.survey)
    assert results.answered == 0 and results.questions[0].rows == []


def test_results_filter_by_country_size_and_cluster(scene):
    robots, cloud, _ar = scene.terms
    submit(scene, scene.alpha_user, scene.alpha, (robots, 3))
    submit(scene, scene.beta_user, scene.beta, (cloud, 3))
    by_country = services.survey_results(scene.survey, services.ResultFilters(country="DE"))
    assert [r.label for r in by_country.questions[0].rows] == ["Cloud"]
    by_size = services.survey_results(scene.survey, services.ResultFilters(size_class="small"))
    assert [r.label for r in by_size.questions[0].rows] == ["Robots"]
    other_cluster = services.ResultFilters(cluster=scene.cluster_b.pk)
    assert services.survey_results(scene.survey, other_cluster).respondents == 0


def test_export_rows_list_ranked_answers(scene):
    submit(scene, scene.alpha_user, scene.alpha, (scene.terms[1], 2), markets=["US"])
    rows = services.export_rows(services.survey_results(scene.survey))
    assert {
        "question": scene.areas.text,
        "rank": 1,
        "answer": "Cloud",
        "respondents": 1,
        "share_percent": 100,
    } in rows
    assert any(r["answer"] == "United States" for r in rows if "answer" in r)


@pytest.mark.parametrize("raw", ["nan", "inf", [1], "7", 2.5])
def test_a_scale_takes_only_its_points(scene, raw):
    from .factories import QuestionFactory

    scale = QuestionFactory(survey=scene.survey, kind="scale", scale_max=5)
    with pytest.raises(ValidationError):
        services.clean_value(scale, raw)
    assert services.clean_value(scale, "4") == 4
