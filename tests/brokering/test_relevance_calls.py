"""Open calls matched on what they are for, not on the programmes' boilerplate (issue 13)."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.utils import timezone

from clusterbroker.brokering import engine, services
from clusterbroker.brokering.matching.boilerplate import (
    CALL_STOPWORDS,
    best_phrase,
    learn_stoplist,
)
from tests.factories import OrganisationFactory, TaxonomyFactory, TermFactory

from .factories import save_profile

pytestmark = pytest.mark.django_db

BOILERPLATE = (
    "Proposals under this topic should contribute to the expected outcomes of Horizon "
    "Europe. The Commission estimates that an EU contribution of EUR 400 million would "
    "allow these outcomes to be addressed. Projects are expected to include relevant "
    "stakeholders and to support the results of other projects."
)


def test_the_stoplist_is_learned_from_document_frequency():
    texts = ["horizon proposal robots", "horizon proposal crops", "horizon wheat", "cobots"]
    assert learn_stoplist(texts) == ["horizon", "proposal"]
    # The shipped list: learned from the 629 EU calls; filler words in, meaning words out.
    assert {"proposals", "horizon", "expected", "outcomes", "projects"} <= CALL_STOPWORDS
    assert not {"robots", "robotics", "crop", "plant", "manufacturing"} & CALL_STOPWORDS


def test_best_phrase_is_the_sentence_with_most_shared_words():
    text = "Scope: wheat and barley. Expected outcome: cobots in assembly lines of SMEs."
    assert best_phrase(text, {"cobots", "assembly"}) == "cobots in assembly lines of SMEs."
    assert best_phrase(text, set()) == ""


@pytest.fixture
def calls(world):
    if not apps.is_installed("clusterbroker.community"):
        pytest.skip("the collections of open calls are not installed")
    open_call = apps.get_model("community", "OpenCall")
    industrial = TaxonomyFactory(code="dia-industrial", name="Industrial technologies")
    TermFactory(taxonomy=industrial, code="COBOT", label="Collaborative robots")
    future = timezone.localdate() + dt.timedelta(days=60)
    past = timezone.localdate() - dt.timedelta(days=60)

    def call(title, description, deadline=future):
        return open_call.objects.create(
            title=title,
            description=f"{description} {BOILERPLATE}",
            status="published",
            deadline=deadline,
        )

    made = {
        "cobots": call(
            "Human-robot collaboration in manufacturing",
            "Expected Outcome: collaborative robots work safely beside people in assembly "
            "lines of manufacturing SMEs.",
        ),
        "crops": call(
            "Crop breeding for resilient farming",
            "Expected Outcome: new plant varieties bred for drought; field test networks "
            "for crop breeding.",
        ),
        "closed": call(
            "Cobots for assembly (closed)",
            "Expected Outcome: collaborative robots in assembly.",
            deadline=past,
        ),
    }
    hanning = OrganisationFactory(name="HANNING ELEKTRO-WERKE", country="DE")
    profile = save_profile(
        world.admin,
        hanning,
        summary="Drives and motors maker; we test every drive in our plant.",
        offers=[services.OfferData("Electric drives", "Motors and drives for appliances")],
        needs=[
            services.NeedData(
                kind="technology",
                description="Collaborative robots for the assembly of drives in our plant, "
                "for a Horizon proposal.",
                terms=["dia-industrial:COBOT"],
            )
        ],
    )
    return {"profile": profile, **made}


def test_cobot_profile_gets_the_cobot_call_not_crop_breeding(calls):
    results = engine.match_profile(calls["profile"], "calls")
    titles = [r.label for r in results]
    assert titles[0] == "Human-robot collaboration in manufacturing"
    assert "Crop breeding for resilient farming" not in titles


def test_reasons_quote_the_call_and_never_the_boilerplate(calls):
    results = engine.match_profile(calls["profile"], "calls")
    reasons = [reason for r in results for reason in r.reasons]
    assert any(
        "the call says: “collaborative robots work safely beside people" in r for r in reasons
    ), reasons
    for filler in ("proposal", "horizon", "400"):
        for reason in reasons:
            if reason.startswith("the call says"):
                continue  # a quotation of the call, not a list of matched words
            assert not re.search(rf"\b{filler}\b", reason, re.IGNORECASE), reason


def test_closed_calls_only_when_asked(calls):
    assert "Cobots for assembly (closed)" not in [
        r.label for r in engine.match_profile(calls["profile"], "calls")
    ]
    assert "Cobots for assembly (closed)" in [
        r.label for r in engine.match_profile(calls["profile"], "calls", closed=True)
    ]


def test_closed_calls_through_the_api(world, calls):
    client = world.client(world.admin)
    url = f"/api/brokering/profiles/{calls['profile'].public_id}/matches?kind=calls"
    assert "Cobots for assembly (closed)" not in [row["name"] for row in client.get(url).json()]
    names = [row["name"] for row in client.get(url + "&closed=true").json()]
    assert "Cobots for assembly (closed)" in names
