"""Organisation search: by name first, then by what the organisations do.

The organisation list (pages, API, exports) asks `ranked_organisations(text, queryset)`.
It reuses the community search index (`community_searchdocument`, see docs/search.md): each
organisation's document holds its name (title) and, in the body, its acronym, city, main
thematic, description, competence term labels and the public text of its brokering offers
(never its needs). On SQLite the FTS5 table answers with BM25, on PostgreSQL the weighted
`tsvector` with `ts_rank`. On PostgreSQL the whole ranking below is one query that reads the
documents' GIN index and the trigram index of the names (migration registry 0008) and
returns only the ids in order; on SQLite the matches are ranked in Python.

Ranking, best first:

1. the name or the acronym is what was typed;
2. the name or the acronym contains what was typed (the old search as you type, so a part
   of a name still finds it), or every typed word;
3. what the organisation does: the full-text match of the words (every word must occur, the
   last one as a prefix while typing), with the small synonym list below, ranked by BM25
   (the name weighs more than the rest).

Synonyms are deliberately few and documented here: each group lists phrases that mean the
same thing to someone looking for a provider ("cobots" and "collaborative robots").
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import reduce

from django.db import connection
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from clusterbroker.text.analysis import (
    LANGUAGES,
    fold,
    is_stop_word,
    prefix_stems,
    query_stems,
    stem,
)

from .models import Organisation
from .ordering import POSTGRESQL_COLLATION as ICU

# Phrases that mean the same; matched on the typed words (plural "s" ignored).
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("cobot", "collaborative robot", "collaborative robotics"),
    ("additive manufacturing", "3d printing", "3d printer"),
    ("digital twin", "virtual twin"),
    ("ai", "artificial intelligence"),
    ("iot", "internet of things"),
    ("hpc", "high performance computing", "supercomputing"),
    ("ml", "machine learning"),
    ("ar", "augmented reality"),
    ("vr", "virtual reality"),
    ("cybersecurity", "cyber security"),
    ("cps", "cyber physical system"),
    ("agv", "automated guided vehicle"),
    ("plm", "product lifecycle management"),
    ("smart manufacturing", "industry 4 0"),
)
MAX_WORDS = 8
# The last word matches as a prefix from this many characters on (as the community search).
MIN_PREFIX = 2
WORD = re.compile(r"\w+", re.UNICODE)
FTS = "community_search_fts"
DOCS = "community_searchdocument"
TITLE_WEIGHT, BODY_WEIGHT = 8.0, 1.0
COLLECTION = "organisation"
# Up to this many matches, other filters are checked on the matches only.
MAX_CANDIDATES = 5_000


def _key(word: str) -> str:
    """A word as synonyms compare it: lower case, without a plural "s"."""
    word = word.lower()
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


_PHRASES: list[tuple[tuple[str, ...], int]] = sorted(
    (
        (tuple(_key(w) for w in WORD.findall(phrase)), group)
        for group, phrases in enumerate(SYNONYMS)
        for phrase in phrases
    ),
    key=lambda item: -len(item[0]),
)


@dataclass(frozen=True)
class Group:
    """One thing asked for: any of its alternatives (each a phrase of words) must occur."""

    alternatives: tuple[tuple[str, ...], ...]
    prefix: bool = False  # a single typed word still being typed


def _stop_languages() -> tuple[str, ...]:
    from django.utils.translation import get_language

    return ("en", (get_language() or "en").split("-")[0])


def stemmed(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A typed phrase as the indexes hold it: one word, any of its stems in every language;
    several, the phrase of their stems in each language (`text.analysis`)."""
    if len(words) == 1:
        return [(s,) for s in query_stems(words[0])]
    found = {
        tuple(stem(form, language) for form in forms)
        for forms in (words, tuple(fold(w) for w in words))
        for language in LANGUAGES
    }
    return sorted(found)


def alternatives(group: Group) -> list[tuple[str, ...]]:
    """The phrases of stems a group matches; a word being typed keeps only the shortest of
    its stems that start alike (`robot` covers `robotic` as a prefix)."""
    found = [stems for words in group.alternatives for stems in stemmed(words)]
    if not group.prefix:
        return found
    # A group being typed is one word: its phrases are single stems.
    return [(stem,) for stem in prefix_stems([stems[0] for stems in found])]


