from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusterbroker.registry.models import Organisation


class RoadmapVersion(models.Model):
    """A cluster's answers to the ten roadmap questions (seed 000), as of one date."""

    cluster = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="roadmap_versions"
    )
    answered_on = models.DateField(_("answered on"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roadmap_versions",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster", "-answered_on", "-created_at"]
        verbose_name = _("roadmap questionnaire")
        verbose_name_plural = _("roadmap questionnaires")

    def __str__(self) -> str:
        return f"{self.cluster} · {self.answered_on}"


class RoadmapAnswer(models.Model):
    version = models.ForeignKey(RoadmapVersion, on_delete=models.CASCADE, related_name="answers")
    question = models.PositiveSmallIntegerField(_("question"))
    text = models.TextField(_("answer"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "question"]
        constraints = [
            models.UniqueConstraint(fields=["version", "question"], name="one_answer_per_question")
        ]
        verbose_name = _("roadmap answer")
        verbose_name_plural = _("roadmap answers")

    def __str__(self) -> str:
        return f"Q{self.question} · {self.version}"
