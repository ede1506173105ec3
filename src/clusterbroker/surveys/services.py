"""Operations on surveys: who is asked, the questions of the DIA survey, saving a response
(checked against `permissions`), and the results with their filters."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterbroker.brokering.models import Need, NeedKind, Profile
from clusterbroker.registry.countries import country_name, normalise_country
from clusterbroker.registry.models import Organisation, Taxonomy, Term

from . import permissions
from .models import (
    Answer,
    Audience,
    InterestLevel,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Survey,
)
from .tally import Choice, QuestionResult, QuestionSpec, tally

# The taxonomies of the Digital Industry Alliance's needs survey (seed 002), in its order.
DIA_TAXONOMIES = (
    ("dia-ict", gettext_lazy("Which ICT areas are of interest to your organisation?")),
    (
        "dia-industrial",
        gettext_lazy("Which industrial areas are of interest to your organisation?"),
    ),
)
MAX_TEXT = 1000


# --- who is asked ---------------------------------------------------------------------------


def audience_organisations(survey: Survey) -> QuerySet[Organisation]:
    """The organisations the survey's audience names (for a list: those invited)."""
    if survey.audience == Audience.LIST:
        return Organisation.objects.filter(survey_invitations__survey=survey)
    if survey.partnership_id is not None:
        members = Organisation.objects.filter(
            partnership_memberships__partnership_id=survey.partnership_id
        )
        if survey.audience == Audience.MEMBERS:
            return members
        return Organisation.objects.filter(
            memberships__cluster__in=members.filter(kind="cluster")
        ).distinct()
    return Organisation.objects.filter(memberships__cluster_id=survey.cluster_id)


def listable_organisations(survey: Survey) -> QuerySet[Organisation]:
    """Organisations a manager may put on the survey's list: the owner's members and the
    members of its member clusters."""
    if survey.partnership_id is not None:
        members = Organisation.objects.filter(
            partnership_memberships__partnership_id=survey.partnership_id
        )
        return Organisation.objects.filter(
            Q(pk__in=members) | Q(memberships__cluster__in=members.filter(kind="cluster"))
        ).distinct()
    return Organisation.objects.filter(memberships__cluster_id=survey.cluster_id).distinct()


@transaction.atomic
def invite(survey: Survey, organisations: list[Organisation] | None = None) -> int:
    """Ask the audience (or, for a list, `organisations`) to answer; returns how many were
    newly asked. An organisation that already responded stays asked."""
    if survey.audience == Audience.LIST:
        allowed = set(listable_organisations(survey).values_list("pk", flat=True))
        wanted = {o.pk for o in organisations or [] if o.pk in allowed}
    else:
        wanted = set(audience_organisations(survey).values_list("pk", flat=True))
    answered = set(survey.responses.values_list("organisation_id", flat=True))
    survey.invitations.exclude(organisation_id__in=wanted | answered).delete()
    existing = set(survey.invitations.values_list("organisation_id", flat=True))
    new = wanted - existing
    Invitation.objects.bulk_create(
        [Invitation(survey=survey, organisation_id=pk) for pk in sorted(new)]
    )
    return len(new)


# --- questions ------------------------------------------------------------------------------


def add_dia_questions(survey: Survey) -> list[Question]:
    """Add the DIA survey's two questions (ICT areas, industrial areas) with a level of
    interest, after the survey's other questions; a taxonomy not loaded is left out."""
    position = survey.questions.order_by("-position").values_list("position", flat=True)[:1]
    start = (position[0] + 1) if position else 1
    added = []
    for code, text in DIA_TAXONOMIES:
        taxonomy = Taxonomy.objects.filter(code=code).first()
        if taxonomy is None:
            continue
        added.append(
            Question.objects.create(
                survey=survey,
                position=start + len(added),
                text=str(text),
                kind=QuestionKind.TERMS,
                taxonomy=taxonomy,
                with_level=True,
                required=True,
            )
        )
    return added


def term_choices(question: Question) -> list[Choice]:
    if question.taxonomy_id is None:
        return []
    return [
        Choice(str(t.pk), t.label_in(), t.position)
        for t in question.taxonomy.terms.order_by("position", "code")
    ]


def question_spec(question: Question) -> QuestionSpec:
    return QuestionSpec(
        id=question.pk,
        text=question.text,
        kind=question.kind,
        choices=tuple(term_choices(question)),
        scale_max=question.scale_max,
        with_level=question.with_level,
    )


# --- answering ------------------------------------------------------------------------------


