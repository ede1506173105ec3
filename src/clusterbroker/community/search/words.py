"""From what a user typed to the words both backends search for."""

import html
import re

WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 8
# English stop words PostgreSQL's `english` configuration drops; SQLite drops them here too,
# so that both backends answer the same.
STOP_WORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their "
    "then there these they this to was will with".split()
)
# Markers put around matched words by the database, turned into <mark> after escaping.
START, STOP = "\x02", "\x03"


def words_of(text: str) -> list[str]:
    """The words to search for: lower-case, without stop words, at most MAX_WORDS."""
    found = [w.lower() for w in WORD.findall(text or "") if w.lower() not in STOP_WORDS]
    return [w.replace("_", "") for w in found if w.replace("_", "")][:MAX_WORDS]


def marked_html(text: str) -> str:
    """Escape `text` and turn the database's match markers into <mark> elements."""
    escaped = html.escape(text or "")
    return escaped.replace(START, "<mark>").replace(STOP, "</mark>")


def shorten(text: str, length: int = 240) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + " …"
