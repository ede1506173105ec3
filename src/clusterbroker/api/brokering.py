"""The brokering API: questionnaire, profiles, needs, introductions, matches, consortia.

Every endpoint needs a logged-in session or an API token: confidential needs are
filtered for the user who asks. A need is addressed by its `ref` (everyone) or by its `id`
(only those who know its owner: its keepers and the organisations introduced to it); the `id`
of a need is null for everyone else.
"""

import datetime as dt
from collections.abc import Callable
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from ninja.errors import HttpError

from clusterbroker.brokering import consortium as consortium_builder
from clusterbroker.brokering import engine, permissions, services
from clusterbroker.brokering.anonymity import Disclosure, profile_disclosures
from clusterbroker.brokering.models import Introduction, Need, Profile
from clusterbroker.registry.countries import country_name
from clusterbroker.registry.models import Organisation

from .auth import WRITE_AUTH
from .crud import ErrorOut

router = Router(tags=["brokering"], auth=WRITE_AUTH)
PAGE_SIZE = 50
MAX_PAGE = 100_000
MAX_ID = 2**63 - 1  # the largest id a database holds: beyond it, the answer is 422, not 500


class OfferIO(Schema):
    title: str
    description: str = ""
    terms: list[str] = []
    # The language of the text: the author's choice when given, unless `language_detected`
    # is true (as read back): then, as when it is empty, detected from the text.
    language: str = ""
    language_detected: bool = False


class NeedIn(Schema):
    id: int | None = None
    kind: Literal["technology", "partner", "service", "funding", "market"]
    description: str
    terms: list[str] = []
    confidential: bool = False
    window_start: dt.date | None = None
    window_end: dt.date | None = None
    local: bool | None = False  # null (as read back for a hidden need's text) is False
    language: str | None = ""  # as an offer's; null (as read back for a hidden text) is ""
    language_detected: bool | None = False


class QuestionnaireIn(Schema):
    organisation: str | None = None
    new_name: str = ""
    new_kind: str = "company"
    new_country: str = ""
    size_class: str = ""
    summary: str = ""
    sector: str = ""
    stage: str = ""
    countries_of_interest: list[str] = []
    regions_of_interest: list[str] = []
    cross_border: bool = True
    offers: list[OfferIO] = []
    needs: list[NeedIn] = []


class NeedOut(Schema):
    id: int | None  # only for those who know the owner (keepers, introduced); null otherwise
    ref: str  # the need's public reference: how everyone else addresses it
    kind: str
    confidential: bool
    visible: bool
    description: str | None
    organisation: str | None
    profile: str | None
    terms: list[str]
    sector: str
    country: str
    area: str
    window_start: dt.date | None
    window_end: dt.date | None
    local: bool | None = None  # local help preferred; null when the text is not shown
    language: str | None = None  # of the text ("" unknown); null when the text is not shown
    language_detected: bool | None = None


class ProfileOut(Schema):
    public_id: str
    organisation: str
    name: str
    country: str
    sector: str
    stage: str
    summary: str
    size_class: str = ""
    countries_of_interest: list[str]
    regions_of_interest: list[str] = []
    cross_border: bool
    offers: list[OfferIO]
    needs: list[NeedOut]


class MatchOut(Schema):
    name: str
    url: str
    description: str
    score: float
    reasons: list[str]
    known_partner: bool = False


class IntroductionIn(Schema):
    requester: str
    message: str = ""


class IntroductionOut(Schema):
    id: int
    need: int | None  # the need's id, for those who know its owner; null otherwise
    need_ref: str
    requester: str
    status: str
    message: str
    created_at: dt.datetime
    answered_at: dt.datetime | None
    answered_by: str | None  # shown to the need's keepers only


class ConsortiumIn(Schema):
    text: str = ""
    competences: list[str] = []
    min_countries: int = 1
    min_smes: int = 0
    max_partners: int = 10
    coordinator: str | None = None


class MemberOut(Schema):
    organisation_id: int
    name: str
    country: str
    sme: bool
    brings: list[str]
    why: list[str]


class ProposalOut(Schema):
    members: list[MemberOut]
    coverage: dict[str, list[str]]
    uncovered: list[str]
    problems: list[str]


def _keys(item) -> list[str]:
    return [f"{t.taxonomy.code}:{t.code}" for t in item.terms.all()]


