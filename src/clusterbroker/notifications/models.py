"""Notices shown in the application (the bell), each person's delivery choice per kind, the
outbox of e-mails waiting to be sent, and the addresses that asked for no more e-mail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import DELIVERY_CHOICES, KIND_CHOICES

DIGEST_KIND = "digest"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_user(self, user):
        return self.filter(recipient=user)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=KIND_CHOICES)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Waiting for the recipient's daily digest; cleared when a digest takes it.
    digest_pending = models.BooleanField(_("waiting for the digest"), default=False)
    digest_email = models.ForeignKey(
        "OutgoingEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="digested_notifications",
        verbose_name=_("digest e-mail"),
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_created"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notif_unread_by_recipient",
            ),
            models.Index(
                fields=["recipient"],
                condition=Q(digest_pending=True),
                name="notif_digest_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How a person wants e-mail about one kind of notice; no row means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=KIND_CHOICES)
    delivery = models.CharField(_("e-mail"), max_length=20, choices=DELIVERY_CHOICES)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notif_pref_user_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}: {self.delivery}"


class EmailSuppression(models.Model):
    """An address without an account that asked for no more e-mail of one kind."""

    address = models.EmailField(_("address"), max_length=254)
    kind = models.CharField(_("kind"), max_length=40)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("unsubscribed address")
        verbose_name_plural = _("unsubscribed addresses")
        constraints = [
            models.UniqueConstraint(fields=["address", "kind"], name="notif_suppression_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.address} · {self.kind}"


class OutgoingEmail(models.Model):
    """One e-mail in the outbox: written with the change that caused it, sent by a
    background task, retried on failure and kept (as failed) when it never went out."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to_address = models.EmailField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=400)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    # [{"filename": …, "mimetype": …, "content_b64": …}]
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outgoing_emails",
        verbose_name=_("user"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["user", "kind", "-created_at"], name="outbox_user_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.to_address}: {self.subject}"
