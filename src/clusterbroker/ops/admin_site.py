"""The admin site, guarded against odd values in its URLs (a 4xx instead of a server error).

Django's admin and django-simple-history's history pages trust their URLs: a record id
that is not an id (`/admin/events/event/abc/history/`), a history id that is not a number,
an empty `_to_field`, or a form's initial value that names no record (`add/?organisation=x`)
end in a server error. Every view of a model's admin passes here first: such a request is
a 404 (no such record), a 400 (`_to_field`), or the add form without that initial value.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

MAX_ID = 2**63 - 1
MAX_ID_DIGITS = 19


def _is_id(model: type[models.Model], value: str) -> bool:
    """Whether `value` can be the primary key of a record of `model`."""
    field = model._meta.pk
    try:
        key = field.target_field.to_python(value) if field.is_relation else field.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return False
    if isinstance(key, int):
        return len(value.strip().lstrip("-")) <= MAX_ID_DIGITS and -MAX_ID <= key <= MAX_ID
    return key is not None


def _history_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS


def _valid_initial(model: type[models.Model], name: str, value: str) -> bool:
    """Whether an initial value from the add form's query can be shown in the form."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return True  # not a field: the admin ignores it
    if not field.is_relation or field.related_model is None:
        return "\x00" not in value
    values = value.split(",") if field.many_to_many else [value]
    return all(_is_id(field.related_model, item) for item in values if item)


def guard(view: Callable, model: type[models.Model]) -> Callable:
    """`view` of `model`'s admin, refusing odd values in the URL (see the module)."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: str, **kwargs: str) -> HttpResponse:
        if request.GET.get(TO_FIELD_VAR, None) == "":
            raise DisallowedModelAdminToField(_("The field to link to is empty."))
        object_id = kwargs.get("object_id", args[0] if args else None)
        if object_id is not None and not _is_id(model, unquote(str(object_id))):
            raise Http404(_("No record has the id “%(id)s”.") % {"id": object_id})
        if len(args) > 1 and not _history_id(str(args[1])):
            raise Http404(_("No history entry has the id “%(id)s”.") % {"id": args[1]})
        if getattr(view, "__name__", "") == "add_view":
            query = request.GET.copy()
            for name, value in list(query.items()):
                if not _valid_initial(model, name, value):
                    del query[name]
            request.GET = query
        return view(request, *args, **kwargs)

    return guarded


class GuardedAdminSite(AdminSite):
    """The admin site; every view of a model's admin is guarded (see `guard`)."""

    def admin_view(self, view: Callable, cacheable: bool = False) -> Callable:
        model = getattr(getattr(view, "__self__", None), "model", None)
        if model is not None:
            view = guard(view, model)
        return super().admin_view(view, cacheable)


class GuardedAdminConfig(AdminConfig):
    """`django.contrib.admin` with `GuardedAdminSite` as its site."""

    default_site = "clusterbroker.ops.admin_site.GuardedAdminSite"
