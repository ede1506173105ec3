from django import forms
from django.utils.translation import gettext_lazy as _

from clusterbroker.events.models import Event
from clusterbroker.registry.models import Organisation, Partnership, Project
from clusterbroker.web.fields import RecordsField

from .models import Action, Kpi, KpiValue, PlanVisibility, SwotItem, TargetMarket

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = [
            "number",
            "title",
            "description",
            "phase",
            "lead",
            "contributors",
            "start",
            "end",
            "status",
            "budget",
            "funding_source",
            "horizon",
            "events",
            "projects",
        ]
        widgets = {"start": DATE, "end": DATE, "description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {
            "contributors": RecordsField,
            "events": RecordsField,
            "projects": RecordsField,
        }

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        members = Organisation.objects.filter(partnership_memberships__partnership=partnership)
        self.fields["lead"].queryset = members
        self.fields["contributors"].queryset = members
        self.fields["events"].queryset = Event.objects.filter(partnership=partnership)
        self.fields["projects"].queryset = Project.objects.filter(
            participations__organisation__in=members
        ).distinct()
        self.fields["number"].required = False
        self.fields["number"].help_text = _("Empty: the next number.")

    def clean_number(self) -> int:
        return self.cleaned_data.get("number") or 0


class KpiForm(forms.ModelForm):
    class Meta:
        model = Kpi
        fields = [
            "position",
            "name",
            "unit",
            "target",
            "period_start",
            "period_end",
            "source",
            "measure",
            "note",
        ]
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        self.fields["position"].required = False

    def clean_position(self) -> int:
        return self.cleaned_data.get("position") or 0


class KpiValueForm(forms.ModelForm):
    evidence_url = forms.URLField(
        label=_("evidence link"),
        required=False,
        assume_scheme="https",
        max_length=500,
        help_text=_("Give a link or a document (or both)."),
    )
    document = forms.FileField(
        label=_("evidence document"),
        required=False,
        help_text=_("A report, attendance list or agreement; at most 10 MB."),
    )

    class Meta:
        model = KpiValue
        fields = ["value", "as_of", "evidence_url", "document", "note"]
        widgets = {"as_of": DATE, "note": forms.Textarea(attrs={"rows": 2})}


class SwotItemForm(forms.ModelForm):
    class Meta:
        model = SwotItem
        fields = ["quadrant", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class TargetMarketForm(forms.ModelForm):
    class Meta:
        model = TargetMarket
        fields = ["country", "status", "rationale", "planned_actions"]
        widgets = {
            "rationale": forms.Textarea(attrs={"rows": 2}),
            "planned_actions": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"country": _("Two-letter ISO code, e.g. US, CN, BR.")}

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership

    def clean_country(self) -> str:
        return self.cleaned_data["country"].strip().upper()


class VisibilityForm(forms.ModelForm):
    class Meta:
        model = PlanVisibility
        fields = ["action_plan", "kpis", "strategy", "report"]
