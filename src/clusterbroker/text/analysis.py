"""The words search and matching see in a text: folded and stemmed in the text's language.

One analysis for every place that compares words (the full-text index on SQLite and
PostgreSQL, the search snapshot, the brokering matcher), so that they all agree:

- a **document** is split into words (Unicode letters and digits), lower-cased, each word
  stemmed with the Snowball stemmer of the document's language (English when it is not
  known), then its diacritics removed: *robotique* (French) and *robots* both give `robot`,
  *Digitalisierung* (German) gives `digitalisier`;
- a **query** does not say its language (a few words are too short to tell): each word is
  stemmed in every language of the platform and any of these stems may match
  (`QueryWord.stems`), so *robotique* finds French texts about robots whatever the page's
  language, and *Digitalisierung* German ones. A word typed without its accents is stemmed
  as typed too.

No Django here: plain strings in, plain strings out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

# The languages of the platform, each with its Snowball stemmer.
STEMMERS = {
    "en": "english",
    "fr": "french",
    "de": "german",
    "it": "italian",
    "es": "spanish",
    "ca": "catalan",
    "pt": "portuguese",
    "ro": "romanian",
    "nl": "dutch",
    "fi": "finnish",
    "et": "estonian",
}
LANGUAGES = tuple(STEMMERS)
DEFAULT_LANGUAGE = "en"
TOKEN = re.compile(r"[^\W_]+")
# Words shorter than this are kept as they are (stemming "as" or "is" helps nobody).
MIN_STEM = 3
# Words that carry no meaning in a query (articles, prepositions, conjunctions, pronouns),
# dropped from what a user types in English and in the page's language. Documents keep
# every word: only queries leave these out.
STOP_WORDS = {
    "en": "a an and are as at be but by for if in into is it no not of on or such that the "
    "their then there these they this to was will with",
    "fr": "au aux avec ce ces dans de des du elle en et il ils je la le les leur lui ma mais "
    "me mes mon ne nos notre nous ou par pas pour qui que sa se ses son sur ta te tes ton tu "
    "un une vos votre vous est sont",
    "de": "der die das den dem des ein eine einer eines einem einen und oder aber in im an am "
    "auf aus bei mit nach von vom zu zum zur für über unter ist sind wir sie er es ich ihr "
    "als auch nicht",
    "it": "il lo la i gli le un uno una di del dello della dei degli delle a al allo alla ai "
    "agli alle da dal dalla in nel nella nei nelle con su sul sulla per tra fra e o ma che "
    "non si è sono",
    "es": "el la lo los las un una unos unas de del al a en con por para sin sobre y o u e pero "
    "que se su sus es son no",
    "ca": "el la els les l un una uns unes de del dels al als a en amb per sense sobre i o "
    "però que es se el seu seva seus seves és són no",
    "pt": "o a os as um uma uns umas de do da dos das ao aos à às em no na nos nas com por "
    "para sem sobre e ou mas que se seu sua é são não",
    "ro": "un o unei unui și sau dar de la în pe cu din pentru prin că ce care se este sunt "
    "nu al ale a ai",
    "nl": "de het een en of maar van in op aan met voor door bij uit naar om te tot is zijn "
    "die dat deze dit er niet",
    "fi": "ja tai mutta että on ovat ei se ne joka jotka kuin myös sekä",
    "et": "ja või aga et on ei see need mis kes kui ka ning",
}
_STOPS = {code: frozenset(words.split()) for code, words in STOP_WORDS.items()}
MAX_QUERY_WORDS = 8


def fold(text: str) -> str:
    """Lower-case `text` and remove its diacritics (é → e, ß stays ß, ø stays ø)."""
    text = text.lower()
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def language_of(code: str | None) -> str:
    """A language code the analysis knows (`de-at` → `de`; unknown → English)."""
    code = (code or "").lower().split("-")[0].split("_")[0]
    return code if code in STEMMERS else DEFAULT_LANGUAGE


@lru_cache(maxsize=len(STEMMERS))
def _stemmer(language: str) -> Stemmer.Stemmer:
    stemmer = Stemmer.Stemmer(STEMMERS[language])
    stemmer.maxCacheSize = 200_000
    return stemmer


@lru_cache(maxsize=100_000)
def stem(word: str, language: str) -> str:
    """The folded stem of one lower-case word in `language` (a code of `LANGUAGES`)."""
    if len(word) < MIN_STEM or word.isdigit():
        return fold(word)
    return fold(_stemmer(language).stemWord(word))


def words(text: str) -> list[str]:
    """The words of a text, lower-cased, in order (not stemmed)."""
    return TOKEN.findall((text or "").lower())


def terms(text: str, language: str | None) -> list[str]:
    """The indexed terms of a document's text: every word, stemmed in its language."""
    found = words(text)
    if not found:
        return []
    stemmer = _stemmer(language_of(language))
    out = stemmer.stemWords(found)
    return [
        fold(w) if len(w) < MIN_STEM or w.isdigit() else fold(s)
        for w, s in zip(found, out, strict=True)
    ]


def analysed(text: str, language: str | None) -> str:
    """The terms of `text` joined by spaces: what the full-text indexes store."""
    return " ".join(terms(text, language))


def spans(text: str, language: str | None) -> list[tuple[int, int, str]]:
    """Each word of `text` as (start, end, term): for highlighting the words that matched."""
    lang = language_of(language)
    return [(m.start(), m.end(), stem(m.group().lower(), lang)) for m in TOKEN.finditer(text or "")]


@dataclass(frozen=True)
class QueryWord:
    """A word of a query: what was typed (folded) and its stems, any of which may match."""

    typed: str
    stems: tuple[str, ...]

    def matches(self, term: str, prefix: bool = False) -> bool:
        if prefix:
            return any(term.startswith(s) for s in self.stems)
        return term in self.stems


def query_stems(word: str) -> tuple[str, ...]:
    """The stems of a typed word in every language (as typed and without its accents)."""
    forms = {word, fold(word)}
    found = {stem(form, lang) for form in forms for lang in LANGUAGES}
    return tuple(sorted(found))


def prefix_stems(stems: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The stems of a word being typed, matched as prefixes: only the shortest of those that
    start alike are kept (`robot` covers `robotic`), in order."""
    kept: list[str] = []
    for stem in sorted(stems, key=len):
        if not any(stem.startswith(shorter) for shorter in kept):
            kept.append(stem)
    return tuple(sorted(kept))


def is_stop_word(word: str, languages: tuple[str, ...]) -> bool:
    return any(word in _STOPS.get(lang, ()) for lang in languages)


def query_words(text: str, language: str | None = None) -> list[QueryWord]:
    """The words of a query: stop words of English and of `language` (the page's) left out,
    at most `MAX_QUERY_WORDS`, each with its stems in every language."""
    stops = tuple(dict.fromkeys((DEFAULT_LANGUAGE, language_of(language))))
    found = [w for w in words(text) if not is_stop_word(w, stops)]
    return [QueryWord(fold(w), query_stems(w)) for w in found][:MAX_QUERY_WORDS]