def _need_out(
    user,
    need: Need,
    disclosures: dict[int, Disclosure] | None = None,
    shows_id: Callable[[Need], bool] | None = None,
) -> dict:
    """`disclosures` and `shows_id` (`permissions.need_id_reader`) save queries in lists."""
    visible = permissions.can_see_need(user, need)
    shows_id = shows_id or (lambda n: permissions.can_use_need_id(user, n))
    if visible:
        country = need.profile.organisation.country
        sector, area = need.profile.sector, country_name(country)
    else:
        summary = services.anonymised(need, disclosures)
        sector, country, area = summary.sector, summary.country, summary.area
    return {
        "id": need.pk if shows_id(need) else None,
        "ref": need.ref,
        "kind": need.kind,
        "confidential": need.confidential,
        "visible": visible,
        "description": need.description if visible else None,
        "organisation": need.profile.organisation.slug if visible else None,
        "profile": need.profile.public_id if visible else None,
        "terms": _keys(need),
        "sector": sector,
        "country": country,
        "area": area,
        "window_start": need.window_start,
        "window_end": need.window_end,
        "local": need.local if visible else None,
        "language": need.language if visible else None,
        "language_detected": need.language_detected if visible else None,
    }


def _profile_out(user, profile: Profile, shows_id: Callable[[Need], bool] | None = None) -> dict:
    # A confidential need the user may not read is not listed under its owner at all.
    needs = permissions.needs_shown_under(user, profile)
    shows_id = shows_id or permissions.need_id_reader(user)
    return {
        "public_id": profile.public_id,
        "organisation": profile.organisation.slug,
        "name": profile.organisation.name,
        "country": profile.organisation.country,
        "sector": profile.sector,
        "stage": profile.stage,
        "summary": profile.summary,
        "size_class": profile.organisation.size_class,
        "countries_of_interest": profile.countries_of_interest,
        "regions_of_interest": sorted(profile.regions_of_interest.values_list("code", flat=True)),
        "cross_border": profile.cross_border,
        "offers": [
            {
                "title": o.title,
                "description": o.description,
                "terms": _keys(o),
                "language": o.language,
                "language_detected": o.language_detected,
            }
            for o in profile.offers.prefetch_related("terms__taxonomy")
        ],
        "needs": [_need_out(user, n, shows_id=shows_id) for n in needs],
    }


def _unprocessable(error: ValidationError) -> HttpError:
    if not hasattr(error, "error_dict"):
        return HttpError(422, " ".join(error.messages))
    return HttpError(
        422,
        "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()),
    )


def _language(item: OfferIO | NeedIn) -> str:
    """The language the author chose for an offer or a need; "" to detect it."""
    return "" if item.language_detected else item.language or ""


def _profile(public_id: str) -> Profile:
    return get_object_or_404(Profile.objects.select_related("organisation"), public_id=public_id)


@router.post(
    "/profiles",
    response={200: ProfileOut, 403: ErrorOut, 422: ErrorOut},
    summary="Fill the questionnaire: create or update a profile",
)
def save_profile(request, payload: QuestionnaireIn):
    organisation = None
    if payload.organisation:
        organisation = Organisation.objects.filter(slug=payload.organisation).first()
        if organisation is None:
            raise HttpError(
                422, _("organisation: no organisation “%(slug)s”.") % {"slug": payload.organisation}
            )
    data = services.Questionnaire(
        organisation=organisation,
        new_name=payload.new_name,
        new_kind=payload.new_kind,
        new_country=payload.new_country,
        size_class=payload.size_class,
        summary=payload.summary,
        sector=payload.sector,
        stage=payload.stage,
        countries_of_interest=list(payload.countries_of_interest),
        regions_of_interest=list(payload.regions_of_interest),
        cross_border=payload.cross_border,
        offers=[
            services.OfferData(o.title, o.description, list(o.terms), _language(o))
            for o in payload.offers
        ],
        needs=[
            services.NeedData(
                **{
                    **n.dict(exclude={"language", "language_detected"}),
                    "local": bool(n.local),
                    "language": _language(n),
                }
            )
            for n in payload.needs
        ],
    )
    try:
        profile = services.save_questionnaire(request.user, data)
    except services.ConsentRequired as error:
        raise HttpError(403, " ".join(error.messages)) from error
    except PermissionDenied as error:
        raise HttpError(403, _("You may not change this organisation's profile.")) from error
    except ValidationError as error:
        raise _unprocessable(error) from error
    return Status(200, _profile_out(request.user, profile))


