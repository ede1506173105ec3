from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from clusterbroker.registry import map_data
from clusterbroker.registry.maps import Place
from clusterbroker.registry.models import OrganisationKind, Taxonomy

from . import catalogue as catalogue_queries
from . import notifications, permissions, services, suggestions, times, windows
from .agenda import agenda, agenda_ics, breaks_in
from .exports import schedule_export_response
from .figures_chart import event_chart
from .forms import (
    EventForm,
    MeetingRequestForm,
    OutcomeForm,
    RegistrationForm,
    ScheduleForm,
    SessionForm,
    WindowForm,
)
from .models import Event, Meeting, MeetingRequest, Participant
from .scheduling import schedule_grid, start_scheduling_run

EXPORT_FORMATS = ("csv", "xlsx")
# Errors about a new organisation, by the registry's field names → the registration form's.
NEW_ORGANISATION_FIELDS = {"name": "new_name", "kind": "new_kind", "country": "new_country"}


def _event(slug: str) -> Event:
    return get_object_or_404(Event.objects.select_related("partnership"), slug=slug)


def _require_organiser(request: HttpRequest, event: Event) -> None:
    if not permissions.is_organiser(request.user, event):
        raise PermissionDenied


def _me(request: HttpRequest, event: Event) -> Participant | None:
    """The registration the user acts as: one of theirs chosen with `?as=ID` (kept for the
    visit), else their first."""
    key = f"events:acting-as:{event.pk}"
    if request.GET.get("as"):
        request.session[key] = request.GET["as"]
    return permissions.participant_of(request.user, event, request.session.get(key))


def _context(request: HttpRequest, event: Event, **extra) -> dict:
    """What every event page needs for its header and navigation."""
    return {
        "event": event,
        "me": _me(request, event),
        "my_registrations": permissions.registrations_of(request.user, event),
        "organiser": permissions.is_organiser(request.user, event),
        "own_zone": times.other_zone(event, times.zone_of_user(request.user)),
        **extra,
    }


