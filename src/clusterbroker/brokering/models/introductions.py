from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusterbroker.registry.models import Organisation

from .profiles import Need


class Introduction(models.Model):
    """An organisation asks to be introduced to the owner of a (confidential) need.

    `answered_by` is the keeper who accepted or declined it. An acceptance is revoked when
    the one who gave it no longer keeps the need's profile (the relation that made them a
    keeper was removed): the owner never consented through anyone else, so the
    requester's access ends and the owner's keepers may answer again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="introductions")
    requester = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="introduction_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["need", "requester"], name="introduction_unique")
        ]
        verbose_name = _("introduction request")
        verbose_name_plural = _("introduction requests")

    def __str__(self) -> str:
        return f"{self.requester} → {self.need}"
