"""The search contract: what a search asks and what it answers, on every database."""

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
        if self.page < 1:
            raise SearchError(_("The page must be 1 or more."))
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise SearchError(
                _("The page size must be between 1 and %(n)s.") % {"n": MAX_PAGE_SIZE}
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
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.page_size))

    @property
    def has_next(self) -> bool:
        return self.request.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.request.page > 1
