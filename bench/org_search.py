"""Benchmark of the organisation search against the former name-only search.

    .venv/bin/python bench/org_search.py                  # 30,000 organisations
    .venv/bin/python bench/org_search.py --organisations 5000 --repeat 3

A fresh SQLite database in a temporary directory is filled with `--organisations`
organisations (fixed seed) made of real text: the names, countries and cities of the
CORDIS Horizon 2020 organisations and the names, countries and descriptions of the JRC
catalogue's Digital Innovation Hubs (both in the project's shared data). Each organisation
gets the name of one of them, one to three sentences of the hubs' descriptions, and zero to
three technology competences; its search document is written by the same code that the
signals call (`community.search.index`).

For a mix of typical queries (by name, by what organisations do, while typing, with a
country filter) it times what the organisation list does for one page: the ranked search
(`filter_organisations`) and, in the same run, the former search (`icontains` on the name,
acronym, city, description and thematic, sorted by name) as the baseline; each with the
count and the first page of 20 read. It also prints, per query, how many organisations each
finds, and the share of all of them and of each one's first ten that offer what was asked
(the query's words or a synonym from a word's start in the name, description or
competences: `all rel`, `top10 rel`).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

SEED = 13
ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
CORDIS = SHARED / "cordis-h2020-organisations" / "organisations.csv.gz"
DIHS = SHARED / "dih-catalogue" / "dihs.jsonl.gz"
PAGE = 20
KINDS = {"PRC": "company", "HES": "university", "REC": "rto", "PUB": "public_body"}
COUNTRY_CODES = {"UK": "GB", "EL": "GR"}
TECHNOLOGIES = [
    "Digital twin",
    "Collaborative robotics",
    "Additive manufacturing",
    "Artificial intelligence",
    "Machine learning",
    "High performance computing",
    "Internet of things",
    "Cybersecurity",
    "Augmented reality",
    "Cloud computing",
    "Simulation and modelling",
    "Computer vision",
    "Predictive maintenance",
    "Laser processing",
    "Blockchain",
]
# (query, country filter or "", patterns that make a hit relevant: each from a word start)
QUERIES = [
    ("digital twin", "", [r"digital twin", r"virtual twin"]),
    ("cobots", "", [r"cobot", r"collaborative robot"]),
    ("additive manufacturing", "", [r"additive manufacturing", r"3d print"]),
    ("artificial intelligence", "", [r"artificial intelligence", r"ai\b"]),
    ("robotics healthcare", "", ["robot"]),
    ("cybersecurity", "", ["cybersecurity", "cyber security"]),
    ("university", "", ["universit"]),
    ("fraunhofer", "", ["fraunhofer"]),
    ("politecnico di milano", "", ["politecnico di milano"]),
    ("innov", "", ["innov"]),  # typing
    ("digital twin", "DE", ["digital twin", "virtual twin"]),
    ("agri food", "FR", ["agri", "food"]),
]
FALLBACK_SENTENCES = [
    "We support manufacturing SMEs in their digital transformation.",
    "The hub offers test before invest services in robotics and artificial intelligence.",
    "Our laboratory builds digital twins of production lines.",
]


def read_cordis(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_dihs(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def sentences_of(dihs: list[dict]) -> list[str]:
    found = []
    for hub in dihs:
        for sentence in re.split(r"(?<=[.!?])\s+", hub.get("description") or ""):
            if 40 <= len(sentence) <= 400:
                found.append(sentence.strip())
    return found or FALLBACK_SENTENCES


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="org-search-bench-")
    os.environ["CLUSTERBROKER_DATA_DIR"] = workdir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterbroker.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from clusterbroker.community.models import Collection, SearchDocument
    from clusterbroker.community.search.index import _fields_for, document_key
    from clusterbroker.registry.models import Competence, Organisation, Taxonomy, Term
    from clusterbroker.registry.services import (
        OrganisationFilter,
        filter_organisations,
        filter_organisations_by_name,
    )

    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    cordis, dihs = read_cordis(CORDIS), read_dihs(DIHS)
    sentences = sentences_of(dihs)
    sources = [
        (row["name"].title(), KINDS.get(row["activity_type"], "other"), row["country"], row["city"])
        for row in cordis
        if row.get("name")
    ] + [
        (hub["title"], "dih", hub.get("country", "")[:2].upper(), hub.get("city", ""))
        for hub in dihs
    ]
    if not sources:
        sys.exit("No organisation names found in the shared data.")

    started = time.perf_counter()
    taxonomy = Taxonomy.objects.create(code="bench-tech", name="Technologies")
    terms = [
        Term.objects.create(taxonomy=taxonomy, code=f"T{i}", label=label, position=i)
        for i, label in enumerate(TECHNOLOGIES)
    ]
    organisations = []
    for n in range(args.organisations):
        name, kind, country, city = sources[n % len(sources)]
        if n >= len(sources):  # the same name again: another site of it
            name = f"{name} {city.title() or n}"
        organisations.append(
            Organisation(
                name=name[:200],
                slug=f"org-{n}",
                kind=kind,
                country=COUNTRY_CODES.get(country, country)[:2] or "FR",
                city=city.title()[:100],
                description=" ".join(rng.sample(sentences, rng.randint(1, 3))),
            )
        )
    with transaction.atomic():
        Organisation.objects.bulk_create(organisations, batch_size=1000)
        saved = list(Organisation.objects.order_by("pk"))
        Competence.objects.bulk_create(
            [
                Competence(organisation=o, term=term, level="active")
                for o in saved
                for term in rng.sample(terms, rng.choice([0, 0, 1, 1, 2, 3]))
            ],
            batch_size=1000,
        )
        documents = []
        for o in saved:
            _collection, fields, _terms = _fields_for(o)
            documents.append(
                SearchDocument(
                    key=document_key(Collection.ORGANISATION, o.pk),
                    collection=Collection.ORGANISATION,
                    object_id=o.pk,
                    url=o.get_absolute_url(),
                    **fields,
                )
            )
        SearchDocument.objects.bulk_create(documents, batch_size=1000)
    load_seconds = time.perf_counter() - started

    text_of = {}
    for o in Organisation.objects.prefetch_related("competences__term"):
        labels = " ".join(c.term.label for c in o.competences.all())
        text_of[o.pk] = f" {o.name} {o.acronym} {o.description} {labels} ".lower()

    def relevant_share(ids: list[int], phrases: list[str]) -> float:
        if not ids:
            return 0.0
        patterns = [re.compile(r"\b" + p) for p in phrases]
        return sum(any(p.search(text_of[pk]) for p in patterns) for pk in ids) / len(ids)

    def page_of(result) -> list[int]:
        result.count()
        return [o.pk for o in result[:PAGE]]

    print(
        f"Python {platform.python_version()}, SQLite {connection.Database.sqlite_version}, "
        f"{os.cpu_count()} CPUs, seed {SEED}, {len(saved):,} organisations "
        f"({len(cordis):,} CORDIS names, {len(dihs)} hubs, {len(sentences):,} description "
        f"sentences), loaded and indexed in {load_seconds:.1f} s"
    )
    print(
        f"{'query':<28} {'found':>7} {'base':>7} {'all rel':>7} {'base':>5} "
        f"{'top10 rel':>9} {'base':>5} "
        f"{'p50 ms':>7} {'base':>7} {'p95 ms':>7} {'base':>7}"
    )
    all_new, all_base = [], []
    for text, country, phrases in QUERIES:
        criteria = OrganisationFilter(text=text, country=country)
        new_times, base_times = [], []
        for _ in range(args.repeat):
            new_times.append(timed(lambda c=criteria: page_of(filter_organisations(c))))
            base_times.append(timed(lambda c=criteria: page_of(filter_organisations_by_name(c))))
        new, base = filter_organisations(criteria), filter_organisations_by_name(criteria)
        label = f"{text} [{country}]" if country else text
        print(
            f"{label:<28} {new.count():>7} {base.count():>7} "
            f"{relevant_share(new.ids, phrases):>7.2f} "
            f"{relevant_share(list(base.values_list('pk', flat=True)), phrases):>5.2f} "
            f"{relevant_share(page_of(new)[:10], phrases):>9.1f} "
            f"{relevant_share(page_of(base)[:10], phrases):>5.1f} "
            f"{statistics.median(new_times):>7.1f} {statistics.median(base_times):>7.1f} "
            f"{percentile(new_times, 0.95):>7.1f} {percentile(base_times, 0.95):>7.1f}"
        )
        all_new += new_times
        all_base += base_times
    print(
        f"{'all queries':<28} {'':>7} {'':>7} {'':>7} {'':>5} {'':>9} {'':>5} "
        f"{statistics.median(all_new):>7.1f} {statistics.median(all_base):>7.1f} "
        f"{percentile(all_new, 0.95):>7.1f} {percentile(all_base, 0.95):>7.1f}"
    )
    if not os.environ.get("BENCH_KEEP"):
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
