"""The history of a label or award call's evaluation records, for those who run it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from clusterbroker.registry.history import change_log
from clusterbroker.registry.history_views import render_history

from .. import permissions
from ..models import (
    Application,
    Assignment,
    AwardCall,
    CriteriaSection,
    CriteriaSet,
    Criterion,
    Score,
)


@login_required
def call_history(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(AwardCall, slug=slug)
    if not permissions.can_manage_call(request.user, call):
        raise PermissionDenied(_("Only the managers of this call see its history."))
    # Records deleted since are found through their history, so their deletion shows too.
    section_ids = CriteriaSection.history.filter(criteria_set_id=call.criteria_set_id).values("id")
    application_ids = Application.history.filter(call_id=call.pk).values("id")
    assignment_ids = Assignment.history.filter(application_id__in=application_ids).values("id")
    changes = change_log(
        [
            AwardCall.history.filter(id=call.pk),
            CriteriaSet.history.filter(id=call.criteria_set_id),
            CriteriaSection.history.filter(criteria_set_id=call.criteria_set_id),
            Criterion.history.filter(section_id__in=section_ids),
            Application.history.filter(call_id=call.pk),
            Assignment.history.filter(application_id__in=application_ids),
            Score.history.filter(assignment_id__in=assignment_ids),
        ]
    )
    return render_history(request, _("Evaluation history"), call, changes)
