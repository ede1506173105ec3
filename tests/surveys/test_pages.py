import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from clusterbroker.surveys import services
from clusterbroker.surveys.models import Response, Survey

from ..factories import TaxonomyFactory, TermFactory


def client_for(client, user):
    client.force_login(user)
    return client


def open_now(scene):
    today = timezone.localdate()
    Survey.objects.filter(pk=scene.survey.pk).update(
        opens_on=today, closes_on=today + timezone.timedelta(days=20)
    )
    scene.survey.refresh_from_db()


def test_manager_creates_a_survey_from_the_dia_taxonomies(scene, client):
    for code in ("dia-ict", "dia-industrial"):
        TermFactory(taxonomy=TaxonomyFactory(code=code), label=f"{code} term")
    client_for(client, scene.manager)
    page = client.get(reverse("surveys:create"))
    assert page.status_code == 200
    owner = f"p{scene.partnership.pk}"
    answer = client.post(
        reverse("surveys:create"),
        {
            "owner": owner,
            "title": "Needs 2027",
            "opens_on": "2026-06-01",
            "closes_on": "2026-06-30",
            "audience": "members_of_members",
            "from_dia": "on",
        },
    )
    survey = Survey.objects.get(title="Needs 2027")
    assert answer.status_code == 302
    assert [q.taxonomy.code for q in survey.questions.all()] == ["dia-ict", "dia-industrial"]
    assert survey.invitations.count() == 3


def test_a_company_editor_cannot_create_a_survey(scene, client):
    client_for(client, scene.alpha_user)
    assert client.get(reverse("surveys:create")).status_code == 403


def test_the_list_shows_surveys_to_answer_and_managed(scene, client):
    client_for(client, scene.alpha_user)
    assert scene.survey.title in client.get(reverse("surveys:list")).content.decode()
    client_for(client, scene.outsider_user)
    assert scene.survey.title not in client.get(reverse("surveys:list")).content.decode()


def test_an_organisation_answers_in_two_sittings_through_the_form(scene, client):
    open_now(scene)
    url = reverse("surveys:answer", args=[scene.survey.pk])
    robots, cloud, _ar = scene.terms
    client_for(client, scene.alpha_user)
    field = f"q{scene.areas.pk}_t{robots.pk}"
    saved = client.post(url, {field: "3", "action": "save"})
    assert saved.status_code == 302
    response = Response.objects.get(survey=scene.survey, organisation=scene.alpha)
    assert response.submitted_at is None
    page = client.get(url).content.decode()
    assert "Saved as a draft" in page
    assert '<option value="3" selected>' in page
    submitted = client.post(
        url, {field: "3", f"q{scene.areas.pk}_t{cloud.pk}": "1", "action": "submit"}
    )
    assert submitted.status_code == 302
    response.refresh_from_db()
    assert response.submitted_at is not None
    assert len(services.response_values(response)[scene.areas.pk]) == 2


def test_submitting_without_a_required_answer_shows_the_question(scene, client):
    open_now(scene)
    client_for(client, scene.alpha_user)
    page = client.post(reverse("surveys:answer", args=[scene.survey.pk]), {"action": "submit"})
    assert page.status_code == 200
    assert "needs an answer before you submit" in page.content.decode()


def test_an_organisation_not_asked_cannot_open_the_survey(scene, client):
    open_now(scene)
    client_for(client, scene.outsider_user)
    url = reverse("surveys:answer", args=[scene.survey.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "save"}).status_code == 404
    assert not Response.objects.exists()


def test_a_respondent_never_sees_another_respondents_answer(scene, client):
    open_now(scene)
    response = services.save_response(
        scene.beta_user, scene.survey, scene.beta, {scene.text.pk: "beta secret"}
    )
    client_for(client, scene.alpha_user)
    url = reverse("surveys:response", args=[scene.survey.pk, response.pk])
    assert client.get(url).status_code == 404
    assert (
        "beta secret"
        not in client.get(reverse("surveys:answer", args=[scene.survey.pk])).content.decode()
    )
    assert client.get(reverse("surveys:results", args=[scene.survey.pk])).status_code == 403
    client_for(client, scene.manager)
    assert "beta secret" in client.get(url).content.decode()


def test_manager_sees_who_answered(scene, client):
    open_now(scene)
    services.save_response(scene.alpha_user, scene.survey, scene.alpha, {})
    client_for(client, scene.manager)
    page = client.get(reverse("surveys:survey", args=[scene.survey.pk])).content.decode()
    assert "Started, not submitted" in page
    assert page.count("Not answered") == 2


def submit_both(scene):
    robots, cloud, _ar = scene.terms
    for user, organisation, pairs in (
        (scene.alpha_user, scene.alpha, [(cloud, 3), (robots, 1)]),
        (scene.beta_user, scene.beta, [(cloud, 2)]),
    ):
        services.save_response(
            user,
            scene.survey,
            organisation,
            {scene.areas.pk: [{"term": t.pk, "level": lv} for t, lv in pairs]},
            submit=True,
        )


def test_results_page_draws_the_ranked_chart_and_table(scene, client):
    open_now(scene)
    submit_both(scene)
    client_for(client, scene.manager)
    page = client.get(reverse("surveys:results", args=[scene.survey.pk])).content.decode()
    assert "2 of 3 organisations asked answered (67 %)" in page
    assert page.index(">Cloud</td>") < page.index(">Robots</td>")
    assert "<svg" in page and 'width="400.0"' in page


def test_results_filter_keeps_one_country(scene, client):
    open_now(scene)
    submit_both(scene)
    client_for(client, scene.manager)
    page = client.get(
        reverse("surveys:results", args=[scene.survey.pk]), {"country": "DE"}
    ).content.decode()
    assert ">Robots</td>" not in page and ">Cloud</td>" in page


def test_results_export_as_csv_and_xlsx(scene, client):
    open_now(scene)
    submit_both(scene)
    client_for(client, scene.manager)
    csv = client.get(reverse("surveys:results-export", args=[scene.survey.pk, "csv"]))
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[1].endswith(",1,Cloud,2,100,")
    xlsx = client.get(reverse("surveys:results-export", args=[scene.survey.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[2]][2:5] == ["Cloud", 2, 100]
    client_for(client, scene.alpha_user)
    assert (
        client.get(reverse("surveys:results-export", args=[scene.survey.pk, "csv"])).status_code
        == 403
    )
