"""The search contract: what a search asks and what it answers, on every database."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# The facets, in the order pages show them.
FACETS = {
    "collection": _("Collection"),
    "term": _("Technology"),
    "sector": _("Sector"),
    "country": _("Country"),
    "org_kind": _("Organisation type"),
    "year": _("Year"),
    "state": _("Open / closed"),
}
# Most values a facet lists (the rest are counted in `more`).
FACET_LIMIT = 12
MAX_PAGE_SIZE = 100
# Deeper pages are refused: nobody reads them, and the offset must stay a small number.
MAX_PAGE = 10_000
MAX_TEXT = 300
MAX_VALUES = 50
# Facets whose values are numbers: a term's id, a year (ASCII digits only, so `²` is refused).
NUMERIC_FACETS = {
    "term": (re.compile(r"[1-9][0-9]{0,17}", re.ASCII), _("a technology number")),
    "year": (re.compile(r"[0-9]{4}", re.ASCII), _("a year")),
}
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The last word matches as a prefix from this many characters on.
MIN_PREFIX = 2


class SearchError(ValueError):
    """The request cannot be answered (an unknown facet, a bad page)."""


@dataclass
class SearchRequest:
    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    page_size: int = 20
    facets: bool = True
    # The last word is a prefix (search as you type).
    prefix: bool = True
    # Only documents indexed after this moment (saved-search alerts).
    since: object = None
    # The reader's language: its stop words are left out of the words, and hits in other
    # languages are pointed out (`SearchResult.other_languages`).
    language: str = ""

    def __post_init__(self) -> None:
        unknown = set(self.filters) - set(FACETS)
        if unknown:
            raise SearchError(
                _("Unknown filter: %(names)s.") % {"names": ", ".join(sorted(unknown))}
            )
        self.filters = {
            k: list(dict.fromkeys(str(v) for v in vs if str(v)))
            for k, vs in self.filters.items()
            if vs
        }
        self._check_text()
        for name, values in self.filters.items():
            self._check_filter(name, values)
        if not 1 <= self.page <= MAX_PAGE:
            raise SearchError(_("The page must be between 1 and %(n)s.") % {"n": f"{MAX_PAGE:,}"})
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise SearchError(
                _("The page size must be between 1 and %(n)s.") % {"n": MAX_PAGE_SIZE}
            )

    def _check_text(self) -> None:
        if len(self.text) > MAX_TEXT:
            raise SearchError(
                _("The search words are longer than %(n)s characters.") % {"n": MAX_TEXT}
            )
        if CONTROL_CHARACTERS.search(self.text):
            raise SearchError(_("The search words contain a control character."))

    def _check_filter(self, name: str, values: list[str]) -> None:
        label = FACETS[name]
        if len(values) > MAX_VALUES:
            raise SearchError(
                _("Filter “%(name)s”: at most %(n)s values.") % {"name": label, "n": MAX_VALUES}
            )
        pattern, kind = NUMERIC_FACETS.get(name, (None, ""))
        for value in values:
            wrong = CONTROL_CHARACTERS.search(value) or len(value) > MAX_TEXT
            if wrong or (pattern is not None and not pattern.fullmatch(value)):
                raise SearchError(
                    _("Filter “%(name)s”: “%(value)s” is not %(kind)s.")
                    % {
                        "name": label,
                        "value": CONTROL_CHARACTERS.sub("?", value[:40]),
                        "kind": kind or _("a value it knows"),
                    }
                )


@dataclass
class Hit:
    id: int
    key: str
    collection: str
    title_html: str
    snippet_html: str
    url: str
    score: float
    published: bool
    date: object = None
    # The language the document is written in ("" when unknown).
    language: str = ""


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    request: SearchRequest
    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetValue]]
    words: list[str]

    @property
    def other_languages(self) -> list[str]:
        """Languages of the hits shown other than the reader's (codes, in order of first
        appearance), for "some results are in …"."""
        reader = (self.request.language or "").split("-")[0]
        found = [h.language for h in self.hits if h.language and h.language != reader]
        return list(dict.fromkeys(found))

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.page_size))

    @property
    def has_next(self) -> bool:
        return self.request.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.request.page > 1
