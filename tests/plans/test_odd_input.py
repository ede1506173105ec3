"""Odd input to the plan pages and API gets a 4xx with a reason, never a server error; the
evidence downloads do not tell an outsider whether a document exists (findings 9, 10)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clusterbroker.plans.models import Action, KpiValue

from ..conftest import without_csrf_tokens
from ..factories import ParticipationFactory
from .factories import ManualKpiFactory

pytestmark = pytest.mark.django_db

HUGE = str(10**25)


def test_an_action_naming_a_project_id_beyond_64_bits_is_refused_by_the_api(world):
    client = world.client(world.partnership_manager)
    response = client.post(
        "/api/plans/alpine-motors/actions",
        {"title": "Joint mission", "projects": [10**25]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "projects" in response.json()["detail"] and HUGE in response.json()["detail"]
    assert not Action.objects.exists()


@pytest.mark.parametrize("field", ["projects", "contributors", "events"])
@pytest.mark.parametrize("value", [HUGE, "²", "-1", "0"])
def test_an_action_form_with_an_odd_id_is_refused_with_the_field(world, field, value):
    client = world.client(world.partnership_manager)
    response = client.post(
        "/plans/alpine-motors/actions/new/",
        {"title": "Joint mission", "phase": "preparation", "status": "planned", field: [value]},
    )
    assert response.status_code == 400
    assert "is not a valid value" in response.content.decode()
    assert not Action.objects.exists()


def test_a_project_a_member_takes_part_in_is_still_accepted(world):
    project = ParticipationFactory(organisation=world.member_company).project
    client = world.client(world.partnership_manager)
    response = client.post(
        "/plans/alpine-motors/actions/new/",
        {
            "title": "Joint mission",
            "phase": "preparation",
            "status": "planned",
            "projects": [str(project.pk)],
        },
    )
    assert response.status_code == 302
    assert list(Action.objects.get().projects.all()) == [project]


@pytest.mark.parametrize(
    "url",
    [
        "/plans/?page=%C2%B2",
        f"/plans/?page={HUGE}",
        "/plans/?q=%C2%B2",
        f"/plans/roadmaps/mecha-cluster/{HUGE}/",
        f"/plans/alpine-motors/actions/{HUGE}/",
        f"/plans/alpine-motors/kpis/{HUGE}/",
        f"/plans/alpine-motors/evidence/{HUGE}/",
    ],
)
def test_odd_page_addresses_get_no_server_error(world, url):
    client = world.client(world.partnership_manager)
    client.raise_request_exception = False
    assert client.get(url).status_code < 500


@pytest.mark.parametrize(
    "url", [f"/api/plans/alpine-motors/actions/{HUGE}", f"/api/plans/alpine-motors/kpis/{HUGE}"]
)
def test_odd_api_ids_are_not_found(world, url):
    client = world.client(world.partnership_manager)
    client.raise_request_exception = False
    body = {"title": "x", "name": "x", "source": "manual"}
    assert client.put(url, body, content_type="application/json").status_code == 404


def test_evidence_is_404_both_when_missing_and_when_not_allowed(world):
    kpi = ManualKpiFactory(partnership=world.partnership)
    upload = SimpleUploadedFile("agreement.pdf", b"secret", "application/pdf")
    world.client(world.partnership_manager).post(
        f"/plans/alpine-motors/kpis/{kpi.pk}/values/new/",
        {"value": "2", "as_of": "2025-11-01", "document": upload},
    )
    entry = KpiValue.objects.get()
    outsider = world.client(world.other_company_user)
    existing = outsider.get(f"/plans/alpine-motors/evidence/{entry.pk}/")
    missing = outsider.get(f"/plans/alpine-motors/evidence/{entry.pk + 1000}/")
    assert existing.status_code == missing.status_code == 404
    assert without_csrf_tokens(existing.content) == without_csrf_tokens(missing.content)
    assert (
        world.client(world.company_user).get(f"/plans/alpine-motors/evidence/{entry.pk}/").content
        == b"secret"
    )


def test_the_api_links_an_action_only_to_projects_a_member_takes_part_in(world):
    """The page offers only the members' projects; the API follows the same rule."""
    foreign = ParticipationFactory(organisation=world.other_company).project
    own = ParticipationFactory(organisation=world.member_company).project
    client = world.client(world.partnership_manager)
    refused = client.post(
        "/api/plans/alpine-motors/actions",
        {"title": "Joint mission", "projects": [foreign.pk]},
        content_type="application/json",
    )
    assert refused.status_code == 422 and foreign.acronym in refused.json()["detail"]
    accepted = client.post(
        "/api/plans/alpine-motors/actions",
        {"title": "Joint mission", "projects": [own.pk]},
        content_type="application/json",
    )
    assert accepted.status_code == 201 and accepted.json()["projects"] == [own.pk]
