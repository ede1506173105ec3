"""Middleware of the pages: refuse NUL characters; security headers and HTTPS-only cookies."""

from collections.abc import Callable
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

# Features no page of ClusterBroker uses: refused to the page and to anything it embeds.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

# Uploads whose content becomes database text (organisation imports): NUL is refused in them.
TEXT_UPLOAD_SUFFIXES = {".csv"}
TEXT_UPLOAD_TYPES = {"text/csv"}


def _bad_request(message: str) -> HttpResponse:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class RejectNulCharactersMiddleware:
    """A 400 naming the field for a NUL character in a page request: in the path, the query,
    a form field (URL-encoded or multipart) or the content of an uploaded CSV file.

    (PostgreSQL refuses NUL in any text, so such a request would otherwise end in a
    server error. The API answers the same case with a 422 of its own.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            try:
                problem = self.nul_problem(request)
            except MultiPartParserError:
                return _bad_request(_("The form data could not be read; send the form again."))
            if problem:
                return _bad_request(problem)
        return self.get_response(request)

    @classmethod
    def nul_problem(cls, request: HttpRequest) -> str:
        """What in the request carries a NUL character, as a message; "" when nothing does."""
        if "\x00" in request.path:
            return _("The address contains a NUL character, which is not allowed.")
        forms = [request.GET]
        if request.method == "POST" and request.content_type in {
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        }:
            forms.append(request.POST)
        for form in forms:
            for key, values in form.lists():
                if "\x00" in key or any("\x00" in v for v in values):
                    return cls._field_message(key)
        if request.method == "POST" and request.content_type == "multipart/form-data":
            for key, upload in request.FILES.items():
                if "\x00" in key or "\x00" in (upload.name or ""):
                    return cls._field_message(key)
                if cls._is_text_upload(upload) and cls._contains_nul(upload):
                    return _(
                        "The file “%(name)s” of the field “%(field)s” contains a NUL character, "
                        "which is not allowed; save it as CSV UTF-8 text."
                    ) % {"name": upload.name, "field": key}
        return ""

    @staticmethod
    def _field_message(key: str) -> str:
        return _("The field “%(field)s” contains a NUL character, which is not allowed.") % {
            "field": key.replace("\x00", "")
        }

    @staticmethod
    def _is_text_upload(upload: UploadedFile) -> bool:
        suffix = Path(upload.name or "").suffix.lower()
        return suffix in TEXT_UPLOAD_SUFFIXES or upload.content_type in TEXT_UPLOAD_TYPES

    @staticmethod
    def _contains_nul(upload: UploadedFile) -> bool:
        try:
            return any(b"\x00" in chunk for chunk in upload.chunks())
        finally:
            upload.seek(0)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; every cookie set over HTTPS is Secure.

    Production settings make the session and CSRF cookies Secure anyway; this covers any
    deployment that serves HTTPS (and every other cookie, such as the messages cookie).
    Over plain HTTP in development the cookies stay usable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.is_secure():
            for morsel in response.cookies.values():
                morsel["secure"] = True
        return response
