"""Pages for invitations and join requests; the rules are in `rules.py`, the operations in
`services.py`."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from clusterbroker.importers.tabular import TableError, read_table
from clusterbroker.registry.models import Organisation, Position

from . import rules, services
from .forms import (
    InvitationForm,
    JoinRequestForm,
    NewAccountForm,
    RegisterOrganisationForm,
    UploadForm,
)
from .models import Invitation, JoinRequest

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
STATES = {
    "pending": Invitation.Status.PENDING.label,
    "expired": Invitation.Status.EXPIRED.label,
    "accepted": Invitation.Status.ACCEPTED.label,
    "revoked": Invitation.Status.REVOKED.label,
}


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _error_text(error: Exception) -> str:
    if isinstance(error, rules.Refused):
        return error.reason
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return " ".join(str(a) for a in error.args) or _("You may not do this.")


def _filter_state(qs: QuerySet[Invitation], state: str) -> QuerySet[Invitation]:
    now = timezone.now()
    if state == "pending":
        return qs.filter(status=Invitation.Status.PENDING, expires_at__gt=now)
    if state == "expired":
        return qs.filter(status=Invitation.Status.PENDING, expires_at__lte=now)
    if state in ("accepted", "revoked"):
        return qs.filter(status=state)
    return qs


@login_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    """Invitations the user may manage: search, status, paging; resend and revoke."""
    text = request.GET.get("q", "").strip()[:200]
    state = request.GET.get("status", "pending")
    state = state if state in STATES or state == "all" else "pending"
    qs = rules.manageable_invitations(request.user)
    if text:
        qs = qs.filter(
            Q(email__icontains=text)
            | Q(name__icontains=text)
            | Q(organisation__name__icontains=text)
        )
    qs = _filter_state(qs, state).order_by("-sent_at", "-pk")
    page = Paginator(qs, settings.REGISTRY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "text": text,
        "state": state,
        "states": STATES,
        "query_string": query.urlencode(),
        "can_invite": rules.invitable_organisations(request.user).exists(),
    }
    template = (
        "invitations/_invitation_results.html"
        if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results"
        else "invitations/invitation_list.html"
    )
    return render(request, template, context)


@login_required
def invitation_create(request: HttpRequest) -> HttpResponse:
    if not rules.invitable_organisations(request.user).exists():
        raise PermissionDenied
    initial = {}
    if slug := request.GET.get("organisation", "")[:120]:
        initial["organisation"] = slug
    form = InvitationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = services.invite(
                request.user,
                data["email"],
                data["name"],
                data["organisation"],
                data["role"],
                base_url=_base_url(request),
            )
        except (rules.Refused, ValidationError) as error:
            form.add_error(None, _error_text(error))
        else:
            values = {"email": sent.invitation.email, "organisation": sent.invitation.organisation}
            if sent.resent:
                text = _(
                    "%(email)s had a pending invitation to %(organisation)s: it was sent "
                    "again, with a new link."
                )
            else:
                text = _("Invitation sent to %(email)s for %(organisation)s.")
            messages.success(request, text % values)
            return redirect("invitations:list")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "invitations/invitation_form.html", {"form": form}, status=status)


@login_required
def invitation_upload(request: HttpRequest) -> HttpResponse:
    """Many invitations from a CSV/XLSX file: every problem listed, or all sent."""
    if not rules.invitable_organisations(request.user).exists():
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    report, file_error = None, ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            file_error = _("%(name)s is larger than the limit of %(limit)s MB.") % {
                "name": upload.name,
                "limit": settings.IMPORT_MAX_BYTES // (1024 * 1024),
            }
        else:
            try:
                table = read_table(upload.name, upload.read())
            except TableError as error:
                file_error = str(error)
            else:
                report = services.invite_many(request.user, table, base_url=_base_url(request))
                if report.ok:
                    messages.success(
                        request,
                        _(
                            "%(name)s: %(sent)s invitations sent, %(resent)s sent again "
                            "(they were pending)."
                        )
                        % {"name": report.source, "sent": report.sent, "resent": report.resent},
                    )
                    return redirect("invitations:list")
    elif request.method == "POST":
        file_error = _("Choose a CSV or XLSX file.")
    status = 400 if file_error or (report and not report.ok) else 200
    return render(
        request,
        "invitations/invitation_upload.html",
        {
            "form": form,
            "report": report,
            "file_error": file_error,
            "columns": services.BULK_COLUMNS,
        },
        status=status,
    )


def _managed(request: HttpRequest, pk: int) -> Invitation:
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), pk=pk)
    if not rules.may_manage(request.user, invitation):
        raise Http404  # whether an invitation exists is not told to others
    return invitation


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _managed(request, pk)
    try:
        services.resend(request.user, invitation, base_url=_base_url(request))
    except (rules.Refused, ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("Sent again to %(email)s, with a new link valid 14 days.")
            % {"email": invitation.email},
        )
    return redirect("invitations:list")


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _managed(request, pk)
    try:
        services.revoke(request.user, invitation)
    except (rules.Refused, ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("The invitation of %(email)s was revoked: its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("invitations:list")


def _accepted(request: HttpRequest, result: services.Accepted) -> HttpResponse:
    organisation = result.invitation.organisation
    messages.success(
        request,
        _("Welcome! You are now %(role)s of %(organisation)s: you may change its profile.")
        % {"role": result.position.get_role_display(), "organisation": organisation.name},
    )
    return redirect(organisation)


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """What an invited person sees: who invited them to what; then accept (logged in) or
    create the account with a password (logged out), in one step."""
    try:
        invitation = services.usable(token)
    except services.InvitationUnusable as problem:
        status = 404 if problem.state == "invalid" else 410
        return render(
            request,
            "invitations/accept.html",
            {"problem": " ".join(problem.messages), "state": problem.state},
            status=status,
        )
    logged_in = request.user.is_authenticated
    form = None
    if not logged_in:
        form = NewAccountForm(request.POST or None, initial={"name": invitation.name})
    error = ""
    if request.method == "POST":
        try:
            if logged_in:
                result = services.accept(token, user=request.user)
            elif form.is_valid():
                result = services.accept(
                    token,
                    new_account=services.NewAccount(
                        name=form.cleaned_data["name"],
                        password=form.cleaned_data["password"],
                        password_again=form.cleaned_data["password_again"],
                    ),
                )
            else:
                result = None
        except rules.Refused as refused:
            error = refused.reason
        except ValidationError as invalid:
            if form is not None and hasattr(invalid, "error_dict"):
                for name, errors in invalid.message_dict.items():
                    form.add_error(None if name == "__all__" else name, errors)
            else:
                error = " ".join(invalid.messages)
        else:
            if result is not None:
                if result.account_created:
                    login(request, result.user, backend=MODEL_BACKEND)
                return _accepted(request, result)
    mismatch = logged_in and invitation.email.lower() != (request.user.email or "").lower()
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "invitations/accept.html",
        {
            "invitation": invitation,
            "form": form,
            "error": error,
            "mismatch": mismatch,
            "own_invitation": logged_in and invitation.invited_by_id == request.user.pk,
            "already": logged_in and services.already_holds(request.user, invitation),
        },
        status=status,
    )


# Join requests ------------------------------------------------------------------------------


def _own_organisation_ids(user) -> set[int]:
    return set(
        Position.objects.filter(person__user=user, role__in=rules.OWN_ROLES).values_list(
            "organisation_id", flat=True
        )
    )


@login_required
def join(request: HttpRequest) -> HttpResponse:
    """Find one's organisation (search as you type) and ask to become its editor."""
    mine = JoinRequest.objects.filter(user=request.user).select_related("organisation")
    return render(
        request,
        "invitations/join.html",
        {
            "pending": mine.filter(status=JoinRequest.Status.PENDING),
            "answered": mine.exclude(status=JoinRequest.Status.PENDING)[:20],
            "text": request.GET.get("q", "").strip()[:200],
            "results": _search(request),
        },
    )


