"""The label and award evaluation API: criteria sets, calls, applications, evaluators' scores,
consensus, decision and certificate.

Criteria sets and calls are open to read, like their pages. Everything else needs a session
(with its CSRF token) or an API token, and shows each user only what they may see: applicants
their organisations' applications, evaluators their assignments, a call's managers (and
community managers) every application of the call. Every rule is the workflow's
(`community.evaluation.workflow`) and the permissions' (`community.permissions`); these
endpoints only translate:

- 404: a record that does not exist, or that the user may not even know of (the same answer
  for both);
- 403: a record the user sees but may not act on (an evaluator deciding, an applicant
  reading its result before the decision);
- 409: a step refused by where the records stand (the call is closed, the scores are already
  submitted, no consensus yet, the application is decided: a decision is final and freezes
  evaluators, scores and consensus) or by the conflict-of-interest rule;
- 422: invalid input, with the field named (`criterion_12: Give a score from 0 to 5.`).

A refused request changes nothing. Applications are submitted as JSON, without attachments:
files are added on the call's page. The certificate of an awarded application is made and
stored at the decision; its download serves that stored document, and its public
verification page (`certificate_url` of the result) shows what was awarded to whom and when.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from clusterbroker.community import permissions
from clusterbroker.community.evaluation import workflow
from clusterbroker.community.evaluation.certificate import pdf_bytes, stored_certificate
from clusterbroker.community.evaluation.views import site_address
from clusterbroker.community.models import (
    Application,
    Assignment,
    AwardCall,
    CriteriaSet,
    Story,
)
from clusterbroker.registry.models import Organisation, Project

from .auth import WRITE_AUTH
from .crud import ErrorOut, Pages

router = Router(tags=["evaluation"])

# ---------------------------------------------------------------------------------- schemas


class CriterionOut(Schema):
    id: int
    name: str
    description: str
    scale_min: int
    scale_max: int
    weight: Decimal


class SectionOut(Schema):
    id: int
    name: str
    criteria: list[CriterionOut]

    @staticmethod
    def resolve_criteria(obj) -> list:
        return list(obj.criteria.all())


class CriteriaSetOut(Schema):
    slug: str
    name: str
    description: str
    sections: list[SectionOut]

    @staticmethod
    def resolve_sections(obj) -> list:
        return list(obj.sections.all())


class AwardCallOut(Schema):
    slug: str
    name: str
    kind: str
    description: str
    criteria_set: str
    opens_on: dt.date
    closes_on: dt.date
    open: bool
    threshold: Decimal
    url: str

    @staticmethod
    def resolve_criteria_set(obj) -> str:
        return obj.criteria_set.slug

    @staticmethod
    def resolve_open(obj) -> bool:
        return obj.opens_on <= timezone.localdate() <= obj.closes_on

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class AwardCallDetailOut(AwardCallOut):
    criteria: CriteriaSetOut

    @staticmethod
    def resolve_criteria(obj) -> CriteriaSet:
        return obj.criteria_set


class AwardCallFilterIn(Schema):
    q: str = ""
    kind: Literal["label", "award"] | None = None
    state: Literal["all", "open", "upcoming", "closed"] = "all"


class AttachmentOut(Schema):
    id: int
    name: str
    url: str


class ApplicationOut(Schema):
    id: int
    call: str
    organisation: str
    organisation_name: str
    title: str
    summary: str
    project: int | None
    story: int | None
    submitted_by: str | None
    submitted_at: dt.datetime
    state: str
    attachments: list[AttachmentOut]
    url: str

    @staticmethod
    def resolve_call(obj) -> str:
        return obj.call.slug

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_organisation_name(obj) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_project(obj) -> int | None:
        return obj.project_id

    @staticmethod
    def resolve_story(obj) -> int | None:
        return obj.story_id

    @staticmethod
    def resolve_submitted_by(obj) -> str | None:
        return obj.submitted_by.get_username() if obj.submitted_by else None

    @staticmethod
    def resolve_attachments(obj) -> list[dict]:
        return [
            {
                "id": item.pk,
                "name": item.name,
                "url": reverse("community:attachment", args=[obj.pk, item.pk]),
            }
            for item in obj.attachments.all()
        ]

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class ApplicationFilterIn(Schema):
    q: str = ""
    call: str = ""
    state: Literal["submitted", "in_evaluation", "decided"] | None = None


class ApplicationIn(Schema):
    call: str = Field(description="The call's identifier (slug).")
    organisation: str = Field(description="The applicant organisation's identifier (slug).")
    title: str = Field(min_length=1, max_length=workflow.MAX_TITLE_LENGTH)
    summary: str = Field(min_length=1)
    project: int | None = Field(None, description="A project the organisation takes part in.")
    story: int | None = Field(None, description="A success story the user can see.")


class AssignmentIn(Schema):
    evaluator: str = Field(min_length=1, max_length=150, description="The evaluator's login.")


class AssignmentOut(Schema):
    id: int
    application: int
    application_title: str
    call: str
    evaluator: str
    submitted_at: dt.datetime | None

    @staticmethod
    def resolve_application(obj) -> int:
        return obj.application_id

    @staticmethod
    def resolve_application_title(obj) -> str:
        return obj.application.title

    @staticmethod
    def resolve_call(obj) -> str:
        return obj.application.call.slug

    @staticmethod
    def resolve_evaluator(obj) -> str:
        return obj.evaluator.get_username()


class ScoreIn(Schema):
    criterion: int
    value: int
    comment: str = ""


class ScoresIn(Schema):
    scores: list[ScoreIn]
    submit: bool = Field(
        False,
        description="Submit the evaluation: every criterion must be scored, and the scores "
        "can no longer change. Without it the scores are saved as a draft.",
    )


class ScoreOut(Schema):
    criterion: int
    criterion_name: str
    value: int
    comment: str

    @staticmethod
    def resolve_criterion(obj) -> int:
        return obj.criterion_id

    @staticmethod
    def resolve_criterion_name(obj) -> str:
        return obj.criterion.name


class ScoresOut(Schema):
    assignment: int
    submitted_at: dt.datetime | None
    scores: list[ScoreOut]


class ConsensusIn(Schema):
    comment: str = ""
    score: Decimal | None = Field(
        None,
        ge=0,
        le=100,
        max_digits=5,
        decimal_places=2,
        description="The agreed weighted score in %; the consolidated score when left out.",
    )


class DecisionIn(Schema):
    awarded: bool
    note: str = ""


class ResultRowOut(Schema):
    criterion: int
    section: str
    name: str
    weight: Decimal
    mean: Decimal | None
    comments: list[str]


class ResultOut(Schema):
    application: int
    evaluations: int
    percent: Decimal | None
    criteria: list[ResultRowOut]
    consensus_score: Decimal | None
    consensus_comment: str
    decided_at: dt.datetime | None
    awarded: bool | None
    decision_note: str
    certificate_url: str | None = Field(
        None, description="The public verification page of the certificate, once awarded."
    )


# ---------------------------------------------------------------------------------- helpers


def _unprocessable(error: ValidationError) -> HttpError:
    """A 422 (a 409 for a workflow conflict) whose detail names the field a rule is about."""
    status = 409 if isinstance(error, workflow.WorkflowConflict) else 422
    if not hasattr(error, "error_dict"):
        return HttpError(status, " ".join(error.messages))
    return HttpError(
        status,
        "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()),
    )


def _not_found() -> HttpError:
    """The one 404 of this API's applications and assignments: the same whether the record
    does not exist or the user may not see it."""
    return HttpError(404, _("Not found."))


def _visible_application(request, pk: int) -> Application:
    """The application, or a 404 when it does not exist or the user may not see it."""
    application = (
        Application.objects.select_related("call", "organisation", "submitted_by")
        .filter(pk=pk)
        .first()
    )
    if application is None or not permissions.can_view_application(request.user, application):
        raise _not_found()
    return application


def _managed_application(request, pk: int) -> Application:
    application = _visible_application(request, pk)
    if not permissions.can_manage_call(request.user, application.call):
        raise HttpError(403, _("Only the call's managers do this."))
    return application


def _visible_assignment(request, pk: int) -> Assignment:
    assignment = (
        Assignment.objects.select_related("application__call", "evaluator").filter(pk=pk).first()
    )
    if assignment is None or not permissions.can_view_assignment(request.user, assignment):
        raise _not_found()
    return assignment


def _scores(assignment: Assignment) -> dict:
    return {
        "assignment": assignment.pk,
        "submitted_at": assignment.submitted_at,
        "scores": assignment.scores.select_related("criterion").order_by(
            "criterion__section__position", "criterion__position", "criterion_id"
        ),
    }


def _two_places(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"), ROUND_HALF_UP)


# ---------------------------------------------------------------------------------- criteria


@router.get(
    "/criteria-sets",
    response=list[CriteriaSetOut],
    summary="List criteria sets",
    operation_id="list_criteria_sets",
)
@paginate(Pages, page_size=50)
def list_criteria_sets(request):
    """Every criteria set, with its sections and their criteria (scale and weight)."""
    return CriteriaSet.objects.prefetch_related("sections__criteria")


@router.get(
    "/criteria-sets/{slug}",
    response=CriteriaSetOut,
    summary="Read a criteria set",
    operation_id="read_criteria_set",
)
def read_criteria_set(request, slug: str):
    return get_object_or_404(CriteriaSet.objects.prefetch_related("sections__criteria"), slug=slug)


# ---------------------------------------------------------------------------------- calls


@router.get(
    "/calls",
    response=list[AwardCallOut],
    summary="List label and award calls",
    operation_id="list_award_calls",
)
@paginate(Pages, page_size=50)
def list_calls(request, filters: Query[AwardCallFilterIn]):
    """Calls, newest first; `q` searches names and descriptions, `state` compares the
    application window with today."""
    calls = AwardCall.objects.select_related("criteria_set")
    if filters.q.strip():
        text = filters.q.strip()
        calls = calls.filter(Q(name__icontains=text) | Q(description__icontains=text))
    if filters.kind:
        calls = calls.filter(kind=filters.kind)
    today = timezone.localdate()
    if filters.state == "open":
        calls = calls.filter(opens_on__lte=today, closes_on__gte=today)
    elif filters.state == "upcoming":
        calls = calls.filter(opens_on__gt=today)
    elif filters.state == "closed":
        calls = calls.filter(closes_on__lt=today)
    return calls


@router.get(
    "/calls/{slug}",
    response=AwardCallDetailOut,
    summary="Read a label or award call",
    operation_id="read_award_call",
)
def read_call(request, slug: str):
    """The call with its criteria set (sections, criteria, scales, weights)."""
    return get_object_or_404(
        AwardCall.objects.select_related("criteria_set").prefetch_related(
            "criteria_set__sections__criteria"
        ),
        slug=slug,
    )


# ---------------------------------------------------------------------------------- applications


@router.get(
    "/applications",
    response=list[ApplicationOut],
    auth=WRITE_AUTH,
    summary="List the applications I may see",
    operation_id="list_applications",
)
@paginate(Pages, page_size=50)
def list_applications(request, filters: Query[ApplicationFilterIn]):
    """Applicants see their organisations' applications, evaluators the ones assigned to
    them, a call's managers every application of the call. Filter by `call` (identifier),
    `state`, and text in the title or the applicant's name (`q`)."""
    applications = permissions.visible_applications(request.user).prefetch_related("attachments")
    if filters.call:
        applications = applications.filter(call__slug=filters.call)
    if filters.state:
        applications = applications.filter(state=filters.state)
    if filters.q.strip():
        text = filters.q.strip()
        applications = applications.filter(
            Q(title__icontains=text) | Q(organisation__name__icontains=text)
        )
    return applications