def parse(text: str) -> list[Group]:
    """The typed words as groups: synonym phrases become alternatives, stop words go."""
    stops = _stop_languages()
    words = [w.lower().replace("_", "") for w in WORD.findall(text or "")]
    words = [w for w in words if w][: MAX_WORDS * 2]
    keys = [_key(w) for w in words]
    groups: list[Group] = []
    i = 0
    while i < len(words):
        for phrase, group in _PHRASES:
            if tuple(keys[i : i + len(phrase)]) == phrase:
                typed = tuple(words[i : i + len(phrase)])
                alternatives = {typed: None}
                for other in SYNONYMS[group]:
                    alternatives[tuple(WORD.findall(other))] = None
                groups.append(Group(tuple(alternatives)))
                i += len(phrase)
                break
        else:
            if not is_stop_word(words[i], stops):
                groups.append(Group(((words[i],),)))
            i += 1
    groups = groups[:MAX_WORDS]
    ends_typing = bool(text) and not text[-1].isspace()
    if groups and ends_typing and len(groups[-1].alternatives) == 1:
        last = groups[-1].alternatives[0]
        if len(last) == 1 and len(last[0]) >= MIN_PREFIX:
            groups[-1] = Group(groups[-1].alternatives, prefix=True)
    return groups


def fts5_expression(groups: Sequence[Group]) -> str:
    """An FTS5 query over the analysed words: every group must occur, any alternative of a
    group (as any of its stems; the word being typed as a prefix of them)."""
    parts = []
    for group in groups:
        star = "*" if group.prefix else ""
        options = [f'"{" ".join(stems)}"{star}' for stems in alternatives(group)]
        parts.append(options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")")
    return " AND ".join(parts)


# A match found by the full-text index: id, relevance (higher is better), name, acronym.
Row = tuple[int, float, str, str]


