from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusterbroker.registry.models import Term

from .contributions import Contribution, Sector


class Offer(Contribution):
    """A service, technology or solution offered by a provider (DIH, RTO, company)."""

    class Kind(models.TextChoices):
        SERVICE = "service", _("Service")
        TECHNOLOGY = "technology", _("Technology")
        SOLUTION = "solution", _("Solution")

    class PriceModel(models.TextChoices):
        FREE = "free", _("Free")
        SUBSIDISED = "subsidised", _("Subsidised")
        FIXED = "fixed", _("Fixed price")
        SUBSCRIPTION = "subscription", _("Subscription")
        PAY_PER_USE = "pay_per_use", _("Pay per use")
        ON_REQUEST = "on_request", _("On request")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.SERVICE)
    description = models.TextField(_("description"))
    terms = models.ManyToManyField(
        Term, verbose_name=_("technologies"), blank=True, related_name="+"
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="+"
    )
    price_model = models.CharField(
        _("price model"), max_length=14, choices=PriceModel.choices, default=PriceModel.ON_REQUEST
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("marketplace offer")
        verbose_name_plural = _("marketplace offers")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:offer", args=[self.pk])
