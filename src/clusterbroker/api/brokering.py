"""The brokering API: questionnaire, profiles, needs, introductions, matches, consortia.

Every endpoint needs a logged-in session or an API token: confidential needs are
filtered for the user who asks.
"""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from clusterbroker.brokering import consortium as consortium_builder
from clusterbroker.brokering import engine, permissions, services
from clusterbroker.brokering.models import Introduction, Need, Profile
from clusterbroker.registry.models import Organisation

from .auth import WRITE_AUTH
from .crud import ErrorOut

router = Router(tags=["brokering"], auth=WRITE_AUTH)
PAGE_SIZE = 50


class OfferIO(Schema):
    title: str
    description: str = ""
    terms: list[str] = []


class NeedIn(Schema):
    id: int | None = None
    kind: Literal["technology", "partner", "service", "funding", "market"]
    description: str
    terms: list[str] = []
    confidential: bool = False
    window_start: dt.date | None = None
    window_end: dt.date | None = None
    local: bool = False


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
    id: int
    kind: str
    confidential: bool
    visible: bool
    description: str | None
    organisation: str | None
    profile: str | None
    terms: list[str]
    sector: str
    country: str
    window_start: dt.date | None
    window_end: dt.date | None


class ProfileOut(Schema):
    public_id: str
    organisation: str
    name: str
    country: str
    sector: str
    stage: str
    summary: str
    countries_of_interest: list[str]
    cross_border: bool
    offers: list[OfferIO]
    needs: list[NeedOut]


class MatchOut(Schema):
    name: str
    url: str
    description: str
    score: float
    reasons: list[str]


class IntroductionIn(Schema):
    requester: str
    message: str = ""


class IntroductionOut(Schema):
    id: int
    need: int
    requester: str
    status: str
    message: str
    created_at: dt.datetime


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


def _need_out(user, need: Need) -> dict:
    visible = permissions.can_see_need(user, need)
    return {
        "id": need.pk,
        "kind": need.kind,
        "confidential": need.confidential,
        "visible": visible,
        "description": need.description if visible else None,
        "organisation": need.profile.organisation.slug if visible else None,
        "profile": need.profile.public_id if visible else None,
        "terms": _keys(need),
        "sector": need.profile.sector,
        "country": need.profile.organisation.country,
        "window_start": need.window_start,
        "window_end": need.window_end,
    }


def _profile_out(user, profile: Profile) -> dict:
    needs = profile.needs.select_related("profile__organisation").prefetch_related(
        "terms__taxonomy"
    )
    return {
        "public_id": profile.public_id,
        "organisation": profile.organisation.slug,
        "name": profile.organisation.name,
        "country": profile.organisation.country,
        "sector": profile.sector,
        "stage": profile.stage,
        "summary": profile.summary,
        "countries_of_interest": profile.countries_of_interest,
        "cross_border": profile.cross_border,
        "offers": [
            {"title": o.title, "description": o.description, "terms": _keys(o)}
            for o in profile.offers.prefetch_related("terms__taxonomy")
        ],
        "needs": [_need_out(user, n) for n in needs],
    }


def _unprocessable(error: ValidationError) -> HttpError:
    if not hasattr(error, "error_dict"):
        return HttpError(422, " ".join(error.messages))
    return HttpError(
        422,
        "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()),
    )


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
        offers=[services.OfferData(o.title, o.description, list(o.terms)) for o in payload.offers],
        needs=[services.NeedData(**n.dict()) for n in payload.needs],
    )
    try:
        profile = services.save_questionnaire(request.user, data)
    except PermissionDenied as error:
        raise HttpError(403, _("You may not change this organisation's profile.")) from error
    except ValidationError as error:
        raise _unprocessable(error) from error
    return Status(200, _profile_out(request.user, profile))


