"""Brokering pages: questionnaire (in steps, with htmx), profiles, needs, introductions, matches."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterbroker.registry.models import Organisation
from clusterbroker.text.forms import chosen_language

from . import consortium as consortium_builder
from . import engine, permissions, services
from .anonymity import profile_disclosures
from .forms import (
    STEP_TITLES,
    STEPS,
    IntroductionForm,
    MatchForm,
    NeedFormSet,
    OfferFormSet,
    PreferencesForm,
    WhoForm,
)
from .models import Introduction, Need, NeedKind, Profile

SESSION_KEY = "brokering_questionnaire"
PAGE_SIZE = 25


# Questionnaire ----------------------------------------------------------------------------


def _initial_from_profile(profile: Profile, user) -> dict:
    def keys(item) -> list[str]:
        return [f"{t.taxonomy.code}:{t.code}" for t in item.terms.select_related("taxonomy")]

    organisation = profile.organisation
    return {
        "who": {
            "organisation": organisation.pk,
            "new_kind": organisation.kind,
            "size_class": organisation.size_class,
            "summary": profile.summary,
        },
        "offers": [
            {
                "title": o.title,
                "description": o.description,
                "language": chosen_language(o),
                "terms": keys(o),
            }
            for o in profile.offers.all()
        ],
        "needs": [
            {
                "id": n.pk,
                "kind": n.kind,
                "description": n.description,
                "language": chosen_language(n),
                "terms": keys(n),
                "confidential": n.confidential,
                "window_start": n.window_start.isoformat() if n.window_start else None,
                "window_end": n.window_end.isoformat() if n.window_end else None,
                "local": n.local,
            }
            # Only what the user may read: the others stay as they are when saving.
            for n in permissions.needs_shown_under(user, profile)
        ],
        "preferences": {
            "sector": profile.sector,
            "stage": profile.stage,
            "countries_of_interest": ", ".join(profile.countries_of_interest),
            "cross_border": profile.cross_border,
            "regions_of_interest": ", ".join(
                profile.regions_of_interest.values_list("code", flat=True)
            ),
        },
    }


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Organisation):
        return value.pk
    return value


def _step_form(request: HttpRequest, step: str, stored: dict, data=None):
    organisations = permissions.organisations_for_questionnaire(request.user)
    if step == "who":
        return WhoForm(data, initial=stored.get("who"), organisations=organisations)
    if step == "offers":
        return OfferFormSet(data, initial=stored.get("offers"), prefix="offers")
    if step == "needs":
        return NeedFormSet(data, initial=stored.get("needs"), prefix="needs")
    return PreferencesForm(data, initial=stored.get("preferences", {"cross_border": True}))


def _cleaned(form) -> object:
    """The step's values. Of a formset, every item shown from the profile (unchanged ones
    included: an item is removed only by emptying it) and every extra item filled in."""
    if hasattr(form, "forms"):
        shown = form.initial_form_count()
        return [
            _jsonable(f.cleaned_data)
            for i, f in enumerate(form.forms)
            if f.cleaned_data and (i < shown or f.has_changed())
        ]
    return _jsonable(form.cleaned_data)


def _questionnaire_from(stored: dict, user) -> services.Questionnaire:
    who = stored.get("who", {})
    preferences = stored.get("preferences", {})
    organisation = None
    if who.get("organisation"):
        organisation = (
            permissions.organisations_for_questionnaire(user).filter(pk=who["organisation"]).first()
        )
    countries = [
        c.strip() for c in preferences.get("countries_of_interest", "").split(",") if c.strip()
    ]
    return services.Questionnaire(
        organisation=organisation,
        new_name=who.get("new_name", ""),
        new_kind=who.get("new_kind", "company"),
        new_country=who.get("new_country", ""),
        size_class=who.get("size_class", ""),
        summary=who.get("summary", ""),
        sector=preferences.get("sector", ""),
        stage=preferences.get("stage", ""),
        countries_of_interest=countries,
        regions_of_interest=[
            c.strip().upper()
            for c in preferences.get("regions_of_interest", "").split(",")
            if c.strip()
        ],
        cross_border=bool(preferences.get("cross_border")),
        offers=[
            services.OfferData(
                o["title"],
                o.get("description", ""),
                o.get("terms", []),
                language=o.get("language") or "",
            )
            for o in stored.get("offers", [])
            if o.get("title")
        ],
        needs=[
            services.NeedData(
                kind=n["kind"],
                description=n.get("description", ""),
                terms=n.get("terms", []),
                language=n.get("language") or "",
                confidential=bool(n.get("confidential")),
                window_start=dt.date.fromisoformat(n["window_start"])
                if n.get("window_start")
                else None,
                window_end=dt.date.fromisoformat(n["window_end"]) if n.get("window_end") else None,
                local=bool(n.get("local")),
                id=n.get("id"),
            )
            for n in stored.get("needs", [])
            if n.get("description")
        ],
    )


@login_required
def questionnaire(request: HttpRequest, step: str = "who") -> HttpResponse:
    if not permissions.can_fill_questionnaire(request.user) or step not in STEPS:
        raise PermissionDenied
    if request.method == "GET" and "organisation" in request.GET:
        organisation = get_object_or_404(Organisation, slug=request.GET["organisation"])
        if not permissions.can_keep_profile(request.user, organisation):
            raise PermissionDenied
        profile = Profile.objects.filter(organisation=organisation).first()
        request.session[SESSION_KEY] = (
            _initial_from_profile(profile, request.user)
            if profile
            else {"who": {"organisation": organisation.pk}}
        )
    elif request.method == "GET" and step == "who" and "continue" not in request.GET:
        request.session[SESSION_KEY] = {}
    stored = request.session.get(SESSION_KEY, {})
    form = _step_form(request, step, stored, request.POST if request.method == "POST" else None)
    errors: list[str] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        stored[step] = _cleaned(form)
        request.session[SESSION_KEY] = stored
        position = STEPS.index(step)
        if "back" in request.POST and position > 0:
            return _go(request, STEPS[position - 1])
        if position + 1 < len(STEPS):
            return _go(request, STEPS[position + 1])
        try:
            profile = services.save_questionnaire(
                request.user, _questionnaire_from(stored, request.user)
            )
        except services.ConsentRequired as error:
            errors, status = error.messages, 403
        except ValidationError as error:
            errors = (
                [f"{m}" for messages_ in error.message_dict.values() for m in messages_]
                if hasattr(error, "error_dict")
                else error.messages
            )
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(request, _("Profile %(id)s saved.") % {"id": profile.public_id})
            response = redirect(profile.get_absolute_url())
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = profile.get_absolute_url()
            return response
    context = {
        "form": form,
        "step": step,
        "steps": [(s, STEP_TITLES[s]) for s in STEPS],
        "step_title": STEP_TITLES[step],
        "is_formset": hasattr(form, "forms"),
        "is_last": step == STEPS[-1],
        "is_first": step == STEPS[0],
        "service_errors": errors,
    }
    template = (
        "brokering/_questionnaire_step.html"
        if request.headers.get("HX-Request")
        else "brokering/questionnaire.html"
    )
    return render(request, template, context, status=status)


def _go(request: HttpRequest, step: str) -> HttpResponse:
    url = reverse("brokering:questionnaire-step", args=[step]) + "?continue=1"
    if request.headers.get("HX-Request"):
        request.method = "GET"
        response = questionnaire(request, step)
        response["HX-Push-Url"] = url
        return response
    return redirect(url)


# Profiles and needs -----------------------------------------------------------------------


@login_required
def profile_list(request: HttpRequest) -> HttpResponse:
    profiles = Profile.objects.select_related("organisation").prefetch_related("offers")
    q = services.clean_query(request.GET.get("q", ""))
    if q:
        profiles = profiles.filter(
            Q(organisation__name__icontains=q)
            | Q(sector__icontains=q)
            | Q(summary__icontains=q)
            | Q(offers__title__icontains=q)
            | Q(offers__description__icontains=q)
        ).distinct()
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "brokering/profile_list.html", {"page": page, "q": q})


@login_required
def profile_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    profile = get_object_or_404(Profile.objects.select_related("organisation"), public_id=public_id)
    keeper = permissions.can_keep_profile(request.user, profile.organisation)
    # Only what the user may read is listed under the owner: a confidential need's summary
    # is never shown here, it would tell whose need it is.
    needs = [(n, True) for n in permissions.needs_shown_under(request.user, profile)]
    introductions = (
        Introduction.objects.filter(need__profile=profile).select_related(
            "requester", "need", "answered_by"
        )
        if keeper
        else Introduction.objects.none()
    )
    return render(
        request,
        "brokering/profile_detail.html",
        {
            "profile": profile,
            "keeper": keeper,
            "needs": needs,
            "offers": profile.offers.prefetch_related("terms"),
            "introductions": introductions,
            "answerable": services.ANSWERABLE,
            "match_form": MatchForm(),
            "regions": profile.regions_of_interest.all(),
        },
    )


@dataclass
class NeedRow:
    need: Need
    visible: bool
    summary: services.NeedSummary | None
    starts_anonymised: bool  # the first anonymised need of the page: a heading before it


@login_required
def need_list(request: HttpRequest) -> HttpResponse:
    """Needs of every profile; confidential ones show as anonymised summaries to others,
    listed apart (by their random ref, not next to the needs made with them)."""
    needs = Need.objects.select_related("profile__organisation").prefetch_related("terms")
    q = services.clean_query(request.GET.get("q", ""))
    kind = request.GET.get("kind", "")
    kind = kind if kind in NeedKind.values else ""
    needs = services.search_needs(request.user, needs, q, kind)
    ordered = services.ordered_for(request.user, needs)
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    disclosures = profile_disclosures()
    rows, previous = [], False
    for need in page:
        summary = services.anonymised(need, disclosures) if need.anonymised else None
        rows.append(NeedRow(need, not need.anonymised, summary, need.anonymised and not previous))
        previous = need.anonymised
    return render(
        request,
        "brokering/need_list.html",
        {"page": page, "rows": rows, "q": q, "kind": kind, "kinds": NeedKind.choices},
    )


def _need_or_404(request: HttpRequest, key: str) -> Need:
    """The need by its ref, or by its id for those who may use it; otherwise a 404, the same
    as for a need that does not exist."""
    try:
        need = services.find_need(request.user, key)
    except ValueError:
        need = None
    if need is None:
        raise Http404(_("No such need."))
    return need


@login_required
def need_detail(request: HttpRequest, pk: int | None = None, ref: str = "") -> HttpResponse:
    need = _need_or_404(request, ref or str(pk))
    visible = permissions.can_see_need(request.user, need)
    requesters = permissions.requesters_for(request.user, need)
    form = None
    if not visible and requesters.exists():
        form = IntroductionForm(requesters=requesters)
    mine = Introduction.objects.filter(
        need=need, requester_id__in=permissions.own_organisation_ids(request.user)
    ).select_related("requester")
    return render(
        request,
        "brokering/need_detail.html",
        {
            "need": need,
            "visible": visible,
            "summary": None if visible else services.anonymised(need),
            "form": form,
            "my_introductions": mine,
            "keeper": permissions.can_keep_profile(request.user, need.profile.organisation),
        },
    )


@login_required
@require_POST
def introduction_request(
    request: HttpRequest, pk: int | None = None, ref: str = ""
) -> HttpResponse:
    need = _need_or_404(request, ref or str(pk))
    requesters = permissions.requesters_for(request.user, need)
    form = IntroductionForm(request.POST, requesters=requesters)
    if not form.is_valid():
        raise PermissionDenied
    try:
        services.request_introduction(
            request.user, need, form.cleaned_data["requester"], form.cleaned_data["message"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your request was sent to the owner of this need."))
    return redirect(need.get_absolute_url())


@login_required
@require_POST
def introduction_answer(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    introduction = get_object_or_404(
        Introduction.objects.select_related("need__profile__organisation"), pk=pk
    )
    if action not in ("accept", "decline"):
        raise PermissionDenied
    try:
        services.answer_introduction(request.user, introduction, accept=action == "accept")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(introduction.need.profile.get_absolute_url())


# Matching ---------------------------------------------------------------------------------

MAX_ID = 2**63 - 1


def _int_or_none(value: str) -> int | None:
    """A positive database id, or None (not a number, or beyond what a database holds)."""
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 19:  # int() refuses 4,300+
        return None
    if not 0 < int(value) <= MAX_ID:
        return None
    return int(value)


@login_required
def profile_matches(request: HttpRequest, public_id: str) -> HttpResponse:
    profile = get_object_or_404(Profile.objects.select_related("organisation"), public_id=public_id)
    if not permissions.can_match(request.user, profile):
        raise PermissionDenied
    form = MatchForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else "partners"
    need = None
    if request.GET.get("need"):
        need_id = _int_or_none(request.GET["need"])
        if need_id is None:
            return HttpResponseBadRequest(
                _("need: “%(value)s” is not a need number.") % {"value": request.GET["need"]},
                content_type="text/plain; charset=utf-8",
            )
        need = get_object_or_404(profile.needs, pk=need_id)
    # Existing partners are listed apart ("you already work with") unless asked for.
    partners = "all" if request.GET.get("partners") == "all" else "new"
    closed = request.GET.get("closed") == "true"  # calls: the passed ones too
    results, known, unavailable = [], [], ""
    try:
        if need is not None and kind != "needs":
            results = engine.match_need(need, kind, partners=partners, closed=closed)
        else:
            results = engine.match_profile(
                profile, kind, user=request.user, partners=partners, closed=closed
            )
        if kind in ("partners", "providers") and partners == "new":
            known = (
                engine.match_need(need, kind, limit=10, partners="known")
                if need is not None
                else engine.match_profile(profile, kind, limit=10, partners="known")
            )
    except engine.NoCollections as error:
        unavailable = str(error)
    template = (
        "brokering/_match_results.html"
        if request.headers.get("HX-Request")
        else "brokering/matches.html"
    )
    return render(
        request,
        template,
        {
            "profile": profile,
            "form": form if form.is_bound else MatchForm(initial={"kind": kind}),
            "kind": kind,
            "need": need,
            "results": results,
            "known": known,
            "unavailable": unavailable,
        },
    )


@login_required
def consortium(request: HttpRequest) -> HttpResponse:
    form = consortium_builder.ConsortiumForm(request.GET or None)
    proposals = None
    if form.is_bound and form.is_valid():
        proposals = consortium_builder.propose_for_form(form.cleaned_data)
    return render(request, "brokering/consortium.html", {"form": form, "proposals": proposals})
