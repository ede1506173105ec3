"""The history of a partnership's management records, for its managers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from clusterbroker.registry.history import change_log
from clusterbroker.registry.history_views import render_history
from clusterbroker.registry.models import Partnership

from . import permissions
from .models import Action, Evidence, Kpi, KpiValue, PlanVisibility, SwotItem, TargetMarket


@login_required
def plan_history(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    if not permissions.can_manage_plan(request.user, partnership):
        raise PermissionDenied(_("Only the managers of this partnership see its history."))
    pk = partnership.pk
    # Deleted KPIs and values are found through their history, so their deletion shows too.
    kpi_ids = Kpi.history.filter(partnership_id=pk).values("id")
    value_history = KpiValue.history.filter(kpi_id__in=kpi_ids)
    evidence_ids = value_history.exclude(evidence_document_id=None).values("evidence_document_id")
    changes = change_log(
        [
            PlanVisibility.history.filter(partnership_id=pk),
            Action.history.filter(partnership_id=pk),
            Kpi.history.filter(partnership_id=pk),
            value_history,
            Evidence.history.filter(id__in=evidence_ids),
            SwotItem.history.filter(partnership_id=pk),
            TargetMarket.history.filter(partnership_id=pk),
        ]
    )
    return render_history(request, _("Management history"), partnership, changes)