@router.get("/profiles", response=list[ProfileOut], summary="List profiles")
def list_profiles(request, q: str = "", page: int = 1):
    profiles = Profile.objects.select_related("organisation")
    if q:
        profiles = profiles.filter(
            Q(organisation__name__icontains=q) | Q(sector__icontains=q) | Q(summary__icontains=q)
        )
    start = (max(page, 1) - 1) * PAGE_SIZE
    return [_profile_out(request.user, p) for p in profiles[start : start + PAGE_SIZE]]


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
    need: int | None = None,
    limit: int = Query(20, ge=1, le=100),  # noqa: B008
):
    profile = _profile(public_id)
    if not permissions.can_match(request.user, profile):
        raise HttpError(403, _("Only the profile's keepers rank matches for it."))
    try:
        if need is not None and kind != "needs":
            one = get_object_or_404(profile.needs, pk=need)
            results = engine.match_need(one, kind, limit)
        else:
            results = engine.match_profile(profile, kind, limit, user=request.user)
    except engine.NoCollections as error:
        raise HttpError(422, str(error)) from error
    return [
        {
            "name": r.label,
            "url": r.url,
            "description": r.description,
            "score": r.score,
            "reasons": r.reasons,
        }
        for r in results
    ]


@router.get("/needs", response=list[NeedOut], summary="List needs (confidential ones anonymised)")
def list_needs(request, q: str = "", kind: str = "", page: int = 1):
    needs = Need.objects.select_related("profile__organisation").prefetch_related("terms__taxonomy")
    if kind:
        needs = needs.filter(kind=kind)
    if q:
        readable = permissions.visible_confidential_need_ids(request.user)
        text = Q(description__icontains=q) & (Q(confidential=False) | Q(pk__in=readable))
        needs = needs.filter(
            text | Q(terms__label__icontains=q) | Q(profile__sector__icontains=q)
        ).distinct()
    start = (max(page, 1) - 1) * PAGE_SIZE
    return [
        _need_out(request.user, n) for n in needs.order_by("-created_at")[start : start + PAGE_SIZE]
    ]


@router.get("/needs/{need_id}", response=NeedOut, summary="Read a need")
def read_need(request, need_id: int):
    need = get_object_or_404(Need.objects.select_related("profile__organisation"), pk=need_id)
    return _need_out(request.user, need)


@router.post(
    "/needs/{need_id}/introductions",
    response={201: IntroductionOut, 403: ErrorOut, 422: ErrorOut},
    summary="Ask to be introduced to the owner of a confidential need",
)
def introduce(request, need_id: int, payload: IntroductionIn):
    need = get_object_or_404(Need.objects.select_related("profile__organisation"), pk=need_id)
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
    return Status(201, _introduction_out(introduction))


def _introduction_out(i: Introduction) -> dict:
    return {
        "id": i.pk,
        "need": i.need_id,
        "requester": i.requester.slug,
        "status": i.status,
        "message": i.message,
        "created_at": i.created_at,
    }


@router.get(
    "/introductions", response=list[IntroductionOut], summary="Introductions to or from you"
)
def list_introductions(request):
    incoming = Q(need__profile__organisation_id__in=permissions.kept_organisation_ids(request.user))
    outgoing = Q(requester_id__in=permissions.own_organisation_ids(request.user))
    return [
        _introduction_out(i)
        for i in Introduction.objects.filter(incoming | outgoing).select_related("requester")
    ]


@router.post(
    "/introductions/{introduction_id}/{action}",
    response={200: IntroductionOut, 403: ErrorOut, 422: ErrorOut},
    summary="Accept or decline an introduction (the need's owner)",
)
def answer(request, introduction_id: int, action: str):
    introduction = get_object_or_404(
        Introduction.objects.select_related("need__profile__organisation", "requester"),
        pk=introduction_id,
    )
    if action not in ("accept", "decline"):
        raise HttpError(422, _("action: use accept or decline."))
    try:
        services.answer_introduction(request.user, introduction, accept=action == "accept")
    except PermissionDenied as error:
        raise HttpError(403, _("Only the need's owner answers this request.")) from error
    except ValidationError as error:
        raise _unprocessable(error) from error
    return Status(200, _introduction_out(introduction))


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
