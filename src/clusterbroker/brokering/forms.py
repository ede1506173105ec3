"""The questionnaire, in steps; each step is a form (or formset) of plain fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterbroker.registry.models import Organisation, OrganisationKind, SizeClass, Taxonomy
from clusterbroker.text.forms import LanguageField

from .models import NeedKind, Stage

STEPS = ("who", "offers", "needs", "preferences")
STEP_TITLES = {
    "who": _("Who you are"),
    "offers": _("What you offer"),
    "needs": _("What you need"),
    "preferences": _("Sector and preferences"),
}


def term_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (
            taxonomy.name_in(),
            [
                (f"{taxonomy.code}:{t.code}", f"{t.code} {t.label_in()}")
                for t in taxonomy.terms.all()
            ],
        )
        for taxonomy in Taxonomy.objects.prefetch_related("terms")
    ]


class TermsField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            label=_("Technologies"),
            help_text=_("Terms of the shared taxonomies (hold Ctrl to pick several)."),
            **kwargs,
        )


class WhoForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("Existing organisation"),
        help_text=_("Choose yours, or leave empty and describe a new one below."),
    )
    new_name = forms.CharField(label=_("New organisation's name"), required=False, max_length=255)
    new_kind = forms.ChoiceField(
        label=_("Type"), choices=OrganisationKind.choices, initial=OrganisationKind.COMPANY
    )
    new_country = forms.CharField(
        label=_("Country"), required=False, max_length=60, help_text=_("ISO code, e.g. FR.")
    )
    size_class = forms.ChoiceField(
        label=_("Size"), choices=[("", "—"), *SizeClass.choices], required=False
    )
    summary = forms.CharField(
        label=_("Who you are, in a few lines"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations or Organisation.objects.none()

    def clean(self):
        data = super().clean()
        if not data.get("organisation"):
            if not data.get("new_name", "").strip():
                self.add_error(
                    "new_name", _("Give the organisation's name or choose an existing one.")
                )
            if not data.get("new_country", "").strip():
                self.add_error("new_country", _("A country is required."))
        return data


class OfferForm(forms.Form):
    title = forms.CharField(label=_("Offer"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    language = LanguageField()
    terms = TermsField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["terms"].choices = term_choices()

    def clean(self):
        data = super().clean()
        if (data.get("description") or data.get("terms")) and not data.get("title", "").strip():
            self.add_error("title", _("Give the offer a title."))
        return data


class NeedForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=NeedKind.choices)
    description = forms.CharField(
        label=_("What you need"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    language = LanguageField()
    terms = TermsField()
    confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        help_text=_("Only you and your cluster's managers read it; others see a summary."),
    )
    window_start = forms.DateField(
        label=_("Needed from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    window_end = forms.DateField(
        label=_("Needed by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    local = forms.BooleanField(label=_("Local help preferred"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["terms"].choices = term_choices()

    def clean(self):
        data = super().clean()
        filled = data.get("terms") or data.get("id") or data.get("confidential")
        if filled and not (data.get("description") or "").strip():
            self.add_error("description", _("Say what you need."))
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end < start:
            self.add_error("window_end", _("The window ends before it starts."))
        return data


OfferFormSet = forms.formset_factory(OfferForm, extra=2, max_num=10)
NeedFormSet = forms.formset_factory(NeedForm, extra=2, max_num=10)


class PreferencesForm(forms.Form):
    sector = forms.CharField(label=_("Sector"), max_length=200, required=False)
    stage = forms.ChoiceField(label=_("Stage"), choices=[("", "—"), *Stage.choices], required=False)
    countries_of_interest = forms.CharField(
        label=_("Countries of interest"),
        required=False,
        help_text=_("ISO codes separated by commas, e.g. DE, IT, ES."),
    )
    cross_border = forms.BooleanField(
        label=_("Willing to collaborate across borders"), required=False, initial=True
    )
    regions_of_interest = forms.CharField(
        label=_("Regions of interest"),
        required=False,
        help_text=_("NUTS codes separated by commas, e.g. FRK, ITC4."),
    )


class IntroductionForm(forms.Form):
    requester = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("On behalf of")
    )
    message = forms.CharField(
        label=_("Message to the owner"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, requesters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester"].queryset = (
            requesters if requesters is not None else Organisation.objects.none()
        )


class MatchForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Looking for"),
        choices=[
            ("partners", _("Partners")),
            ("providers", _("Support providers")),
            ("calls", _("Open calls")),
            ("needs", _("Needs you could answer")),
        ],
        initial="partners",
    )
