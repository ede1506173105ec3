from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusterbroker.registry.models import Organisation, Term

from .events import Event, Session


class Participant(models.Model):
    """A person registered at an event for an organisation, with its profile and availability.

    One person may register several organisations and one organisation may send several
    people; each has their own record (and agenda). A record made by an organiser for
    someone without an account waits, by its e-mail, for the account that proves it.
    """

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
    email = models.EmailField(_("e-mail"), blank=True)
    offers = models.TextField(_("what we offer"), blank=True)
    needs = models.TextField(_("what we look for"), blank=True)
    description = models.TextField(_("about us"), blank=True)
    terms = models.ManyToManyField(Term, verbose_name=_("technologies"), blank=True)
    available_sessions = models.ManyToManyField(
        Session, verbose_name=_("available in sessions"), related_name="available_participants"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    no_show_at = models.DateTimeField(
        _("marked as not attending"),
        null=True,
        blank=True,
        help_text=_("A no-show: their remaining meetings were freed."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation", "user"],
                condition=Q(user__isnull=False),
                name="one_registration_per_person_and_organisation",
            ),
            models.UniqueConstraint(
                fields=["event", "organisation", "email"],
                condition=Q(user__isnull=True) & ~Q(email=""),
                name="one_waiting_registration_per_address_and_organisation",
            ),
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return f"{self.organisation.name} @ {self.event.name}"

    def get_absolute_url(self) -> str:
        return reverse("events:participant", args=[self.event.slug, self.pk])

    @property
    def person_name(self) -> str:
        """Who comes: the contact named, else the account's name, else the e-mail."""
        if self.contact_name:
            return self.contact_name
        if self.user is not None:
            return self.user.get_full_name().strip() or self.user.get_username()
        return self.email
