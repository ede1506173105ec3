from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusterbroker.registry.models import Organisation, Partnership, Project


class ActionPhase(models.TextChoices):
    """The three steps of a partnership's activity (seed 001)."""

    PREPARATION = "preparation", _("Preparation")
    IMPLEMENTATION = "implementation", _("Implementation")
    INVESTMENT = "investment", _("Investment")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class FundingSource(models.TextChoices):
    OWN = "own", _("Own resources")
    INTERREG = "interreg", _("Interreg")
    HORIZON = "horizon", _("Horizon Europe / H2020")
    COSME = "cosme", _("COSME / Single Market Programme")
    ERDF = "erdf", _("ERDF")
    EFSI = "efsi", _("European Fund for Strategic Investments")
    NATIONAL = "national", _("National programme")
    REGIONAL = "regional", _("Regional programme")
    OTHER = "other", _("Other")


class RoadmapHorizon(models.TextChoices):
    """Where an action sits in the internationalisation roadmap (seed 002)."""

    NONE = "", _("Not part of the internationalisation roadmap")
    TWO_YEARS = "2y", _("2-year roadmap")
    FIVE_YEARS = "5y", _("5-year roadmap")


class Action(models.Model):
    """One line of a partnership's joint action plan, led by one of its members."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveSmallIntegerField(_("number"), default=0)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    phase = models.CharField(
        _("phase"), max_length=20, choices=ActionPhase.choices, default=ActionPhase.PREPARATION
    )
    lead = models.ForeignKey(
        Organisation,
        verbose_name=_("lead partner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_actions",
    )
    contributors = models.ManyToManyField(
        Organisation,
        verbose_name=_("contributing partners"),
        blank=True,
        related_name="contributed_actions",
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    funding_source = models.CharField(
        _("funding source"), max_length=20, choices=FundingSource.choices, blank=True
    )
    horizon = models.CharField(
        _("internationalisation roadmap"),
        max_length=2,
        choices=RoadmapHorizon.choices,
        blank=True,
        default=RoadmapHorizon.NONE,
    )
    events = models.ManyToManyField(
        "events.Event", verbose_name=_("events"), blank=True, related_name="plan_actions"
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("projects"), blank=True, related_name="plan_actions"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "number", "start", "title"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The action ends before it starts.")})


class OverdueNotice(models.Model):
    """An action was reported overdue (`clusterbroker notify-overdue`): kept so that the
    report is given once per action and end date. Moving the end date and missing it again
    opens a new report."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="overdue_notices")
    end = models.DateField(_("end"))
    notified_at = models.DateTimeField(_("notified"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "end"], name="overdue_notice_once")
        ]
        verbose_name = _("overdue notice")
        verbose_name_plural = _("overdue notices")

    def __str__(self) -> str:
        return f"{self.action} · {self.end}"
