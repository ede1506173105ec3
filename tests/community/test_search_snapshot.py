"""The search snapshot answers what the database's full-text index answers, and stays so
while documents change after it was written."""

import datetime as dt
import gzip
import random
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from clusterbroker.community.importers.eu_calls import read_records
from clusterbroker.community.models import SearchIndexState, SearchTombstone, Status
from clusterbroker.community.search import SearchRequest, search, snapshot
from clusterbroker.community.search.searcher import Part, Query, run
from clusterbroker.community.search.segment import Row, Segment, Tokenizer, build
from clusterbroker.text.analysis import analysed

from ..factories import OrganisationFactory, TermFactory, UserFactory
from .factories import OfferFactory, OpenCallFactory, SectorFactory, StoryFactory

pytestmark = pytest.mark.django_db
WORDS = (
    "robot welding cloud sensor twin laser printing textile quality energy hydrogen food "
    "metal plastic vision data"
).split()
QUERIES = ["robot", "cloud welding", "las", "sensor twin data", "", "energy metal"]
NO_MARGIN = dt.timedelta(0)
CALLS = Path(__file__).resolve().parents[3] / "shared" / "data" / "eu-calls" / "calls.jsonl.gz"


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    return settings.SEARCH_INDEX_DIR


def _text(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(low, high)))


@pytest.fixture
def corpus(db):
    """Sixty calls, offers and stories of random words, facets and terms; a few drafts."""
    rng = random.Random(7)
    terms = [TermFactory(label=f"Area {n}", code=f"A{n}") for n in range(4)]
    sectors = [SectorFactory(name=f"Sector {n}", slug=f"sector-{n}") for n in range(3)]
    providers = [
        OrganisationFactory(name=f"Provider {n}", country=country, kind=kind, description="")
        for n, (country, kind) in enumerate([("FR", "dih"), ("DE", "company"), ("IT", "rto")])
    ]
    author = UserFactory()
    today = timezone.localdate()
    items = []
    for n in range(60):
        status = Status.DRAFT if n % 13 == 0 else Status.PUBLISHED
        kind = rng.choice(["call", "offer", "story"])
        if kind == "call":
            item = OpenCallFactory(
                title=_text(rng, 1, 4),
                description=_text(rng, 3, 30),
                funder="",
                programme="",
                deadline=today + dt.timedelta(days=rng.randint(-60, 60)),
                status=status,
                author=author,
            )
            item.topics.set(rng.sample(terms, rng.randint(0, 2)))
        elif kind == "offer":
            item = OfferFactory(
                title=_text(rng, 1, 4),
                description=_text(rng, 3, 30),
                organisation=rng.choice(providers),
                status=status,
                author=author,
            )
            item.terms.set(rng.sample(terms, rng.randint(0, 2)))
            item.sectors.set(rng.sample(sectors, rng.randint(0, 1)))
        else:
            item = StoryFactory(
                title=_text(rng, 1, 4),
                challenge=_text(rng, 3, 30),
                country=rng.choice(["FR", "ES", ""]),
                status=status,
                author=author,
            )
            item.terms.set(rng.sample(terms, rng.randint(0, 2)))
        item.save()  # index again with the terms
        items.append(item)
    return {"terms": terms, "author": author, "items": items}


def _filters(corpus) -> list[dict]:
    return [
        {},
        {"collection": ["offer"]},
        {"country": ["FR", "DE"]},
        {"state": ["open"]},
        {"term": [str(corpus["terms"][0].pk)]},
        {"collection": ["call", "story"], "term": [str(corpus["terms"][1].pk)]},
        {"year": [str(timezone.localdate().year)]},
        {"sector": ["Sector 1"]},
    ]


def answers(corpus, user=None, ranked: bool = True) -> list:
    """Every query × filter × page: total, facet counts and (when `ranked`) the hits."""
    found = []
    for text in QUERIES:
        for filters in _filters(corpus):
            for page in (1, 2):
                result = search(
                    SearchRequest(text=text, filters=filters, page=page, page_size=4), user
                )
                facets = {
                    name: sorted((v.value, v.count) for v in values if v.count)
                    for name, values in result.facets.items()
                }
                hits = (
                    [(hit.key, round(hit.score, 9)) for hit in result.hits]
                    if ranked or not text
                    else None
                )
                found.append((text, filters, page, result.total, facets, hits))
    return found


