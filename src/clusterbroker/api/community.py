"""The community API: search with facets, open calls, offers, stories, saved searches."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from clusterbroker.community import alerts, permissions, services
from clusterbroker.community.models import Offer, OpenCall, SavedSearch, Story
from clusterbroker.community.search import FACETS, SearchError, SearchRequest, search
from clusterbroker.text.models import apply_language

from .auth import WRITE_AUTH
from .crud import ErrorOut

router = Router(tags=["community"])
MODELS = {"calls": OpenCall, "offers": Offer, "stories": Story}


class HitOut(Schema):
    key: str
    collection: str
    title_html: str
    snippet_html: str
    url: str
    score: float
    date: dt.date | None
    # The language the document is written in ("" when unknown).
    language: str = ""


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class SearchOut(Schema):
    total: int
    page: int
    pages: int
    hits: list[HitOut]
    facets: dict[str, list[FacetValueOut]]


class SearchParams(Schema):
    q: str = ""
    page: int = 1
    page_size: int = 20
    facets: bool = True
    collection: list[str] = []
    term: list[str] = []
    sector: list[str] = []
    country: list[str] = []
    org_kind: list[str] = []
    year: list[str] = []
    state: list[str] = []


def _unprocessable(error: ValidationError) -> HttpError:
    """A 422 naming each field and its reason."""
    if not hasattr(error, "error_dict"):
        return HttpError(422, " ".join(error.messages))
    return HttpError(
        422,
        "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        ),
    )


def _user(request: HttpRequest):
    """The session user, or the bearer token's user when one is sent."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        from .auth import TokenAuth

        TokenAuth().authenticate(request, header[7:])
    return request.user


@router.get("/search", response={200: SearchOut, 422: ErrorOut})
def search_endpoint(request, params: Query[SearchParams]):
    """Search every collection and the registry; drafts only for their authors."""
    filters = {f: getattr(params, f) for f in FACETS if getattr(params, f)}
    try:
        result = search(
            SearchRequest(
                text=params.q,
                filters=filters,
                page=params.page,
                page_size=params.page_size,
                facets=params.facets,
                language=translation.get_language() or "",
            ),
            _user(request),
        )
    except SearchError as error:
        raise HttpError(422, str(error)) from error
    return {
        "total": result.total,
        "page": result.request.page,
        "pages": result.pages,
        "hits": result.hits,
        "facets": {k: [v.__dict__ for v in vs] for k, vs in result.facets.items()},
    }


class CallOut(Schema):
    id: int
    reference: str | None
    title: str
    funder: str
    programme: str
    description: str
    eligible_countries: list[str]
    eligible_kinds: list[str]
    budget: int | None
    funding_per_beneficiary: int | None
    opens_on: dt.date | None
    deadline: dt.date | None
    url: str
    status: str
    state: str
    language: str  # of the title and description; "" when not known
    language_detected: bool  # false when the author chose it

    @staticmethod
    def resolve_state(obj) -> str:
        """open, forthcoming or closed today."""
        return str(obj.state())


class CallIn(Schema):
    title: str
    reference: str | None = None
    funder: str = ""
    programme: str = ""
    description: str = ""
    eligible_countries: list[str] = []
    eligible_kinds: list[str] = []
    budget: int | None = None
    funding_per_beneficiary: int | None = None
    opens_on: dt.date | None = None
    deadline: dt.date | None = None
    url: str = ""
    language: str = Field(
        "", description="The language of the text, chosen (en, fr …); empty: detected from it."
    )
    language_detected: bool = Field(
        False, description="True: detect the language from the text, whatever `language` says."
    )


class ItemOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    organisation: str | None
    language: str  # of the item's text; "" when not known

    @staticmethod
    def resolve_organisation(obj) -> str | None:
        return obj.organisation.slug if obj.organisation else None


@router.get("/calls", response={200: list[CallOut], 404: ErrorOut, 422: ErrorOut})
def list_calls(request, q: str = "", state: str = "current", eligible_for: str = ""):
    """Calls by `state`: current (open and forthcoming, the default) | open | forthcoming |
    closed | all; optionally those an organisation may apply to. Each says its `state`."""
    from clusterbroker.registry.models import Organisation

    if state not in services.CALL_STATES:
        return 422, {
            "detail": _("state: one of %(states)s.") % {"states": ", ".join(services.CALL_STATES)}
        }
    organisation = get_object_or_404(Organisation, slug=eligible_for) if eligible_for else None
    return services.call_list(_user(request), text=q, state=state, eligible_for=organisation)


@router.get("/calls/{pk}", response=CallOut)
def get_call(request, pk: int):
    call = get_object_or_404(OpenCall, pk=pk)
    if not permissions.can_view(_user(request), call):
        raise HttpError(404, _("Not found."))
    return call


@router.post("/calls", response={201: CallOut, 422: ErrorOut}, auth=WRITE_AUTH)
def create_call(request, data: CallIn):
    """Post a call: it is a draft of its author until submitted and published. The deadline
    may not be before the opening date; eligible countries are ISO 3166-1 codes."""
    try:
        fields = data.dict()
        call = OpenCall()
        apply_language(call, fields)
        for name, value in fields.items():
            setattr(call, name, value)
        call = services.save_item(call, request.auth)
    except ValidationError as error:
        raise _unprocessable(error) from error
    return 201, call


@router.get("/offers", response=list[ItemOut])
def list_offers(request):
    return services.visible(Offer, _user(request)).select_related("organisation")


@router.get("/stories", response=list[ItemOut])
def list_stories(request):
    return services.visible(Story, _user(request)).select_related("organisation")


@router.post("/{collection}/{pk}/{action}", response=dict, auth=WRITE_AUTH)
def change_status(request, collection: str, pk: int, action: str):
    """`submit` (author), `publish`, `unpublish`, `reject` (community managers)."""
    if collection not in MODELS:
        raise HttpError(404, _("Not found."))
    item = get_object_or_404(MODELS[collection], pk=pk)
    if not permissions.can_view(request.auth, item):
        raise HttpError(404, _("Not found."))
    try:
        services.change_status(item, request.auth, action)
    except PermissionDenied as error:
        raise HttpError(
            403,
            _(
                "Only the author submits an item; only community managers publish, "
                "unpublish or send it back."
            ),
        ) from error
    except ValidationError as error:
        raise _unprocessable(error) from error
    return {"id": item.pk, "status": item.status}


class SavedSearchIn(Schema):
    name: str
    text: str = ""
    filters: dict[str, list[str]] = {}
    email: bool = True


class SavedSearchOut(Schema):
    id: int
    name: str
    text: str
    filters: dict
    email: bool
    unread_alerts: int

    @staticmethod
    def resolve_unread_alerts(obj) -> int:
        return obj.alerts.filter(read_at__isnull=True).count()


@router.get("/saved-searches", response=list[SavedSearchOut], auth=WRITE_AUTH)
def list_saved(request):
    return SavedSearch.objects.filter(user=request.auth)


@router.post("/saved-searches", response={201: SavedSearchOut, 422: ErrorOut}, auth=WRITE_AUTH)
def create_saved(request, data: SavedSearchIn):
    """Save a search under a name (at most 120 characters; empty: the search words)."""
    try:
        saved = alerts.save_search(request.auth, data.name, data.text, data.filters, data.email)
    except SearchError as error:
        raise HttpError(422, str(error)) from error
    except ValidationError as error:
        raise _unprocessable(error) from error
    return 201, saved
