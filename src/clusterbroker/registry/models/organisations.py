from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusterbroker.text.models import WrittenIn
from clusterbroker.web.text_rules import name_skeleton, normalise_name, validate_name

from ..countries import country_name, validate_country_code


class OrganisationKind(models.TextChoices):
    CLUSTER = "cluster", _("Cluster organisation")
    COMPANY = "company", _("Company")
    RTO = "rto", _("Research / technology organisation")
    UNIVERSITY = "university", _("University")
    DIH = "dih", _("Digital Innovation Hub")
    PUBLIC_BODY = "public_body", _("Public body")
    OTHER = "other", _("Other")


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Micro (< 10 staff)")
    SMALL = "small", _("Small (< 50 staff)")
    MEDIUM = "medium", _("Medium (< 250 staff)")
    SME = "sme", _("SME (size not stated)")
    LARGE = "large", _("Large")
    STARTUP = "startup", _("Start-up")


class Region(models.Model):
    """A region, identified by its NUTS code (2021 classification, `import nuts`): level 0 is
    a country, 1–3 ever smaller regions. Its point places it on a map; levels 0–2 also keep
    a simplified boundary (a GeoJSON geometry, longitude/latitude, for a 1:60M map)."""

    code = models.CharField(_("NUTS code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    level = models.PositiveSmallIntegerField(_("NUTS level"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    boundary = models.JSONField(_("boundary"), null=True, blank=True)

    class Meta:
        ordering = ["country", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


# The fields of an organisation's profile, in the order forms and files show them.
PROFILE_FIELDS = (
    "name",
    "acronym",
    "kind",
    "size_class",
    "country",
    "region",
    "city",
    "website",
    "description",
    "year_founded",
    "member_count",
    "sme_member_count",
    "main_thematic",
)
# Profile fields that hold a number (or nothing) rather than text.
NUMBER_FIELDS = ("year_founded", "member_count", "sme_member_count")


class Organisation(WrittenIn):
    """Any organisation of the ecosystem: cluster, company, RTO, university, DIH, public body."""

    language_fields = ("description", "main_thematic")

    slug = models.SlugField(_("identifier"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=255, validators=[validate_name])
    acronym = models.CharField(_("acronym"), max_length=50, blank=True, validators=[validate_name])
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    size_class = models.CharField(
        _("size class"), max_length=10, choices=SizeClass.choices, blank=True
    )
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    member_count = models.PositiveIntegerField(
        _("network size"), null=True, blank=True, help_text=_("Number of members (clusters).")
    )
    sme_member_count = models.PositiveIntegerField(
        _("SME members"), null=True, blank=True, help_text=_("Number of SMEs among the members.")
    )
    main_thematic = models.CharField(_("main thematic"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["kind", "country"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:organisation", args=[self.slug])

    def clean(self) -> None:
        """Names are stored in one form, and no organisation may pass for another of the same
        country (a full-width, accented or Cyrillic copy of its name)."""
        super().clean()
        self.name = normalise_name(self.name or "")
        self.acronym = normalise_name(self.acronym or "")
        if not self.name or not self.country:
            return
        twin = lookalike_of(self)
        if twin is not None:
            raise ValidationError(
                {
                    "name": _(
                        "“%(name)s” looks the same as the existing organisation “%(other)s” "
                        "(%(slug)s) in the same country; if it is that organisation, change it "
                        "there, otherwise give a name that can be told apart."
                    )
                    % {"name": self.name, "other": twin.name, "slug": twin.slug}
                }
            )

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @property
    def is_cluster(self) -> bool:
        return self.kind == OrganisationKind.CLUSTER


def lookalike_of(organisation: Organisation) -> Organisation | None:
    """Another organisation of the same country whose name looks the same, or None.
    Only names of the same length can look the same, so only those are compared."""
    skeleton = name_skeleton(organisation.name)
    candidates = (
        Organisation.objects.filter(country=organisation.country)
        .annotate(name_length=Length("name"))
        .filter(name_length=len(organisation.name))
        .exclude(pk=organisation.pk)
        .only("pk", "name", "slug")
    )
    return next((o for o in candidates.iterator() if name_skeleton(o.name) == skeleton), None)
