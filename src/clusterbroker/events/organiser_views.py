"""The organiser's pages of an event: edit it and its sessions, register people on their
behalf or from a file, and check them in at the event. Only the event's organisers (see
`permissions.is_organiser`) reach them; anyone else gets 403, a record of another event 404.
"""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from clusterbroker.importers.tabular import TableError, read_table
from clusterbroker.registry.models import Organisation, Partnership

from . import organising, permissions
from .models import Event, Meeting, Participant, Session
from .organiser_forms import (
    EventEditForm,
    OnBehalfForm,
    ParticipantFileForm,
    SessionEditForm,
    SessionRemoveForm,
)
from .participant_import import check_participants, find_organisation, import_participants
from .services import NewOrganisation

# A checked file waits in the session until it is confirmed: keep it small.
MAX_IMPORT_BYTES = 5 * 2**20
# Errors about a new organisation, by the registry's field names → the form's.
NEW_ORGANISATION_FIELDS = {"name": "organisation", "kind": "new_kind", "country": "new_country"}


def _organised_event(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event.objects.select_related("partnership"), slug=slug)
    if not permissions.is_organiser(request.user, event):
        raise PermissionDenied
    return event


def _context(request: HttpRequest, event: Event, **extra) -> dict:
    return {
        "event": event,
        "me": permissions.participant_of(request.user, event),
        "organiser": True,
        **extra,
    }


def _show_errors(form, error: ValidationError, rename: dict[str, str] | None = None) -> None:
    """Put a service's errors next to the fields they are about (or above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = (rename or {}).get(name, name)
        form.add_error(field if field in form.fields else None, errors)


def _render(request: HttpRequest, template: str, context: dict, status: int = 200):
    """Render with times shown in the event's time zone."""
    with timezone.override(context["event"].zone):
        return render(request, template, context, status=status)


def _status(form) -> int:
    return 400 if form.errors else 200


@login_required
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organised_event(request, slug)
    partnerships = permissions.partnerships_for_events(request.user) | Partnership.objects.filter(
        pk=event.partnership_id
    )
    form = EventEditForm(request.POST or None, instance=event, partnerships=partnerships.distinct())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Event saved."))
        return redirect(event)
    return _render(
        request,
        "events/organiser/event_edit.html",
        _context(request, event, form=form, sessions=event.sessions.all()),
        status=_status(form),
    )


def _session_page(
    request: HttpRequest, event: Event, session: Session, form, remove_form, status: int = 200
) -> HttpResponse:
    context = _context(
        request,
        event,
        session=session,
        form=form,
        remove_form=remove_form,
        slots=session.slot_starts(),
        scheduled=session.meetings.count(),
    )
    return _render(request, "events/organiser/session_edit.html", context, status=status)


@login_required
def session_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _organised_event(request, slug)
    session = get_object_or_404(Session, event=event, pk=pk)
    with timezone.override(event.zone):  # the session's times are the event's local times
        form = SessionEditForm(request.POST or None, instance=session, event=event)
        if request.method == "POST" and form.is_valid():
            form.save()
            messages.success(request, _("Session saved."))
            return redirect(event)
        return _session_page(request, event, session, form, SessionRemoveForm(), _status(form))


@login_required
@require_POST
def session_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _organised_event(request, slug)
    session = get_object_or_404(Session, event=event, pk=pk)
    remove_form = SessionRemoveForm(request.POST)
    remove_form.is_valid()
    try:
        released = organising.remove_session(
            session, release_meetings=remove_form.cleaned_data.get("release", False)
        )
    except ValidationError as error:
        remove_form.add_error("release", error)
        with timezone.override(event.zone):
            form = SessionEditForm(instance=session, event=event)
            return _session_page(request, event, session, form, remove_form, status=400)
    if released:
        messages.success(
            request,
            ngettext(
                "Session removed; %(n)s meeting released: run the scheduler again to place it.",
                "Session removed; %(n)s meetings released: run the scheduler again to place them.",
                released,
            )
            % {"n": released},
        )
    else:
        messages.success(request, _("Session removed."))
    return redirect(event)


