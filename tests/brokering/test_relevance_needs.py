"""A provider sees the needs its offers answer; confidential ones as anonymised summaries."""

import pytest
from django.urls import reverse

from clusterbroker.brokering import engine, services
from tests.factories import OrganisationFactory, TaxonomyFactory, TermFactory

from .factories import save_profile

pytestmark = pytest.mark.django_db

SECRET = "Cobots for the assembly line of our new BLDC drive platform, project Falcon."


@pytest.fixture
def needs(world):
    industrial = TaxonomyFactory(code="dia-industrial", name="Industrial technologies")
    TermFactory(taxonomy=industrial, code="COBOT", label="Collaborative robots")
    TermFactory(taxonomy=industrial, code="FOOD", label="Food processing")
    hanning = OrganisationFactory(name="HANNING ELEKTRO-WERKE", country="DE")
    save_profile(
        world.admin,
        hanning,
        needs=[
            services.NeedData(
                kind="technology",
                description=SECRET,
                terms=["dia-industrial:COBOT"],
                confidential=True,
            )
        ],
    )
    dairy = OrganisationFactory(name="Dairy Co-operative", country="IE")
    save_profile(
        world.admin,
        dairy,
        needs=[
            services.NeedData(
                kind="service",
                description="Cheese ripening monitoring",
                terms=["dia-industrial:FOOD"],
            )
        ],
    )
    integrator = save_profile(
        world.company_user,
        world.member_company,
        offers=[
            services.OfferData(
                "Cobot integration", "Cobot cells for assembly", ["dia-industrial:COBOT"]
            )
        ],
    )
    return {"integrator": integrator, "hanning": hanning}


def test_cobot_integrator_sees_the_confidential_cobot_need_as_a_summary(world, needs):
    results = engine.match_profile(needs["integrator"], "needs", user=world.company_user)
    assert len(results) == 1, [r.label for r in results]  # not the dairy's need
    shown = results[0]
    assert shown.label == "Technology: Confidential need (anonymised)"
    assert shown.introduce
    assert any("Collaborative robots" in reason for reason in shown.reasons)
    everything = " ".join([shown.label, shown.description, shown.url, *shown.reasons])
    for secret in ("HANNING", "Falcon", "BLDC", str(shown.item.pk)):
        assert secret not in everything
    assert shown.url == reverse("brokering:need-ref", args=[shown.item.ref])


def test_the_page_and_the_api_show_the_summary_with_introduce_me(world, needs):
    client = world.client(world.company_user)
    public_id = needs["integrator"].public_id
    page = client.get(
        reverse("brokering:matches", args=[public_id]) + "?kind=needs",
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Confidential need (anonymised)" in page and "Introduce me" in page
    assert "HANNING" not in page and "Falcon" not in page and "Dairy" not in page
    body = client.get(f"/api/brokering/profiles/{public_id}/matches?kind=needs").json()
    assert [row["name"] for row in body] == ["Technology: Confidential need (anonymised)"]
    assert "HANNING" not in str(body) and "Falcon" not in str(body)
