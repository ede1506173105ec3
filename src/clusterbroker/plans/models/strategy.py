from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clusterbroker.registry.countries import country_name, validate_country_code
from clusterbroker.registry.models import Partnership


class SwotQuadrant(models.TextChoices):
    STRENGTH = "strength", _("Strengths")
    WEAKNESS = "weakness", _("Weaknesses")
    OPPORTUNITY = "opportunity", _("Opportunities")
    THREAT = "threat", _("Threats")


class SwotItem(models.Model):
    """One point of the SWOT analysis of a partnership's internationalisation strategy."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="swot_items"
    )
    quadrant = models.CharField(_("quadrant"), max_length=12, choices=SwotQuadrant.choices)
    text = models.TextField(_("text"))
    position = models.PositiveSmallIntegerField(
        pgettext_lazy("order in a list", "position"), default=0
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "quadrant", "position", "pk"]
        verbose_name = _("SWOT item")
        verbose_name_plural = _("SWOT items")

    def __str__(self) -> str:
        return f"{self.get_quadrant_display()}: {self.text[:60]}"


class TargetMarket(models.Model):
    """A third country a partnership wants to reach, why, and with which actions."""

    class Status(models.TextChoices):
        MAIN = "main", _("Main target")
        CANDIDATE = "candidate", _("Candidate")
        FALLBACK = "fallback", _("Fallback")
        ACTIVE = "active", _("Being entered")
        DROPPED = "dropped", _("Dropped")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="target_markets"
    )
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    rationale = models.TextField(_("rationale"), blank=True)
    planned_actions = models.TextField(_("planned actions"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CANDIDATE
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "status", "country"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "country"], name="one_target_market_per_country"
            )
        ]
        verbose_name = _("target market")
        verbose_name_plural = _("target markets")

    def __str__(self) -> str:
        return f"{self.country} · {self.partnership}"

    @property
    def country_name(self) -> str:
        return country_name(self.country)