def _add_errors(form: forms.Form, error: ValidationError, rename: dict | None = None) -> None:
    """Show a service's errors next to the fields they are about (or above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = (rename or {}).get(name, name)
        if field in form.fields:
            form.add_error(field, errors)
        else:
            form.add_error(None, [f"{name}: {message}" for e in errors for message in e])


def event_list(request: HttpRequest) -> HttpResponse:
    events = Event.objects.select_related("partnership")
    return render(
        request,
        "events/event_list.html",
        {"events": events, "can_create": permissions.can_create_event(request.user)},
    )


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_event(request.user):
        raise PermissionDenied
    own_zone = times.zone_of_user(request.user)
    form = EventForm(
        request.POST or None,
        partnerships=permissions.partnerships_for_events(request.user),
        initial={"time_zone": own_zone.key} if own_zone else None,
    )
    if request.method == "POST" and form.is_valid():
        event = services.create_event(form.save(commit=False), request.user)
        messages.success(request, _("Event created. Now add its meeting sessions."))
        return redirect(event)
    return render(
        request, "events/event_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _detail(
    request: HttpRequest, event: Event, session_form: SessionForm | None, status: int = 200
) -> HttpResponse:
    context = _context(
        request,
        event,
        sessions=event.sessions.all(),
        figures=services.event_figures(event),
        figures_chart=event_chart(event),
    )
    if context["organiser"]:
        context["session_form"] = session_form or SessionForm(event=event)
    return render(request, "events/event_detail.html", context, status=status)


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _detail(request, _event(slug), None)


@login_required
@require_POST
def session_add(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    _require_organiser(request, event)
    form = SessionForm(request.POST, event=event)
    with timezone.override(event.zone):  # the session's times are the event's local times
        valid = form.is_valid()
    if valid:
        form.save()
        messages.success(request, _("Session added."))
        return redirect(event)
    return _detail(request, event, form, status=400)


def _registration_initial(me: Participant | None) -> dict:
    if me is None:
        return {}
    return {
        "organisation": me.organisation,
        "contact_name": me.contact_name,
        "offers": me.offers,
        "needs": me.needs,
        "description": me.description,
        "terms": me.terms.all(),
        "sessions": me.available_sessions.all(),
    }


def _profile_start(
    request: HttpRequest, me: Participant | None, organisations
) -> tuple[suggestions.ProfileStart | None, list]:
    """The brokering profile the registration starts from, and those it may start from: the
    one named by `?profile=` (its ID) among them, else, for a new registration, the first."""
    profiles = list(suggestions.profiles_to_start_from(request.user, organisations))
    if request.method != "GET":
        return None, profiles
    named = request.GET.get("profile", "")
    chosen = next((p for p in profiles if p.public_id == named), None)
    if chosen is None and not named and me is None and profiles:
        chosen = profiles[0]
    return (suggestions.start_from_profile(chosen) if chosen else None), profiles


@login_required
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    me = _me(request, event)
    organisations = permissions.organisations_to_register(request.user, event)
    start, profiles = _profile_start(request, me, organisations)
    initial = _registration_initial(me)
    if start is not None:
        initial |= start.initial
    form = RegistrationForm(
        request.POST or None,
        initial=initial,
        event=event,
        organisations=organisations,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        registration = services.Registration(
            offers=data["offers"],
            needs=data["needs"],
            description=data["description"],
            contact_name=data["contact_name"],
            term_ids=tuple(t.pk for t in data["terms"]),
            session_ids=tuple(s.pk for s in data["sessions"]),
        )
        try:
            if data["organisation"]:
                services.register_participant(
                    event, data["organisation"], request.user, registration
                )
            else:
                new = services.NewOrganisation(
                    name=data["new_name"], kind=data["new_kind"], country=data["new_country"]
                )
                services.register_new_organisation(event, new, request.user, registration)
        except ValidationError as error:
            _add_errors(form, error, NEW_ORGANISATION_FIELDS if not data["organisation"] else None)
        else:
            messages.success(request, _("You are registered. Find people to meet below."))
            return redirect("events:catalogue", event.slug)
    return render(
        request,
        "events/register.html",
        _context(request, event, form=form, start=start, profiles=profiles),
        status=400 if form.errors else 200,
    )


def _query_string(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def catalogue(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    if not permissions.can_view_catalogue(request.user, event):
        raise PermissionDenied
    context = _context(request, event)
    criteria = catalogue_queries.ParticipantFilter.from_query(request.GET)
    participants = catalogue_queries.filter_participants(event, criteria)
    me = context["me"]
    context |= {
        "page": Paginator(participants, settings.REGISTRY_PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "contacted_ids": catalogue_queries.contacted_ids(me) if me else set(),
        "countries": catalogue_queries.countries(event),
        "kinds": OrganisationKind.choices,
        "taxonomies": Taxonomy.objects.prefetch_related("terms"),
        "query_string": _query_string(request),
        "criteria": criteria,
    }
    results_only = request.headers.get("HX-Target") == "results"
    if not results_only:
        context["map"] = _participants_map(event)
    if me is not None and not results_only:
        profile = suggestions.profile_of(me)
        context["suggesting"] = {
            "profile": profile,
            "allowed": profile is not None and suggestions.may_match(request.user, profile),
            "found": suggestions.suggested_participants(request.user, me),
        }
    template = "events/_catalogue_results.html" if results_only else "events/catalogue.html"
    return render(request, template, context)


def _participants_map(event: Event):
    """Where the event's participants come from: a dot opens a participant, a country or
    region lists the participants of its country."""
    rows = (
        Participant.objects.filter(event=event)
        .order_by("organisation__name", "pk")
        .values_list(
            "pk", "organisation__name", "organisation__country", "organisation__region__code"
        )
    )
    base = reverse("events:catalogue", args=[event.slug])
    places = [
        Place(name, reverse("events:participant", args=[event.slug, pk]), country or "", code or "")
        for pk, name, country, code in rows
    ]
    return map_data.places_map(
        places, region_url=lambda code: f"{base}?country={map_data.iso_country(code)}"
    )


@login_required
def participant_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(slug)
    if not permissions.can_view_catalogue(request.user, event):
        raise PermissionDenied
    participant = get_object_or_404(
        Participant.objects.select_related("organisation"), event=event, pk=pk
    )
    context = _context(request, event, participant=participant)
    me = context["me"]
    form = MeetingRequestForm(request.POST or None, event=event)
    if request.method == "POST":
        if me is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                with transaction.atomic():
                    sent = services.request_meeting(
                        me,
                        participant,
                        form.cleaned_data["message"],
                        form.cleaned_data["priority"],
                        actor=request.user,
                    )
                    windows.set_window(
                        sent,
                        [s.pk for s in form.cleaned_data["window_sessions"]],
                        form.cleaned_data["window_part"],
                    )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Request sent to %(name)s.") % {"name": participant.organisation.name},
                )
                return redirect("events:requests", event.slug)
    return render(
        request,
        "events/participant_detail.html",
        context | {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def my_requests(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    context = _context(request, event)
    me = context["me"]
    if me is None:
        messages.info(request, _("Register first to send and receive meeting requests."))
        return redirect("events:register", event.slug)
    related = ("requester__organisation", "requested__organisation")
    context |= {
        "sent": _with_windows(me.sent_requests.select_related(*related), event),
        "received": _with_windows(me.received_requests.select_related(*related), event),
    }
    return render(request, "events/requests.html", context)


def _with_windows(requests, event: Event) -> list[MeetingRequest]:
    """The requests, each with its window in words and, while active, a form to change it."""
    found = list(requests.select_related("event").prefetch_related("window_sessions"))
    for r in found:
        r.window_text = windows.describe(r)
        if r.status in windows.ACTIVE:
            r.window_form = WindowForm(instance=r, event=event, prefix=f"w{r.pk}")
    return found


@login_required
@require_POST
def request_window(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Either side of a request, or an organiser, keeps it to some sessions or times."""
    event = _event(slug)
    meeting_request = get_object_or_404(
        MeetingRequest.objects.select_related("requester", "requested", "event"),
        event=event,
        pk=pk,
    )
    if not windows.can_set_window(request.user, meeting_request):
        raise PermissionDenied
    form = WindowForm(request.POST, instance=meeting_request, event=event, prefix=f"w{pk}")
    if not form.is_valid():
        messages.error(request, " ".join(m for e in form.errors.values() for m in e))
    else:
        try:
            windows.set_window(
                meeting_request,
                [s.pk for s in form.cleaned_data["window_sessions"]],
                form.cleaned_data["window_part"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Time window saved."))
    if _me(request, event) is None:
        return redirect("events:schedule", event.slug)
    return redirect("events:requests", event.slug)


@login_required
@require_POST
def request_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    if action not in permissions.REQUEST_ACTIONS:
        raise Http404(_("Unknown action “%(action)s”.") % {"action": action})
    event = _event(slug)
    meeting_request = get_object_or_404(
        MeetingRequest.objects.select_related("requester", "requested"), event=event, pk=pk
    )
    if not permissions.can_do_request_action(request.user, meeting_request, action):
        raise PermissionDenied
    form = WindowForm(request.POST, instance=meeting_request, event=event, prefix=f"w{pk}")
    with_window = action == "accept" and any(k.startswith(f"w{pk}-") for k in request.POST)
    if with_window and not form.is_valid():
        messages.error(request, " ".join(m for e in form.errors.values() for m in e))
        return redirect("events:requests", event.slug)
    try:
        with transaction.atomic():
            services.act_on_request(meeting_request, action, actor=request.user)
            if with_window:  # the requested side accepts for some sessions or times only
                windows.set_window(
                    meeting_request,
                    [s.pk for s in form.cleaned_data["window_sessions"]],
                    form.cleaned_data["window_part"],
                )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("events:requests", event.slug)


def _agenda_owner(request: HttpRequest, event: Event) -> Participant:
    """The participant whose agenda is asked for: the user's own, or `?participant=ID`."""
    if "participant" in request.GET:
        wanted = catalogue_queries.record_id(request.GET["participant"])
        if wanted is None:
            raise Http404(_("participant: not the number of a participant of this event."))
        participant = get_object_or_404(
            event.participants.select_related("organisation"), pk=wanted
        )
    else:
        participant = _me(request, event)
        if participant is None:
            raise Http404(_("You are not registered at this event."))
    if not permissions.can_view_agenda(request.user, participant):
        raise PermissionDenied
    return participant


@login_required
def agenda_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    participant = _agenda_owner(request, event)
    items = agenda(participant)
    context = _context(
        request, event, participant=participant, items=items, breaks=breaks_in(items)
    )
    printable = request.GET.get("print") == "1"
    return render(
        request, "events/agenda_print.html" if printable else "events/agenda.html", context
    )


@login_required
def agenda_ics_download(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    participant = _agenda_owner(request, event)
    response = HttpResponse(agenda_ics(participant), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-agenda.ics"'
    return response


@login_required
def schedule_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    _require_organiser(request, event)
    if request.method == "GET" and (fmt := request.GET.get("format")) in EXPORT_FORMATS:
        return schedule_export_response(event, fmt)
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        start_scheduling_run(
            event,
            request.user,
            form.cleaned_data["mode"],
            allow_moving=form.cleaned_data["allow_moving"],
        )
        return redirect("events:schedule", event.slug)
    run = event.scheduling_runs.first()
    if request.headers.get("HX-Request") and request.GET.get("part") == "run":
        return render(request, "events/_run.html", {"event": event, "run": run})
    return render(
        request,
        "events/schedule.html",
        _context(
            request,
            event,
            form=form,
            run=run,
            grid=schedule_grid(event),
            accepted=_with_windows(
                event.requests.filter(status=MeetingRequest.Status.ACCEPTED).select_related(
                    "requester__organisation", "requested__organisation"
                ),
                event,
            ),
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def schedule_announce(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    _require_organiser(request, event)
    done = notifications.announce(event, actor=request.user)
    meetings = ngettext("%(n)s meeting announced", "%(n)s meetings announced", done.meetings) % {
        "n": done.meetings
    }
    if done.first:
        told = ngettext(
            "%(sent)s of %(total)s participant notified.",
            "%(sent)s of %(total)s participants notified.",
            done.concerned,
        ) % {"sent": done.notified, "total": done.concerned}
    else:
        told = ngettext(
            "%(sent)s participant whose agenda changed notified.",
            "%(sent)s participants whose agenda changed notified.",
            done.notified,
        ) % {"sent": done.notified}
    messages.success(request, _("%(meetings)s; %(told)s") % {"meetings": meetings, "told": told})
    if done.unreachable:
        messages.warning(
            request,
            _("Not notified (no active account to tell): %(names)s.")
            % {"names": ", ".join(done.unreachable)},
        )
    return redirect("events:schedule", event.slug)


@login_required
def meeting_outcome(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(slug)
    meeting = get_object_or_404(
        Meeting.objects.select_related(
            "request__requester__organisation", "request__requested__organisation"
        ),
        request__event=event,
        pk=pk,
    )
    if not permissions.can_view_request(request.user, meeting.request):
        raise PermissionDenied
    context = _context(request, event, meeting=meeting)
    form = OutcomeForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_outcome(
                meeting,
                form.cleaned_data["happened"],
                form.cleaned_data["outcome"],
                form.cleaned_data["outcome_note"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Outcome saved."))
            me = context["me"]
            if me is not None and me.pk in (
                meeting.request.requester_id,
                meeting.request.requested_id,
            ):
                return redirect("events:agenda", event.slug)
            return redirect("events:schedule", event.slug)
    return render(
        request,
        "events/outcome.html",
        context | {"form": form},
        status=400 if form.errors else 200,
    )
