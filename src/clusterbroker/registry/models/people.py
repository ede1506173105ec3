import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .organisations import Organisation
from .partnerships import Partnership


class Person(models.Model):
    """A person of the ecosystem; e-mail and phone are personal data."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    first_name = models.CharField(_("first name"), max_length=120)
    last_name = models.CharField(_("last name"), max_length=120)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Position(models.Model):
    """A person's role in an organisation; `editor` and `manager` may change its records."""

    class Role(models.TextChoices):
        CONTACT = "contact", _("Contact")
        EDITOR = "editor", _("Profile editor")
        MANAGER = "manager", _("Cluster manager")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="positions"
    )
    title = models.CharField(_("job title"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CONTACT)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], name="position_unique")
        ]
        verbose_name = pgettext_lazy("job held in an organisation", "position")
        verbose_name_plural = pgettext_lazy("job held in an organisation", "positions")

    def __str__(self) -> str:
        return f"{self.person} · {self.organisation}"


class PartnershipRole(models.Model):
    """A person's role in a partnership; managers run the partnership."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("Partnership manager")
        REPRESENTATIVE = "representative", _("Representative")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="partnership_roles")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "partnership", "role"], name="partnership_role_unique"
            )
        ]
        verbose_name = _("partnership role")
        verbose_name_plural = _("partnership roles")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.partnership}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API; only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        """Create a token for `user`; the raw value is returned once and never stored."""
        raw = secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, token_hash=hash_token(raw)), raw
