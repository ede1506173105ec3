"""The survey's main flow once in a real headless Chromium: a partnership manager starts a
survey from the DIA taxonomies, two member organisations answer (one in two sittings), the
manager reads the chart and exports it; an organisation not asked cannot answer, and a
respondent never reaches another's answer."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clusterbroker.surveys.models import Response, Survey

from ..a11y.axe import axe_violations, describe
from ..conftest import CHROMIUM, log_in
from ..factories import TaxonomyFactory, TermFactory
from .factories import build_scene

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def level(page, survey, taxonomy_code, term_label, value):
    question = survey.questions.get(taxonomy__code=taxonomy_code)
    term = question.taxonomy.terms.get(label=term_label)
    page.select_option(f"select[name=q{question.pk}_t{term.pk}]", value)


def test_manager_runs_a_survey_that_two_members_answer(live_server, browser):
    scene = build_scene()
    ict = TaxonomyFactory(code="dia-ict", name="ICT areas of interest")
    industrial = TaxonomyFactory(code="dia-industrial", name="Industrial areas of interest")
    for taxonomy, labels in ((ict, ["Autonomous robots", "Cloud"]), (industrial, ["HMI"])):
        for label in labels:
            TermFactory(taxonomy=taxonomy, label=label)
    today = timezone.localdate()

    manager = log_in(browser, live_server, scene.manager)
    manager.goto(f"{live_server.url}/surveys/")
    manager.click("text=New survey")
    manager.fill("input[name=title]", "Needs of our SMEs")
    manager.fill("input[name=opens_on]", today.isoformat())
    manager.fill("input[name=closes_on]", (today + dt.timedelta(days=30)).isoformat())
    manager.select_option("select[name=audience]", "members_of_members")
    manager.check("input[name=from_dia]")
    manager.click("main button:has-text('Save')")
    expect(manager.locator("#questions li")).to_have_count(2)
    assert not (found := axe_violations(manager)), describe(found)
    survey = Survey.objects.get(title="Needs of our SMEs")
    answer_url = f"{live_server.url}/surveys/{survey.pk}/answer/"

    alpha = log_in(browser, live_server, scene.alpha_user)
    alpha.goto(f"{live_server.url}/surveys/")
    alpha.click("text=Needs of our SMEs")
    level(alpha, survey, "dia-ict", "Cloud", "3")
    alpha.click("button:has-text('Save and come back later')")
    expect(alpha.locator("#response-state")).to_contain_text("Saved as a draft")
    alpha.close()

    alpha_again = log_in(browser, live_server, scene.alpha_colleague)
    alpha_again.goto(answer_url)
    question = survey.questions.get(taxonomy__code="dia-ict")
    cloud = question.taxonomy.terms.get(label="Cloud")
    expect(alpha_again.locator(f"select[name=q{question.pk}_t{cloud.pk}]")).to_have_value("3")
    level(alpha_again, survey, "dia-industrial", "HMI", "2")
    alpha_again.click("button:has-text('Submit the answers')")
    expect(alpha_again.locator("#response-state")).to_contain_text("Submitted")

    beta = log_in(browser, live_server, scene.beta_user)
    beta.goto(answer_url)
    level(beta, survey, "dia-ict", "Cloud", "1")
    level(beta, survey, "dia-ict", "Autonomous robots", "2")
    level(beta, survey, "dia-industrial", "HMI", "3")
    beta.click("button:has-text('Submit the answers')")
    expect(beta.locator("#response-state")).to_contain_text("Submitted")
    assert not (found := axe_violations(beta)), describe(found)
    alpha_response = Response.objects.get(survey=survey, organisation=scene.alpha)
    other = beta.goto(f"{live_server.url}/surveys/{survey.pk}/responses/{alpha_response.pk}/")
    assert other.status == 404
    assert "Cloud (Strong interest)" not in beta.content()

    outsider = log_in(browser, live_server, scene.outsider_user)
    reply = outsider.goto(answer_url)
    assert reply.status == 404
    assert not Response.objects.filter(survey=survey, organisation=scene.outsider_company)

    manager.goto(f"{live_server.url}/surveys/{survey.pk}/results/")
    expect(manager.locator("#response-rate")).to_contain_text("2 of 3")
    first_chart = manager.locator("svg.chart").first
    expect(first_chart.locator("rect")).to_have_count(2)
    assert not (found := axe_violations(manager)), describe(found)
    expect(manager.locator("table.ranked").first.locator("td.answer-label").first).to_have_text(
        "Cloud"
    )
    with manager.expect_download() as download:
        manager.click("text=CSV")
    content = open(download.value.path(), encoding="utf-8-sig").read()
    assert "Cloud,2,100" in content