@router.get("/profiles", response=list[ProfileOut], summary="List profiles")
def list_profiles(request, q: str = "", page: int = Query(1, ge=1, le=MAX_PAGE)):  # noqa: B008
    profiles = Profile.objects.select_related("organisation")
    q = services.clean_query(q)
    if q:
        profiles = profiles.filter(
            Q(organisation__name__icontains=q) | Q(sector__icontains=q) | Q(summary__icontains=q)
        )
    start = (max(page, 1) - 1) * PAGE_SIZE
    shows_id = permissions.need_id_reader(request.user)
    return [_profile_out(request.user, p, shows_id) for p in profiles[start : start + PAGE_SIZE]]


@router.get("/profiles/{public_id}", response=ProfileOut, summary="Read a profile")
def read_profile(request, public_id: str):
    return _profile_out(request.user, _profile(public_id))


@router.get(
    "/profiles/{public_id}/matches",
    response={200: list[MatchOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Rank partners, support providers, open calls or needs to answer, with reasons",
)
def matches(
    request,
    public_id: str,
    kind: Literal["partners", "providers", "calls", "needs"] = "partners",
    need: int | None = Query(None, ge=1, le=MAX_ID),  # noqa: B008
    limit: int = Query(20, ge=1, le=100),  # noqa: B008
    partners: Literal["new", "known", "all"] = Query(  # noqa: B008
        "new",
        description=(
            "Partners and providers: new ones only (default; organisations you already "
            "worked with are left out), only those you already work with, or all."
        ),
    ),
    closed: bool = Query(  # noqa: B008
        False, description="Calls: include the calls whose deadline has passed."
    ),
):
    profile = _profile(public_id)
    if not permissions.can_match(request.user, profile):
        raise HttpError(403, _("Only the profile's keepers rank matches for it."))
    try:
        if need is not None and kind != "needs":
            one = get_object_or_404(profile.needs, pk=need)
            results = engine.match_need(one, kind, limit, partners=partners, closed=closed)
        else:
            results = engine.match_profile(
                profile, kind, limit, user=request.user, partners=partners, closed=closed
            )
    except engine.NoCollections as error:
        raise HttpError(422, str(error)) from error
    return [
        {
            "name": r.label,
            "url": r.url,
            "description": r.description,
            "score": r.score,
            "reasons": r.reasons,
            "known_partner": r.known_partner,
        }
        for r in results
    ]


NEED_PATH = Path(  # noqa: B008
    ...,
    description="The need's ref (N-…); or its id, for those who know its owner.",
    max_length=64,
)


def _need(user, key: str) -> Need:
    """The need the path names, for this user: 404 when there is none, or when it is named
    by an id the user may not use (the same answer); 422 for an id beyond a database's."""
    try:
        need = services.find_need(user, key)
    except ValueError as error:
        raise HttpError(
            422, _("need_id: “%(value)s” is not a need's ref or id.") % {"value": key}
        ) from error
    if need is None:
        raise HttpError(404, _("Not Found"))
    return need


@router.get(
    "/needs",
    response=list[NeedOut],
    summary="List needs (confidential ones anonymised, listed after the others by ref)",
)
def list_needs(
    request,
    q: str = "",
    kind: str = "",
    page: int = Query(1, ge=1, le=MAX_PAGE),  # noqa: B008
):
    needs = Need.objects.select_related("profile__organisation").prefetch_related("terms__taxonomy")
    needs = services.ordered_for(request.user, services.search_needs(request.user, needs, q, kind))
    start = (page - 1) * PAGE_SIZE
    disclosures = profile_disclosures()
    shows_id = permissions.need_id_reader(request.user)
    return [
        _need_out(request.user, n, disclosures, shows_id) for n in needs[start : start + PAGE_SIZE]
    ]


@router.get(
    "/needs/{need_id}",
    response={200: NeedOut, 404: ErrorOut, 422: ErrorOut},
    summary="Read a need (by its ref, or by its id for those who know its owner)",
)
def read_need(request, need_id: str = NEED_PATH):
    return _need_out(request.user, _need(request.user, need_id))


@router.post(
    "/needs/{need_id}/introductions",
    response={201: IntroductionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Ask to be introduced to the owner of a confidential need (by its ref)",
)
def introduce(request, payload: IntroductionIn, need_id: str = NEED_PATH):
    need = _need(request.user, need_id)
    requester = Organisation.objects.filter(slug=payload.requester).first()
    if requester is None:
        raise HttpError(
            422, _("requester: no organisation “%(slug)s”.") % {"slug": payload.requester}
        )
    try:
        introduction = services.request_introduction(request.user, need, requester, payload.message)
    except PermissionDenied as error:
        raise HttpError(403, _("You may not ask an introduction for this organisation.")) from error
    except ValidationError as error:
        raise _unprocessable(error) from error
    return Status(201, _introduction_out(request.user, introduction, keeper=False))


def _introduction_out(
    user, i: Introduction, keeper: bool, shows_id: Callable[[Need], bool] | None = None
) -> dict:
    """`keeper`: the user keeps the need's profile (only they learn who answered). The need's
    id only for those who may use it: a requester not introduced yet gets its ref."""
    shows_id = shows_id or (lambda n: permissions.can_use_need_id(user, n))
    return {
        "id": i.pk,
        "need": i.need_id if shows_id(i.need) else None,
        "need_ref": i.need.ref,
        "requester": i.requester.slug,
        "status": i.status,
        "message": i.message,
        "created_at": i.created_at,
        "answered_at": i.answered_at,
        "answered_by": i.answered_by.get_username() if keeper and i.answered_by else None,
    }


@router.get(
    "/introductions", response=list[IntroductionOut], summary="Introductions to or from you"
)
def list_introductions(request):
    kept = permissions.kept_organisation_ids(request.user)
    incoming = Q(need__profile__organisation_id__in=kept)
    outgoing = Q(requester_id__in=permissions.own_organisation_ids(request.user))
    shows_id = permissions.need_id_reader(request.user)
    return [
        _introduction_out(request.user, i, i.need.profile.organisation_id in kept, shows_id)
        for i in Introduction.objects.filter(incoming | outgoing).select_related(
            "requester", "need__profile", "answered_by"
        )
    ]


@router.post(
    "/introductions/{introduction_id}/{action}",
    response={200: IntroductionOut, 403: ErrorOut, 422: ErrorOut},
    summary="Accept or decline an introduction (the need's owner)",
)
def answer(
    request,
    action: str,
    introduction_id: int = Path(..., ge=1, le=MAX_ID),  # noqa: B008
):
    introduction = get_object_or_404(
        Introduction.objects.select_related("need__profile__organisation", "requester"),
        pk=introduction_id,
    )
    if action not in ("accept", "decline"):
        raise HttpError(422, _("action: use accept or decline."))
    try:
        services.answer_introduction(request.user, introduction, accept=action == "accept")
    except PermissionDenied as error:
        raise HttpError(
            403,
            _(
                "Only the need's owner answers this request, and not someone who also acts "
                "for the organisation that asks."
            ),
        ) from error
    except ValidationError as error:
        raise _unprocessable(error) from error
    return Status(200, _introduction_out(request.user, introduction, keeper=True))


@router.post(
    "/consortium",
    response={200: list[ProposalOut], 422: ErrorOut},
    summary="Propose consortia for a call topic, with coverage and unmet rules",
)
def consortium(request, payload: ConsortiumIn):
    coordinator = None
    if payload.coordinator:
        coordinator = Organisation.objects.filter(slug=payload.coordinator).first()
        if coordinator is None:
            raise HttpError(
                422, _("coordinator: no organisation “%(slug)s”.") % {"slug": payload.coordinator}
            )
    if not payload.competences and not payload.text.strip():
        raise HttpError(422, _("Describe the topic or give the required competences."))
    try:
        topic = consortium_builder.topic_from(
            payload.text,
            list(payload.competences),
            min_countries=payload.min_countries,
            min_smes=payload.min_smes,
            max_partners=payload.max_partners,
            coordinator=coordinator,
        )
    except ValidationError as error:
        raise _unprocessable(error) from error
    return [
        {
            "members": [
                {
                    "organisation_id": m.key,
                    "name": m.name,
                    "country": m.country,
                    "sme": m.sme,
                    "brings": m.brings,
                    "why": m.why,
                }
                for m in p.members
            ],
            "coverage": p.coverage,
            "uncovered": p.uncovered,
            "problems": p.problems,
        }
        for p in consortium_builder.propose(topic)
    ]
