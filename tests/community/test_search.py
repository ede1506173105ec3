"""The search contract, run on whichever database DATABASE_URL names (SQLite or PostgreSQL),
once answered by the database's full-text index and once by the search snapshot (with the
changes each test makes afterwards in its delta)."""

import datetime as dt

import pytest
from django.utils import timezone

from clusterbroker.community.models import SearchDocument
from clusterbroker.community.search import SearchError, SearchRequest, search, snapshot
from clusterbroker.community.search.index import index_object

from ..factories import CompetenceFactory, OrganisationFactory, TermFactory, UserFactory
from .factories import OfferFactory, OpenCallFactory, SectorFactory, StoryFactory
from .snapshot_only import require_snapshot

pytestmark = pytest.mark.django_db


def keys(result) -> list[str]:
    return [hit.key for hit in result.hits]


@pytest.fixture(params=["database", "snapshot"])
def engine(request, settings, tmp_path, monkeypatch):
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    if request.param == "snapshot":
        require_snapshot(monkeypatch)
    return request.param


@pytest.fixture
def corpus(db, engine):
    """A small fixed corpus: three calls, two offers, a story, an organisation."""
    robotics = TermFactory(label="Robotics", code="ROB")
    cloud = TermFactory(label="Cloud computing", code="CLD")
    textiles = SectorFactory(name="Textiles", slug="textiles")
    today = timezone.localdate()
    everything = OpenCallFactory(
        title="Cloud robotics for welding",
        description="Robotic welding cells orchestrated from the cloud.",
    )
    everything.topics.set([robotics, cloud])
    index_object(everything)
    partial = OpenCallFactory(
        title="Welding training",
        description="Courses on welding for apprentices; cloud tools are out of scope.",
        deadline=today - dt.timedelta(days=10),
    )
    index_object(partial)
    OpenCallFactory(title="Food safety", description="Traceability of food.")
    provider_fr = OrganisationFactory(name="Hub Lyon", country="FR", kind="dih")
    provider_de = OrganisationFactory(name="Werk Berlin", country="DE", kind="company")
    offer_fr = OfferFactory(
        title="Robotics test bed", description="Try collaborative robots.", organisation=provider_fr
    )
    offer_fr.terms.set([robotics])
    offer_fr.sectors.set([textiles])
    index_object(offer_fr)
    offer_de = OfferFactory(
        title="Cloud simulation", description="HPC and cloud for SMEs.", organisation=provider_de
    )
    offer_de.terms.set([cloud])
    index_object(offer_de)
    StoryFactory(title="CAPSULE", challenge="Human measures by image analysis", country="IT")
    acme = OrganisationFactory(name="Acme Robotics", country="ES", description="Welding robots.")
    CompetenceFactory(organisation=acme, term=robotics)
    if engine == "snapshot":
        snapshot.build(margin=dt.timedelta(0))
        assert snapshot.parts() is not None
    return {"robotics": robotics, "cloud": cloud, "everything": everything, "partial": partial}


def test_document_matching_all_words_ranks_first(corpus):
    result = search(SearchRequest(text="cloud welding"))
    assert keys(result)[0] == f"call:{corpus['everything'].pk}"
    # Every hit contains every word (the second call mentions both, only in its body).
    assert set(keys(result)) == {f"call:{corpus['everything'].pk}", f"call:{corpus['partial'].pk}"}
    assert result.hits[0].score > result.hits[1].score


def test_stop_words_and_stemming_are_the_same_on_every_database(corpus):
    result = search(SearchRequest(text="the robots of welding", prefix=False))
    assert f"call:{corpus['everything'].pk}" in keys(result)
    assert "organisation:" in " ".join(keys(result))


def test_search_as_you_type_matches_a_prefix(corpus):
    assert keys(search(SearchRequest(text="robo")))
    assert keys(search(SearchRequest(text="ro")))
    assert not keys(search(SearchRequest(text="robo", prefix=False)))
    # One letter is a word of its own, not the start of every word.
    assert not keys(search(SearchRequest(text="r")))
    assert keys(search(SearchRequest(text="cloud w"))) == []
    assert keys(search(SearchRequest(text="cloud we")))


