"""Benchmark of partner recommendation on real Horizon 2020 consortia.

    .venv/bin/python bench/recommend.py                       # the shared CORDIS files
    .venv/bin/python bench/recommend.py --participations P.csv.gz \
        --programme-parts PP.csv.gz --holdout-from 2019-01-01

Projects starting on or after the hold-out date are held out; everything before
is what the engine knows (the co-participation network, each organisation's
activity per programme part, countries, types). For each held-out project whose
coordinator is known, the engine gets the coordinator, the programme part and the
coordinator's country and ranks every known organisation as a partner; the
targets are the project's other known members. One line each for the engine and
the baselines, computed in the same run:

    name recall@10=… recall@50=… MRR=…

then the engine's ranking latency per query (p50 / p95), and the latency on a
synthetic registry of `--synthetic` organisations (default 100,000) with texts,
taxonomy terms, 384-dimension embeddings and a co-participation network, for
queries that use every signal and ask for reasons (the page's and API's case).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

import numpy as np

from clusterbroker.brokering.cordis import read_participations, read_programme_parts
from clusterbroker.brokering.matching import CandidateRecord, MatchQuery, build_index, rank
from clusterbroker.brokering.matching.index import Edge

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "cordis-h2020-participations"
RECENCY_HALF_LIFE_YEARS = 3.0


def recency(start: dt.date | None, now: dt.date) -> float:
    if start is None:
        return 0.5
    years = max(0.0, (now - start).days / 365.25)
    return 0.5 ** (years / RECENCY_HALF_LIFE_YEARS)


def metrics(ranked: list[int], targets: set[int]) -> tuple[float, float, float]:
    r10 = len(targets.intersection(ranked[:10])) / len(targets)
    r50 = len(targets.intersection(ranked[:50])) / len(targets)
    rr = 0.0
    for position, key in enumerate(ranked, start=1):
        if key in targets:
            rr = 1.0 / position
            break
    return r10, r50, rr


def fill(first: list[int], then: list[int], exclude: int, k: int = 50) -> list[int]:
    out, seen = [], {exclude}
    for key in (*first, *then):
        if key not in seen:
            seen.add(key)
            out.append(key)
            if len(out) == k:
                break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participations", type=Path, default=SHARED / "participations.csv.gz")
    parser.add_argument("--programme-parts", type=Path, default=SHARED / "programme_parts.csv.gz")
    parser.add_argument("--holdout-from", type=dt.date.fromisoformat, default=dt.date(2019, 1, 1))
    parser.add_argument(
        "--synthetic", type=int, default=100_000, help="organisations of the latency test (0: skip)"
    )
    args = parser.parse_args()

    t0 = time.perf_counter()
    rows = read_participations(args.participations)
    parts = read_programme_parts(args.programme_parts)
    cutoff = args.holdout_from

    projects: dict[int, list] = defaultdict(list)
    for row in rows:
        projects[row.rcn].append(row)
    known_projects = {r: ps for r, ps in projects.items() if ps[0].start and ps[0].start < cutoff}
    held_out = {r: ps for r, ps in projects.items() if ps[0].start and ps[0].start >= cutoff}

    country: dict[int, str] = {}
    kind: dict[int, str] = {}
    activity: dict[int, Counter] = defaultdict(Counter)
    pair_weight: Counter = Counter()  # (a, b, programme part) → decayed joint projects
    for rcn, members in known_projects.items():
        part = parts.get(rcn, "unknown")
        weight = recency(members[0].start, cutoff)
        pics = sorted({m.pic for m in members})
        for m in members:
            country[m.pic] = m.country
            kind[m.pic] = m.type
            activity[m.pic][part] += 1
        if len(pics) <= 60:  # very large consortia say little about who works with whom
            for a, b in combinations(pics, 2):
                pair_weight[(a, b, part)] += weight
    records = [
        CandidateRecord(
            key=pic, name=str(pic), country=country[pic], kind=kind[pic], fields=dict(a)
        )
        for pic, a in activity.items()
    ]
    index = build_index(records, edges=(Edge(a, b, w, p) for (a, b, p), w in pair_weight.items()))
    build_seconds = time.perf_counter() - t0

    keys = index.keys
    overall = [int(keys[i]) for i in np.argsort(-index.activity, kind="stable")]
    by_part = {
        part: [int(keys[i]) for i in np.argsort(-index.fields[:, col], kind="stable")[:200]]
        for part, col in index.field_columns.items()
    }

    scores: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    latencies = []
    queries = 0
    for rcn, members in sorted(held_out.items()):
        coordinators = [m.pic for m in members if m.role == "coordinator" and m.pic in index.row_of]
        if not coordinators:
            continue
        coordinator = coordinators[0]
        targets = {m.pic for m in members if m.pic != coordinator and m.pic in index.row_of}
        if not targets:
            continue
        part = parts.get(rcn, "unknown")
        queries += 1
        query = MatchQuery(
            anchors=[coordinator], field=part, country=country[coordinator], cross_border=False
        )
        started = time.perf_counter()
        ranked = rank(index, query, limit=50, with_reasons=False)
        latencies.append(time.perf_counter() - started)
        scores["engine"].append(metrics([m.key for m in ranked], targets))

        part_popular = by_part.get(part, overall)
        scores["popularity"].append(metrics(fill(overall[:60], [], coordinator), targets))
        scores["popularity_in_part"].append(
            metrics(fill(part_popular, overall[:60], coordinator), targets)
        )
        row = index.row_of[coordinator]
        neighbours = index.network[row]
        past = [
            int(keys[i]) for i in neighbours.indices[np.argsort(-neighbours.data, kind="stable")]
        ]
        scores["past_partners_then_part_popularity"].append(
            metrics(fill(past, part_popular, coordinator), targets)
        )

    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs; hold-out from {cutoff}; "
        f"{len(index)} known organisations, {len(known_projects)} known projects, "
        f"{queries} queries; index built in {build_seconds:.1f} s",
    )
    best_baseline = 0.0
    for name in (
        "engine",
        "popularity",
        "popularity_in_part",
        "past_partners_then_part_popularity",
    ):
        r10, r50, mrr = (float(np.mean([v[i] for v in scores[name]])) for i in range(3))
        if name != "engine":
            best_baseline = max(best_baseline, r50)
        else:
            engine_r50 = r50
        print(f"{name} recall@10={r10:.4f} recall@50={r50:.4f} MRR={mrr:.4f}")
    p50, p95 = (float(np.percentile(latencies, q)) * 1000 for q in (50, 95))
    print(f"latency p50={p50:.1f}ms p95={p95:.1f}ms")
    print(f"engine / best baseline recall@50: {engine_r50 / best_baseline:.3f}")
    if args.synthetic:
        synthetic_latency(args.synthetic)


def synthetic_latency(size: int, queries: int = 300, seed: int = 1) -> None:
    """Ranking latency on a synthetic registry of `size` organisations, every signal on."""
    rng = np.random.default_rng(seed)
    vocabulary = [f"w{i}" for i in range(5000)]
    popularity = 1.0 / np.arange(1, len(vocabulary) + 1)
    popularity /= popularity.sum()
    vectors = rng.standard_normal((size, 384)).astype(np.float32)
    countries = np.array(["DE", "FR", "IT", "ES", "PL", "NL", "BE", "AT", "PT", "SE"])
    records = [
        CandidateRecord(
            key=k,
            name=f"Organisation {k}",
            country=str(countries[k % len(countries)]),
            kind=("company", "dih", "rto", "university")[k % 4],
            text=" ".join(rng.choice(vocabulary, size=30, p=popularity)),
            terms=[int(t) for t in rng.integers(0, 200, size=3)],
            embedding=vectors[k],
            partnerships=[int(k % 50)] if k % 7 == 0 else [],
            fields={"LEIT": float(rng.poisson(1.0))},
        )
        for k in range(size)
    ]
    a = rng.integers(0, size, size=size * 5)
    b = rng.integers(0, size, size=size * 5)
    started = time.perf_counter()
    index = build_index(
        records,
        term_labels={t: f"T{t}" for t in range(200)},
        complements={t: [(t + 100) % 200] for t in range(100)},
        edges=(Edge(int(x), int(y), 1.0, "LEIT") for x, y in zip(a, b, strict=True)),
    )
    build_seconds = time.perf_counter() - started
    latencies = []
    for q in range(queries + 20):
        query = MatchQuery(
            terms=[int(t) for t in rng.integers(0, 200, size=3)],
            text=" ".join(rng.choice(vocabulary, size=12, p=popularity)),
            embedding=rng.standard_normal(384).astype(np.float32),
            country="DE",
            anchors=[int(rng.integers(0, size))],
            partnerships=[int(q % 50)],
            field="LEIT",
        )
        started = time.perf_counter()
        rank(index, query, limit=20)
        if q >= 20:  # the first queries warm the caches
            latencies.append(time.perf_counter() - started)
    p50, p95 = (float(np.percentile(latencies, q)) * 1000 for q in (50, 95))
    print(
        f"latency@{size} p50={p50:.1f}ms p95={p95:.1f}ms "
        f"({queries} queries with reasons; index built in {build_seconds:.1f} s)"
    )


if __name__ == "__main__":
    main()
