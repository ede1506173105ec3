"""Admin actions on people: export their personal data, erase it (platform admins only)."""

import json

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .personal_data import erase_person, export_person


def _refuse(modeladmin, request: HttpRequest) -> bool:
    if request.user.is_superuser:
        return False
    modeladmin.message_user(
        request, _("Only platform admins export or erase personal data."), messages.ERROR
    )
    return True


@admin.action(description=gettext_lazy("Export personal data (JSON)"))
def export_personal_data(modeladmin, request: HttpRequest, queryset) -> HttpResponse | None:
    if _refuse(modeladmin, request):
        return None
    people = [export_person(person) for person in queryset.select_related("user")]
    response = HttpResponse(
        json.dumps(people[0] if len(people) == 1 else people, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    name = f"person-{people[0]['person']['id']}" if len(people) == 1 else "people"
    response["Content-Disposition"] = f'attachment; filename="{name}-personal-data.json"'
    return response


@admin.action(description=gettext_lazy("Erase personal data"))
def erase_personal_data(modeladmin, request: HttpRequest, queryset) -> HttpResponse | None:
    """Asks for confirmation first, like Django's own delete action."""
    if _refuse(modeladmin, request):
        return None
    if request.POST.get("confirm") != "yes":
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": _("Erase personal data"),
            "people": queryset,
            "opts": modeladmin.model._meta,
            "action": "erase_personal_data",
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(request, "ops/erase_confirm.html", context)
    erased = [erase_person(person) for person in queryset.select_related("user")]
    modeladmin.message_user(
        request,
        _("Personal data of %(count)d people erased.") % {"count": len(erased)},
        messages.SUCCESS,
    )
    return None