def _sqlite_rows(groups: Sequence[Group]) -> list[Row]:
    sql = (
        f"SELECT d.object_id, bm25({FTS}, {TITLE_WEIGHT}, {BODY_WEIGHT}), o.name, o.acronym "
        # CROSS JOIN keeps the full-text index as the outer loop (SQLite would otherwise
        # walk the organisations' documents and test the match on each).
        f"FROM {FTS} CROSS JOIN {DOCS} d ON d.id = {FTS}.rowid "
        "CROSS JOIN registry_organisation o ON o.id = d.object_id "
        f"WHERE {FTS} MATCH %s AND d.collection = %s AND d.published = 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [fts5_expression(groups), COLLECTION])
        rows = cursor.fetchall()
    return [(pk, -score, name, acronym) for pk, score, name, acronym in rows]


def _postgres_query(groups: Sequence[Group]):
    """The full-text query of `groups` for the weighted `tsvector` (a phrase per alternative,
    the word being typed as a prefix)."""
    from django.contrib.postgres.search import SearchQuery

    from clusterbroker.community.search.index import CONFIG

    def alternative(words: tuple[str, ...], prefix: bool) -> SearchQuery:
        if prefix:
            return SearchQuery(f"{words[0]}:*", search_type="raw", config=CONFIG)
        return SearchQuery(" ".join(words), search_type="phrase", config=CONFIG)

    return reduce(
        lambda a, b: a & b,
        (
            reduce(
                lambda a, b: a | b,
                (alternative(stems, group.prefix) for stems in alternatives(group)),
            )
            for group in groups
        ),
    )


def _postgres_matches(groups: Sequence[Group]) -> QuerySet:
    """The organisations' documents matching `groups`: (object_id, rank), from the GIN index
    of the vectors."""
    from django.contrib.postgres.search import SearchRank
    from django.db.models import F

    from clusterbroker.community.models import SearchDocument

    query = _postgres_query(groups)
    return (
        SearchDocument.objects.filter(collection=COLLECTION, published=True, vector=query)
        .annotate(rank=SearchRank(F("vector"), query))
        .values_list("object_id", "rank")
        .order_by()
    )


def _postgres_rows(groups: Sequence[Group]) -> list[Row]:
    ranks = dict(_postgres_matches(groups))
    names = Organisation.objects.filter(pk__in=list(ranks)).values_list("pk", "name", "acronym")
    return [(pk, float(ranks[pk]), name, acronym) for pk, name, acronym in names]


def _postgres_ranked_ids(
    text: str,
    groups: Sequence[Group],
    typed: Sequence[str],
    within: QuerySet[Organisation] | None = None,
) -> list[int]:
    """`ranked_ids` in one query on PostgreSQL: the documents from the GIN index of the
    vectors, the parts of names from the trigram index of the names (migration
    registry 0008), ranked by the database (the tiers of `_tier`), only the ids read back.
    `within`: only the organisations of this queryset."""
    parts, params = [], []
    if groups:
        sql, found_params = _postgres_matches(groups).query.sql_with_params()
        parts.append(f"found (id, score) AS ({sql})")
        params += found_params
    else:
        parts.append("found (id, score) AS (SELECT NULL::integer, NULL::real WHERE FALSE)")
    named = Organisation.objects.filter(name__icontains=text).values_list("pk").order_by()
    sql, named_params = named.query.sql_with_params()
    parts.append(f"named (id) AS ({sql})")
    params += named_params
    restriction = ""
    if within is not None:
        sql, within_params = within.values_list("pk").order_by().query.sql_with_params()
        restriction = f"WHERE m.id IN ({sql})"
    every_word = " AND ".join(["strpos(r.name, %s) > 0"] * len(typed)) or "FALSE"
    # `_tier` on each name and acronym lowered once, as Python lowers them (the ICU root
    # collation's case mapping, whatever the database's locale); only the documents' matches
    # compare the acronym (as in `ranked_ids`). OFFSET 0 keeps the lowering in the inner query.
    query = (
        "WITH " + ", ".join(parts) + " "
        "SELECT r.id FROM ("
        f'SELECT m.id, m.score, lower(o.name COLLATE "{ICU}") AS name, '
        f"CASE WHEN m.by_text THEN lower(o.acronym COLLATE \"{ICU}\") ELSE '' END AS acronym "
        "FROM (SELECT id, score, TRUE AS by_text FROM found "
        "UNION ALL SELECT id, 0, FALSE FROM named "
        "WHERE NOT EXISTS (SELECT 1 FROM found WHERE found.id = named.id)"
        ") m JOIN registry_organisation o ON o.id = m.id "
        f"{restriction} OFFSET 0) r "
        "ORDER BY CASE WHEN r.name = %s OR r.acronym = %s THEN 0 "
        "WHEN strpos(r.name, %s) > 0 OR strpos(r.acronym, %s) > 0 "
        f"OR ({every_word}) THEN 1 "
        "ELSE 2 END, r.score DESC, r.id"
    )
    if within is not None:
        params += within_params
    params += [text.lower()] * 4 + list(typed)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return [pk for (pk,) in cursor.fetchall()]


def text_rows(groups: Sequence[Group]) -> list[Row]:
    """The organisations whose searchable text matches, with their relevance and names."""
    if not groups:
        return []
    if connection.vendor == "postgresql":
        return _postgres_rows(groups)
    return _sqlite_rows(groups)


def _tier(text: str, words: Sequence[str], name: str, acronym: str) -> int:
    """0: the name or acronym is `text`; 1: it contains `text` or every typed word; else 2."""
    name, acronym = name.lower(), (acronym or "").lower()
    if text in (name, acronym):
        return 0
    if text in name or text in acronym or (words and all(w in name for w in words)):
        return 1
    return 2


def ranked_ids(text: str, allowed: set[int] | None = None) -> list[int]:
    """Ids of the organisations matching `text`, best first (see the module's docstring)."""
    text = (text or "").strip()[:200]
    if not text:
        return []
    groups = parse(text)
    lowered = text.lower()
    typed = [w for group in groups for w in group.alternatives[0]]  # the words as typed
    if connection.vendor == "postgresql":
        ids = _postgres_ranked_ids(text, groups, typed)
        return ids if allowed is None else [pk for pk in ids if pk in allowed]
    ranking = {
        pk: (_tier(lowered, typed, name, acronym), -score, pk)
        for pk, score, name, acronym in text_rows(groups)
    }
    # A part of a name (the former search as you type): read from the index of the names.
    for pk, name in Organisation.objects.filter(name__icontains=text).values_list("pk", "name"):
        if pk not in ranking:
            ranking[pk] = (_tier(lowered, typed, name, ""), 0.0, pk)
    keys = ranking.values() if allowed is None else (ranking[pk] for pk in allowed & ranking.keys())
    return [key[2] for key in sorted(keys)]


class RankedOrganisations:
    """Organisations in the order of `ids`, read a page at a time.

    Enough of a QuerySet for the paginators of the pages and the API and for the exports:
    `count()`, `len()`, slicing, iteration, `select_related` and `prefetch_related`.
    """

    ordered = True

    def __init__(self, ids: list[int], queryset: QuerySet[Organisation] | None = None):
        self.ids = ids
        self.queryset = (
            queryset if queryset is not None else Organisation.objects.select_related("region")
        )

    def _load(self, ids: Sequence[int]) -> list[Organisation]:
        found = self.queryset.in_bulk(list(ids))
        return [found[pk] for pk in ids if pk in found]

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def exists(self) -> bool:
        return bool(self.ids)

    def all(self) -> RankedOrganisations:
        return self

    def select_related(self, *fields) -> RankedOrganisations:
        return RankedOrganisations(self.ids, self.queryset.select_related(*fields))

    def prefetch_related(self, *lookups) -> RankedOrganisations:
        return RankedOrganisations(self.ids, self.queryset.prefetch_related(*lookups))

    def __getitem__(self, key):
        if isinstance(key, slice):
            return self._load(self.ids[key])
        return self._load([self.ids[key]])[0]

    def __iter__(self) -> Iterator[Organisation]:
        for start in range(0, len(self.ids), 500):
            yield from self._load(self.ids[start : start + 500])


def ranked_organisations(
    text: str, queryset: QuerySet[Organisation], filtered: bool
) -> RankedOrganisations:
    """The organisations of `queryset` that match `text`, best first; `filtered` says whether
    `queryset` is narrowed by other criteria (then only its organisations are kept).

    The ranking is kept in the cache for the data as they are (`page_cache`): the next
    pages of the same search, and the same search asked again, read it from there."""
    from django.utils.translation import get_language

    from . import page_cache

    text = (text or "").strip()[:200]
    if not text:
        return RankedOrganisations([], queryset)
    within = str(queryset.values_list("pk").order_by().query) if filtered else ""
    asked = repr((text, get_language(), within, connection.vendor))
    name = "search-" + hashlib.sha256(asked.encode()).hexdigest()
    ids = page_cache.cached(name, lambda: _ranked_ids_within(text, queryset, filtered))
    return RankedOrganisations(ids, queryset)


def _ranked_ids_within(text: str, queryset: QuerySet[Organisation], filtered: bool) -> list[int]:
    if connection.vendor == "postgresql":
        groups = parse(text)
        typed = [w for group in groups for w in group.alternatives[0]]  # the words as typed
        within = queryset if filtered else None
        return _postgres_ranked_ids(text, groups, typed, within)
    ids = ranked_ids(text)
    if filtered and ids:
        if len(ids) <= MAX_CANDIDATES:
            kept = set(queryset.filter(pk__in=ids).values_list("pk", flat=True))
        else:
            kept = set(queryset.values_list("pk", flat=True))
        ids = [pk for pk in ids if pk in kept]
    return ids


def _pattern(groups: Sequence[Group]) -> re.Pattern | None:
    """Every alternative of every group, as typed or inflected (robot, robots, robotics)."""

    def word(w: str) -> str:
        return re.escape(w) + (r"\w*" if len(w) > 3 else r"\b")

    phrases = [
        r"\W+".join(word(w) for w in words) for group in groups for words in group.alternatives
    ]
    if not phrases:
        return None
    return re.compile(r"\b(?:" + "|".join(sorted(phrases, key=len, reverse=True)) + ")", re.I)


def snippet(body: str, groups: Sequence[Group], length: int = 160) -> SafeString:
    """The part of `body` around the first match, with every match in <mark>; "" if none."""
    pattern = _pattern(groups)
    text = " ".join((body or "").split())
    found = pattern.search(text) if pattern else None
    if found is None:
        return mark_safe("")
    start = max(0, found.start() - length // 4)
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + length)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > found.end() else end
    window = text[start:end].lstrip("· ") if start else text[start:end]
    parts, last = [], 0
    for match in pattern.finditer(window):
        parts.append(escape(window[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(window[last:]))
    return mark_safe(("… " if start else "") + "".join(parts) + (" …" if end < len(text) else ""))


def snippets(text: str, organisations: Sequence[Organisation]) -> dict[int, SafeString]:
    """For a page of found organisations: what in their searchable text matches `text`
    (their description, thematic, competences, offers; not the name, acronym, type, city)."""
    from clusterbroker.community.models import SearchDocument

    groups = parse((text or "").strip()[:200])
    if not groups or not organisations:
        return {}
    by_id = {o.pk: o for o in organisations}
    bodies = SearchDocument.objects.filter(
        collection=COLLECTION, object_id__in=list(by_id)
    ).values_list("object_id", "body", "language")
    found = {}
    for pk, body, language in bodies:
        o = by_id[pk]
        header = {o.acronym, o.get_kind_display(), o.city}
        lines = [line for line in (body or "").split("\n") if line not in header]
        joined = " · ".join(lines)
        if html := snippet(joined, groups) or stemmed_snippet(joined, language, text):
            found[pk] = html
    return found


def stemmed_snippet(body: str, language: str, text: str) -> SafeString:
    """The part of `body` whose words matched through their stems in the document's language
    (a French "robots" for "robotique"), marked; "" when none did."""
    from clusterbroker.community.search.words import START, marked_html, words_of
    from clusterbroker.community.search.words import snippet as stemmed

    words = words_of(text, _stop_languages()[1])
    if not words:
        return mark_safe("")
    found = stemmed(body, language, words, prefix=not text[-1:].isspace())
    return mark_safe(marked_html(found)) if START in found else mark_safe("")
