"""The consortium builder on the registry: candidates from the engine, team from the builder."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from clusterbroker.registry.models import Organisation, SizeClass, Term

from . import engine
from .forms import TermsField, term_choices
from .matching import MatchQuery, rank
from .matching.consortium import Proposal, Rules, TeamCandidate, build_alternatives
from .services import resolve_terms

SME_SIZES = {SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.SME, SizeClass.STARTUP}
CANDIDATES = 300
SME_CANDIDATES = 100


@dataclass
class CallTopic:
    text: str
    competences: list[Term]
    rules: Rules


class ConsortiumForm(forms.Form):
    text = forms.CharField(
        label=_lazy("Call topic"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    competences = TermsField()
    min_countries = forms.IntegerField(label=_lazy("At least … countries"), min_value=1, initial=3)
    min_smes = forms.IntegerField(label=_lazy("At least … SMEs"), min_value=0, initial=1)
    max_partners = forms.IntegerField(label=_lazy("At most … partners"), min_value=1, initial=8)
    coordinator = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        required=False,
        label=_lazy("Fixed coordinator"),
        to_field_name="slug",
        widget=forms.TextInput(attrs={"placeholder": "organisation-identifier"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competences"].choices = term_choices()
        self.fields["competences"].label = _lazy("Required competences")

    def clean(self):
        data = super().clean()
        if not data.get("competences") and not (data.get("text") or "").strip():
            raise ValidationError(_("Describe the topic or choose the required competences."))
        return data


def topic_from(
    text: str,
    competence_keys: list[str],
    *,
    min_countries: int = 1,
    min_smes: int = 0,
    max_partners: int = 10,
    coordinator: Organisation | None = None,
) -> CallTopic:
    return CallTopic(
        text=text,
        competences=resolve_terms(competence_keys, "competences"),
        rules=Rules(
            min_countries=min_countries,
            min_smes=min_smes,
            max_partners=max_partners,
            coordinator=coordinator.pk if coordinator else None,
        ),
    )


def propose(topic: CallTopic, count: int = 3) -> list[Proposal]:
    """Two or three teams for the topic, each with coverage, reasons and unmet rules."""
    index = engine.current_index()
    required = {t.pk: f"{t.code} {t.label}" for t in topic.competences}
    query = MatchQuery(
        terms=list(required),
        text=topic.text,
        anchors=[topic.rules.coordinator] if topic.rules.coordinator else [],
        cross_border=True,
    )
    matches = rank(index, query, limit=CANDIDATES, with_reasons=False, weights=engine.weights())
    keys = [m.key for m in matches]
    if topic.rules.coordinator and topic.rules.coordinator not in keys:
        keys.append(topic.rules.coordinator)
    if topic.rules.min_smes:
        # SMEs holding a required competence, in case the best matches hold none.
        keys += [
            k
            for k in Organisation.objects.filter(
                size_class__in=SME_SIZES, competences__term__in=list(required)
            )
            .values_list("pk", flat=True)
            .distinct()[:SME_CANDIDATES]
            if k not in keys
        ]
    relevance = {m.key: m.score for m in matches}
    organisations = Organisation.objects.in_bulk(keys)
    by_column = {c: t for t, c in index.term_columns.items()}
    candidates = []
    for key in keys:
        if key not in organisations or key not in index.row_of:
            continue
        row = index.row_of[key]
        organisation = organisations[key]
        candidates.append(
            TeamCandidate(
                key=key,
                name=organisation.name,
                country=organisation.country,
                sme=organisation.size_class in SME_SIZES,
                terms={by_column[c] for c in index.terms[row].indices},
                relevance=relevance.get(key, 0.0),
                partners={int(index.keys[i]) for i in index.network[row].indices},
            )
        )
    return build_alternatives(required, candidates, topic.rules, count=count, translate=_)


def propose_for_form(data: dict) -> list[Proposal]:
    topic = topic_from(
        data.get("text") or "",
        data.get("competences") or [],
        min_countries=data["min_countries"],
        min_smes=data["min_smes"],
        max_partners=data["max_partners"],
        coordinator=data.get("coordinator"),
    )
    return propose(topic)
