from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clusterbroker.text.forms import WrittenInForm

from .countries import normalise_country
from .identifiers import IdentifierError, normalise
from .models import (
    PROFILE_FIELDS,
    Competence,
    IdentifierScheme,
    Organisation,
    OrganisationIdentifier,
    OrganisationKind,
    Partnership,
    Region,
    Term,
)
from .region_fill import region_from_city


class RegionCodeField(forms.ModelChoiceField):
    """A region typed as its NUTS code ("DEA4", "dea4"): any region of the registry."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"size": 8, "autocomplete": "off"}))
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault(
            "invalid_choice", _("Unknown NUTS code: use a code such as DEA4 or FR10.")
        )
        super().__init__(queryset=Region.objects.all(), to_field_name="code", **kwargs)

    def to_python(self, value):
        return super().to_python((value or "").strip().upper() if isinstance(value, str) else value)

    def prepare_value(self, value):
        if isinstance(value, int):  # a model form's initial value is the region's key
            return Region.objects.filter(pk=value).values_list("code", flat=True).first()
        return super().prepare_value(value)


class OrganisationForm(WrittenInForm, forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    region = RegionCodeField(
        label=_("region"),
        required=False,
        help_text=_(
            "NUTS code of levels 1 to 3, e.g. DEA4 (Detmold) or FR10 (Île-de-France). Left "
            "empty, it is set from the city where the city names a NUTS region."
        ),
    )

    class Meta:
        model = Organisation
        fields = list(PROFILE_FIELDS)
        help_texts = {"country": _("ISO code (FR, DE …) or English name.")}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    language_after = "description"

    def clean_country(self) -> str:
        try:
            return normalise_country(self.cleaned_data["country"])
        except ValidationError as error:
            raise ValidationError(error.messages) from error

    def clean(self):
        data = super().clean()
        if data.get("size_class") and data.get("kind") != OrganisationKind.COMPANY:
            self.add_error("size_class", _("A size class is given for companies only."))
        if not data.get("region") and data.get("city") and data.get("country"):
            data["region"] = region_from_city(data["country"], data["city"])
        return data


class CompetenceForm(forms.ModelForm):
    class Meta:
        model = Competence
        fields = ["term", "level", "evidence"]
        widgets = {"evidence": forms.TextInput()}

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["term"].queryset = Term.objects.select_related("taxonomy").order_by(
            "taxonomy__name", "position"
        )
        self.fields["term"].label_from_instance = lambda t: f"{t.taxonomy.name} · {t}"

    def clean_term(self) -> Term:
        term = self.cleaned_data["term"]
        if Competence.objects.filter(organisation=self.organisation, term=term).exists():
            raise ValidationError(_("This organisation already has this competence."))
        return term

    def save(self, commit: bool = True) -> Competence:
        self.instance.organisation = self.organisation
        return super().save(commit)


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = [
            "name",
            "acronym",
            "kind",
            "coordinator",
            "start",
            "end",
            "funding_programme",
            "description",
            "regions",
            "logo",
        ]
        widgets = {
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only an accepted member may coordinate (the model checks it too).
        self.fields["coordinator"].queryset = Organisation.objects.filter(
            partnership_memberships__partnership_id=self.instance.pk or 0
        ).order_by("name")


class IdentifiersForm(forms.Form):
    """The codes an organisation is known by elsewhere; an empty field removes the code."""

    pic = forms.CharField(
        label=_("PIC"), required=False, help_text=_("EU Participant Identification Code.")
    )
    vat = forms.CharField(
        label=_("VAT number"), required=False, help_text=_("With its country prefix.")
    )
    domain = forms.CharField(label=_("Web domain"), required=False, help_text=_("example.org"))
    dih = forms.CharField(label=_("DIH catalogue id"), required=False)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        kwargs.setdefault("initial", {i.scheme: i.value for i in organisation.identifiers.all()})
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean(self):
        data = super().clean()
        for scheme in IdentifierScheme.values:
            value = (data.get(scheme) or "").strip()
            if not value:
                data[scheme] = ""
                continue
            try:
                value = normalise(scheme, value)
            except IdentifierError as error:
                self.add_error(scheme, str(error))
                continue
            holder = (
                OrganisationIdentifier.objects.filter(scheme=scheme, value=value)
                .exclude(organisation=self.organisation)
                .select_related("organisation")
                .first()
            )
            if holder is not None:
                self.add_error(
                    scheme,
                    ValidationError(
                        _("%(value)s is already the code of “%(name)s”."),
                        code="taken",
                        params={"value": value, "name": holder.organisation.name},
                    ),
                )
            data[scheme] = value
        return data

    def save(self) -> None:
        for scheme in IdentifierScheme.values:
            value = self.cleaned_data[scheme]
            if value:
                OrganisationIdentifier.objects.update_or_create(
                    organisation=self.organisation, scheme=scheme, defaults={"value": value}
                )
            else:
                OrganisationIdentifier.objects.filter(
                    organisation=self.organisation, scheme=scheme
                ).delete()