def clean_value(question: Question, raw: object) -> object:
    """The stored form of one answer, or None when it is empty; raises ValidationError
    with a message naming the question when the value does not fit its kind."""
    if raw in (None, "", [], {}):
        return None
    where = {"question": question.text}
    if question.kind == QuestionKind.TERMS:
        allowed = set(question.taxonomy.terms.values_list("pk", flat=True))
        items = []
        for item in raw if isinstance(raw, list) else [raw]:
            term = item.get("term") if isinstance(item, dict) else item
            level = item.get("level") if isinstance(item, dict) else None
            try:
                term = int(term)
                level = int(level) if level not in (None, "") else None
            except (TypeError, ValueError):
                term = None
            if term not in allowed or (level is not None and level not in InterestLevel.values):
                raise ValidationError(_("“%(question)s”: choose among the areas offered.") % where)
            if all(existing["term"] != term for existing in items):
                items.append({"term": term, "level": level if question.with_level else None})
        return items or None
    if question.kind == QuestionKind.COUNTRIES:
        codes = []
        for item in raw if isinstance(raw, list) else [raw]:
            code = normalise_country(str(item))
            if code not in codes:
                codes.append(code)
        return codes or None
    if question.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        try:
            number = float(raw)
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number) or abs(number) > 1e12:
            raise ValidationError(_("“%(question)s”: give a number.") % where)
        if question.kind == QuestionKind.SCALE:
            if number != int(number) or not 1 <= number <= question.scale_max:
                raise ValidationError(
                    _("“%(question)s”: choose a point from 1 to %(top)s.")
                    % {**where, "top": question.scale_max}
                )
            return int(number)
        return int(number) if number == int(number) else number
    text = " ".join(str(raw).split())[:MAX_TEXT]
    return text or None


def response_for(survey: Survey, organisation: Organisation) -> Response | None:
    return Response.objects.filter(survey=survey, organisation=organisation).first()


def response_values(response: Response | None) -> dict[int, object]:
    if response is None:
        return {}
    return dict(response.answers.values_list("question_id", "value"))


@transaction.atomic
def save_response(
    user,
    survey: Survey,
    organisation: Organisation,
    values: dict[int, object],
    *,
    submit: bool = False,
    consent: bool = False,
    today: dt.date | None = None,
) -> Response:
    """Store the organisation's answers (all of them: a question left out is emptied).
    Saving keeps a draft to come back to; submitting also requires the required answers.
    Only the organisation's own people answer, and only while the survey is open."""
    today = today or timezone.localdate()
    if not permissions.can_answer(user, survey, organisation, today):
        raise PermissionDenied(_("You cannot answer this survey for this organisation."))
    questions = list(survey.questions.select_related("taxonomy"))
    cleaned: dict[int, object] = {}
    errors: dict[str, list] = {}
    for question in questions:
        try:
            cleaned[question.pk] = clean_value(question, values.get(question.pk))
        except ValidationError as error:
            errors[f"q{question.pk}"] = error.messages
            continue
        if submit and question.required and cleaned[question.pk] is None:
            errors[f"q{question.pk}"] = [
                _("“%(question)s” needs an answer before you submit.") % {"question": question.text}
            ]
    if errors:
        raise ValidationError(errors)
    response, _created = Response.objects.select_for_update().get_or_create(
        survey=survey, organisation=organisation
    )
    response.updated_by = user
    response.consent_to_profile = consent
    if submit and response.submitted_at is None:
        response.submitted_at = timezone.now()
    response.save()
    response.answers.exclude(
        question_id__in=[pk for pk, v in cleaned.items() if v is not None]
    ).delete()
    for question_id, value in cleaned.items():
        if value is not None:
            Answer.objects.update_or_create(
                response=response, question_id=question_id, defaults={"value": value}
            )
    reflect_in_profile(response, questions, cleaned)
    return response


def reflect_in_profile(
    response: Response, questions: list[Question], values: dict[int, object]
) -> Need | None:
    """With the respondent's consent, the terms it chose become one confidential need of its
    brokering profile (kept in step with the answers); without it, that need is removed."""
    term_ids = [
        item["term"]
        for question in questions
        if question.kind == QuestionKind.TERMS
        for item in values.get(question.pk) or []
    ]
    need = response.profile_need
    if not response.consent_to_profile or not term_ids:
        if need is not None:
            Response.objects.filter(pk=response.pk).update(profile_need=None)
            response.profile_need = None
            need.delete()
        return None
    profile, _created = Profile.objects.get_or_create(organisation=response.organisation)
    labels = [t.label_in() for t in Term.objects.filter(pk__in=term_ids)]
    description = _("Areas of interest stated in the survey “%(title)s”: %(areas)s.") % {
        "title": response.survey.title,
        "areas": ", ".join(labels),
    }
    if need is None:
        need = Need.objects.create(
            profile=profile, kind=NeedKind.TECHNOLOGY, description=description, confidential=True
        )
        Response.objects.filter(pk=response.pk).update(profile_need=need)
        response.profile_need = need
    else:
        need.description = description
        need.save(update_fields=["description"])
    need.terms.set(term_ids)
    return need


