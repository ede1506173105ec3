"""The words the matcher compares: each text's words stemmed in the text's language.

The matcher reads texts with the platform's shared analysis (`clusterbroker.text.analysis`):
every word lower-cased, stemmed with the Snowball stemmer of the text's language (English
when it is not known) and its diacritics removed. A candidate's text is analysed in its own
language and a query's in the query's, so a French need for "robots collaboratifs" and an
English offer of "collaborative robots" meet on the stems `robot` and `collabor`, and a
German text is stemmed as German ("Fabriken" and "Fabrik" both give `fabrik`, "Lösungen"
and "Lösung" `losung`). A query is read the same way, and when it is not written in English
its words are stemmed in English too (`TextAnalyser.query_terms`): the registry's texts and
the taxonomy's labels are mostly English, and a need in Finnish may say "internet" or quote
an English sector label, which the Finnish stemmer would cut otherwise.

Left out of every text, as stems: the stop words of its language (`analysis.STOP_WORDS`),
and the English words the index was built to leave out (the English stop list, plus the
funding programmes' boilerplate for calls, `boilerplate.CALL_STOPWORDS`) stemmed in that
language; words of one letter; with `letters_only`, every word holding a digit.

Plain data: no Django. `TextAnalyser` is kept in the index (and pickled with it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from clusterbroker.text import analysis

# Bumped when the terms of a text change: persisted indexes are then built anew.
ANALYSIS_VERSION = 1
MIN_WORD = 2


@lru_cache(maxsize=64)
def _stop_stems(english: frozenset[str], language: str) -> frozenset[str]:
    words = set(english) | set(analysis.STOP_WORDS.get(language, "").split())
    return frozenset(analysis.stem(analysis.fold(w), language) for w in words) | frozenset(
        analysis.stem(w, language) for w in words
    )


@dataclass(frozen=True)
class TextAnalyser:
    """How the index reads texts: `english` are the English words left out of every text
    (stemmed in the text's language), `letters_only` leaves out words holding a digit."""

    english: frozenset[str] = field(default=frozenset(ENGLISH_STOP_WORDS), repr=False)
    letters_only: bool = False

    @classmethod
    def leaving_out(cls, stop_words: str | Iterable[str], letters_only: bool) -> TextAnalyser:
        """The analyser of `build_index`: `stop_words` "english" or English words."""
        if isinstance(stop_words, str):
            if stop_words != "english":
                raise ValueError("stop_words: 'english' or a collection of English words")
            english = frozenset(ENGLISH_STOP_WORDS)
        else:
            english = frozenset(w.lower() for w in stop_words)
        return cls(english=english, letters_only=letters_only)

    def pairs(self, text: str, language: str | None) -> list[tuple[str, str]]:
        """(word as written, lower-cased; its term) for each word kept, in order."""
        found = analysis.words(text)
        if not found:
            return []
        language = analysis.language_of(language)
        stops = _stop_stems(self.english, language)
        return [
            (word, term)
            for word, term in zip(found, analysis.terms(" ".join(found), language), strict=True)
            if len(word) >= MIN_WORD
            and term not in stops
            and not (self.letters_only and not word.isalpha())
        ]

    def terms(self, text: str, language: str | None) -> list[str]:
        """The terms of `text` in `language` that the index compares."""
        return [term for _word, term in self.pairs(text, language)]

    def query_pairs(self, text: str, language: str | None) -> list[tuple[str, str]]:
        """(word, term) of a query: each word stemmed in the query's language and, when that
        is not English, in English too (a word the English stemmer gives another stem:
        "internet" in a Finnish need, an English sector label in a French one), since the
        registry's texts and the taxonomy's labels are mostly English."""
        pairs = self.pairs(text, language)
        if analysis.language_of(language) == analysis.DEFAULT_LANGUAGE:
            return pairs
        english = dict(self.pairs(" ".join(word for word, _term in pairs), "en"))
        out = []
        for word, term in pairs:
            out.append((word, term))
            other = english.get(word)
            if other and other != term:
                out.append((word, other))
        return out

    def query_terms(self, text: str, language: str | None) -> list[str]:
        """The terms of a query's text (see `query_pairs`)."""
        return [term for _word, term in self.query_pairs(text, language)]

    def analysed(self, parts: Iterable[tuple[str, str]]) -> str:
        """The terms of each (text, language) part, joined by spaces: what the TF-IDF
        vectorizer of the index reads (its analyzer splits on spaces)."""
        return " ".join(" ".join(self.terms(text, language)) for text, language in parts)

    def readable(self, terms: Iterable[str], text: str, language: str | None) -> list[str]:
        """For each term, the first word of `text` that gives it (the term itself when none
        does): what a reason quotes instead of a stem."""
        first: dict[str, str] = {}
        for word, term in self.query_pairs(text, language):
            first.setdefault(term, word)
        return [first.get(term, term) for term in terms]


DEFAULT_ANALYSER = TextAnalyser()
