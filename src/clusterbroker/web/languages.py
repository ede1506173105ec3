"""The languages the site speaks, and how a person chooses one.

`settings.ALL_LANGUAGES` are English and the languages of the partnerships' regions;
`settings.LANGUAGES` holds those whose catalogue is complete (a test fails on any
untranslated entry of a language listed there). A person chooses with the switcher in
the header (remembered in a cookie, and in their account settings when signed in); a
first visit follows the browser's Accept-Language; `?lang=fr` on any page shows it in
French (and remembers it), so a page can be linked in a given language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

PARAMETER = "lang"
COOKIE_AGE = dt.timedelta(days=365)


def spoken(code: str | None) -> bool:
    return bool(code) and code in dict(settings.LANGUAGES)


def remember(request: HttpRequest, response: HttpResponse, code: str) -> None:
    """Keep `code` in the language cookie (and the account settings of a signed-in person)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=int(COOKIE_AGE.total_seconds()),
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        from clusterbroker.accounts.services import update_preferences

        update_preferences(request.user, language=code)


def without_parameter(url: str) -> str:
    """`url` without its `lang` parameter (a page returned to after a choice must not
    choose again)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != PARAMETER]
    return urlunsplit(parts._replace(query=urlencode(query)))


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """The header's switcher: remember the language and go back to the page."""
    back = request.POST.get("next", "") or request.headers.get("Referer", "") or "/"
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = HttpResponseRedirect(without_parameter(back))
    code = request.POST.get("language", "")
    if spoken(code):
        remember(request, response, code)
    return response


class LanguageParameterMiddleware:
    """`?lang=xx` on a page speaks that language for it and remembers the choice; after the
    account settings (it is the latest choice)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = request.GET.get(PARAMETER, "")
        if request.method != "GET" or not spoken(code):
            return self.get_response(request)
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        if response.status_code < 400:
            remember(request, response, code)
        return response
