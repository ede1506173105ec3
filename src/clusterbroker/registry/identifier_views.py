"""Editing the codes an organisation is known by elsewhere (PIC, VAT number, web domain, DIH
catalogue id): by those who may edit the organisation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import permissions
from .forms import IdentifiersForm
from .models import Organisation


@login_required
def organisation_identifiers(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    form = IdentifiersForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:
            form.add_error(None, _("Another organisation took one of these codes meanwhile."))
        else:
            messages.success(request, _("Identifiers saved."))
            return redirect(organisation)
    return render(
        request,
        "registry/organisation_identifiers.html",
        {"form": form, "organisation": organisation},
    )
