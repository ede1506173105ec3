from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clusterbroker.registry.models import Partnership


class KpiSource(models.TextChoices):
    COMPUTED = "computed", _("Computed from the data")
    MANUAL = "manual", _("Entered by hand with evidence")


class Measure(models.TextChoices):
    """The fixed menu of measures ClusterBroker counts itself (see `plans.kpis`)."""

    EVENTS_HELD = "events_held", _("Events held")
    MEETINGS_HELD = "meetings_held", _("B2B meetings held")
    AGREEMENTS_SIGNED = "agreements_signed", _("Agreements signed at B2B meetings")
    ORGANISATIONS_TOOK_PART = "organisations_took_part", _("Organisations that took part")
    FOREIGN_ORGANISATIONS = (
        "foreign_organisations",
        _("Organisations from other countries that took part"),
    )
    PROJECTS_STARTED = "projects_started", _("Projects started")
    MEMBERS_ADDED = "members_added", _("Members added")
    ACTIONS_COMPLETED = "actions_completed", _("Actions completed")
    ORGANISATIONS_SURVEYED = "organisations_surveyed", _("Organisations surveyed")
    ORGANISATIONS_ANSWERED = (
        "organisations_answered",
        _("Organisations that answered a survey"),
    )


class Kpi(models.Model):
    """A key performance indicator of a partnership: a target over a period and a source."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="kpis")
    position = models.PositiveSmallIntegerField(
        pgettext_lazy("order in a list", "position"), default=0
    )
    name = models.CharField(_("name"), max_length=255)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    period_start = models.DateField(
        _("period start"), null=True, blank=True, help_text=_("Empty: the partnership's start.")
    )
    period_end = models.DateField(
        _("period end"), null=True, blank=True, help_text=_("Empty: the partnership's end.")
    )
    source = models.CharField(_("source"), max_length=10, choices=KpiSource.choices)
    measure = models.CharField(
        _("measure"),
        max_length=30,
        choices=Measure.choices,
        blank=True,
        help_text=_("For a computed KPI: what is counted."),
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "position", "name"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")

    def __str__(self) -> str:
        return self.name

    @property
    def is_computed(self) -> bool:
        return self.source == KpiSource.COMPUTED

    def clean(self) -> None:
        errors = {}
        if self.source == KpiSource.COMPUTED and not self.measure:
            errors["measure"] = _("A computed KPI needs a measure from the menu.")
        if self.source == KpiSource.MANUAL and self.measure:
            errors["measure"] = _("A KPI entered by hand has no measure; choose “computed”.")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period ends before it starts.")
        if errors:
            raise ValidationError(errors)


class Evidence(models.Model):
    """A document backing a hand-entered value, kept in the database with its value."""

    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=120)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")

    def __str__(self) -> str:
        return self.filename


class KpiValue(models.Model):
    """A value of a hand-entered KPI on a date, with its evidence and who entered it."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    as_of = models.DateField(_("as of"))
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    evidence_document = models.OneToOneField(
        Evidence,
        verbose_name=_("evidence document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kpi_value",
    )
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kpi_values",
    )
    entered_by_name = models.CharField(_("entered by (name)"), max_length=200, blank=True)
    entered_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi", "as_of", "entered_at"]
        verbose_name = _("KPI value")
        verbose_name_plural = _("KPI values")

    def __str__(self) -> str:
        return f"{self.kpi}: {self.value} ({self.as_of})"
