"""Benchmark of the duplicate finder on labelled pairs, against a baseline.

    .venv/bin/python bench/dedup.py                 # pairs of bench/data, 35,000 organisations
    .venv/bin/python bench/dedup.py --organisations 10000

Quality: each pair of bench/data/dedup-pairs.csv (built from the real CORDIS files and the
sample data by bench/dedup_pairs.py, labelled `same` or `different`) is scored by the finder
(`registry.dedup.candidates`). A pair is *proposed* when it scores at least the review
threshold, *merged automatically* when it has the same PIC and the same country. Precision and
recall of both, per group of pairs too, next to the baseline: the names equal once lower-cased
(and stripped of surrounding spaces).

Speed: the time `find_proposals` takes (blocking and scoring, no database) over
`--organisations` records of real names: the CORDIS organisations under their legal names,
the same under their short names (as a person would enter them: another record, no PIC), the
Digital Innovation Hubs of the JRC catalogue, and placeholders "PIC …" of the participations
file, in this order until the number is reached.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import platform
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from clusterbroker.registry.dedup.candidates import (  # noqa: E402
    REVIEW_THRESHOLD,
    Record,
    compare,
    find_proposals,
)

PAIRS = ROOT / "bench/data/dedup-pairs.csv"
FIELDS = ("name", "acronym", "country", "city", "domain", "pic", "kind")
COUNTRY = {"UK": "GB", "EL": "GR"}


def read_pairs(path: Path) -> list[tuple[str, bool, Record, Record]]:
    pairs = []
    with path.open(encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            a = Record(id=2 * number, **{f: row[f"a_{f}"] for f in FIELDS})
            b = Record(id=2 * number + 1, **{f: row[f"b_{f}"] for f in FIELDS})
            pairs.append((row["group"], row["label"] == "same", a, b))
    return pairs


def _figures(results: list[tuple[bool, bool]]) -> dict[str, float | int]:
    """Precision and recall of (said same, is same) decisions."""
    tp = sum(1 for said, truth in results if said and truth)
    fp = sum(1 for said, truth in results if said and not truth)
    fn = sum(1 for said, truth in results if not said and truth)
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
    }


def quality(pairs) -> dict:
    finder, automatic, baseline = [], [], []
    groups: dict[str, list] = defaultdict(list)
    mistakes = []
    for group, same, a, b in pairs:
        score, reasons = compare(a, b)
        proposed = score >= REVIEW_THRESHOLD
        merged = bool(a.pic) and a.pic == b.pic and a.country == b.country
        equal = a.name.strip().lower() == b.name.strip().lower()
        finder.append((proposed, same))
        automatic.append((merged, same))
        baseline.append((equal, same))
        groups[group].append((proposed, same, equal))
        if proposed != same:
            mistakes.append((group, same, score, a.name, b.name, [r.code for r in reasons]))
    return {
        "pairs": len(pairs),
        "same": sum(1 for _, s, _, _ in pairs if s),
        "review": _figures(finder),
        "automatic": _figures(automatic),
        "baseline": _figures(baseline),
        "groups": {
            g: {
                "pairs": len(rows),
                "finder": _figures([(p, s) for p, s, _ in rows]),
                "baseline": _figures([(e, s) for _, s, e in rows]),
            }
            for g, rows in sorted(groups.items())
        },
        "mistakes": mistakes,
    }


def organisations(data: Path, count: int) -> list[Record]:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterbroker.settings")
    django.setup()
    from clusterbroker.importers.cordis_organisations import repair_text

    with gzip.open(data / "cordis-h2020-organisations/organisations.csv.gz", "rt") as handle:
        rows = list(csv.DictReader(handle))
    records: list[Record] = []

    def add(**fields) -> None:
        if len(records) < count:
            records.append(Record(id=len(records) + 1, **fields))

    for row in rows:
        country = COUNTRY.get(row["country"], row["country"])
        add(
            name=repair_text(row["name"]),
            acronym=repair_text(row["short_name"]),
            country=country,
            city=repair_text(row["city"]),
            pic=row["pic"],
        )
    for row in rows:
        country = COUNTRY.get(row["country"], row["country"])
        add(name=repair_text(row["short_name"]), country=country)
    with gzip.open(data / "dih-catalogue/dihs.jsonl.gz", "rt") as handle:
        for line in handle:
            hub = json.loads(line)
            add(name=hub["title"], country=hub["country"][:2].upper(), city=hub["city"] or "")
    named = {row["pic"] for row in rows}
    with gzip.open(data / "cordis-h2020-participations/participations.csv.gz", "rt") as handle:
        for row in csv.DictReader(handle):
            if row["pic"] not in named:
                named.add(row["pic"])
                add(name="", country=COUNTRY.get(row["country"], row["country"]), pic=row["pic"])
    return records


def speed(records: list[Record], pairs) -> tuple[float, int, dict]:
    """Time of the finder over the records with the labelled pairs among them, and the
    figures of the labelled pairs found there (blocking included)."""
    offset = len(records) + 1
    labelled = []
    for _group, same, a, b in pairs:
        a = Record(**{**a.__dict__, "id": a.id + offset})
        b = Record(**{**b.__dict__, "id": b.id + offset})
        records.extend((a, b))
        labelled.append((a.id, b.id, same))
    started = time.perf_counter()
    proposals = find_proposals(records)
    seconds = time.perf_counter() - started
    found = {(p.a, p.b) for p in proposals}
    figures = _figures([((a, b) in found, same) for a, b, same in labelled])
    return seconds, len(proposals), figures


def _line(name: str, f: dict) -> str:
    return (
        f"{name:<22} precision {f['precision']:.3f}  recall {f['recall']:.3f}  "
        f"(tp {f['tp']}, fp {f['fp']}, fn {f['fn']})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organisations", type=int, default=35_000)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data")
    parser.add_argument("--mistakes", action="store_true", help="list the pairs decided wrong")
    args = parser.parse_args()
    pairs = read_pairs(PAIRS)
    result = quality(pairs)
    print(f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}")
    print(
        f"{result['pairs']} labelled pairs ({result['same']} same, "
        f"{result['pairs'] - result['same']} different), review threshold {REVIEW_THRESHOLD}"
    )
    print(_line("finder, for review", result["review"]))
    print(_line("finder, automatic", result["automatic"]))
    print(_line("baseline (equal names)", result["baseline"]))
    base = result["baseline"]
    review = result["review"]
    if base["recall"]:
        print(f"recall finder / baseline: {review['recall'] / base['recall']:.2f}")
    print("per group (right: same pairs proposed; wrong: different pairs proposed)")
    print("  group        pairs   finder right/wrong/missed   baseline right/wrong/missed")
    for group, g in result["groups"].items():
        f, b = g["finder"], g["baseline"]
        print(
            f"  {group:<12} {g['pairs']:>5}   {f['tp']:>12} / {f['fp']} / {f['fn']}"
            f"   {b['tp']:>16} / {b['fp']} / {b['fn']}"
        )
    if args.mistakes:
        for mistake in result["mistakes"]:
            print("  ", mistake)
    records = organisations(args.data, args.organisations)
    count = len(records)
    seconds, found, among = speed(records, pairs)
    print(
        f"{count} organisations and the {2 * len(pairs)} of the labelled pairs: {seconds:.1f} s "
        f"for blocking and scoring, {found} pairs proposed"
    )
    print(_line("labelled pairs there", among))


if __name__ == "__main__":
    main()