def _search(request: HttpRequest) -> list | None:
    text = " ".join(request.GET.get("q", "").split())[:200]
    if len(text) < 2:
        return None
    found = list(
        Organisation.objects.filter(
            Q(name__icontains=text) | Q(acronym__icontains=text) | Q(slug__icontains=text)
        ).order_by("name")[:20]
    )
    own = _own_organisation_ids(request.user)
    asked = set(
        JoinRequest.objects.filter(
            user=request.user, status=JoinRequest.Status.PENDING
        ).values_list("organisation_id", flat=True)
    )
    return [(o, o.pk in own, o.pk in asked) for o in found]


@login_required
def join_search(request: HttpRequest) -> HttpResponse:
    """The search-as-you-type list of /invitations/join/ (an htmx fragment)."""
    return render(
        request,
        "invitations/_join_results.html",
        {"results": _search(request), "text": request.GET.get("q", "").strip()[:200]},
    )


@login_required
def join_ask(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_to_join(request.user, organisation, form.cleaned_data["message"])
        except (rules.Refused, ValidationError) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                _(
                    "Asked: the editors of %(organisation)s are told and will answer. Until "
                    "then nothing changes."
                )
                % {"organisation": organisation.name},
            )
        return redirect("invitations:join")
    return render(
        request, "invitations/join_ask.html", {"organisation": organisation, "form": form}
    )


