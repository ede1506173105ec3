"""Relevance first (issue 13): a company asking for cobots gets cobot offerers, not its
past partners; network signals only reorder relevant candidates; local help prefers the
same region, then the same country."""

import pytest

from clusterbroker.brokering import embeddings, engine, services
from clusterbroker.registry.models import Competence
from tests.factories import (
    OrganisationFactory,
    ParticipationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    ProjectFactory,
    RegionFactory,
    TaxonomyFactory,
    TermFactory,
)

from .factories import save_profile

pytestmark = pytest.mark.django_db

COBOT_OFFER = "Collaborative robot integration: cobot cells for assembly and handling."
NEED_TEXT = "Collaborative robots for the assembly of electric drives, next to our workers."


@pytest.fixture
def cobots(world):
    """HANNING-like: a drives maker in the CloudiFacturing consortium, with a dairy co-op."""
    industrial = TaxonomyFactory(code="dia-industrial", name="Industrial technologies")
    ict = TaxonomyFactory(code="dia-ict", name="ICT areas")
    cobot = TermFactory(taxonomy=industrial, code="COBOT", label="Collaborative robots")
    TermFactory(taxonomy=industrial, code="FOOD", label="Food processing")
    TermFactory(taxonomy=ict, code="CLOUD", label="Cloud simulation")
    detmold = RegionFactory(code="DEA4", name="Detmold", country="DE")
    dresden = RegionFactory(code="DED2", name="Dresden", country="DE")
    hanning = OrganisationFactory(name="HANNING ELEKTRO-WERKE", country="DE", region=detmold)

    cloudifacturing = ProjectFactory(acronym="CloudiFacturing")
    partnership = PartnershipFactory(name="CloudiFacturing network")
    partners = {}
    for name, country, offer, term in [
        ("Dairy Co-operative", "IE", "Milk collection and cheese making", "dia-industrial:FOOD"),
        ("Cloud Simulation GmbH", "DE", "HPC simulation in the cloud", "dia-ict:CLOUD"),
        ("Fraunhofer Cloud Lab", "DE", "Cloud platforms for manufacturing", "dia-ict:CLOUD"),
        ("Robot Partner SA", "FR", COBOT_OFFER, "dia-industrial:COBOT"),
    ]:
        org = OrganisationFactory(name=name, country=country)
        save_profile(world.admin, org, offers=[services.OfferData(offer, "", [term])])
        ParticipationFactory(project=cloudifacturing, organisation=org)
        PartnershipMemberFactory(partnership=partnership, organisation=org)
        partners[name] = org
    ParticipationFactory(project=cloudifacturing, organisation=hanning)
    PartnershipMemberFactory(partnership=partnership, organisation=hanning)

    offerers = {}
    for name, country, region in [
        ("Cobot Integrator Detmold", "DE", detmold),
        ("Cobot Integrator Dresden", "DE", dresden),
        ("Cobotica Italia", "IT", None),
        ("Robotique Collaborative", "FR", None),
        ("Cobot Systems Iberia", "ES", None),
    ]:
        org = OrganisationFactory(name=name, country=country, region=region)
        save_profile(
            world.admin,
            org,
            offers=[services.OfferData(COBOT_OFFER, "", ["dia-industrial:COBOT"])],
        )
        offerers[name] = org
    # A robotics hub known by its sectors only: its description says what it does.
    hub = OrganisationFactory(
        name="Robotics DIH",
        kind="dih",
        country="ES",
        description="Collaborative robots: cobot testing for assembly of drives.",
    )
    # A partner of a partner: the network would love it, but it offers nothing asked.
    friend = OrganisationFactory(name="Partners' Friend", country="DE")
    other = ProjectFactory(acronym="OTHER")
    for org in (friend, partners["Cloud Simulation GmbH"], partners["Fraunhofer Cloud Lab"]):
        ParticipationFactory(project=other, organisation=org)
    profile = save_profile(
        world.admin,
        hanning,
        needs=[
            services.NeedData(
                kind="technology",
                description=NEED_TEXT,
                terms=["dia-industrial:COBOT"],
                local=True,
            )
        ],
    )
    return {
        "profile": profile,
        "need": profile.needs.get(),
        "partners": partners,
        "offerers": offerers,
        "hub": hub,
        "cobot": cobot,
    }


