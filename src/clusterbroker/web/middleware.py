"""Refuse page requests that carry a NUL character, which no database text can hold."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _


class RejectNulCharactersMiddleware:
    """A 400 for a NUL character in the path, the query or a form field of a page request.

    (PostgreSQL refuses NUL in any text, so such a request would otherwise end in a
    server error. The API answers the same case with a 422 of its own.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/") and self._has_nul(request):
            return HttpResponseBadRequest(
                _("The request contains a NUL character, which is not allowed."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path:
            return True
        forms = [request.GET]
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            forms.append(request.POST)
        return any(
            "\x00" in key or any("\x00" in v for v in values)
            for form in forms
            for key, values in form.lists()
        )