@login_required
def join_register(request: HttpRequest) -> HttpResponse:
    """Register an organisation that is not listed (its creator becomes its editor) and ask a
    cluster to take it as a member."""
    form = RegisterOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.save(commit=False)
        try:
            result = services.register_organisation(
                request.user,
                organisation,
                form.cleaned_data.get("cluster"),
                form.cleaned_data.get("message", ""),
            )
        except (rules.Refused, PermissionDenied, ValidationError) as error:
            form.add_error(None, _error_text(error))
        else:
            text = _("%(organisation)s is registered, and you are its editor.") % {
                "organisation": result.organisation.name
            }
            if result.membership is not None:
                if result.membership.pending:
                    text += " " + _(
                        "The cluster's managers are asked to accept it as a member; until "
                        "then nothing changes."
                    )
                else:
                    text += " " + _("It is now a member of the cluster.")
            messages.success(request, text)
            return redirect(result.organisation)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "invitations/join_register.html", {"form": form}, status=status)


@login_required
def join_requests(request: HttpRequest) -> HttpResponse:
    """Requests awaiting the user's answer, and their own."""
    awaiting = rules.join_requests_awaiting(request.user)
    visible = rules.visible_join_requests(request.user)
    return render(
        request,
        "invitations/join_requests.html",
        {
            "awaiting": awaiting,
            "mine": visible.filter(user=request.user, status=JoinRequest.Status.PENDING),
            "answered": visible.exclude(status=JoinRequest.Status.PENDING)[:50],
        },
    )


JOIN_DONE = {
    "accept": gettext_lazy("Accepted: %(who)s is now an editor of %(organisation)s."),
    "decline": gettext_lazy("Declined; %(who)s is told."),
    "withdraw": gettext_lazy("Your request to join %(organisation)s is withdrawn."),
}


@login_required
@require_POST
def join_request_answer(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = get_object_or_404(JoinRequest.objects.select_related("user", "organisation"), pk=pk)
    if action not in services.JOIN_ACTIONS or not rules.may_see_join(request.user, item):
        raise Http404
    try:
        services.JOIN_ACTIONS[action](request.user, item)
    except (rules.Refused, ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            str(JOIN_DONE[action])
            % {"who": item.requester_name, "organisation": item.organisation.name},
        )
    if action == "withdraw":
        return redirect("invitations:join")
    return redirect("invitations:join-requests")