@router.get(
    "/applications/{pk}",
    response=ApplicationOut,
    auth=WRITE_AUTH,
    summary="Read an application",
    operation_id="read_application",
)
def read_application(request, pk: int):
    return _visible_application(request, pk)


@router.post(
    "/applications",
    response={201: ApplicationOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Apply for a label or an award",
    operation_id="submit_application",
)
def submit_application(request, payload: ApplicationIn):
    """Apply on behalf of an organisation the user may edit, while the call is open.
    Attachments are not sent here: add them on the call's page."""
    call = AwardCall.objects.filter(slug=payload.call).first()
    if call is None:
        raise HttpError(422, _("call: there is no call “%(slug)s”.") % {"slug": payload.call})
    organisation = Organisation.objects.filter(slug=payload.organisation).first()
    if organisation is None:
        raise HttpError(
            422,
            _("organisation: there is no organisation “%(slug)s”.")
            % {"slug": payload.organisation},
        )
    project = None
    if payload.project is not None:
        project = Project.objects.filter(pk=payload.project).first()
        if project is None:
            raise HttpError(
                422, _("project: there is no project %(id)s.") % {"id": payload.project}
            )
    story = None
    if payload.story is not None:
        story = Story.objects.filter(pk=payload.story).first()
        if story is None:
            raise HttpError(422, _("story: No such story."))
    try:
        application = workflow.submit_application(
            call,
            organisation,
            request.user,
            payload.title,
            payload.summary,
            project=project,
            story=story,
        )
    except PermissionDenied as error:
        raise HttpError(
            403, _("You may not apply on behalf of %(org)s.") % {"org": organisation.name}
        ) from error
    except ValidationError as error:
        raise _unprocessable(error) from error
    return Status(201, application)


@router.get(
    "/applications/{pk}/result",
    response={200: ResultOut, 403: ErrorOut},
    auth=WRITE_AUTH,
    summary="The consolidated result of an application",
    operation_id="read_application_result",
)
def application_result(request, pk: int):
    """Mean score per criterion with the evaluators' comments, the weighted score, the
    consensus and the decision. The call's managers read it at any time; the applicant
    once the decision is made; evaluators never."""
    application = _visible_application(request, pk)
    if not permissions.can_see_result(request.user, application):
        raise HttpError(403, _("The result is shown to the applicant once the decision is made."))
    result = workflow.consolidated(application)
    stored = stored_certificate(application)
    return Status(
        200,
        {
            "application": application.pk,
            "evaluations": result["evaluations"],
            "percent": result["percent"],
            "criteria": [
                {
                    "criterion": row["criterion"].pk,
                    "section": row["criterion"].section.name,
                    "name": row["criterion"].name,
                    "weight": row["criterion"].weight,
                    "mean": _two_places(row["mean"]),
                    "comments": row["comments"],
                }
                for row in result["criteria"]
            ],
            "consensus_score": application.consensus_score,
            "consensus_comment": application.consensus_comment,
            "decided_at": application.decided_at,
            "awarded": application.awarded if application.decided_at else None,
            "decision_note": application.decision_note,
            "certificate_url": stored.get_absolute_url() if stored else None,
        },
    )


@router.get(
    "/applications/{pk}/certificate",
    response={404: ErrorOut},
    auth=WRITE_AUTH,
    summary="The certificate of an awarded application (PDF)",
    operation_id="application_certificate",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The certificate, a one-page PDF.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def certificate(request, pk: int):
    """For the applicant and the call's managers, once the application is awarded; a 404
    for everyone else and before the award. The document is the one made and stored at the
    decision: renaming the organisation later does not change what it certifies."""
    application = _visible_application(request, pk)
    stored = stored_certificate(application)
    if stored is None or not permissions.can_see_result(request.user, application):
        raise HttpError(404, _("No certificate: the application is not awarded."))
    response = HttpResponse(pdf_bytes(stored), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{stored.number}.pdf"'
    return response


# ---------------------------------------------------------------------------------- managers


@router.get(
    "/applications/{pk}/assignments",
    response={200: list[AssignmentOut], 403: ErrorOut},
    auth=WRITE_AUTH,
    summary="The evaluators of an application (managers)",
    operation_id="list_application_assignments",
)
def application_assignments(request, pk: int):
    application = _managed_application(request, pk)
    return Status(
        200, application.assignments.select_related("evaluator", "application__call").order_by("pk")
    )


@router.post(
    "/applications/{pk}/assignments",
    response={200: AssignmentOut, 201: AssignmentOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Assign an evaluator (managers)",
    operation_id="assign_evaluator",
)
def assign_evaluator(request, pk: int, payload: AssignmentIn):
    """Refused with a 409 when the application is decided, or when the evaluator is in
    conflict of interest: they submitted the application, hold a position in the applicant,
    in an organisation sharing a cluster, a partnership or a project with it, or have a role
    in one of its partnerships (the reason is named). An unknown login, an inactive account,
    and a conflict whose person the manager does not otherwise know get one answer, a 422
    `evaluator: No eligible evaluator with this login.`, so that logins cannot be probed.
    Assigning the same evaluator again answers 200 with the existing assignment."""
    application = _managed_application(request, pk)
    try:
        assignment, created = workflow.assign_by_login(
            application, payload.evaluator.strip(), request.user
        )
    except PermissionDenied as error:
        raise HttpError(403, _("Only the call's managers do this.")) from error
    except ValidationError as error:
        raise _unprocessable(error) from error
    return Status(201 if created else 200, assignment)


@router.delete(
    "/applications/{pk}/assignments/{assignment_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=WRITE_AUTH,
    summary="Remove an evaluator (managers)",
    operation_id="remove_evaluator",
)
def remove_evaluator(request, pk: int, assignment_id: int):
    """Takes an evaluator off the application with their scores, before the decision (a 409
    after it). A consensus already recorded is cleared, to be recorded again."""
    application = _managed_application(request, pk)
    assignment = application.assignments.filter(pk=assignment_id).first()
    if assignment is None:
        raise _not_found()
    try:
        workflow.remove_assignment(application, assignment, request.user)
    except PermissionDenied as error:
        raise HttpError(403, _("Only the call's managers do this.")) from error
    except ValidationError as error:
        raise _unprocessable(error) from error
    return Status(204, None)


@router.post(
    "/applications/{pk}/consensus",
    response={200: ResultOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Record the consensus (managers)",
    operation_id="record_consensus",
)
def record_consensus(request, pk: int, payload: ConsensusIn):
    """Once every assigned evaluator has submitted, none of them in conflict of interest;
    the score defaults to the consolidated weighted score. A 409 after the decision."""
    application = _managed_application(request, pk)
    try:
        workflow.record_consensus(application, request.user, payload.comment, payload.score)
    except PermissionDenied as error:
        raise HttpError(403, _("Only the call's managers do this.")) from error
    except ValidationError as error:
        raise _unprocessable(error) from error
    return application_result(request, pk)


@router.post(
    "/applications/{pk}/decision",
    response={200: ResultOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Decide: award or not (managers)",
    operation_id="decide_application",
)
def decide(request, pk: int, payload: DecisionIn):
    """Once the consensus is recorded, and once only: a decided application answers 409.
    Awarding adds the call's label to the applicant's profile and makes and stores the
    certificate."""
    application = _managed_application(request, pk)
    try:
        workflow.decide(
            application, request.user, payload.awarded, payload.note, site=site_address(request)
        )
    except PermissionDenied as error:
        raise HttpError(403, _("Only the call's managers do this.")) from error
    except ValidationError as error:
        raise _unprocessable(error) from error
    return application_result(request, pk)


# ---------------------------------------------------------------------------------- evaluators


@router.get(
    "/assignments",
    response=list[AssignmentOut],
    auth=WRITE_AUTH,
    summary="My assignments as an evaluator",
    operation_id="list_my_assignments",
)
@paginate(Pages, page_size=50)
def my_assignments(request, pending: bool = False):
    """The applications assigned to me; `pending=true` leaves out those already submitted."""
    assignments = Assignment.objects.filter(evaluator=request.user).select_related(
        "application__call", "evaluator"
    )
    if pending:
        assignments = assignments.filter(submitted_at__isnull=True)
    return assignments.order_by("-application__call__opens_on", "application__title", "pk")


@router.get(
    "/assignments/{pk}/scores",
    response={200: ScoresOut, 403: ErrorOut},
    auth=WRITE_AUTH,
    summary="My scores for an assignment",
    operation_id="read_my_scores",
)
def read_scores(request, pk: int):
    """The evaluator's own scores and comments (the call's managers read the consolidated
    result instead)."""
    assignment = _visible_assignment(request, pk)
    if assignment.evaluator_id != request.user.pk:
        raise HttpError(403, _("Only the evaluator reads these scores."))
    return Status(200, _scores(assignment))


@router.put(
    "/assignments/{pk}/scores",
    response={200: ScoresOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Save or submit my scores for an assignment",
    operation_id="record_my_scores",
)
def record_scores(request, pk: int, payload: ScoresIn):
    """One score per criterion of the call's criteria set, within the criterion's scale, each
    with an optional comment. Saved as a draft (scores sent again replace the earlier ones)
    until sent with `submit: true`; a refused request saves none of them."""
    assignment = _visible_assignment(request, pk)
    if assignment.evaluator_id != request.user.pk:
        raise HttpError(403, _("Only the assigned evaluator scores this application."))
    scores: dict[int, tuple[int, str]] = {}
    for item in payload.scores:
        if item.criterion in scores:
            raise HttpError(
                422,
                _("criterion_%(id)s: scored more than once.") % {"id": item.criterion},
            )
        scores[item.criterion] = (item.value, item.comment)
    try:
        workflow.record_scores(assignment, request.user, scores, submit=payload.submit)
    except PermissionDenied as error:
        raise HttpError(403, _("Only the assigned evaluator scores this application.")) from error
    except ValidationError as error:
        raise _unprocessable(error) from error
    assignment.refresh_from_db()
    return Status(200, _scores(assignment))
