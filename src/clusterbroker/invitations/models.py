"""Invitations (someone who may invite names a person for a role in an organisation) and join
requests (a person asks an organisation's own people for a role in it).

Both grant nothing until the side that may accept does: an invitation is accepted by whoever
holds its link (sent to the invited address only), a join request by the organisation's own
people (see `rules.py`).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterbroker.registry.models import Organisation, Position
from clusterbroker.registry.models.people import hash_token

VALID_FOR = dt.timedelta(days=14)


class Role(models.TextChoices):
    """The roles an invitation or a join request may give (a subset of `Position.Role`)."""

    EDITOR = Position.Role.EDITOR.value, Position.Role.EDITOR.label
    MANAGER = Position.Role.MANAGER.value, Position.Role.MANAGER.label


class Invitation(models.Model):
    """A single-use invitation to take a role in an organisation; only the token's hash is
    stored, the link goes to the invited address and nowhere else."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        # Not stored: a pending invitation past its date is shown as expired.
        EXPIRED = "expired", _("Expired")

    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.EDITOR)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
    )
    # Made by the platform's operator (command line, an import run from it), not by a user.
    by_platform = models.BooleanField(default=False)
    # Made by the import that created the organisation: its inviter may name its first
    # editor, and the invitation holds only while the organisation has no editor of its own.
    for_new_organisation = models.BooleanField(default=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("last sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    resend_count = models.PositiveIntegerField(_("times resent"), default=0)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_revoked",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # One pending invitation per address and organisation: inviting again resends it.
            models.UniqueConstraint(
                fields=["email", "organisation"],
                condition=Q(status="pending"),
                name="invitation_one_pending",
            )
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def new_token(self) -> str:
        """Give the invitation a fresh token (valid for 14 days); the raw value is returned
        once and never stored, and an earlier link stops working."""
        raw = secrets.token_urlsafe(32)
        self.token_hash = hash_token(raw)
        self.sent_at = timezone.now()
        self.expires_at = self.sent_at + VALID_FOR
        return raw

    @classmethod
    def by_token(cls, raw: str) -> Invitation | None:
        if not raw or len(raw) > 200:
            return None
        return (
            cls.objects.select_related("organisation", "invited_by")
            .filter(token_hash=hash_token(raw))
            .first()
        )

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at <= timezone.now()

    @property
    def state(self) -> str:
        """The status as people see it: pending, accepted, revoked or expired."""
        return self.Status.EXPIRED if self.is_expired else self.status

    @property
    def state_label(self) -> str:
        return str(self.Status(self.state).label)

    @property
    def is_open(self) -> bool:
        """May still be accepted."""
        return self.state == self.Status.PENDING

    @property
    def inviter_name(self) -> str:
        if self.invited_by is None:
            return str(_("ClusterBroker"))
        full = self.invited_by.get_full_name().strip()
        return full or self.invited_by.get_username()


class JoinRequest(models.Model):
    """A person asks to become an editor of an organisation; its own people answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.EDITOR)
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="join_requests_answered",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(status="pending"),
                name="join_request_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"

    @property
    def requester_name(self) -> str:
        full = self.user.get_full_name().strip()
        return full or self.user.get_username()
