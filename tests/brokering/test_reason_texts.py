"""Reasons are whole sentences in the reader's language, from the right point of view: a
call "covers" what the profile needs, a need's owner needs what the profile offers. No
reason is made by replacing words in another translated reason (which breaks in languages
with another word order)."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.utils import timezone, translation

from clusterbroker.brokering import engine, services
from tests.factories import OrganisationFactory, TaxonomyFactory, TermFactory

from .factories import save_profile

pytestmark = pytest.mark.django_db

# A topic label that is no word of any language, so that it can be taken out of a reason.
TOPIC = "Qzx-cobotics"
PLAIN = "offers %(terms)s you need"
CALL = "covers %(terms)s you need"
NEED = "you offer %(terms)s they need"
# How a need's reasons name the drive term: its code, then its label.
NEED_TOPIC = "DRIVE Xqv-drives"


@pytest.fixture
def scene(world):
    """A drive maker that needs cobots and offers drives; a call on cobots; a cobot
    integrator (a partner for the drive maker); and a dairy that needs drives."""
    industrial = TaxonomyFactory(code="dia-industrial", name="Industrial technologies")
    cobots = TermFactory(taxonomy=industrial, code="COBOT", label=TOPIC)
    TermFactory(taxonomy=industrial, code="DRIVE", label="Xqv-drives")
    drive_maker = save_profile(
        world.admin,
        OrganisationFactory(name="Drive Maker", country="DE"),
        summary="Drives and motors maker.",
        offers=[
            services.OfferData("Electric drives", "Motors for mixers", ["dia-industrial:DRIVE"])
        ],
        needs=[
            services.NeedData(
                kind="technology",
                description="Collaborative robots for the assembly of drives.",
                terms=["dia-industrial:COBOT"],
            )
        ],
    )
    save_profile(
        world.company_user,
        world.member_company,
        offers=[
            services.OfferData(
                "Cobot integration", "Collaborative robots for assembly", ["dia-industrial:COBOT"]
            )
        ],
    )
    save_profile(
        world.other_company_user,
        world.other_company,
        needs=[
            services.NeedData(
                kind="technology",
                description="Motors for our cheese mixers.",
                terms=["dia-industrial:DRIVE"],
            )
        ],
    )
    if apps.is_installed("clusterbroker.community"):
        call = apps.get_model("community", "OpenCall").objects.create(
            title="Human-robot collaboration in manufacturing",
            description="Collaborative robots work safely beside people in the assembly of drives.",
            status="published",
            deadline=timezone.localdate() + dt.timedelta(days=60),
        )
        call.topics.add(cobots)
    return drive_maker


def ranked_reasons(profile, kind: str) -> list[str]:
    results = engine.match_profile(profile, kind)
    assert results, f"no {kind} for the profile"
    return list(results[0].reasons)


def call_reasons(profile) -> list[str]:
    if not apps.is_installed("clusterbroker.community"):
        pytest.skip("the collections of open calls are not installed")
    return ranked_reasons(profile, "calls")


def topic_reason(reasons: list[str], topic: str) -> str:
    [reason] = [r for r in reasons if topic in r]
    return reason


def english_words(msgid: str) -> set[str]:
    return set(re.findall(r"[a-z]+", msgid.replace("%(terms)s", "")))


def test_in_english_a_provider_offers_a_call_covers_and_a_need_is_what_they_need(scene):
    partner = topic_reason(ranked_reasons(scene, "partners"), TOPIC)
    assert partner == f"offers COBOT {TOPIC} you need"  # the registry names terms by code too
    assert topic_reason(call_reasons(scene), TOPIC) == f"covers {TOPIC} you need"
    drives = NEED_TOPIC
    assert topic_reason(ranked_reasons(scene, "needs"), drives) == f"you offer {drives} they need"


def test_a_calls_reasons_leave_the_matched_words_to_its_quotation(scene):
    reasons = call_reasons(scene)
    assert reasons[0].startswith("the call says: “Collaborative robots work safely")
    assert not [r for r in reasons if r.startswith("describes related work")], reasons


@pytest.mark.parametrize("language", ["fr", "de"])
def test_a_calls_reason_is_one_translated_sentence(scene, language):
    with translation.override(language):
        reason = topic_reason(call_reasons(scene), TOPIC)
        sentence = translation.gettext(CALL) % {"terms": TOPIC}
        plain = translation.gettext(PLAIN) % {"terms": TOPIC}
    assert reason == sentence != plain
    words = set(re.findall(r"\w+", reason.replace(TOPIC, "").lower()))
    assert not words & english_words(CALL), f"English left in {reason!r}"


@pytest.mark.parametrize("language", ["fr", "de"])
def test_a_needs_reason_is_one_translated_sentence(scene, language):
    drives = NEED_TOPIC
    with translation.override(language):
        reason = topic_reason(ranked_reasons(scene, "needs"), drives)
        sentence = translation.gettext(NEED) % {"terms": drives}
        plain = translation.gettext(PLAIN) % {"terms": drives}
    assert reason == sentence != plain
    words = set(re.findall(r"\w+", reason.replace(drives, "").lower()))
    assert not words & english_words(NEED), f"English left in {reason!r}"
