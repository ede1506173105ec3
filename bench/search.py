"""Benchmark of the community search: the search snapshot and the database's full-text index
(SQLite FTS5 + BM25, or PostgreSQL) against a naive `icontains` baseline.

    .venv/bin/python bench/search.py                 # 10,000 / 100,000 / 1,000,000 documents
    .venv/bin/python bench/search.py --sizes 10000   # one size only
    scripts/with-postgres.sh .venv/bin/python bench/search.py --postgres --sizes 10000 100000

The corpus is synthetic with a fixed seed but made of real text: the sentences of the 629
EU call topics shipped in the project's shared data (titles and descriptions) when found,
plus domain titles built from the I4MS technology areas, sectors and countries. Four
documents in ten are in one of the ten other languages of the platform (4 % each): their
titles and bodies are the taxonomy labels and descriptions of the sample data's
translations (`registry/sample_data/translations/`) and, in German, French, Spanish and
Italian, the CORDIS subject titles in those languages. Every document is analysed in its
language (`text.analysis`) as the application indexes it; the query mix has words in
those languages, some in another inflected form than the documents'. Every size
extends the previous one (the first 10,000 documents of the 1,000,000 are the 10,000). The
documents are written straight into the tables with `executemany` (the FTS5 index is built
once per size), in a fresh database in a temporary directory.

For each size it runs a fixed mix of queries through the same `search()` the pages and the
API call (ranking, highlighting, facet labels included), answered by the search snapshot
(`clusterbroker search-index build`, timed here; then again with 1,000 documents changed
since, answered from its delta) and by the database's full-text index: without facets,
with the seven facets, and the baseline (`title__icontains` OR `body__icontains` for
every word, newest first, with the count) — at the largest size the baseline runs on a
sample of the queries because one query scans the whole table; the output says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import random
import re
import sys
import tempfile
import time
from pathlib import Path

SEED = 1
SIZES = [10_000, 100_000, 1_000_000]
REPEAT = 3
BASELINE_SAMPLE = 6
DELTA = 1_000
ROOT = Path(__file__).resolve().parent.parent
CALLS = ROOT.parent / "shared" / "data" / "eu-calls" / "calls.jsonl.gz"
SUBJECTS = ROOT.parent / "shared" / "data" / "cordis-subjects" / "subjects.csv"
TRANSLATIONS = ROOT / "src" / "clusterbroker" / "registry" / "sample_data" / "translations"
# The share of documents in a language other than English (spread evenly over the ten).
OTHER_LANGUAGES = 0.4
# Words in the other languages, some inflected otherwise than in the documents.
OTHER_QUERIES = [
    "robotique",
    "Fabrik",
    "gemelos digitales",
    "fabbricazione",
    "tekoäly",
    "tootmine",
    "fabricação aditiva",
    "intel·ligència artificial",
    "inteligență",
    "digitale tweeling",
]

TECHNOLOGIES = [
    "cloud computing",
    "high performance computing",
    "digital twin",
    "additive manufacturing",
    "3D printing",
    "robotics",
    "collaborative robots",
    "artificial intelligence",
    "machine learning",
    "data analytics",
    "internet of things",
    "sensors",
    "cyber-physical systems",
    "augmented reality",
    "edge computing",
    "cybersecurity",
    "blockchain",
    "simulation",
    "computer vision",
    "predictive maintenance",
    "laser processing",
    "welding automation",
]
SECTORS = [
    "Automotive",
    "Aerospace",
    "Food",
    "Textiles",
    "Machinery",
    "Electronics",
    "Chemicals",
    "Pharmaceuticals",
    "Metal",
    "Plastics",
    "Wood and furniture",
    "Energy",
    "Construction",
]
COUNTRIES = ["FR", "DE", "IT", "ES", "PL", "NL", "BE", "AT", "SE", "CZ", "PT", "HU", "RO", "FI"]
KINDS = ["company", "dih", "rto", "university", "cluster", "public_body"]
COLLECTIONS = ["call", "offer", "story", "event", "organisation"]
TITLE_TEMPLATES = [
    "{tech} for {sector} SMEs",
    "{tech} pilot in {sector}",
    "Open call: {tech} experiments",
    "{sector} plant adopts {tech}",
    "Test bed for {tech} and {tech2}",
    "{tech} services of a Digital Innovation Hub",
]
FALLBACK_SENTENCES = [
    "Manufacturing SMEs adopt digital technologies to improve quality and reduce costs.",
    "The experiment integrates sensors, cloud services and machine learning in production.",
    "Digital Innovation Hubs support companies with test before invest services.",
    "The solution reduces energy consumption and material waste on the shop floor.",
    "Partners from several regions collaborate across the value chain.",
]
FILTERED = [
    ("digital twin", {"collection": ["offer"]}),
    ("robotics", {"country": ["FR", "DE"]}),
    ("cloud", {"state": ["open"]}),
    ("machine learning", {"sector": ["Automotive"]}),
]


def real_texts(calls: Path = CALLS) -> tuple[list[str], list[tuple[str, int]]]:
    """Sentences of the real call descriptions and their keywords with how often they occur."""
    if not calls.is_file():
        return FALLBACK_SENTENCES, [(t, 1) for t in TECHNOLOGIES]
    from clusterbroker.community.importers.mojibake import repair

    text = gzip.decompress(calls.read_bytes()).decode("utf-8-sig")
    decoder, position, found, keywords = json.JSONDecoder(), 0, [], {}
    while position < len(text):
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            break
        record, position = decoder.raw_decode(text, position)
        for part in re.split(r"(?<=[.!?])\s+", repair(record.get("description") or "")):
            words = part.split()
            if 6 <= len(words) <= 40:
                found.append(part.strip())
        for keyword in (record.get("keywords") or "").split(","):
            keyword = repair(keyword).strip().lower()
            if keyword and not any(c.isdigit() for c in keyword) and len(keyword) < 60:
                keywords[keyword] = keywords.get(keyword, 0) + 1
    ranked = sorted(keywords.items(), key=lambda item: (-item[1], item[0]))
    return found or FALLBACK_SENTENCES, ranked


def language_texts() -> dict[str, list[str]]:
    """Real texts in each other language: the sample taxonomies' translated labels and
    descriptions, and the CORDIS subject titles where the data set has the language."""
    import csv

    import yaml

    found: dict[str, list[str]] = {}
    for path in sorted(TRANSLATIONS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key in ("labels", "descriptions"):
            for texts in (data.get(key) or {}).values():
                for language, text in texts.items():
                    found.setdefault(language, []).append(text)
    if SUBJECTS.is_file():
        with SUBJECTS.open(encoding="utf-8-sig", newline="") as handle:
            for record in csv.DictReader(handle, delimiter=";"):
                if record["language"] in found and record["title"]:
                    found[record["language"]].append(record["title"])
    return found


def vocabulary(keywords: list[tuple[str, int]]) -> list[str]:
    """Topics by popularity: the technologies interleaved with the real call keywords."""
    topics: list[str] = []
    real = [k for k, _n in keywords if k not in TECHNOLOGIES]
    for i in range(max(len(TECHNOLOGIES), len(real))):
        if i < len(TECHNOLOGIES):
            topics.append(TECHNOLOGIES[i])
        if i < len(real):
            topics.append(real[i])
    return topics


def documents(count: int, start: int, rng: random.Random, pool: list[str], topics, weights, others):
    from clusterbroker.text.analysis import analysed

    languages = sorted(others)
    for n in range(start, start + count):
        chosen = list(dict.fromkeys(rng.choices(topics, weights=weights, k=3)))
        sector = rng.choice(SECTORS)
        collection = rng.choices(COLLECTIONS, weights=[20, 25, 15, 5, 35])[0]
        if rng.random() < OTHER_LANGUAGES:
            language = rng.choice(languages)
            texts = others[language]
            title = rng.choice(texts)
            body = " ".join(rng.sample(texts, 3))
            chosen = []
        else:
            language = "en"
            title = rng.choice(TITLE_TEMPLATES).format(
                tech=chosen[0].capitalize(), tech2=chosen[-1], sector=sector
            )
            body = (
                " ".join(rng.sample(pool, 2)) + f" Keywords: {', '.join(chosen)}, {sector.lower()}."
            )
        year = rng.randint(2019, 2027)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        yield (
            f"{collection}:{n}",
            collection,
            n,
            title,
            body,
            f"/bench/{n}/",
            rng.random() > 0.02,
            sector if collection in ("offer", "story") else "",
            rng.choice(COUNTRIES) if collection != "call" else "",
            rng.choice(KINDS) if collection in ("offer", "organisation") else "",
            date if collection != "organisation" else None,
            date if collection in ("call", "event") else None,
            language,
            analysed(title, language),
            analysed(body, language),
            [t for t in chosen if t in TECHNOLOGIES],
        )


def query_mix(topics: list[str]) -> list[str]:
    """A fixed mix: topics at popularity ranks from the head to the tail, pairs, prefixes, words."""
    ranks = [0, 1, 3, 6, 10, 16, 25, 40, 60, 90, 140, 220, 350, 550]
    mix = [topics[r] for r in ranks if r < len(topics)]
    pairs = ((0, 5), (2, 30), (8, 120))
    mix += [f"{topics[a].split()[0]} {topics[b].split()[-1]}" for a, b in pairs]
    mix += [topics[r][:5] for r in (4, 50) if r < len(topics)]
    mix += ["hydrogen", "welding", "quantum", "textile recycling", "skills"]
    return mix + OTHER_QUERIES


def answer(result) -> tuple[int, list[str]]:
    return result.total, [hit.key for hit in result.hits]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def timed(run, requests, repeat: int) -> list[tuple[float, float]]:
    """Wall-clock and CPU milliseconds of each run (CPU time shows the work when the machine
    is shared with other processes)."""
    out = []
    for _ in range(repeat):
        for request in requests:
            started, started_cpu = time.perf_counter(), time.process_time()
            run(request)
            out.append(
                (
                    (time.perf_counter() - started) * 1000,
                    (time.process_time() - started_cpu) * 1000,
                )
            )
    return out


def row(size: int, mode: str, times: list[tuple[float, float]], note: str = "") -> str:
    wall = [w for w, _c in times]
    cpu = [c for _w, c in times]
    return (
        f"{size:>10,} {mode:<22} {len(times):>7} {percentile(wall, 50):>9.1f} "
        f"{percentile(wall, 95):>9.1f} {percentile(wall, 99):>9.1f} {percentile(cpu, 95):>10.1f}"
        f"  {note}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    parser.add_argument(
        "--calls", type=Path, default=CALLS, help="the EU calls file (calls.jsonl.gz)"
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="run on the (empty, throw-away) PostgreSQL database of DATABASE_URL",
    )
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="search-bench-")
    os.environ["CLUSTERBROKER_DATA_DIR"] = workdir
    if not args.postgres:
        os.environ.pop("DATABASE_URL", None)
    elif "DATABASE_URL" not in os.environ:
        sys.exit("--postgres needs DATABASE_URL (scripts/with-postgres.sh sets it).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterbroker.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q
    from django.utils import timezone

    from clusterbroker.community.models import SearchDocument
    from clusterbroker.community.search import SearchRequest, search, snapshot
    from clusterbroker.community.search.index import update_vectors
    from clusterbroker.registry.models import Taxonomy, Term

    started_all = time.perf_counter()
    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    pool, keywords = real_texts(args.calls)
    others = language_texts()
    topics = vocabulary(keywords)
    # Zipf-like popularity of the topics: the k-th most popular is drawn ~1/(k+1) as often.
    weights = [1 / (k + 1) for k in range(len(topics))]
    queries = query_mix(topics)
    taxonomy = Taxonomy.objects.create(code="bench-tech", name="Technologies")
    terms = [
        Term.objects.create(taxonomy=taxonomy, code=f"T{i}", label=label, position=i).pk
        for i, label in enumerate(TECHNOLOGIES)
    ]
    sqlite = connection.vendor == "sqlite"
    engine = (
        f"SQLite {connection.Database.sqlite_version}"
        if sqlite
        else f"PostgreSQL {connection.pg_version // 10000}"
    )
    print(
        f"Python {platform.python_version()}, {engine}, "
        f"{os.cpu_count()} CPUs, seed {SEED}, {len(pool)} real sentences from the EU calls, "
        f"{OTHER_LANGUAGES:.0%} of the documents in {len(others)} other languages "
        f"({min(map(len, others.values()))}–{max(map(len, others.values()))} real texts each)"
    )
    print(
        f"{'documents':>10} {'mode':<22} {'queries':>7} {'p50 ms':>9} {'p95 ms':>9} "
        f"{'p99 ms':>9} {'p95 CPU ms':>10}"
    )
    print(f"{'':>10} query mix: {', '.join(queries)}")
    plain = [SearchRequest(text=q, facets=False) for q in queries]
    plain += [SearchRequest(text=q, filters=f, facets=False) for q, f in FILTERED]
    faceted = [SearchRequest(text=q) for q in queries] + [
        SearchRequest(text=q, filters=f) for q, f in FILTERED
    ]
    built = 0
    name = "fts5 bm25" if sqlite else "pg ts_rank"
    with connection.cursor() as cursor:
        for statement in ("insert", "update", "delete") if sqlite else ():
            cursor.execute(f"DROP TRIGGER community_search_fts_{statement}")
    for size in sorted(args.sizes):
        load_started = time.perf_counter()
        with connection.cursor() as cursor:
            if sqlite:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA cache_size = -262144")
                cursor.execute("PRAGMA mmap_size = 4294967296")
                cursor.execute("PRAGMA synchronous = OFF")
            # Written a day ago: a snapshot built now holds them (no delta).
            now = timezone.now() - dt.timedelta(days=1)
            batch = 20_000
            while built < size:
                n = min(batch, size - built)
                rows = list(documents(n, built + 1, rng, pool, topics, weights, others))
                cursor.executemany(
                    "INSERT INTO community_searchdocument (id, key, collection, object_id, title, "
                    "body, url, published, sector, country, org_kind, date, closes_on, language, "
                    "title_words, body_words, indexed_at) VALUES "
                    "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    [(built + 1 + i, *r[:-1], now) for i, r in enumerate(rows)],
                )
                cursor.executemany(
                    "INSERT INTO community_documentterm (document_id, term_id) VALUES (%s, %s)",
                    [
                        (built + 1 + i, terms[TECHNOLOGIES.index(t)])
                        for i, r in enumerate(rows)
                        for t in r[-1]
                    ],
                )
                if sqlite:
                    cursor.execute(
                        "INSERT INTO community_search_fts (rowid, title_words, body_words) "
                        "SELECT id, title_words, body_words FROM community_searchdocument "
                        "WHERE id > %s",
                        [built],
                    )
                else:
                    update_vectors(range(built + 1, built + n + 1))
                built += n
            if sqlite:
                cursor.execute(
                    "INSERT INTO community_search_fts(community_search_fts) VALUES ('optimize')"
                )
            cursor.execute("ANALYZE")
        print(f"{size:>10,} built in {time.perf_counter() - load_started:.1f} s")
        settings.SEARCH_INDEX_ENABLED = False
        for request in faceted[:3]:
            search(request)  # warm the cache
        repeat = REPEAT if size < 100_000 else 2 if size < 1_000_000 else 1
        print(row(size, name, timed(search, plain, repeat)))
        print(row(size, f"{name} + 7 facets", timed(search, faceted, repeat)))
        database = [answer(search(request)) for request in faceted]
        matches = sorted(total for total, _keys in database)
        print(
            f"{'':>10} matches per query: min {matches[0]:,}, median "
            f"{matches[len(matches) // 2]:,}, max {matches[-1]:,}"
        )
        settings.SEARCH_INDEX_ENABLED = True
        started = time.perf_counter()
        snapshot.build()
        print(f"{size:>10,} snapshot built in {time.perf_counter() - started:.1f} s")
        for request in faceted[:3]:
            search(request)  # map the files
        print(row(size, "snapshot", timed(search, plain, REPEAT)))
        print(row(size, "snapshot + 7 facets", timed(search, faceted, REPEAT)))
        answers = [answer(search(request)) for request in faceted]
        totals = sum(a[0] == b[0] for a, b in zip(answers, database, strict=True))
        pages = sum(a == b for a, b in zip(answers, database, strict=True))
        apart = max(abs(a[0] - b[0]) / max(1, b[0]) for a, b in zip(answers, database, strict=True))
        print(
            f"{'':>10} same as the database: total {totals} of {len(faceted)}, "
            f"first page {pages} of {len(faceted)}"
            + f", totals at most {apart:.1%} apart"
            + ("" if sqlite else " (PostgreSQL ranks with ts_rank, the snapshot with BM25)")
        )
        changed = random.Random(SEED + size).sample(range(1, size + 1), DELTA)
        SearchDocument.objects.filter(pk__in=changed).update(indexed_at=timezone.now())
        for request in faceted[:3]:
            search(request)  # the delta segment is built by the first search after a change
        print(row(size, f"snapshot, delta {DELTA:,}", timed(search, plain, REPEAT)))
        print(row(size, "snapshot, delta + facets", timed(search, faceted, REPEAT)))
        SearchDocument.objects.filter(pk__in=changed).update(indexed_at=now)
        settings.SEARCH_INDEX_ENABLED = False

        def baseline(request):
            documents_ = SearchDocument.objects.filter(published=True)
            for word in request.text.split():
                documents_ = documents_.filter(Q(title__icontains=word) | Q(body__icontains=word))
            for name, values in request.filters.items():
                if name in ("collection", "country", "sector"):
                    documents_ = documents_.filter(**{f"{name}__in": values})
            documents_.count()
            list(documents_.order_by("-date").values_list("id", "title")[:20])

        sample = plain if size < 1_000_000 else plain[:: max(1, len(plain) // BASELINE_SAMPLE)]
        note = "" if size < 1_000_000 else f"sample of {len(sample)} queries, once each"
        print(row(size, "baseline icontains", timed(baseline, sample, 1 if note else REPEAT), note))
        sys.stdout.flush()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"total {time.perf_counter() - started_all:.0f} s; load average at the end {load:.1f}")
    connection.close()
    import shutil

    if not os.environ.get("BENCH_KEEP"):
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
