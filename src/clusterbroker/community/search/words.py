"""From what a user typed to the words every backend searches for, and the matches marked.

The analysis is `text.analysis`: documents are indexed stemmed in their own language, and
each query word may match any of its stems in the platform's languages (`QueryWord`).
Highlighting is done here too, on the original text, for every backend alike.
"""

import html

from clusterbroker.text.analysis import (
    MAX_QUERY_WORDS,
    QueryWord,
    prefix_stems,
    query_words,
    spans,
)

MAX_WORDS = MAX_QUERY_WORDS
# Markers put around matched words, turned into <mark> after escaping.
START, STOP = "\x02", "\x03"
SNIPPET_WORDS = 28


def words_of(text: str, language: str | None = None) -> list[QueryWord]:
    """The words to search for: stop words of English and of `language` left out, at most
    MAX_WORDS, each with its stems in every language."""
    return query_words(text, language)


def groups_of(words: list[QueryWord], prefix: bool = False) -> list[tuple[str, ...]]:
    """The alternatives (stems) of each word, in order: what the backends match. The last
    word's stems, matched as prefixes while typing, keep only the shortest of those that
    start alike (`robot` covers `robotic`)."""
    groups = [word.stems for word in words]
    if prefix and groups:
        groups[-1] = prefix_stems(groups[-1])
    return groups


def _matcher(words: list[QueryWord], prefix: bool):
    exact = {stem for word in (words if not prefix else words[:-1]) for stem in word.stems}
    starts = tuple(words[-1].stems) if prefix and words else ()

    def matched(term: str) -> bool:
        return term in exact or (bool(starts) and term.startswith(starts))

    return matched


def _marked(text: str, found: list[tuple[int, int, str]], matched, start: int, end: int) -> str:
    """text[start:end] with the matched words of `found` (spans of `text`) between markers."""
    out, at = [], start
    for first, last, term in found:
        if first < start or last > end:
            continue
        if matched(term):
            out += [text[at:first], START, text[first:last], STOP]
            at = last
    out.append(text[at:end])
    return "".join(out)


def mark(text: str, language: str, words: list[QueryWord], prefix: bool) -> str:
    """`text` with every word that matches the query between START and STOP."""
    text = text or ""
    return _marked(text, spans(text, language), _matcher(words, prefix), 0, len(text))


def snippet(text: str, language: str, words: list[QueryWord], prefix: bool) -> str:
    """The stretch of `text` (about SNIPPET_WORDS words) with the most matches, marked; the
    beginning of the text, marked, when nothing in it matches."""
    flat = " ".join((text or "").split())
    found = spans(flat, language)
    if not found:
        return shorten(flat)
    matched = _matcher(words, prefix)
    hits = [matched(term) for _s, _e, term in found]
    width = min(SNIPPET_WORDS, len(found))
    best, count = 0, sum(hits[:width])
    current = count
    for first in range(1, len(found) - width + 1):
        current += hits[first + width - 1] - hits[first - 1]
        if current > count:
            best, count = first, current
    if count:
        # Start a few words before the window's first match, so that it reads in context.
        first_hit = best + hits[best:].index(True)
        best = max(0, min(first_hit - 3, len(found) - width))
    start = found[best][0] if best else 0
    end = found[best + width - 1][1] if best + width < len(found) else len(flat)
    piece = _marked(flat, found, matched, start, end)
    return ("… " if start > 0 else "") + piece + (" …" if end < len(flat) else "")


def highlight(
    title: str, body: str, language: str, words: list[QueryWord], prefix: bool
) -> tuple[str, str]:
    """The title with its matches marked and a snippet of the body around them."""
    return mark(title, language, words, prefix), snippet(body, language, words, prefix)


def marked_html(text: str) -> str:
    """Escape `text` and turn the match markers into <mark> elements."""
    escaped = html.escape(text or "")
    return escaped.replace(START, "<mark>").replace(STOP, "</mark>")


def shorten(text: str, length: int = 240) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + " …"
