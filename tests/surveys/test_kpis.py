"""The KPI measures "organisations surveyed" and "organisations that answered": each counts
distinct organisations of the partnership's surveys opened in the KPI's period."""

import datetime as dt
import re

from django.urls import reverse

from clusterbroker.plans import services as plan_services
from clusterbroker.plans.kpis import MEASURES, Period, compute_measure
from clusterbroker.plans.models import Kpi, KpiSource, Measure
from clusterbroker.surveys import services

from ..plans.factories import ComputedKpiFactory
from .factories import TODAY, SurveyFactory


def submit(scene, survey, user, organisation):
    return services.save_response(
        user,
        survey,
        organisation,
        {scene.areas.pk: [scene.terms[0].pk]} if survey == scene.survey else {},
        submit=True,
        today=TODAY,
    )


def second_survey(scene, **dates):
    """Another survey of the same partnership, asking alpha and beta again."""
    survey = SurveyFactory(partnership=scene.partnership, audience="list", **dates)
    services.invite(survey, [scene.alpha, scene.beta])
    return survey


def test_both_measures_are_on_the_menu_with_an_explanation():
    assert Measure.ORGANISATIONS_SURVEYED in MEASURES
    assert Measure.ORGANISATIONS_ANSWERED in MEASURES
    assert "drafts do not count" in str(MEASURES[Measure.ORGANISATIONS_ANSWERED].explanation)


def test_organisations_surveyed_counts_each_organisation_once(scene):
    second_survey(scene)
    # A survey of another partnership asking the same organisations does not count.
    other = SurveyFactory(audience="list")
    services.invite(other, [scene.alpha])
    kpi = ComputedKpiFactory(
        partnership=scene.partnership, measure=Measure.ORGANISATIONS_SURVEYED, target=5
    )
    reading = plan_services.read_kpi(kpi, TODAY)
    assert reading.value == 3  # alpha, beta, gamma; alpha and beta asked twice
    assert compute_measure(kpi.measure, scene.partnership.pk, Period(), TODAY) == 3


def test_organisations_surveyed_follows_the_period_and_today(scene):
    second_survey(scene, opens_on=dt.date(2026, 7, 1), closes_on=dt.date(2026, 7, 31))
    june = Period(dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    july = Period(dt.date(2026, 7, 1), dt.date(2026, 7, 31))
    pid = scene.partnership.pk
    assert compute_measure(Measure.ORGANISATIONS_SURVEYED, pid, june, TODAY) == 3
    # The July survey has not opened on TODAY (10 June): nobody is surveyed by it yet.
    assert compute_measure(Measure.ORGANISATIONS_SURVEYED, pid, july, TODAY) == 0
    assert compute_measure(Measure.ORGANISATIONS_SURVEYED, pid, july, dt.date(2026, 7, 2)) == 2


def test_organisations_answered_counts_submitted_responses_only(scene):
    survey2 = second_survey(scene)
    services.save_response(  # a draft is not an answer
        scene.alpha_user,
        scene.survey,
        scene.alpha,
        {scene.areas.pk: [scene.terms[0].pk]},
        today=TODAY,
    )
    submit(scene, scene.survey, scene.beta_user, scene.beta)
    submit(scene, survey2, scene.beta_user, scene.beta)  # beta answered twice: once
    kpi = ComputedKpiFactory(
        partnership=scene.partnership, measure=Measure.ORGANISATIONS_ANSWERED, target=3
    )
    assert plan_services.read_kpi(kpi, TODAY).value == 1
    submit(scene, survey2, scene.alpha_user, scene.alpha)
    assert plan_services.read_kpi(kpi, TODAY).value == 2


def test_the_dashboard_shows_the_survey_kpi(scene, client):
    submit(scene, scene.survey, scene.beta_user, scene.beta)
    kpi = ComputedKpiFactory(
        partnership=scene.partnership,
        name="Members who answered",
        measure=Measure.ORGANISATIONS_ANSWERED,
        target=3,
    )
    client.force_login(scene.manager)
    url = reverse("plans:dashboard", args=[scene.partnership.slug])
    body = client.get(url).content.decode()
    row = re.search(rf'<tr data-kpi="{kpi.pk}">(.*?)</tr>', body, re.S).group(1)
    assert "Members who answered" in row
    assert "<td data-value>1</td>" in row
    assert "drafts do not count" in body


def test_manager_defines_a_kpi_on_organisations_answered(scene, client):
    client.force_login(scene.manager)
    response = client.post(
        reverse("plans:kpi-create", args=[scene.partnership.slug]),
        {
            "name": "Answered",
            "source": "computed",
            "measure": "organisations_answered",
            "target": "30",
            "position": "1",
        },
    )
    assert response.status_code == 302
    kpi = Kpi.objects.get(partnership=scene.partnership)
    assert (kpi.source, kpi.measure) == (KpiSource.COMPUTED, "organisations_answered")
