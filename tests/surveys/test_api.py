import json

import pytest
from django.utils import timezone

from clusterbroker.surveys.models import Response, Survey


def open_now(scene):
    today = timezone.localdate()
    Survey.objects.filter(pk=scene.survey.pk).update(
        opens_on=today, closes_on=today + timezone.timedelta(days=20)
    )


def put(client, url, body):
    return client.put(url, json.dumps(body), content_type="application/json")


def test_respondent_lists_reads_and_writes_its_response(scene, client):
    open_now(scene)
    client.force_login(scene.alpha_user)
    listed = client.get("/api/surveys/").json()
    assert [s["id"] for s in listed] == [scene.survey.pk]
    assert listed[0]["i_answer_for"] == [scene.alpha.slug] and not listed[0]["i_manage"]
    detail = client.get(f"/api/surveys/{scene.survey.pk}").json()
    assert [q["id"] for q in detail["questions"]] == [
        scene.areas.pk,
        scene.markets.pk,
        scene.text.pk,
    ]
    url = f"/api/surveys/{scene.survey.pk}/response"
    body = {
        "answers": [
            {"question": scene.areas.pk, "value": [{"term": scene.terms[1].pk, "level": 2}]}
        ],
        "submit": True,
    }
    saved = put(client, url, body)
    assert saved.status_code == 200, saved.content
    assert saved.json()["submitted_at"] is not None
    assert client.get(url).json()["answers"][0]["value"] == [
        {"term": scene.terms[1].pk, "level": 2}
    ]


def test_submitting_without_required_answers_is_a_422(scene, client):
    open_now(scene)
    client.force_login(scene.alpha_user)
    answer = put(client, f"/api/surveys/{scene.survey.pk}/response", {"submit": True})
    assert answer.status_code == 422
    assert f"q{scene.areas.pk}" in answer.json()["detail"]


def test_an_organisation_not_asked_gets_404(scene, client):
    open_now(scene)
    client.force_login(scene.outsider_user)
    assert client.get(f"/api/surveys/{scene.survey.pk}").status_code == 404
    assert put(client, f"/api/surveys/{scene.survey.pk}/response", {}).status_code == 404
    assert not Response.objects.exists()
    assert client.get("/api/surveys/").json() == []


def test_results_are_for_managers_only(scene, client):
    open_now(scene)
    client.force_login(scene.alpha_user)
    body = {"answers": [{"question": scene.areas.pk, "value": [scene.terms[0].pk]}], "submit": True}
    put(client, f"/api/surveys/{scene.survey.pk}/response", body)
    assert client.get(f"/api/surveys/{scene.survey.pk}/results").status_code == 403
    client.force_login(scene.manager)
    results = client.get(f"/api/surveys/{scene.survey.pk}/results").json()
    assert (results["asked"], results["answered"]) == (3, 1)
    assert results["questions"][0]["ranked"][0] == {
        "answer": scene.terms[0].label,
        "respondents": 1,
        "share": 1.0,
    }


def test_a_manager_does_not_answer_for_the_organisations(scene, client):
    open_now(scene)
    client.force_login(scene.manager)
    assert put(client, f"/api/surveys/{scene.survey.pk}/response", {}).status_code == 404


def test_without_login_the_api_answers_401(scene, client):
    assert client.get("/api/surveys/").status_code == 401


@pytest.mark.parametrize(
    "value",
    ["abc", [[1]], {"term": {"x": 1}}, [{"term": 1, "level": 9}], 1e300],
)
def test_odd_term_answers_are_a_422(scene, client, value):
    open_now(scene)
    client.force_login(scene.alpha_user)
    body = {"answers": [{"question": scene.areas.pk, "value": value}]}
    assert put(client, f"/api/surveys/{scene.survey.pk}/response", body).status_code == 422


def test_an_unknown_question_is_a_422(scene, client):
    open_now(scene)
    client.force_login(scene.alpha_user)
    body = {"answers": [{"question": 10**9, "value": "x"}]}
    assert put(client, f"/api/surveys/{scene.survey.pk}/response", body).status_code == 422
