"""With the respondent's consent its chosen areas become a need of its brokering profile;
the partnership's figures count the organisations surveyed and those that answered."""

from clusterbroker.brokering.models import Need
from clusterbroker.plans.kpis import Period
from clusterbroker.surveys import kpis, services

from .factories import TODAY


def save(scene, consent, *terms):
    values = {scene.areas.pk: [{"term": t.pk, "level": 2} for t in terms]}
    return services.save_response(
        scene.alpha_user, scene.survey, scene.alpha, values, consent=consent, today=TODAY
    )


def test_with_consent_the_chosen_areas_become_a_confidential_need(scene):
    robots, cloud, _ar = scene.terms
    response = save(scene, True, robots, cloud)
    need = Need.objects.get(profile__organisation=scene.alpha)
    assert response.profile_need == need and need.confidential
    assert set(need.terms.all()) == {robots, cloud}
    save(scene, True, cloud)
    assert list(Need.objects.get(pk=need.pk).terms.all()) == [cloud]


def test_without_consent_nothing_reaches_the_profile_and_withdrawing_removes_it(scene):
    save(scene, False, scene.terms[0])
    assert not Need.objects.exists()
    save(scene, True, scene.terms[0])
    assert Need.objects.count() == 1
    save(scene, False, scene.terms[0])
    assert not Need.objects.exists()


def test_kpi_counts_organisations_surveyed_and_answered(scene):
    save(scene, False, scene.terms[0])  # a draft is not an answer
    services.save_response(
        scene.beta_user,
        scene.survey,
        scene.beta,
        {scene.areas.pk: [scene.terms[0].pk]},
        submit=True,
        today=TODAY,
    )
    period = Period()
    pid = scene.partnership.pk
    assert len(kpis.dates_organisations_surveyed(pid, period, TODAY)) == 3
    assert len(kpis.dates_organisations_answered(pid, period, TODAY)) == 1
