"""History pages: who changed what in an organisation's or a partnership's records."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from . import permissions
from .history import change_log
from .models import (
    Competence,
    Membership,
    Organisation,
    Participation,
    Partnership,
    PartnershipMember,
    PartnershipRole,
)


def render_history(
    request: HttpRequest, title: str, subject: object, changes: list
) -> HttpResponse:
    return render(
        request, "registry/history.html", {"title": title, "subject": subject, "changes": changes}
    )


@login_required
def organisation_history(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_edit_organisation(request.user, organisation):
        raise PermissionDenied(_("Only the editors of this organisation see its history."))
    pk = organisation.pk
    changes = change_log(
        [
            Organisation.history.filter(id=pk),
            Competence.history.filter(organisation_id=pk),
            Membership.history.filter(Q(organisation_id=pk) | Q(cluster_id=pk)),
            Participation.history.filter(organisation_id=pk),
        ]
    )
    return render_history(request, _("History"), organisation, changes)


@login_required
def partnership_history(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    if not permissions.can_edit_partnership(request.user, partnership):
        raise PermissionDenied(_("Only the managers of this partnership see its history."))
    pk = partnership.pk
    changes = change_log(
        [
            Partnership.history.filter(id=pk),
            PartnershipMember.history.filter(partnership_id=pk),
            PartnershipRole.history.filter(partnership_id=pk),
        ]
    )
    return render_history(request, _("History"), partnership, changes)