def test_matched_words_are_highlighted_and_html_is_escaped(corpus):
    OpenCallFactory(title="<b>Welding</b> & co", description="x")
    result = search(SearchRequest(text="welding"))
    html = " ".join(hit.title_html + hit.snippet_html for hit in result.hits)
    assert "<mark>" in html.lower()
    assert "<b>" not in html
    assert "&lt;b&gt;" in html


def test_facets_count_the_matching_documents(corpus):
    result = search(SearchRequest(text="cloud"))
    collections = {v.value: v.count for v in result.facets["collection"]}
    expected = {}
    for hit in result.hits:
        expected[hit.collection] = expected.get(hit.collection, 0) + 1
    assert collections == expected == {"call": 2, "offer": 1}
    terms = {v.value: v.count for v in result.facets["term"]}
    assert terms == {str(corpus["cloud"].pk): 2, str(corpus["robotics"].pk): 1}
    states = {v.value: v.count for v in result.facets["state"]}
    assert states == {"open": 1, "closed": 1}
    assert {v.value: v.count for v in result.facets["country"]} == {"DE": 1}


def test_a_filter_narrows_hits_but_its_own_facet_keeps_the_other_values(corpus):
    result = search(SearchRequest(text="cloud", filters={"collection": ["offer"]}))
    assert keys(result) == [k for k in keys(result) if k.startswith("offer:")]
    assert result.total == 1
    collections = {v.value: (v.count, v.selected) for v in result.facets["collection"]}
    assert collections == {"call": (2, False), "offer": (1, True)}
    # Other facets count only the filtered hits.
    assert {v.value: v.count for v in result.facets["term"]} == {str(corpus["cloud"].pk): 1}


def test_term_filter(corpus):
    result = search(SearchRequest(text="", filters={"term": [str(corpus["robotics"].pk)]}))
    assert sorted(hit.collection for hit in result.hits) == ["call", "offer", "organisation"]


def test_the_registry_organisations_are_searched(corpus):
    result = search(SearchRequest(text="acme"))
    assert [hit.collection for hit in result.hits] == ["organisation"]
    assert result.hits[0].url.startswith("/")


def test_paging(corpus):
    for n in range(25):
        OpenCallFactory(title=f"Laser cutting {n}")
    first = search(SearchRequest(text="laser", page_size=10))
    third = search(SearchRequest(text="laser", page=3, page_size=10))
    assert first.total == 25 and first.pages == 3
    assert len(first.hits) == 10 and len(third.hits) == 5
    assert not set(keys(first)) & set(keys(third))


def test_a_draft_is_found_only_by_its_author(corpus):
    author, other = UserFactory(), UserFactory()
    draft = OpenCallFactory(title="Secret quantum call", status="draft", author=author)
    for user in (None, other):
        assert search(SearchRequest(text="quantum"), user).total == 0
        assert (
            search(SearchRequest(), user).total
            == SearchDocument.objects.filter(published=True).count()
        )
    mine = search(SearchRequest(text="quantum"), author)
    assert keys(mine) == [f"call:{draft.pk}"] and not mine.hits[0].published


def test_deleting_and_changing_an_item_updates_the_index(corpus):
    call = corpus["everything"]
    call.title = "Additive manufacturing"
    call.description = "Printing metal parts."
    call.save()
    assert search(SearchRequest(text="additive")).total == 1
    assert f"call:{call.pk}" not in keys(search(SearchRequest(text="welding")))
    call.delete()
    assert search(SearchRequest(text="additive")).total == 0


def test_bad_requests_are_refused():
    with pytest.raises(SearchError):
        SearchRequest(filters={"colour": ["red"]})
    with pytest.raises(SearchError):
        SearchRequest(page=0)


def test_only_stop_words_find_nothing(corpus):
    assert search(SearchRequest(text="the of")).total == 0