def test_cobot_need_gets_cobot_offerers_not_its_consortium(cobots):
    results = engine.match_need(cobots["need"], "partners")
    names = [r.label for r in results]
    assert set(cobots["offerers"]) <= set(names)
    assert not set(cobots["partners"]) & set(names), "existing partners are not the answer"
    assert "Partners' Friend" not in names
    assert not any(r.known_partner for r in results)
    for r in results[:5]:
        assert any("Collaborative robots" in reason for reason in r.reasons), r.reasons
        assert not any("worked with you" in reason for reason in r.reasons)


def test_existing_partner_that_offers_cobots_is_shown_apart(cobots):
    known = engine.match_need(cobots["need"], "partners", partners="known")
    # The partner offering the needed term first; partners with complementary (cloud)
    # offers after it; never the dairy co-operative.
    assert known[0].label == "Robot Partner SA"
    assert all(r.known_partner for r in known)
    assert "Dairy Co-operative" not in [r.label for r in known]
    everyone = [r.label for r in engine.match_need(cobots["need"], "partners", partners="all")]
    assert "Robot Partner SA" in everyone
    assert "Dairy Co-operative" not in everyone


def test_dairy_cooperative_never_shows_for_a_cobot_need(cobots):
    for kind in ("partners", "providers"):
        for partners in ("new", "known", "all"):
            for results in (
                engine.match_need(cobots["need"], kind, partners=partners),
                engine.match_profile(cobots["profile"], kind, partners=partners),
            ):
                assert "Dairy Co-operative" not in [r.label for r in results]


def test_local_help_puts_same_region_then_country_first(cobots):
    results = engine.match_need(cobots["need"], "partners")
    names = [r.label for r in results]
    assert names[:2] == ["Cobot Integrator Detmold", "Cobot Integrator Dresden"]
    assert "in your region (DEA4): local help preferred" in results[0].reasons
    assert "in your country (DE): local help preferred" in results[1].reasons
    # Without the preference, the order among offerers is not by place.
    need = cobots["need"]
    need.local = False
    need.save()
    reasons = [x for r in engine.match_need(need, "partners") for x in r.reasons]
    assert not any("local help preferred" in reason for reason in reasons)


def test_network_never_lifts_an_irrelevant_candidate(cobots):
    results = engine.match_need(cobots["need"], "partners", partners="all")
    tiers = [r.signals["coverage"] > 0 for r in results]
    # Every organisation offering the needed term comes before any that does not.
    assert tiers == sorted(tiers, reverse=True)
    assert all(
        r.signals["coverage"] > 0
        or r.signals["complement"] > 0
        or r.signals["meaning"] >= 0.35
        or r.signals["words"] >= 0.08
        for r in results
    )


def test_reasons_quote_the_matching_offer(cobots):
    top = engine.match_need(cobots["need"], "partners")[0]
    assert any("their offer “Collaborative robot integration" in r for r in top.reasons), (
        top.reasons
    )


@pytest.fixture
def real_model(real_model_encoder):
    previous = embeddings.use_encoder(real_model_encoder)
    yield real_model_encoder
    embeddings.use_encoder(previous)


def test_hub_description_is_matched_by_meaning_with_the_real_model(world, real_model):
    """No shared term: the sentence model links a text-only need to a hub's description."""
    hub = OrganisationFactory(
        name="Robotics Hub",
        kind="dih",
        country="ES",
        description="We help small manufacturers deploy cobots that work safely beside people.",
    )
    dairy = OrganisationFactory(
        name="Dairy Hub",
        kind="dih",
        country="ES",
        description="Support for milk producers, cheese dairies and livestock farmers.",
    )
    asker = OrganisationFactory(name="Drives Maker", country="DE")
    profile = save_profile(
        world.admin,
        asker,
        needs=[services.NeedData(kind="technology", description=NEED_TEXT)],
    )
    names = [r.label for r in engine.match_need(profile.needs.get(), "providers")]
    assert hub.name in names
    assert dairy.name not in names
    assert not Competence.objects.filter(organisation=hub).exists()
