"""The pages shown for a refusal (403), a missing page (404) and a server error (500).

403 and 404 use the site's layout and menu. The 500 page is rendered without the request,
so that neither the database nor a context processor (which may be what failed) is needed:
it shows a reference number, logged with the error, that a person can quote to the team.
"""

import logging
import secrets
import sys
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import NoReverseMatch, reverse

logger = logging.getLogger("clusterbroker.errors")

# Pages an organisation's slug in the address belongs to: a refusal there can lead to the
# request to join that organisation.
ORGANISATION_PAGES = {"organisation-edit", "organisation-delete", "competence-add"}


def error_reference() -> str:
    """A short reference for one error, easy to read out and to find in the server log."""
    return secrets.token_hex(4).upper()


def _join_url(request: HttpRequest) -> str:
    """Where a signed-in person refused a page asks for access: the request to join the
    organisation of the page, or the search for one's organisation."""
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("slug") if match else None
    try:
        if match and slug and match.url_name in ORGANISATION_PAGES:
            return reverse("invitations:join-ask", args=[slug])
        return reverse("invitations:join")
    except NoReverseMatch:
        return ""


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: a way to log in for a visitor, a way to ask for access for a signed-in person."""
    context = {
        "join_url": _join_url(request),
        "login_url": reverse(settings.LOGIN_URL),
        "error_page": True,
    }
    return render(request, "403.html", context, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 with a search box. Like the 403, it does not repeat the address asked for (the
    language switcher returns through the Referer): a hidden record and a missing one give
    the same page."""
    context = {"request_path": request.path, "error_page": True}
    return render(request, "404.html", context, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 with a reference number, logged with the error and its traceback."""
    reference = error_reference()
    logger.error(
        "Server error, reference %s: %s %s",
        reference,
        request.method,
        request.path,
        exc_info=sys.exc_info()[0] is not None,
    )
    body = loader.get_template("500.html").render({"reference": reference})
    response = HttpResponseServerError(body)
    response["X-Error-Reference"] = reference
    return response


class ErrorPagesMiddleware:
    """With DEBUG on, the site's 404 page instead of Django's technical one (for an address
    that matches no page and for a page that raised Http404), unless TECHNICAL_404_PAGE says
    to show the technical page. With DEBUG off the handlers of `urls.py` do this already."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def _active(self) -> bool:
        return settings.DEBUG and not getattr(settings, "TECHNICAL_404_PAGE", False)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        unresolved = getattr(request, "resolver_match", None) is None
        if self._active() and response.status_code == 404 and unresolved:
            return page_not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if self._active() and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
