import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusterbroker.registry.countries import normalise_country
from clusterbroker.registry.models import OrganisationKind, Term

from .contributions import Contribution

CLOSING_SOON_DAYS = 30


class CallState(models.TextChoices):
    """Where a call stands today: told apart on every page that lists calls."""

    OPEN = "open", _("Open")
    FORTHCOMING = "forthcoming", _("Forthcoming")
    CLOSED = "closed", _("Closed")


class OpenCall(Contribution):
    """A funding opportunity: an open call of a programme or a cascade-funding project."""

    reference = models.CharField(
        _("reference"),
        max_length=120,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The funder's identifier of the call or topic."),
    )
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    topics = models.ManyToManyField(Term, verbose_name=_("topics"), blank=True, related_name="+")
    keywords = models.CharField(_("keywords"), max_length=1000, blank=True)
    eligible_countries = models.JSONField(
        _("eligible countries"),
        default=list,
        blank=True,
        help_text=_("Country codes; empty means every country."),
    )
    eligible_kinds = models.JSONField(
        _("eligible organisation types"),
        default=list,
        blank=True,
        help_text=_("Organisation types; empty means every type."),
    )
    budget = models.DecimalField(
        _("budget (EUR)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    funding_per_beneficiary = models.DecimalField(
        _("funding per beneficiary (EUR)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    opens_on = models.DateField(_("opening date"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=40, blank=True)
    source_status = models.CharField(
        _("status at the source"),
        max_length=20,
        blank=True,
        choices=CallState.choices,
        help_text=_(
            "What the funder's portal said when the call was imported; a call announced as "
            "forthcoming without an opening date counts as forthcoming until its deadline."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "title"]
        verbose_name = _("open call")
        verbose_name_plural = _("open calls")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:call", args=[self.pk])

    def clean(self) -> None:
        """The deadline is not before the opening; countries are ISO codes (normalised: "fr",
        "FRA" and "France" are stored as FR) and organisation types known ones."""
        errors: dict[str, list] = {}
        if self.opens_on and self.deadline and self.deadline < self.opens_on:
            errors["deadline"] = [_("The deadline is before the opening date.")]
        for name in ("budget", "funding_per_beneficiary"):
            if getattr(self, name) is not None and getattr(self, name) < 0:
                errors[name] = [_("An amount cannot be negative.")]
        countries = self.eligible_countries
        if not isinstance(countries, list) or not all(isinstance(c, str) for c in countries):
            errors["eligible_countries"] = [_("Give a list of country codes.")]
        else:
            codes = []
            for code in countries[:300]:
                try:
                    codes.append(normalise_country(code))  # "fr", "FRA", "UK": FR, FR, GB
                except ValidationError as error:
                    errors.setdefault("eligible_countries", []).extend(error.messages)
            if len(countries) > 300:
                errors.setdefault("eligible_countries", []).append(
                    _("At most 300 countries; leave the list empty for every country.")
                )
            self.eligible_countries = sorted(set(codes))
        kinds = self.eligible_kinds
        known = set(OrganisationKind.values)
        if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
            errors["eligible_kinds"] = [_("Give a list of organisation types.")]
        elif unknown := [k for k in kinds if k not in known]:
            errors["eligible_kinds"] = [
                _("Unknown organisation types: %(kinds)s (known: %(known)s).")
                % {"kinds": ", ".join(unknown[:10]), "known": ", ".join(sorted(known))}
            ]
        if errors:
            raise ValidationError(errors)

    def state(self, today: dt.date | None = None) -> str:
        """Open, forthcoming or closed on `today` (see `CallState`)."""
        today = today or timezone.localdate()
        if self.deadline is not None and self.deadline < today:
            return CallState.CLOSED
        if self.opens_on is not None:
            return CallState.FORTHCOMING if self.opens_on > today else CallState.OPEN
        if self.source_status == CallState.FORTHCOMING:
            return CallState.FORTHCOMING
        return CallState.OPEN

    def state_label(self) -> str:
        return CallState(self.state()).label

    def is_open(self, today: dt.date | None = None) -> bool:
        return self.state(today) == CallState.OPEN

    def closing_soon(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.deadline is not None and today <= self.deadline <= today + dt.timedelta(
            days=CLOSING_SOON_DAYS
        )
