"""What every collection item shares: who posted it and where it is in moderation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clusterbroker.registry.models import Organisation
from clusterbroker.text.models import WrittenIn


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")


class Sector(models.Model):
    """An industrial sector (automotive, food, textiles …) used by marketplace and stories."""

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


class Contribution(WrittenIn):
    """An item a member posts to a collection; drafts are seen only by their author."""

    # The text of an item: its title and those of these fields its collection has (a call's
    # or an offer's description; a story's summary, challenge, solution, results, impact).
    language_fields = (
        "title",
        "description",
        "summary",
        "challenge",
        "solution",
        "results",
        "impact",
    )

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("posted for"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED
