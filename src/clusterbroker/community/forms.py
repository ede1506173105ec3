from django import forms
from django.utils.translation import gettext_lazy as _

from clusterbroker.registry.models import Organisation, OrganisationKind
from clusterbroker.text.forms import WrittenInForm
from clusterbroker.web.fields import RecordsField

from .models import Offer, OpenCall, Story
from .permissions import organisations_to_post_for


class PostedForMixin:
    """The organisation an item is posted for is chosen among those the user may act for
    (and the one it already names, which a moderator may keep)."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("organisation")
        if field is None or user is None:
            return
        allowed = organisations_to_post_for(user)
        if self.instance.organisation_id:
            allowed = allowed | Organisation.objects.filter(pk=self.instance.organisation_id)
        field.queryset = allowed.distinct().order_by("name")
        field.help_text = _("Only organisations whose record you may edit.")


class OpenCallForm(PostedForMixin, WrittenInForm, forms.ModelForm):
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
        field_classes = {"topics": RecordsField}

    language_after = "description"

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


class OfferForm(PostedForMixin, WrittenInForm, forms.ModelForm):
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
        field_classes = {"terms": RecordsField, "sectors": RecordsField}

    language_after = "description"


class StoryForm(PostedForMixin, WrittenInForm, forms.ModelForm):
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
        field_classes = {"organisations": RecordsField, "terms": RecordsField}

    language_after = "impact"


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    email = forms.BooleanField(label=_("Also alert me by e-mail"), required=False, initial=True)
