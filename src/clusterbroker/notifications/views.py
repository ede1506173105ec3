"""Pages: all my notices, opening one (marks it read), my settings per kind, and the
unsubscribe link of the e-mails (which works without logging in)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import service
from .forms import NotificationSettingsForm
from .models import Notification

PAGE_SIZE = 25


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    qs = Notification.objects.filter(recipient=request.user)
    show = request.GET.get("show", "")
    if show == "unread":
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "show": show,
            "query_string": "show=unread" if show == "unread" else "",
            "unread_total": service.unread_count(request.user),
        },
    )


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = service.mark_all_read(request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


def _own(request: HttpRequest, pk: int) -> Notification:
    # Another person's notice is "not found", whether it exists or not.
    return get_object_or_404(Notification, pk=pk, recipient=request.user)


def _safe_target(request: HttpRequest, url: str) -> str | None:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notice's link, marking it read on the way."""
    notice = _own(request, pk)
    service.mark_read(request.user, notice)
    return redirect(_safe_target(request, notice.url) or "notifications:list")


@login_required
@require_POST
def read_notification(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _own(request, pk)
    service.mark_read(request.user, notice)
    return redirect(_safe_target(request, request.POST.get("next", "")) or "notifications:list")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    current = service.preferences_for(request.user)
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST, initial_choices=current)
        if form.is_valid():
            service.set_preferences(request.user, form.cleaned_data)
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:settings")
    else:
        form = NotificationSettingsForm(initial_choices=current)
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "has_email": bool((request.user.email or "").strip())},
    )


@csrf_exempt  # the signed token is the credential; mail programs' one-click POST has no CSRF
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        unsubscription = service.read_unsubscribe_token(token)
    except service.BadToken:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        service.unsubscribe(unsubscription)
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {
            "unsubscription": unsubscription,
            "done": done,
            "already": not done and service.is_unsubscribed(unsubscription),
        },
    )
