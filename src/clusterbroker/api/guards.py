"""Checks every API request passes before its own validation."""

import functools
import re

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

# A JSON escape of the NUL character: an odd number of backslashes, then u0000.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)


def has_nul(request: HttpRequest, kwargs: dict) -> str | None:
    """Where the request carries a NUL character (databases cannot store or compare it:
    PostgreSQL refuses it in any text), or None."""
    if "\x00" in request.path:
        return "path"
    if any("\x00" in str(v) for v in kwargs.values()):
        return "path"
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            return f"query: {key.replace(chr(0), '')}"
    body = request.body if request.method in {"POST", "PUT", "PATCH"} else b""
    if b"\x00" in body or _JSON_NUL.search(body):
        return "body"
    return None


def reject_nul_characters(view):
    """Answer 422 to a request with a NUL character anywhere, before it reaches a query."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs):
        where = has_nul(request, kwargs)
        if where:
            return JsonResponse(
                {"detail": _("%(where)s: NUL characters are not allowed.") % {"where": where}},
                status=422,
            )
        return view(request, *args, **kwargs)

    return guarded
