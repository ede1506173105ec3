"""Matching through the CLI, the pages and the API, on registry data."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from clusterbroker.brokering import engine, services
from clusterbroker.registry.models import Competence, Organisation
from tests.factories import (
    OrganisationFactory,
    ParticipationFactory,
    PartnershipMemberFactory,
    ProjectFactory,
)

from .factories import save_profile, taxonomy_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(world):
    terms = taxonomy_terms()
    dih = OrganisationFactory(name="Digital Factory DIH", kind="dih", country="IT")
    Competence.objects.create(organisation=dih, term=terms["D3"])
    ai = OrganisationFactory(name="Vision AI", kind="company", country="DE")
    save_profile(
        world.admin,
        ai,
        offers=[services.OfferData("Machine vision", "deep learning inspection", ["dia-ict:AI"])],
    )
    partner = OrganisationFactory(name="Past Partner", kind="company", country="ES")
    project = ProjectFactory()
    ParticipationFactory(project=project, organisation=world.member_company)
    ParticipationFactory(project=project, organisation=partner)
    PartnershipMemberFactory(
        partnership=world.partnership, organisation=OrganisationFactory(name="Ally", kind="rto")
    )
    profile = save_profile(
        world.company_user,
        world.member_company,
        needs=[
            services.NeedData(
                kind="service", description="digital factory and inspection", terms=["effra:D3"]
            )
        ],
    )
    return {"profile": profile, "dih": dih, "ai": ai, "partner": partner}


def test_match_ranks_with_reasons_for_partners_and_providers(market):
    partners = engine.match_profile(market["profile"], "partners")
    names = [r.label for r in partners]
    assert names[0] == "Digital Factory DIH"
    assert "Vision AI" in names
    # Relevance first: the past partner and the partnership's member offer nothing asked.
    assert not {"Past Partner", "Ally"} & set(names)
    assert all(r.reasons for r in partners)
    by_name = {r.label: r for r in partners}
    assert any("complementary" in reason for reason in by_name["Vision AI"].reasons)
    providers = engine.match_profile(market["profile"], "providers")
    assert {r.item.kind for r in providers} <= set(engine.PROVIDER_KINDS)
    assert providers[0].label == "Digital Factory DIH"


def test_network_signals_only_reorder_relevant_candidates(market):
    d3 = market["dih"].competences.get().term
    Competence.objects.create(organisation=market["partner"], term=d3)
    ally = Organisation.objects.get(name="Ally")
    Competence.objects.create(organisation=ally, term=d3)
    new = engine.match_profile(market["profile"], "partners")
    assert "Past Partner" not in [r.label for r in new]
    by_name = {r.label: r for r in new}
    assert any("partnership" in reason for reason in by_name["Ally"].reasons)
    known = engine.match_profile(market["profile"], "partners", partners="known")
    assert [r.label for r in known] == ["Past Partner"] and known[0].known_partner
    assert any("worked with you" in reason for reason in known[0].reasons)
    everyone = [
        r.label for r in engine.match_profile(market["profile"], "partners", partners="all")
    ]
    assert "Past Partner" in everyone
    # Offering the needed term (tier 2) beats the complementary one whatever the network says.
    assert everyone.index("Past Partner") < everyone.index("Vision AI")


def test_cli_match(market):
    out = StringIO()
    call_command("match", market["profile"].public_id, "--kind", "providers", stdout=out)
    text = out.getvalue()
    assert "1. Digital Factory DIH" in text
    assert "offers D3 Digital factory you need" in text
    out = StringIO()
    call_command("match", market["profile"].public_id, "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert rows and all(row["reasons"] for row in rows)
    with pytest.raises(CommandError, match="no such profile"):
        call_command("match", "CB-NOPE")


def test_cli_match_shows_existing_partners_only_when_asked(market):
    d3 = market["dih"].competences.get().term
    Competence.objects.create(organisation=market["partner"], term=d3)  # relevant, and known
    profile = market["profile"].public_id
    out = StringIO()
    call_command("match", profile, "--kind", "partners", "--json", stdout=out)
    assert "Past Partner" not in [row["name"] for row in json.loads(out.getvalue())]
    out = StringIO()
    call_command("match", profile, "--kind", "partners", "--partners", "known", stdout=out)
    text = out.getvalue()
    assert "1. Past Partner" in text and "[you already work with them]" in text
    out = StringIO()
    call_command("match", profile, "--partners", "all", "--json", stdout=out)
    rows = {row["name"]: row["known_partner"] for row in json.loads(out.getvalue())}
    assert rows["Past Partner"] is True and rows["Vision AI"] is False


def test_calls_without_collections_say_so(market, monkeypatch):
    monkeypatch.setattr(engine.apps, "is_installed", lambda name: False)
    with pytest.raises(engine.NoCollections, match="no collections"):
        engine.match_profile(market["profile"], "calls")
    with pytest.raises(CommandError, match="no collections"):
        call_command("match", market["profile"].public_id, "--kind", "calls")


def test_match_page_and_api(world, market):
    client = world.client(world.company_user)
    url = reverse("brokering:matches", args=[market["profile"].public_id])
    page = client.get(url + "?kind=providers")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Digital Factory DIH" in html and "offers D3 Digital factory you need" in html
    Competence.objects.create(
        organisation=market["partner"], term=market["dih"].competences.get().term
    )
    partial = client.get(url + "?kind=partners", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    # The past partner is listed apart, after the new matches, not as one of them.
    assert partial.index("You already work with") < partial.index("Past Partner")
    everyone = client.get(url + "?kind=partners&partners=all", HTTP_HX_REQUEST="true")
    assert "You already work with" not in everyone.content.decode()
    assert "Past Partner" in everyone.content.decode()
    api_url = f"/api/brokering/profiles/{market['profile'].public_id}/matches?kind=partners"
    assert "Past Partner" not in [row["name"] for row in client.get(api_url).json()]
    known = client.get(api_url + "&partners=known").json()
    assert [(row["name"], row["known_partner"]) for row in known] == [("Past Partner", True)]
    need = market["profile"].needs.get()
    api = client.get(
        f"/api/brokering/profiles/{market['profile'].public_id}/matches?kind=providers&need={need.pk}"
    )
    assert api.status_code == 200
    body = api.json()
    assert body[0]["name"] == "Digital Factory DIH"
    assert all(row["reasons"] for row in body)


def test_index_is_rebuilt_when_data_change(market):
    first = engine.current_index()
    assert engine.current_index() is first
    OrganisationFactory(name="Newcomer")
    assert engine.current_index() is not first


def test_open_calls_are_ranked_when_the_collections_exist(world, market):
    from django.apps import apps

    if not apps.is_installed("clusterbroker.community"):
        pytest.skip("the collections of open calls are not installed")
    open_call = apps.get_model("community", "OpenCall")
    terms = {t.code: t for t in market["profile"].needs.get().terms.all()}
    try:
        digital = open_call.objects.create(
            title="Digital factory pilots",
            description="digital factory and inspection",
            status="published",
        )
        open_call.objects.create(title="Organic farming", description="soil", status="published")
        open_call.objects.create(title="Draft call", description="digital factory", status="draft")
    except Exception as error:  # the collections' model may ask for more than these fields
        pytest.skip(f"open calls cannot be created here: {error}")
    digital.topics.add(terms["D3"])
    results = engine.match_profile(market["profile"], "calls")
    assert [r.label for r in results][0] == "Digital factory pilots"
    assert "Draft call" not in [r.label for r in results]
    assert all(r.reasons for r in results)


def test_a_stale_index_answers_while_the_queue_builds_the_new_one(market, settings):
    first = engine.current_index()
    generation = engine.index_directory() / "CURRENT"
    built = generation.read_text()
    # A queue that only records the task, as a worker busy elsewhere would leave it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    OrganisationFactory(name="Latecomer")
    stale = engine.current_index()
    assert "Latecomer" not in stale.names and list(stale.keys) == list(first.keys)
    assert len(default_task_backend.results) == 1  # the rebuild is queued, once
    engine.current_index()
    assert len(default_task_backend.results) == 1
    assert generation.read_text() == built
    # The worker runs the task: every process then reads the new generation.
    engine.persist_index()
    assert generation.read_text() != built
    assert "Latecomer" in engine.current_index().names
