"""Search in every language of the platform: each document is stemmed in its own language,
so an inflected form of a word (plural, verb form, case) finds it, on the database's
index and on the search snapshot alike."""

import datetime as dt

import pytest
from django.utils import translation

from clusterbroker.community.search import SearchRequest, search, snapshot
from clusterbroker.community.search.index import index_object

from .factories import OfferFactory
from .snapshot_only import require_snapshot

pytestmark = pytest.mark.django_db

# language: (title, description, a query with another form of one of its words)
TEXTS = {
    "en": ("Welding cells", "Collaborative robots weld small batches.", "welding"),
    "fr": ("Robots soudeurs", "Les robots collaboratifs soudent des pièces.", "robotique"),
    "de": (
        "Digitalisierung",
        "Fertigung in kleinen Unternehmen.",
        "Fertigungen",
    ),
    "it": ("Stampa 3D", "Stampa 3D di componenti metallici per le aziende.", "componente"),
    "es": ("Fabricación aditiva", "Piezas metálicas para la industria.", "pieza"),
    "ca": ("Soldadura", "Soldadura automatitzada de components industrials.", "component"),
    "pt": ("Impressão 3D", "Impressão de peças metálicas para a indústria.", "peça"),
    "ro": ("Roboți", "Roboți industriali pentru fabricile mici din regiune.", "fabrică"),
    "nl": ("Digitale tweelingen", "Digitale tweelingen voor kleine fabrieken.", "fabriek"),
    "fi": ("Teollisuusrobotit", "Robotit auttavat pieniä yrityksiä.", "yritykset"),
    "et": ("Tööstusrobotid", "Robotid aitavad väikeseid ettevõtteid.", "ettevõtted"),
}


@pytest.fixture(params=["database", "snapshot"])
def documents(request, settings, tmp_path, monkeypatch):
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    if request.param == "snapshot":
        require_snapshot(monkeypatch)
    found = {}
    for language, (title, description, _query) in TEXTS.items():
        offer = OfferFactory(title=title, description=description)
        offer.language = language
        found[language] = index_object(offer).key
    if request.param == "snapshot":
        snapshot.build(margin=dt.timedelta(0))
        assert snapshot.parts() is not None
    return found


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_an_inflected_form_finds_the_document_in_its_language(documents, language):
    query = TEXTS[language][2]
    # The exact word typed does not occur in the document: only its stem does.
    assert query.lower() not in TEXTS[language][1].lower().split()
    found = [hit.key for hit in search(SearchRequest(text=query, prefix=False)).hits]
    assert documents[language] in found


def test_robotique_finds_french_robots_and_german_digitalisierung_finds_german(documents):
    french = search(SearchRequest(text="robotique", prefix=False))
    assert documents["fr"] in [hit.key for hit in french.hits]
    german = search(SearchRequest(text="Digitalisierung", prefix=False))
    assert [hit.key for hit in german.hits] == [documents["de"]]


def test_results_in_another_language_are_pointed_out(documents):
    result = search(SearchRequest(text="robotique", prefix=False, language="en"))
    assert "fr" in result.other_languages
    hit = next(h for h in result.hits if h.key == documents["fr"])
    assert hit.language == "fr"
    # Matched words are marked in the document's own form.
    assert "<mark>robots</mark>" in hit.title_html + hit.snippet_html
    same = search(SearchRequest(text="robotique", prefix=False, language="fr"))
    assert "fr" not in same.other_languages


def test_the_page_says_when_results_come_from_another_language(client, documents):
    with translation.override("en"):
        page = client.get("/community/search/", {"q": "Fertigungen"}).content.decode()
    assert "German" in page
    assert 'lang="de"' in page


def test_an_organisations_offer_is_analysed_in_the_offers_own_language(db):
    from tests.brokering.factories import OfferFactory as BrokeringOfferFactory
    from tests.brokering.factories import ProfileFactory
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory(
        name="Usinage Rhône", description="Machining and assembly services."
    )
    organisation.language = "en"
    offer = BrokeringOfferFactory(
        profile=ProfileFactory(organisation=organisation),
        title="Robots collaboratifs",
        description="Cellules de soudage avec des robots collaboratifs.",
    )
    offer.language = "fr"
    offer.save(update_fields=["title"])  # keeps the language set here
    type(offer).objects.filter(pk=offer.pk).update(language="fr")
    key = index_object(organisation).key
    # "collaborative" meets the French "collaboratifs" only through the French stemmer
    # ("collabor"); the English one would have kept "collaboratif".
    found = search(SearchRequest(text="collaborative", prefix=False))
    assert key in [hit.key for hit in found.hits]
