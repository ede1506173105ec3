"""Middleware of the accounts: the signed-in person's language and time zone, and the rule
that platform admins use two-factor authentication."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import services


class PreferencesMiddleware:
    """Speak the language and show the times of the signed-in person's account settings."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        preferences = services.preferences_of(getattr(request, "user", None))
        activated_zone = False
        if preferences is not None:
            if preferences.language and preferences.language in dict(settings.LANGUAGES):
                translation.activate(preferences.language)
                request.LANGUAGE_CODE = translation.get_language()
            if preferences.time_zone:
                try:
                    timezone.activate(zoneinfo.ZoneInfo(preferences.time_zone))
                    activated_zone = True
                except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                    pass
        try:
            return self.get_response(request)
        finally:
            if activated_zone:
                timezone.deactivate()


# URL names an admin without two-factor authentication may still open: those needed to turn
# it on (which may ask for the password again, and need a verified e-mail address), to log
# out, and the account page that explains it.
OPEN_URL_NAMES = {
    "logout",
    "account_logout",
    "account_reauthenticate",
    "account_email",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_change_password",
    "accounts:index",
}
OPEN_URL_PREFIXES = ("mfa_",)


class TwoFactorRequiredMiddleware:
    """A platform admin (staff or superuser) who has not turned on two-factor authentication
    is sent to turn it on before anything else (when `MFA_REQUIRED_FOR_ADMINS` is on).

    The API answers such a session with 403; a request with an API token is not a session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            services.two_factor_required(user)
            and not self._open(request)
            and not services.two_factor_enabled(user)
        ):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _open(request: HttpRequest) -> bool:
        static = "/" + settings.STATIC_URL.lstrip("/")
        if request.path_info.startswith(static):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        name = match.view_name or ""
        return name in OPEN_URL_NAMES or any(name.startswith(p) for p in OPEN_URL_PREFIXES)

    @staticmethod
    def _refuse(request: HttpRequest) -> HttpResponse:
        message = _(
            "Platform admins must turn on two-factor authentication before they go on: "
            "set up an authenticator app below."
        )
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        if request.method == "GET" and not request.headers.get("HX-Request"):
            messages.warning(request, message, fail_silently=True)
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
