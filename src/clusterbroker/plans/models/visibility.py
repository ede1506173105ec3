from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusterbroker.registry.models import Partnership


class PlanVisibility(models.Model):
    """What of a partnership's management the public may see; members always see all of it."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="plan_visibility"
    )
    action_plan = models.BooleanField(_("action plan is public"), default=False)
    kpis = models.BooleanField(_("KPIs are public"), default=False)
    strategy = models.BooleanField(_("internationalisation strategy is public"), default=False)
    report = models.BooleanField(_("report is public"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan visibility")
        verbose_name_plural = _("plan visibilities")

    def __str__(self) -> str:
        return str(self.partnership)
