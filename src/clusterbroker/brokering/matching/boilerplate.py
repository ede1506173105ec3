"""The funding programmes' boilerplate: words that carry no meaning in a call text.

A word that occurs in most call texts ("proposal", "horizon", "expected", "outcome",
"project", "eu"...) says nothing about what a call is for, yet it matches every profile
that writes it. `learn_stoplist` finds them by document frequency: the words found in at
least `SHARE` of the call texts. The list shipped with the engine (`call_stopwords.txt`,
read by `call_stopwords()`) was learned from the 629 call topics of the EU Funding &
Tenders portal (the shared `eu-calls` data set); learn it again from another file with

    python -m clusterbroker.brokering.matching.boilerplate calls.jsonl.gz > call_stopwords.txt

Numbers (budgets, years, numbers of grants: "400") never match either: the call ranking
reads words of letters only (`WORD_PATTERN`).

`best_phrase` picks the sentence of a call text that holds most of the words shared with
the query, for the reason that quotes it.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

SHARE = 0.5
# Words of two letters or more, letters only (no numbers, no underscores).
WORD_PATTERN = r"(?u)\b[^\W\d_][^\W\d_]+\b"
_WORD = re.compile(WORD_PATTERN)
_TOKEN = re.compile(r"[^\W_]+")
_SENTENCE = re.compile(r"(?<=[.!?;:])\s*|\n+")


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")]


def learn_stoplist(texts: Iterable[str], share: float = SHARE) -> list[str]:
    """The words found in at least `share` of `texts`, sorted."""
    frequency: Counter = Counter()
    count = 0
    for text in texts:
        count += 1
        frequency.update(set(words(text)))
    if not count:
        return []
    return sorted(w for w, n in frequency.items() if n / count >= share)


CALL_STOPWORDS: frozenset[str] = frozenset(
    (
        "activities",
        "address",
        "all",
        "also",
        "an",
        "and",
        "are",
        "as",
        "at",
        "based",
        "be",
        "by",
        "can",
        "contribute",
        "develop",
        "development",
        "end",
        "ensure",
        "eu",
        "europe",
        "european",
        "expected",
        "following",
        "for",
        "from",
        "funded",
        "horizon",
        "impact",
        "in",
        "include",
        "including",
        "is",
        "may",
        "more",
        "new",
        "of",
        "on",
        "or",
        "other",
        "outcome",
        "outcomes",
        "project",
        "projects",
        "proposals",
        "relevant",
        "research",
        "results",
        "scope",
        "should",
        "solutions",
        "such",
        "support",
        "that",
        "the",
        "their",
        "these",
        "this",
        "through",
        "to",
        "topic",
        "under",
        "use",
        "well",
        "will",
        "with",
    )
)


def best_phrase(
    text: str,
    shared: Iterable[str],
    limit: int = 160,
    analyse: Callable[[str], list[str]] = words,
) -> str:
    """The sentence of `text` holding most of the `shared` words, cut to `limit` characters.

    `analyse` reads a piece of text as the `shared` words are written: plain lower-case
    words by default, or the matcher's terms (stems in the text's language), so that the
    sentence quoted is the call's own, in its words."""
    wanted = set(shared)
    if not wanted:
        return ""
    best, best_hits = "", 0
    for sentence in _SENTENCE.split(text or ""):
        hits = len(wanted & set(analyse(sentence)))
        if hits > best_hits:
            best, best_hits = sentence.strip(), hits
    if len(best) > limit:
        found = (m.start() for m in _TOKEN.finditer(best) if wanted & set(analyse(m.group())))
        first = next(found, 0)
        start = max(0, first - limit // 3)
        best = ("…" if start else "") + best[start : start + limit].strip() + "…"
    return best


def call_texts(path: Path) -> list[str]:
    """The title, keywords and description of each call of an eu-calls JSON-lines file."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig") as handle:
        content = handle.read()
    decoder, position, out = json.JSONDecoder(), 0, []
    while True:  # one object after another, whatever separates them
        while position < len(content) and content[position].isspace():
            position += 1
        if position >= len(content):
            return out
        call, position = decoder.raw_decode(content, position)
        out.append(" ".join(str(call.get(k) or "") for k in ("title", "keywords", "description")))


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    print("\n".join(learn_stoplist(call_texts(Path(sys.argv[1])))))
