"""The surveys API: the surveys I manage or am asked to answer, my organisation's response
(read and write, while the survey is open), and the results (the survey's managers only).

Every call needs a logged-in session (with its CSRF token for writes) or an API token. A
survey one is not part of answers 404, as if it did not exist."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from clusterbroker.registry.models import Organisation
from clusterbroker.registry.permissions import (
    is_platform_admin,
    managed_partnership_ids,
    own_organisation_ids,
)
from clusterbroker.surveys import permissions, services
from clusterbroker.surveys.models import Survey

from .auth import WRITE_AUTH
from .crud import ErrorOut

router = Router(tags=["surveys"])


class QuestionOut(Schema):
    id: int
    position: int
    text: str
    help_text: str
    kind: str
    required: bool
    taxonomy: str | None
    with_level: bool
    scale_max: int

    @staticmethod
    def resolve_taxonomy(obj) -> str | None:
        return obj.taxonomy.code if obj.taxonomy_id else None


class SurveyOut(Schema):
    id: int
    title: str
    intro: str
    owner: str
    opens_on: dt.date
    closes_on: dt.date
    audience: str
    status: str
    i_manage: bool
    i_answer_for: list[str]


class SurveyDetailOut(SurveyOut):
    questions: list[QuestionOut]


class AnswerIO(Schema):
    question: int
    value: Any


class ResponseOut(Schema):
    survey: int
    respondent: str
    submitted_at: dt.datetime | None
    consent_to_profile: bool
    updated_at: dt.datetime | None
    answers: list[AnswerIO]


class ResponseIn(Schema):
    answers: list[AnswerIO] = []
    submit: bool = False
    consent_to_profile: bool = False


class RowOut(Schema):
    answer: str
    respondents: int
    share: float


class QuestionResultOut(Schema):
    question: int
    text: str
    answered: int
    mean: float | None
    ranked: list[RowOut]


class ResultsOut(Schema):
    survey: int
    asked: int
    answered: int
    response_rate: float
    questions: list[QuestionResultOut]


class ResponseQuery(Schema):
    respondent: str = ""


def _out(request, survey: Survey) -> dict:
    ids = permissions.answering_organisation_ids(request.user, survey)
    return {
        **{f: getattr(survey, f) for f in ("id", "title", "intro", "opens_on", "closes_on")},
        "audience": survey.audience,
        "owner": survey.owner.slug,
        "status": survey.status(timezone.localdate()),
        "i_manage": permissions.can_manage_survey(request.user, survey),
        "i_answer_for": sorted(
            Organisation.objects.filter(pk__in=ids).values_list("slug", flat=True)
        ),
    }


def _visible(request, survey_id: int) -> Survey:
    survey = get_object_or_404(
        Survey.objects.select_related("partnership", "cluster"), pk=survey_id
    )
    if not permissions.can_see_survey(request.user, survey):
        raise Http404
    return survey


def _respondent(request, survey: Survey, slug: str) -> Organisation:
    ids = permissions.answering_organisation_ids(request.user, survey)
    organisations = Organisation.objects.filter(pk__in=ids).order_by("name")
    if slug:
        organisations = organisations.filter(slug=slug)
    elif len(ids) > 1:
        raise HttpError(422, "You answer for several organisations: name one as `respondent`.")
    organisation = organisations.first()
    if organisation is None:
        raise HttpError(404, "Your organisation is not asked by this survey.")
    return organisation


def _response_out(survey: Survey, organisation: Organisation) -> dict:
    response = services.response_for(survey, organisation)
    values = services.response_values(response)
    return {
        "survey": survey.pk,
        "respondent": organisation.slug,
        "submitted_at": response.submitted_at if response else None,
        "consent_to_profile": bool(response and response.consent_to_profile),
        "updated_at": response.updated_at if response else None,
        "answers": [{"question": q, "value": v} for q, v in sorted(values.items())],
    }


@router.get(
    "/",
    response=list[SurveyOut],
    auth=WRITE_AUTH,
    summary="Surveys I manage or am asked to answer",
    operation_id="list_my_surveys",
)
def list_surveys(request):
    user = request.user
    if is_platform_admin(user):
        surveys = Survey.objects.all()
    else:
        surveys = (
            Survey.objects.filter(invitations__organisation_id__in=own_organisation_ids(user))
            | Survey.objects.filter(partnership_id__in=managed_partnership_ids(user))
            | Survey.objects.filter(cluster_id__in=permissions.managed_cluster_ids(user))
        )
    surveys = surveys.distinct().select_related("partnership", "cluster").order_by("-opens_on")
    return [_out(request, s) for s in surveys[:200]]


@router.get(
    "/{survey_id}",
    response={200: SurveyDetailOut, 404: ErrorOut},
    auth=WRITE_AUTH,
    summary="One survey with its questions",
    operation_id="read_survey",
)
def read_survey(request, survey_id: int):
    survey = _visible(request, survey_id)
    return {**_out(request, survey), "questions": list(survey.questions.select_related("taxonomy"))}


@router.get(
    "/{survey_id}/response",
    response={200: ResponseOut, 404: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="My organisation's response",
    operation_id="read_my_survey_response",
)
def read_response(request, survey_id: int, query: ResponseQuery = Query(...)):  # noqa: B008
    survey = _visible(request, survey_id)
    return _response_out(survey, _respondent(request, survey, query.respondent))


@router.put(
    "/{survey_id}/response",
    response={200: ResponseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Save (or submit) my organisation's response",
    operation_id="update_my_survey_response",
)
def update_response(
    request,
    survey_id: int,
    payload: ResponseIn,
    query: ResponseQuery = Query(...),  # noqa: B008
):
    """Every answer is given (a question left out is emptied). `submit` also requires the
    required answers; the response stays editable until the survey closes."""
    survey = _visible(request, survey_id)
    organisation = _respondent(request, survey, query.respondent)
    values = {a.question: a.value for a in payload.answers}
    unknown = set(values) - set(survey.questions.values_list("pk", flat=True))
    if unknown:
        raise HttpError(422, f"Not questions of this survey: {sorted(unknown)}")
    try:
        services.save_response(
            request.user,
            survey,
            organisation,
            values,
            submit=payload.submit,
            consent=payload.consent_to_profile,
        )
    except PermissionDenied as error:
        raise HttpError(403, str(error) or "The survey is not open.") from error
    except ValidationError as error:
        return Status(422, {"detail": error.message_dict})
    return _response_out(survey, organisation)


@router.get(
    "/{survey_id}/results",
    response={200: ResultsOut, 403: ErrorOut, 404: ErrorOut},
    auth=WRITE_AUTH,
    summary="The survey's results (its managers only)",
    operation_id="read_survey_results",
)
def read_results(request, survey_id: int):
    survey = _visible(request, survey_id)
    if not permissions.can_see_results(request.user, survey):
        return Status(403, {"detail": "Only the survey's managers see its results."})
    results = services.survey_results(survey)
    return {
        "survey": survey.pk,
        "asked": results.asked,
        "answered": results.answered,
        "response_rate": round(results.response_rate, 4),
        "questions": [
            {
                "question": r.question.id,
                "text": r.question.text,
                "answered": r.answered,
                "mean": r.mean,
                "ranked": [
                    {"answer": row.label, "respondents": row.count, "share": round(row.share, 4)}
                    for row in r.rows
                ],
            }
            for r in results.questions
        ],
    }
