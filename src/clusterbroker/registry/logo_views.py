"""The partnership logo, served with the type of the image it decodes as."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .logos import FORMATS, image_format
from .models import Partnership


@require_GET
def partnership_logo(request: HttpRequest, slug: str) -> HttpResponse:
    """Public like the partnership page; a file that no longer decodes is not served."""
    partnership = get_object_or_404(Partnership, slug=slug)
    if not partnership.logo:
        raise Http404
    try:
        with partnership.logo.open("rb") as file:
            kind = image_format(file)
            data = file.read()
    except FileNotFoundError as missing:
        raise Http404 from missing
    if kind is None:
        raise Http404
    response = HttpResponse(data, content_type=FORMATS[kind])
    response["Cache-Control"] = "public, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response
