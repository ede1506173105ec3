"""The account page (/account/): name, e-mail, password, two-factor, language and time zone,
notification settings, roles held, download of one's data, deletion of the account."""

from __future__ import annotations

import json

from allauth.account.decorators import reauthentication_required
from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .forms import DeleteAccountForm, NameForm, PreferencesForm


def _page(request: HttpRequest, *, name_form=None, preferences_form=None) -> HttpResponse:
    user = request.user
    preferences = services.preferences_of(user)
    person = services.person_for(user, create=False)
    return render(
        request,
        "accounts/account.html",
        {
            "person": person,
            "roles": services.roles_of(user),
            "email": EmailAddress.objects.filter(user=user, primary=True).first(),
            "pending_email": EmailAddress.objects.filter(user=user, verified=False).first(),
            "two_factor": services.two_factor_enabled(user),
            "reaches_admin_site": services.reaches_admin_site(user),
            "two_factor_required": services.two_factor_required(user),
            "name_form": name_form
            or NameForm(
                initial={
                    "first_name": person.first_name if person else user.first_name,
                    "last_name": person.last_name if person else user.last_name,
                }
            ),
            "preferences_form": preferences_form
            or PreferencesForm(
                initial={
                    "language": preferences.language if preferences else "",
                    "time_zone": preferences.time_zone if preferences else "",
                }
            ),
            "current_time_zone": timezone.get_current_timezone_name(),
        },
    )


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _page(request)


def _apply(form, action) -> bool:
    """Run `action(cleaned_data)`; its validation errors go next to the form's fields."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    return True


@login_required
@require_POST
def update_name(request: HttpRequest) -> HttpResponse:
    form = NameForm(request.POST)
    if _apply(form, lambda data: services.update_name(request.user, **data)):
        messages.success(request, _("Your name is saved."))
        return redirect("accounts:index")
    return _page(request, name_form=form)


@login_required
@require_POST
def update_preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST)
    if _apply(form, lambda data: services.update_preferences(request.user, **data)):
        messages.success(request, _("Your language and time zone are saved."))
        return redirect("accounts:index")
    return _page(request, preferences_form=form)


@login_required
@require_GET
@reauthentication_required
def download_data(request: HttpRequest) -> HttpResponse:
    """Everything ClusterBroker holds about the signed-in person, as a JSON file."""
    data = services.export_account(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="clusterbroker-my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_account(user)
        except services.AccountError as error:
            form.add_error(None, str(error))
        else:
            logout(request)
            messages.success(
                request, _("Your account is deleted and your personal data erased. Goodbye.")
            )
            return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
