from django import forms
from django.utils.translation import gettext_lazy as _

from clusterbroker.registry.models import OrganisationKind

from .models import Offer, OpenCall, Story


class OpenCallForm(forms.ModelForm):
    eligible_countries_text = forms.CharField(
        label=_("Eligible countries"),
        required=False,
        help_text=_("Country codes separated by spaces or commas; empty for every country."),
    )
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Eligible organisation types"),
        choices=OrganisationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = OpenCall
        fields = [
            "title",
            "reference",
            "funder",
            "programme",
            "description",
            "topics",
            "keywords",
            "budget",
            "funding_per_beneficiary",
            "opens_on",
            "deadline",
            "url",
            "organisation",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["eligible_countries_text"].initial = " ".join(
                self.instance.eligible_countries
            )
            self.fields["eligible_kinds"].initial = self.instance.eligible_kinds

    def clean_eligible_countries_text(self) -> list[str]:
        from clusterbroker.registry.countries import normalise_country

        raw = self.cleaned_data["eligible_countries_text"].replace(",", " ").split()
        return sorted({normalise_country(code) for code in raw})

    def clean(self):
        data = super().clean()
        self.instance.eligible_countries = data.get("eligible_countries_text") or []
        self.instance.eligible_kinds = data.get("eligible_kinds") or []
        if data.get("opens_on") and data.get("deadline") and data["deadline"] < data["opens_on"]:
            self.add_error("deadline", _("The deadline is before the opening date."))
        return data


class OfferForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = [
            "title",
            "kind",
            "description",
            "organisation",
            "terms",
            "sectors",
            "price_model",
            "contact_email",
            "url",
        ]
        labels = {"organisation": _("Provider")}


class StoryForm(forms.ModelForm):
    class Meta:
        model = Story
        fields = [
            "title",
            "kind",
            "summary",
            "challenge",
            "solution",
            "results",
            "impact",
            "organisations",
            "terms",
            "sector",
            "country",
            "region",
            "project",
        ]


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    email = forms.BooleanField(label=_("Also alert me by e-mail"), required=False, initial=True)
