from django.db import models
from django.utils.translation import gettext_lazy as _

from clusterbroker.registry.models import Organisation, Project


class CordisOrganisation(models.Model):
    """The CORDIS Participant Identification Code (PIC) of a registry organisation."""

    pic = models.BigIntegerField(_("PIC"), unique=True)
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="cordis"
    )
    cordis_type = models.CharField(_("CORDIS type"), max_length=3, blank=True)

    class Meta:
        verbose_name = _("CORDIS organisation")
        verbose_name_plural = _("CORDIS organisations")

    def __str__(self) -> str:
        return f"PIC {self.pic}"


class CordisProject(models.Model):
    """The CORDIS record number (rcn) and programme part of a registry project."""

    rcn = models.BigIntegerField(_("CORDIS record number"), unique=True)
    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="cordis")
    programme_part = models.CharField(_("programme part"), max_length=40, blank=True, db_index=True)

    class Meta:
        verbose_name = _("CORDIS project")
        verbose_name_plural = _("CORDIS projects")

    def __str__(self) -> str:
        return f"rcn {self.rcn}"