def test_the_snapshot_answers_as_the_database(corpus, settings):
    # On SQLite the database ranks with FTS5's BM25 as the snapshot does: same hits, same
    # order, same scores. PostgreSQL ranks with ts_rank: totals and facets must agree.
    ranked = connection.vendor == "sqlite"
    settings.SEARCH_INDEX_ENABLED = False
    expected = answers(corpus, ranked=ranked)
    expected_author = answers(corpus, corpus["author"], ranked=ranked)
    settings.SEARCH_INDEX_ENABLED = True
    snapshot.build(margin=NO_MARGIN)
    assert len(snapshot.parts()) == 1
    assert answers(corpus, ranked=ranked) == expected
    assert answers(corpus, corpus["author"], ranked=ranked) == expected_author
    assert any(total > 4 for _t, _f, _p, total, _facets, _hits in expected)


def test_changes_after_the_snapshot_are_answered_as_by_a_fresh_one(corpus, settings):
    snapshot.build(margin=NO_MARGIN)
    items = corpus["items"]
    OpenCallFactory(title="hydrogen robot", description="welding cloud")  # new
    items[1].title = "laser laser laser"  # changed
    items[1].save()
    items[2].delete()  # deleted
    draft = items[0]
    draft.status = Status.PUBLISHED  # published
    draft.save()
    parts = snapshot.parts()
    assert len(parts) == 2
    assert SearchTombstone.objects.count() == 1
    assert parts[0].alive.sum() == parts[0].segment.size - 3
    with_delta = answers(corpus)
    settings.SEARCH_INDEX_ENABLED = False
    from_database = answers(corpus, ranked=connection.vendor == "sqlite")
    settings.SEARCH_INDEX_ENABLED = True
    snapshot.build(margin=NO_MARGIN)
    assert len(snapshot.parts()) == 1
    assert not SearchTombstone.objects.exists()
    assert answers(corpus) == with_delta
    assert answers(corpus, ranked=connection.vendor == "sqlite") == from_database


def test_the_margin_puts_recent_documents_in_the_delta_without_counting_them_twice(corpus):
    snapshot.build()  # every document of the corpus is younger than the margin
    parts = snapshot.parts()
    assert len(parts) == 2 and not parts[0].alive.any()
    with_margin = answers(corpus)
    snapshot.build(margin=NO_MARGIN)
    assert answers(corpus) == with_margin


def test_a_snapshot_of_another_database_or_a_missing_one_is_not_read(corpus, index_dir):
    state = snapshot.build(margin=NO_MARGIN)
    SearchIndexState.objects.all().delete()
    assert snapshot.parts() is None
    state.save()
    assert snapshot.parts() is not None
    shutil.rmtree(index_dir)
    snapshot._loaded.clear()
    assert snapshot.parts() is None
    assert search(SearchRequest(text="robot")).total > 0


