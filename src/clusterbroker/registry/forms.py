from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .countries import normalise_country
from .models import PROFILE_FIELDS, Competence, Organisation, OrganisationKind, Partnership, Term


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = list(PROFILE_FIELDS)
        help_texts = {"country": _("ISO code (FR, DE …) or English name.")}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean_country(self) -> str:
        try:
            return normalise_country(self.cleaned_data["country"])
        except ValidationError as error:
            raise ValidationError(error.messages) from error

    def clean(self):
        data = super().clean()
        if data.get("size_class") and data.get("kind") != OrganisationKind.COMPANY:
            self.add_error("size_class", _("A size class is given for companies only."))
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
        ]
        widgets = {
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
