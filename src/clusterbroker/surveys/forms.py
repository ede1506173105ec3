from django import forms
from django.utils.translation import gettext_lazy as _

from clusterbroker.registry.models import Organisation, Partnership

from .models import Audience, InterestLevel, Question, QuestionKind, Survey

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SurveyForm(forms.ModelForm):
    """A survey's settings; a new one also names its owner and may start from the DIA
    taxonomies."""

    owner = forms.ChoiceField(label=_("Asked by"))
    from_dia = forms.BooleanField(
        label=_("Start from the DIA taxonomies (ICT areas and industrial areas of interest)"),
        required=False,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations asked (for a list)"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Survey
        fields = ["title", "intro", "opens_on", "closes_on", "audience"]
        widgets = {"opens_on": DATE, "closes_on": DATE, "intro": forms.Textarea(attrs={"rows": 4})}

    def __init__(
        self,
        *args,
        owners: list[Partnership | Organisation] = (),
        listable=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["owner"]
            del self.fields["from_dia"]
        else:
            self.owners = {self._key(o): o for o in owners}
            self.fields["owner"].choices = [(k, str(o)) for k, o in self.owners.items()]
        if listable is None:
            del self.fields["organisations"]
        else:
            self.fields["organisations"].queryset = listable.order_by("name")
            self.fields["organisations"].initial = list(
                self.instance.invitations.values_list("organisation_id", flat=True)
            )

    @staticmethod
    def _key(owner: Partnership | Organisation) -> str:
        return f"{'p' if isinstance(owner, Partnership) else 'c'}{owner.pk}"

    def clean(self):
        data = super().clean()
        if "owner" in self.fields and data.get("owner") in self.owners:
            owner = self.owners[data["owner"]]
            self.instance.partnership = owner if isinstance(owner, Partnership) else None
            self.instance.cluster = None if isinstance(owner, Partnership) else owner
            if self.instance.cluster and data.get("audience") == Audience.MEMBERS_OF_MEMBERS:
                self.add_error("audience", _("A cluster asks its members or a list."))
        return data


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "text",
            "help_text",
            "kind",
            "taxonomy",
            "with_level",
            "scale_max",
            "required",
            "position",
        ]


LEVEL_CHOICES = [("", _("Not of interest")), *InterestLevel.choices]


class AnswerForm(forms.Form):
    """The questions of a survey as fields; a taxonomy question with a level of interest has
    one field per term (`q<question>_t<term>`), every other question one field (`q<question>`).
    """

    consent = forms.BooleanField(
        label=_(
            "With our consent, add the areas we chose to our brokering profile as needs "
            "(only our organisation and our cluster's managers see their text)."
        ),
        required=False,
    )

    def __init__(self, *args, questions: list[Question], values: dict, consent=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.groups: list[tuple[Question, list[str]]] = []
        self.fields["consent"].initial = consent
        for question in questions:
            names = self._add(question, values.get(question.pk))
            self.groups.append((question, names))
        self.order_fields([n for _q, names in self.groups for n in names] + ["consent"])

    def _add(self, question: Question, value) -> list[str]:
        name = f"q{question.pk}"
        common = {"required": False, "help_text": question.help_text}
        if question.kind == QuestionKind.TERMS:
            terms = list(question.taxonomy.terms.order_by("position", "code"))
            chosen = {item["term"]: item.get("level") for item in value or []}
            if question.with_level:
                names = []
                for term in terms:
                    field_name = f"{name}_t{term.pk}"
                    self.fields[field_name] = forms.TypedChoiceField(
                        label=term.label_in(),
                        choices=LEVEL_CHOICES,
                        required=False,
                        coerce=int,
                        empty_value=None,
                        initial=chosen.get(term.pk, "") if term.pk in chosen else "",
                    )
                    names.append(field_name)
                return names
            self.fields[name] = forms.TypedMultipleChoiceField(
                label=question.text,
                choices=[(t.pk, t.label_in()) for t in terms],
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                initial=list(chosen),
                **common,
            )
        elif question.kind == QuestionKind.COUNTRIES:
            self.fields[name] = forms.CharField(
                label=question.text,
                initial=", ".join(value or []),
                max_length=1000,
                required=False,
                help_text=question.help_text or _("Country codes or names, separated by commas."),
                widget=forms.TextInput(attrs={"aria-label": question.text}),
            )
        elif question.kind == QuestionKind.SCALE:
            self.fields[name] = forms.TypedChoiceField(
                label=question.text,
                choices=[(i, str(i)) for i in range(1, question.scale_max + 1)],
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                initial=value,
                **common,
            )
        elif question.kind == QuestionKind.NUMBER:
            self.fields[name] = forms.FloatField(
                label=question.text,
                initial=value,
                widget=forms.NumberInput(attrs={"aria-label": question.text}),
                **common,
            )
        else:
            self.fields[name] = forms.CharField(
                label=question.text,
                initial=value or "",
                max_length=1000,
                widget=forms.TextInput(attrs={"aria-label": question.text}),
                **common,
            )
        return [name]

    def values(self) -> dict[int, object]:
        """The answers as the service takes them: question id -> raw value."""
        data = self.cleaned_data
        values: dict[int, object] = {}
        for question, names in self.groups:
            if question.kind == QuestionKind.TERMS and question.with_level:
                values[question.pk] = [
                    {"term": int(n.rsplit("_t", 1)[1]), "level": data.get(n)}
                    for n in names
                    if data.get(n)
                ]
            elif question.kind == QuestionKind.COUNTRIES:
                text = data.get(names[0]) or ""
                values[question.pk] = [c.strip() for c in text.split(",") if c.strip()]
            else:
                values[question.pk] = data.get(names[0])
        return values