def test_past_the_delta_limit_the_database_answers_and_a_rebuild_runs(
    corpus, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.SEARCH_INDEX_DELTA_LIMIT = 2
    monkeypatch.setattr(snapshot, "MARGIN", NO_MARGIN)
    first = snapshot.build(margin=NO_MARGIN).generation
    for item in corpus["items"][:3]:
        item.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert snapshot.parts() is None
        assert search(SearchRequest(text="robot")).total > 0
    assert SearchIndexState.objects.get().generation != first
    assert len(snapshot.parts()) == 1


def test_a_deleted_document_leaves_a_tombstone_only_while_there_is_a_snapshot(corpus):
    corpus["items"][3].delete()
    assert not SearchTombstone.objects.exists()
    snapshot.build(margin=NO_MARGIN)
    corpus["items"][4].delete()
    assert SearchTombstone.objects.count() == 1


def test_the_command_builds_tells_and_drops(corpus, index_dir):
    output = StringIO()
    call_command("search_index", "build", "--margin", "0", stdout=output)
    assert "documents" in output.getvalue()
    state = SearchIndexState.objects.get()
    assert len(snapshot.parts()) == 1  # no margin: nothing in the delta
    assert (index_dir / state.generation / "segment.json").is_file()
    output = StringIO()
    call_command("search_index", "status", stdout=output)
    assert f"generation: {state.generation}" in output.getvalue()
    call_command("search_index", "drop", stdout=StringIO())
    assert not SearchIndexState.objects.exists()
    assert not any(index_dir.iterdir())
    assert snapshot.parts() is None


def test_a_segment_saved_and_loaded_answers_the_same(tmp_path):
    def a(text: str) -> str:
        return analysed(text, "en")

    rows = [
        Row(1, a("Cloud robots"), a("welding cells"), "call", closes_on=dt.date(2030, 1, 1)),
        Row(2, a("Robots"), a("cloud welding robots"), "offer", "Metal", "FR", "dih", terms=[7]),
        Row(5, a("Food"), a("traceability"), "story", country="IT", published=False, author_id=3),
    ]
    segment = build(rows)
    segment.save(tmp_path / "segment")
    loaded = Segment.load(tmp_path / "segment")
    for query in (
        Query([("robot",)], today=dt.date(2026, 1, 1)),
        Query([("cloud",), ("weld", "welding")], prefix=True, today=dt.date(2026, 1, 1)),
        Query([], user_id=3, filters={"country": ["IT"]}, today=dt.date(2026, 1, 1)),
    ):
        assert run([Part(loaded)], query) == run([Part(segment)], query)
    answer = run([Part(segment)], Query([("robot",)], today=dt.date(2026, 1, 1)))
    assert [doc for doc, _score in answer["hits"]] == [2, 1]
    assert answer["counts"]["collection"] == {"call": 1, "offer": 1}
    assert answer["counts"]["term"] == {"7": 1}
    assert answer["counts"]["state"] == {"open": 1}
    hidden = run([Part(segment)], Query([("food",)], today=dt.date(2026, 1, 1)))
    assert hidden["total"] == 0
    assert run([Part(segment)], Query([("food",)], user_id=3))["total"] == 1


def _texts() -> list[str]:
    texts = [
        "Industrie 4.0 für KMU – Élaboration de jumeaux numériques à Łódź; naïve café",
        "3D-printing of metal parts: 12 pilots, CO2 -40 %, cyber_physical systems",
        "Robotics, robotic, robots; manufacturing, manufactured; generalisation",
    ]
    if CALLS.is_file():
        for record in read_records(gzip.decompress(CALLS.read_bytes()))[:300]:
            texts.append(f"{record.get('title') or ''} {record.get('description') or ''}")
    return texts


@pytest.mark.skipif("connection.vendor != 'sqlite'")
@pytest.mark.parametrize("language", ["en", "de", "fr", "fi"])
def test_tokens_are_those_of_the_sqlite_index(language):
    """The snapshot reads, word for word, the terms FTS5 stores from a document's analysed
    words (nothing in a stem makes the index's tokenizer split or change it)."""
    texts = [analysed(text, language) for text in _texts()]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE VIRTUAL TABLE temp.token_check USING fts5(body, "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        cursor.executemany(
            "INSERT INTO temp.token_check (rowid, body) VALUES (%s, %s)",
            list(enumerate(texts, 1)),
        )
        cursor.execute(
            "CREATE VIRTUAL TABLE temp.token_words USING fts5vocab(temp, token_check, instance)"
        )
        cursor.execute("SELECT doc, offset, term FROM temp.token_words ORDER BY doc, offset")
        stored: dict[int, list[str]] = {}
        for doc, _offset, term in cursor.fetchall():
            stored.setdefault(doc, []).append(term)
        cursor.execute("DROP TABLE temp.token_words")
        cursor.execute("DROP TABLE temp.token_check")
    tokenizer = Tokenizer()
    total = differ = 0
    examples = []
    for n, text in enumerate(texts, 1):
        ours, theirs = tokenizer.tokens(text), stored.get(n, [])
        assert len(ours) == len(theirs), text[:80]
        for a, b in zip(ours, theirs, strict=True):
            total += 1
            if a != b:
                differ += 1
                examples.append((a, b))
    assert total > (100_000 if CALLS.is_file() else 20)
    assert differ == 0, examples[:20]
