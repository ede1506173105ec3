from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..identifiers import IdentifierError, normalise
from .organisations import Organisation


class IdentifierScheme(models.TextChoices):
    PIC = "pic", _("PIC (EU Participant Identification Code)")
    VAT = "vat", _("VAT number")
    DOMAIN = "domain", _("Web domain")
    DIH = "dih", _("DIH catalogue id")


class OrganisationIdentifier(models.Model):
    """A code an organisation is known by elsewhere (its PIC, VAT number, web domain, DIH
    catalogue id). One row per code rather than one column per scheme: a new scheme needs no
    migration, and the database itself keeps a code to one organisation (a code two
    organisations share identifies neither) and one code per scheme to an organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="identifiers"
    )
    scheme = models.CharField(_("scheme"), max_length=10, choices=IdentifierScheme.choices)
    value = models.CharField(_("value"), max_length=255)

    class Meta:
        ordering = ["organisation", "scheme"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="identifier_unique_value"),
            models.UniqueConstraint(
                fields=["organisation", "scheme"], name="identifier_one_per_scheme"
            ),
        ]
        verbose_name = _("organisation identifier")
        verbose_name_plural = _("organisation identifiers")

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"

    def clean(self) -> None:
        super().clean()
        if self.scheme in IdentifierScheme.values:
            try:
                self.value = normalise(self.scheme, self.value)
            except IdentifierError as error:
                raise ValidationError({"value": str(error)}) from error


def identifiers_of(organisation: Organisation) -> dict[str, str | None]:
    """Every scheme with the organisation's code, None where it has none (the API's shape).
    Uses prefetched `identifiers` when there are."""
    found = {i.scheme: i.value for i in organisation.identifiers.all()}
    return {scheme: found.get(scheme) for scheme in IdentifierScheme.values}


def attach_identifier(organisation: Organisation, scheme: str, value: str) -> bool:
    """Give the organisation this code unless it already has one of the scheme or another
    organisation holds it (imports keep what is there); True when it was added."""
    try:
        value = normalise(scheme, value)
    except IdentifierError:
        return False
    taken = OrganisationIdentifier.objects.filter(scheme=scheme).filter(
        models.Q(value=value) | models.Q(organisation=organisation)
    )
    if taken.exists():
        return False
    OrganisationIdentifier.objects.create(organisation=organisation, scheme=scheme, value=value)
    return True
