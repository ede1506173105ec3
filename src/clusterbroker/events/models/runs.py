from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .events import Event


class SchedulingRun(models.Model):
    """One run of the scheduler for an event, done by a worker; its summary is kept."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="scheduling_runs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    mode = models.CharField(_("method"), max_length=10, default="auto")
    allow_moving = models.BooleanField(_("announced meetings may move"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    summary = models.JSONField(_("summary"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("scheduling run")
        verbose_name_plural = _("scheduling runs")

    def __str__(self) -> str:
        return f"{self.event} · {self.get_status_display()}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
