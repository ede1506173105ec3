"""The forms of the evaluation pages: scores, the choice of an evaluator, a new call."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clusterbroker.registry.slugs import unique_slug
from clusterbroker.web.fields import MAX_ID

from ..models import AwardCall, Criterion


class ScoresForm(forms.Form):
    """One score and one comment per criterion. A wrong score is reported next to its field,
    naming the criterion; every value typed is kept for the page shown again."""

    def __init__(self, criteria: list[Criterion], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            message = gettext("Give a score from %(min)s to %(max)s for %(criterion)s.") % {
                "min": criterion.scale_min,
                "max": criterion.scale_max,
                "criterion": criterion.name,
            }
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=criterion.name,
                min_value=criterion.scale_min,
                max_value=criterion.scale_max,
                error_messages={
                    code: message for code in ("required", "invalid", "min_value", "max_value")
                },
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField]]:
        """Each criterion with its score and comment fields, in the criteria's order."""
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, tuple[int, str]]:
        """The valid scores as the workflow takes them: criterion id → (value, comment)."""
        return {
            c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }


class EvaluatorChoiceField(forms.ModelChoiceField):
    """A person from the list; any other value (an unknown id, a number no database holds)
    gets the same answer."""

    def to_python(self, value):
        text = str(value or "").strip()
        if text and not (text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class EvaluatorForm(forms.Form):
    evaluator = EvaluatorChoiceField(
        queryset=None,
        label=_("Evaluator"),
        empty_label=_("Choose a person"),
        error_messages={
            "required": _("Choose an evaluator from the list."),
            "invalid_choice": _("Choose an evaluator from the list."),
        },
    )

    def __init__(self, eligible, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].queryset = eligible


class AwardCallForm(forms.ModelForm):
    """A new label or award call, made by a community manager, who becomes one of its
    managers."""

    class Meta:
        model = AwardCall
        fields = [
            "name",
            "kind",
            "description",
            "criteria_set",
            "opens_on",
            "closes_on",
            "scores_due_on",
            "threshold",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
            "scores_due_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def clean(self) -> dict:
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The call closes on or after the day it opens."))
        due = data.get("scores_due_on")
        if due and closes and due < closes:
            self.add_error(
                "scores_due_on", _("Scores are due on or after the day the call closes.")
            )
        threshold = data.get("threshold")
        if threshold is not None and not 0 <= threshold <= 100:
            self.add_error("threshold", _("Give a percentage from 0 to 100."))
        return data

    def save_for(self, user) -> AwardCall:
        """Saves the call with a slug made from its name, with `user` among its managers."""
        call = self.save(commit=False)
        call.slug = unique_slug(AwardCall, call.name, max_length=80)
        call.save()
        call.managers.add(user)
        return call
