from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .organisations import Organisation


class Project(models.Model):
    acronym = models.CharField(_("acronym"), max_length=60, db_index=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    topic_code = models.CharField(_("topic code"), max_length=60, blank=True)
    funding_scheme = models.CharField(_("funding scheme"), max_length=120, blank=True)
    programme = models.CharField(_("programme"), max_length=120, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    objective = models.TextField(_("objective"), blank=True)
    participants = models.ManyToManyField(
        Organisation, through="Participation", related_name="projects"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return self.acronym

    def get_absolute_url(self) -> str:
        return reverse("registry:project", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("A project cannot end before it starts.")})


class Participation(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        PARTICIPANT = "participant", _("Participant")
        THIRD_PARTY = "third_party", _("Third party")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"], name="participation_unique")
        ]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self) -> str:
        return f"{self.organisation} in {self.project}"
