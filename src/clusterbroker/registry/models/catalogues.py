from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation


class HubCatalogueEntry(models.Model):
    """An organisation loaded from the JRC catalogue of Digital Innovation Hubs: the
    catalogue's id of the hub, so that importing the catalogue again adds nothing twice."""

    catalogue_id = models.CharField(_("catalogue id"), max_length=20, unique=True)
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="hub_catalogue_entry"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("DIH catalogue entry")
        verbose_name_plural = _("DIH catalogue entries")

    def __str__(self) -> str:
        return f"{self.catalogue_id} · {self.organisation}"
