"""Matching reads each text in its own language: a French need meets an English offer
through the shared stems, a German text is stemmed as German, English is read as before."""

import functools
import pickle

import pytest

from clusterbroker.brokering import engine
from clusterbroker.brokering.matching import (
    CandidateRecord,
    MatchQuery,
    build_index,
    persist,
    rank,
)
from clusterbroker.brokering.matching.analyser import TextAnalyser
from clusterbroker.brokering.matching.boilerplate import best_phrase
from tests.factories import OrganisationFactory

from .factories import NeedFactory, ProfileFactory
from .test_matching_engine import D3, _index

FRENCH_NEED = "Nous cherchons des robots collaboratifs pour nos lignes d'assemblage."
COBOT_HUB = "Collaborative robots and cobot cells for assembly lines of SMEs."


def _offers():
    return build_index(
        [
            CandidateRecord(1, "Asker", country="FR"),
            CandidateRecord(2, "Cobot Hub", kind="dih", text=COBOT_HUB, language="en"),
            CandidateRecord(3, "Dairy Lab", kind="rto", text="Milk processing and cheese making."),
        ]
    )


def test_a_french_need_meets_an_english_offer_through_the_shared_stems():
    index = _offers()
    french = rank(index, MatchQuery(text=FRENCH_NEED, language="fr", anchors=[1]))
    assert [m.name for m in french] == ["Cobot Hub"]
    # The reason quotes the need's own words, not stems ("collabor", "robot").
    assert french[0].reasons == ["describes related work (collaboratifs, robots)"]
    # Read as English, "collaboratifs" is not "collaborative": only "robots" is shared.
    english = rank(index, MatchQuery(text=FRENCH_NEED, anchors=[1]))
    assert english[0].signals["words"] < french[0].signals["words"]
    assert english[0].reasons == ["describes related work (robots)"]


def test_a_german_text_is_stemmed_as_german():
    index = build_index(
        [
            CandidateRecord(1, "Asker", country="DE"),
            CandidateRecord(
                2,
                "Fabrik Hub",
                kind="dih",
                text="Wir entwickeln Lösungen für die Digitalisierung von Fabriken.",
                language="de",
            ),
            CandidateRecord(3, "Other Hub", kind="dih", text="Weinbau und Tourismus."),
        ]
    )
    assert "losung" in set(index.vocabulary) and "fabrik" in set(index.vocabulary)
    # The singular "Lösung", "Fabrik" meet the plural "Lösungen", "Fabriken" of the offer.
    results = rank(index, MatchQuery(text="Eine Lösung für unsere Fabrik", language="de"))
    assert [m.name for m in results] == ["Fabrik Hub"]
    assert results[0].reasons == ["describes related work (fabrik, lösung)"]


def test_a_need_in_another_language_meets_the_english_words_it_uses():
    index = build_index(
        [
            CandidateRecord(1, "Asker", country="FI"),
            CandidateRecord(2, "IoT Hub", kind="dih", text="Industrial internet platforms."),
            CandidateRecord(3, "Wood Lab", kind="rto", text="Sawmills and timber."),
        ]
    )
    # The Finnish stemmer cuts "internet" to "intern"; its English stem meets the hub's.
    need = MatchQuery(text="Etsimme kumppania: esineiden internet", language="fi")
    results = rank(index, need)
    assert [m.name for m in results] == ["IoT Hub"]
    assert results[0].reasons == ["describes related work (internet)"]


def test_stop_words_are_left_out_in_the_text_language_and_in_english():
    analyser = TextAnalyser()
    assert analyser.terms("Nous cherchons un partenaire pour notre usine", "fr") == [
        "cherchon",
        "partenair",
        "usin",
    ]
    # English stop words and boilerplate are left out as stems: "projects" as "project".
    calls = TextAnalyser.leaving_out({"project", "the"}, letters_only=True)
    assert calls.terms("The projects of H2020 on robots", "en") == ["robot"]


def test_english_ranking_is_unchanged():
    # Order, scores and reasons of the small registry of the engine's tests, as they were
    # when texts were read as words (before the shared analysis).
    index = _index()
    results = rank(index, MatchQuery(text="we need machine learning", anchors=[1]))
    assert [(m.key, round(m.score, 4)) for m in results] == [(3, 2.5)]
    assert results[0].reasons == ["describes related work (learning, machine)"]
    query = MatchQuery(text="testing lab digital factory", anchors=[1], country="FR", region="FRK")
    results = rank(index, query)
    assert [(m.key, round(m.score, 4)) for m in results] == [(2, 2.1547), (4, 1.9142)]
    query = MatchQuery(
        terms=[D3],
        text="digital factory services and machine learning",
        anchors=[1],
        relevance=True,
    )
    results = rank(index, query)
    assert [(m.key, round(m.score, 4)) for m in results] == [(2, 7.0492), (3, 2.2649)]
    assert results[0].reasons == [
        "offers D3 Digital factory you need",
        "describes related work (digital, factory, services)",
    ]


def test_the_phrase_quoted_from_a_call_is_found_through_stems():
    read = functools.partial(TextAnalyser().terms, language="en")
    asked = set(TextAnalyser().terms("robots collaboratifs", "fr"))
    text = "Scope: wheat and barley. Expected outcome: collaborative robots in assembly lines."
    assert best_phrase(text, asked, analyse=read) == "collaborative robots in assembly lines."


@pytest.mark.django_db
def test_a_french_need_finds_the_english_provider(settings):
    settings.BROKERING_EMBED_DESCRIPTIONS = False  # the words alone, no sentence model
    hub = OrganisationFactory(name="Cobot Hub", kind="dih", country="BE", description=COBOT_HUB)
    OrganisationFactory(
        name="Dairy Lab", kind="rto", country="IE", description="Milk processing and cheese."
    )
    need = NeedFactory(profile=ProfileFactory(), description=FRENCH_NEED)
    need.choose_language("fr")
    need.save()
    assert hub.language == "en"

    results = engine.match_need(need, "providers")
    assert [r.label for r in results] == ["Cobot Hub"]
    assert "collaboratifs" in " ".join(results[0].reasons)


def test_a_generation_persisted_before_the_analysis_still_answers(tmp_path):
    # Until the rebuild queued after the upgrade is written, the previous generation
    # (saved without its analyser) answers, read with the default analysis.
    directory = persist.save(_index(), tmp_path / "generation")
    stored = pickle.loads((directory / "rest.pickle").read_bytes())
    del stored["rest"]["analyser"]
    (directory / "rest.pickle").write_bytes(pickle.dumps(stored))
    index = persist.load(directory)
    assert [m.name for m in rank(index, MatchQuery(text="machine learning"))] == ["AI House"]
