from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusterbroker.registry.countries import validate_country_code
from clusterbroker.registry.models import Organisation, Project, Region, Term

from .contributions import Contribution, Sector


class Story(Contribution):
    """A best practice or success story: challenge, solution, results and impact."""

    class Kind(models.TextChoices):
        BEST_PRACTICE = "best_practice", _("Best practice")
        SUCCESS_STORY = "success_story", _("Success story")
        EXPERIMENT = "experiment", _("Application experiment")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("type"), max_length=14, choices=Kind.choices, default=Kind.BEST_PRACTICE
    )
    summary = models.TextField(_("summary"), blank=True)
    challenge = models.TextField(_("challenge"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    results = models.TextField(_("results"), blank=True)
    impact = models.TextField(_("impact"), blank=True)
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations involved"), blank=True, related_name="+"
    )
    terms = models.ManyToManyField(
        Term, verbose_name=_("technologies"), blank=True, related_name="+"
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, validators=[validate_country_code]
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("best practice")
        verbose_name_plural = _("best practices")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:story", args=[self.pk])
