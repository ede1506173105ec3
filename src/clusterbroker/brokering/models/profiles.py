import re
import secrets

import numpy as np
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusterbroker.registry.models import Organisation, Region, Term
from clusterbroker.text.models import WrittenIn

PUBLIC_ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_public_id() -> str:
    """`CB-` and 8 characters without look-alikes (0/O, 1/I): the profile's electronic ID."""
    return "CB-" + "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(8))


NEED_REF_PATTERN = re.compile(rf"N-[{PUBLIC_ID_ALPHABET}]{{10}}")


def new_need_ref() -> str:
    """`N-` and 10 random characters: how a need is addressed by those who may not know its
    owner (its database id would tell, by its neighbours, whose it is)."""
    return "N-" + "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(10))


class Stage(models.TextChoices):
    IDEA = "idea", _("Idea / pre-seed")
    STARTUP = "startup", _("Start-up")
    GROWTH = "growth", _("Growth")
    ESTABLISHED = "established", _("Established")


class NeedKind(models.TextChoices):
    TECHNOLOGY = "technology", _("Technology")
    PARTNER = "partner", _("Partner for a project")
    SERVICE = "service", _("Service")
    FUNDING = "funding", _("Funding")
    MARKET = "market", _("Market access")


class EmbeddedText(models.Model):
    """A text with its sentence embedding, computed when it is saved (never at search time)."""

    embedding = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def vector(self) -> np.ndarray | None:
        if not self.embedding:
            return None
        return np.frombuffer(bytes(self.embedding), dtype=np.float32)


class Profile(EmbeddedText):
    """An organisation's brokering profile, filled through the questionnaire."""

    public_id = models.CharField(
        _("profile ID"), max_length=12, unique=True, default=new_public_id, editable=False
    )
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="brokering_profile"
    )
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, blank=True)
    countries_of_interest = models.JSONField(_("countries of interest"), default=list, blank=True)
    regions_of_interest = models.ManyToManyField(
        Region, verbose_name=_("regions of interest"), blank=True
    )
    cross_border = models.BooleanField(_("willing to collaborate across borders"), default=True)
    summary = models.TextField(_("who we are"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["embedding"])

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.public_id} · {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("brokering:profile", args=[self.public_id])


class Offer(WrittenIn, EmbeddedText):
    language_fields = ("title", "description")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="offers")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    terms = models.ManyToManyField(Term, verbose_name=_("technologies"), blank=True)

    history = HistoricalRecords(excluded_fields=["embedding"])

    class Meta:
        ordering = ["profile", "pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return self.title

    @property
    def text(self) -> str:
        return f"{self.title}. {self.description}".strip()


class Need(WrittenIn, EmbeddedText):
    """What an organisation looks for; a confidential need's text is seen by few.

    `ref` is the need's public reference, random and unrelated to when it was made; the
    database id is used only by those who know the owner (see `permissions.can_use_need_id`).
    """

    language_fields = ("description",)

    ref = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_need_ref, editable=False
    )
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(_("kind"), max_length=20, choices=NeedKind.choices)
    description = models.TextField(_("what you need"))
    terms = models.ManyToManyField(Term, verbose_name=_("technologies"), blank=True)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_(
            "Only you and your cluster's managers see the text; others see an anonymised "
            "summary and can ask to be introduced."
        ),
    )
    window_start = models.DateField(_("needed from"), null=True, blank=True)
    window_end = models.DateField(_("needed by"), null=True, blank=True)
    local = models.BooleanField(_("local help preferred"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["embedding"])

    class Meta:
        ordering = ["profile", "pk"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        # Neither the profile nor the id: a confidential need's name must not tell whose it is.
        return f"{self.get_kind_display()} {self.ref}"

    def get_absolute_url(self) -> str:
        """The address everyone may use (by ref); keepers may also use the id's."""
        return reverse("brokering:need-ref", args=[self.ref])