@login_required
def participant_list(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organised_event(request, slug)
    participants = (
        event.participants.select_related("organisation", "user")
        .prefetch_related("available_sessions")
        .order_by("organisation__name", "contact_name", "pk")
    )
    return _render(
        request,
        "events/organiser/participants.html",
        _context(
            request,
            event,
            participants=participants,
            arrived=participants.filter(arrived_at__isnull=False).count(),
        ),
    )


def _organisation_for(form: OnBehalfForm) -> tuple[Organisation | None, bool]:
    """The organisation the form names (existing, or added now) and whether it is new;
    (None, False) with the errors put on the form when it cannot be."""
    data = form.cleaned_data
    existing, reason = find_organisation(" ".join(data["organisation"].split()))
    if reason:
        form.add_error("organisation", reason)
        return None, False
    if existing is not None:
        return existing, False
    if not data["new_country"]:
        form.add_error(
            "new_country",
            _("“%(name)s” is not in the registry: give its country to add it.")
            % {"name": data["organisation"]},
        )
        return None, False
    new = NewOrganisation(
        name=data["organisation"], kind=data["new_kind"], country=data["new_country"]
    )
    try:
        return organising.new_organisation(new), True
    except ValidationError as error:
        _show_errors(form, error, NEW_ORGANISATION_FIELDS)
        return None, False


@login_required
def participant_add(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organised_event(request, slug)
    form = OnBehalfForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = organising.OnBehalf(
            contact_name=data["contact_name"],
            email=data["email"],
            session_ids=tuple(s.pk for s in data["sessions"]),
            offers=data["offers"],
            needs=data["needs"],
        )
        try:
            with transaction.atomic():
                organisation, is_new = _organisation_for(form)
                if organisation is None:  # the form says why; nothing added is kept
                    raise ValidationError("")
                registered = organising.register_on_behalf(event, organisation, person)
        except ValidationError as error:
            if not form.errors:
                _show_errors(form, error)
        else:
            told = organising.tell_registered(
                registered,
                request.user,
                new_organisation=is_new,
                base_url=request.build_absolute_uri("/"),
            )
            participant = registered.participant
            values = {"name": participant.person_name, "org": participant.organisation.name}
            if registered.has_account:
                done = _("%(name)s is registered for %(org)s.") % values
            elif told.invited:
                done = (
                    _(
                        "%(name)s is registered for %(org)s; an invitation was sent, and the "
                        "registration waits for their account."
                    )
                    % values
                )
            else:
                done = (
                    _(
                        "%(name)s is registered for %(org)s; the registration waits for the "
                        "account that confirms their e-mail address."
                    )
                    % values
                )
            messages.success(request, done)
            return redirect("events:organiser-participants", event.slug)
    return _render(
        request,
        "events/organiser/participant_add.html",
        _context(request, event, form=form),
        status=_status(form),
    )


def _import_key(event: Event) -> str:
    return f"events:participant-import:{event.pk}"


@login_required
def participant_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 1: a file is checked and previewed (nothing written); step 2, once it has no
    problem: the same file, kept in the session, is imported all at once."""
    event = _organised_event(request, slug)
    key = _import_key(event)
    if request.method == "POST" and "confirm" in request.POST:
        kept = request.session.pop(key, None)
        if kept is None:
            messages.error(request, _("Choose the file again: the checked file was not kept."))
            return redirect("events:participant-import", event.slug)
        table = read_table(kept["name"], base64.b64decode(kept["content"]))
        plan, report = import_participants(
            event, request.user, table, base_url=request.build_absolute_uri("/")
        )
        if report is None:
            form = ParticipantFileForm()
            return _import_page(request, event, form, plan, status=400)
        messages.success(
            request,
            _(
                "%(source)s: %(created)s registered, %(updated)s updated, %(orgs)s organisations "
                "added, %(invited)s invited, %(notified)s told by e-mail."
            )
            % {
                "source": report.source,
                "created": report.created,
                "updated": report.updated,
                "orgs": report.organisations_added,
                "invited": report.invited,
                "notified": report.notified,
            },
        )
        return redirect("events:organiser-participants", event.slug)
    form = ParticipantFileForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(MAX_IMPORT_BYTES + 1)
        try:
            if len(content) > MAX_IMPORT_BYTES:
                raise TableError(
                    _("%(name)s: larger than %(size)s MB; split the file.")
                    % {"name": upload.name, "size": MAX_IMPORT_BYTES // 2**20}
                )
            table = read_table(upload.name, content)
        except TableError as error:
            form.add_error("file", str(error))
        else:
            plan = check_participants(event, table)
            if plan.ok:
                request.session[key] = {
                    "name": upload.name,
                    "content": base64.b64encode(content).decode("ascii"),
                }
    status = 400 if form.errors or (plan is not None and not plan.ok) else 200
    return _import_page(request, event, form, plan, status)


def _import_page(request, event, form, plan, status: int = 200) -> HttpResponse:
    return _render(
        request,
        "events/organiser/participant_import.html",
        _context(request, event, form=form, plan=plan),
        status=status,
    )


def _slot_choice(request: HttpRequest, session: Session) -> tuple[list, int | None]:
    slots = session.slot_starts()
    raw = request.GET.get("slot", "")
    index = int(raw) if raw.isdigit() and int(raw) < len(slots) else None
    return slots, index


@login_required
def check_in(request: HttpRequest, slug: str) -> HttpResponse:
    """Who is expected in a session (or at one slot of it), and who has arrived."""
    event = _organised_event(request, slug)
    sessions = list(event.sessions.all())
    session = None
    if sessions:
        wanted = request.GET.get("session", "")
        session = next((s for s in sessions if str(s.pk) == wanted), sessions[0])
    participants = Participant.objects.none()
    slots, slot = [], None
    if session is not None:
        slots, slot = _slot_choice(request, session)
        if slot is None:
            participants = session.available_participants.all()
        else:
            meetings = Meeting.objects.filter(session=session, start=slots[slot])
            ids = set(meetings.values_list("request__requester_id", flat=True))
            ids |= set(meetings.values_list("request__requested_id", flat=True))
            participants = event.participants.filter(pk__in=ids)
    participants = participants.select_related("organisation", "user").order_by(
        "organisation__name", "contact_name", "pk"
    )
    return _render(
        request,
        "events/organiser/check_in.html",
        _context(
            request,
            event,
            sessions=sessions,
            session=session,
            slots=list(enumerate(slots)),
            slot=slot,
            participants=participants,
            arrived=sum(1 for p in participants if p.arrived_at),
        ),
    )


@login_required
@require_POST
def check_in_mark(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _organised_event(request, slug)
    participant = get_object_or_404(Participant, event=event, pk=pk)
    organising.mark_arrived(participant, arrived=request.POST.get("arrived") == "1")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("events:check-in", args=[event.slug])
    return redirect(back)
