from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..logos import check_logo, logo_storage
from .organisations import Organisation, Region


class Membership(models.Model):
    """An organisation is a member of a cluster organisation."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        FOUNDING_MEMBER = "founding_member", _("Founding member")
        BOARD_MEMBER = "board_member", _("Board member")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    cluster = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="cluster_members",
        limit_choices_to={"kind": "cluster"},
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(_("since"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster__name", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "cluster"], name="membership_unique")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.organisation} ∈ {self.cluster}"

    def clean(self) -> None:
        super().clean()
        if self.organisation_id is not None and self.organisation_id == self.cluster_id:
            raise ValidationError({"organisation": _("A cluster cannot be a member of itself.")})


class PartnershipKind(models.TextChoices):
    STRATEGIC = "strategic_cluster_partnership", _("Strategic cluster partnership")
    META_CLUSTER = "meta_cluster", _("Meta-cluster")
    SUB_CLUSTER = "sub_cluster", _("Sub-cluster")
    CONSORTIUM = "project_consortium", _("Project consortium")
    ALLIANCE = "alliance", _("Alliance")
    NETWORK = "network", _("Network")


class Partnership(models.Model):
    """A group of organisations working together: partnership, meta-cluster, consortium."""

    slug = models.SlugField(_("identifier"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    kind = models.CharField(_("type"), max_length=40, choices=PartnershipKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    coordinator = models.ForeignKey(
        Organisation,
        verbose_name=_("coordinator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_partnerships",
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    funding_programme = models.CharField(_("funding programme"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), blank=True)
    members = models.ManyToManyField(
        Organisation, through="PartnershipMember", related_name="partnerships"
    )
    logo = models.FileField(
        _("logo"),
        upload_to="partnerships/",
        storage=logo_storage,
        blank=True,
        validators=[check_logo],
        help_text=_("PNG or JPEG, at most 1 MB: shown on the page and the report's cover."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:partnership", args=[self.slug])

    def clean(self) -> None:
        """The coordinator is one of the partnership's accepted members: naming any other
        organisation would tie it to the partnership without its consent."""
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end date is before the start date.")
        if self.coordinator_id is not None and not (
            self.pk is not None
            and self.memberships.filter(organisation_id=self.coordinator_id).exists()
        ):
            errors["coordinator"] = _(
                "The coordinator must be a member of the partnership (one that accepted its seat)."
            )
        if errors:
            raise ValidationError(errors)


class PartnershipMember(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        PARTNER = "partner", _("Partner")
        ASSOCIATE = "associate", _("Associate")
        THIRD_PARTY = "third_party", _("Third party")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partnership_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "position", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="partnership_member_unique"
            )
        ]
        verbose_name = _("partnership member")
        verbose_name_plural = _("partnership members")

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"
