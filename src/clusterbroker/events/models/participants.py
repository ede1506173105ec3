from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusterbroker.registry.models import Organisation, Term

from .events import Event, Session


class Participant(models.Model):
    """An organisation registered at an event, with its profile and availability."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="event_participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    offers = models.TextField(_("what we offer"), blank=True)
    needs = models.TextField(_("what we look for"), blank=True)
    description = models.TextField(_("about us"), blank=True)
    terms = models.ManyToManyField(Term, verbose_name=_("technologies"), blank=True)
    available_sessions = models.ManyToManyField(
        Session, verbose_name=_("available in sessions"), related_name="available_participants"
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"], name="one_registration_per_organisation"
            )
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return f"{self.organisation.name} @ {self.event.name}"

    def get_absolute_url(self) -> str:
        return reverse("events:participant", args=[self.event.slug, self.pk])