# --- results --------------------------------------------------------------------------------


@dataclass
class ResultFilters:
    cluster: int | None = None
    country: str = ""
    kind: str = ""
    size_class: str = ""

    def apply(self, responses: QuerySet[Response]) -> QuerySet[Response]:
        if self.cluster:
            responses = responses.filter(
                Q(organisation_id=self.cluster)
                | Q(organisation__memberships__cluster_id=self.cluster)
            ).distinct()
        if self.country:
            responses = responses.filter(organisation__country=self.country)
        if self.kind:
            responses = responses.filter(organisation__kind=self.kind)
        if self.size_class:
            responses = responses.filter(organisation__size_class=self.size_class)
        return responses

    @property
    def active(self) -> bool:
        return bool(self.cluster or self.country or self.kind or self.size_class)


class ResponseRate:
    """The share of the organisations asked (`asked`) that answered (`answered`)."""

    asked: int
    answered: int

    @property
    def response_rate(self) -> float:
        return self.answered / self.asked if self.asked else 0.0

    @property
    def response_percent(self) -> int:
        return round(self.response_rate * 100)


@dataclass
class SurveyResults(ResponseRate):
    survey: Survey
    asked: int
    answered: int
    respondents: int
    questions: list[QuestionResult] = field(default_factory=list)


def country_spec_choices(values: list[list[str]]) -> tuple[Choice, ...]:
    codes = sorted({c for v in values for c in v or []}, key=country_name)
    return tuple(Choice(c, country_name(c), i) for i, c in enumerate(codes))


def survey_results(survey: Survey, filters: ResultFilters | None = None) -> SurveyResults:
    """Response rate and, per question, the answers of the submitted responses that pass the
    filters, counted by `tally`."""
    filters = filters or ResultFilters()
    submitted = survey.responses.filter(submitted_at__isnull=False)
    chosen = filters.apply(submitted)
    answers: dict[int, dict[int, object]] = {pk: {} for pk in chosen.values_list("pk", flat=True)}
    for response_id, question_id, value in Answer.objects.filter(
        response_id__in=list(answers)
    ).values_list("response_id", "question_id", "value"):
        answers[response_id][question_id] = value
    specs = []
    for question in survey.questions.select_related("taxonomy"):
        spec = question_spec(question)
        if question.kind == QuestionKind.COUNTRIES:
            spec = QuestionSpec(
                spec.id,
                spec.text,
                spec.kind,
                country_spec_choices([a.get(question.pk) for a in answers.values()]),
            )
        specs.append(spec)
    return SurveyResults(
        survey=survey,
        asked=survey.invitations.count(),
        answered=submitted.count(),
        respondents=len(answers),
        questions=tally(specs, answers.values()),
    )


EXPORT_COLUMNS = ["question", "rank", "answer", "respondents", "share_percent", "mean"]


def export_rows(results: SurveyResults) -> list[dict]:
    """The results as rows for CSV/XLSX: one per ranked choice, or one per number question."""
    rows = []
    for result in results.questions:
        if result.rows and result.question.kind != QuestionKind.SCALE:
            for rank, row in enumerate(result.rows, start=1):
                rows.append(
                    {
                        "question": result.question.text,
                        "rank": rank,
                        "answer": row.label,
                        "respondents": row.count,
                        "share_percent": row.percent,
                    }
                )
        else:
            rows.append(
                {
                    "question": result.question.text,
                    "respondents": result.answered,
                    "mean": round(result.mean, 2) if result.mean is not None else None,
                }
            )
    return rows


def display_value(question: Question, value: object) -> str:
    """An answer as people read it: term labels with their level, country names, the value."""
    if value in (None, "", []):
        return ""
    if question.kind == QuestionKind.TERMS:
        labels = {t.pk: t.label_in() for t in question.taxonomy.terms.all()}
        levels = dict(InterestLevel.choices)
        return "; ".join(
            f"{labels.get(item['term'], item['term'])}"
            + (f" ({levels[item['level']]})" if item.get("level") in levels else "")
            for item in value
        )
    if question.kind == QuestionKind.COUNTRIES:
        return ", ".join(country_name(c) for c in value)
    return str(value)
