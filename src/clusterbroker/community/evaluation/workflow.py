"""The evaluation workflow, from application to decision; every step checks who acts."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterbroker.registry.models import Label

from .. import permissions
from ..models import Application, Assignment, Attachment, AwardCall, Criterion, Score
from .conflicts import has_conflict

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = (".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".png", ".jpg", ".jpeg")
MAX_TITLE_LENGTH = 300


class WorkflowConflict(ValidationError):
    """A step refused because of where the records stand (the call is closed, the scores are
    already submitted, no consensus yet …) or because of the conflict-of-interest rule, not
    because of a malformed input. Still a ValidationError: pages show its messages; the API
    answers it with a 409."""


def criteria_of(call: AwardCall) -> list[Criterion]:
    return list(
        Criterion.objects.filter(section__criteria_set=call.criteria_set).select_related("section")
    )


@transaction.atomic
def submit_application(
    call: AwardCall,
    organisation,
    user,
    title: str,
    summary: str,
    project=None,
    story=None,
    today: dt.date | None = None,
    files=(),
) -> Application:
    today = today or timezone.localdate()
    if not permissions.can_apply_for(user, organisation):
        raise PermissionDenied
    if not call.opens_on <= today <= call.closes_on:
        raise WorkflowConflict(_("The call is not open for applications."))
    if not title.strip() or not summary.strip():
        raise ValidationError(_("An application needs a title and a summary."))
    if len(title.strip()) > MAX_TITLE_LENGTH:
        raise ValidationError({"title": _("At most %(n)s characters.") % {"n": MAX_TITLE_LENGTH}})
    if (
        project is not None
        and not project.participations.filter(organisation=organisation).exists()
    ):
        raise ValidationError(
            {"project": _("%(org)s does not take part in this project.") % {"org": organisation}}
        )
    if story is not None and not permissions.can_view(user, story):
        raise ValidationError({"story": _("No such story.")})
    if Application.objects.filter(
        call=call, organisation=organisation, title=title.strip()
    ).exists():
        raise WorkflowConflict({"title": _("This organisation already applied with this title.")})
    for upload in files:
        if not upload.name.lower().endswith(ATTACHMENT_TYPES):
            raise ValidationError(
                {
                    "attachments": _("%(name)s: only PDF, office documents and images.")
                    % {"name": upload.name}
                }
            )
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                {"attachments": _("%(name)s is larger than 10 MB.") % {"name": upload.name}}
            )
    application = Application.objects.create(
        call=call,
        organisation=organisation,
        title=title.strip(),
        summary=summary.strip(),
        project=project,
        story=story,
        submitted_by=user,
    )
    for upload in files:
        Attachment.objects.create(application=application, file=upload, name=upload.name[:200])
    return application


@transaction.atomic
def assign_evaluator(application: Application, evaluator, by) -> Assignment:
    if not permissions.can_manage_call(by, application.call):
        raise PermissionDenied
    if application.state == Application.State.DECIDED:
        raise WorkflowConflict(_("The application is already decided."))
    if has_conflict(evaluator, application):
        raise WorkflowConflict(
            {
                "evaluator": _(
                    "Conflict of interest: %(user)s belongs to the applicant organisation or one "
                    "of its partners."
                )
                % {"user": evaluator.get_username()}
            }
        )
    assignment, _created = Assignment.objects.get_or_create(
        application=application, evaluator=evaluator
    )
    application.state = Application.State.IN_EVALUATION
    application.save(update_fields=["state"])
    return assignment


@transaction.atomic
def record_scores(
    assignment: Assignment, user, scores: dict[int, tuple[int, str]], submit: bool = True
) -> None:
    """Scores by criterion id: (value, comment). Submitting needs every criterion scored."""
    if assignment.evaluator_id != getattr(user, "pk", None):
        raise PermissionDenied
    if assignment.submitted_at is not None:
        raise WorkflowConflict(_("These scores were already submitted."))
    criteria = {c.pk: c for c in criteria_of(assignment.application.call)}
    errors = {}
    for criterion_id, (value, _comment) in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            errors[f"criterion_{criterion_id}"] = _("Not a criterion of this call.")
        elif value is None or not criterion.scale_min <= value <= criterion.scale_max:
            errors[f"criterion_{criterion_id}"] = _("Give a score from %(min)s to %(max)s.") % {
                "min": criterion.scale_min,
                "max": criterion.scale_max,
            }
    if submit:
        for criterion_id in set(criteria) - set(scores):
            errors[f"criterion_{criterion_id}"] = _("Every criterion needs a score.")
    if errors:
        raise ValidationError(errors)
    for criterion_id, (value, comment) in scores.items():
        Score.objects.update_or_create(
            assignment=assignment,
            criterion_id=criterion_id,
            defaults={"value": value, "comment": comment or ""},
        )
    if submit:
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["submitted_at"])


def consolidated(application: Application) -> dict:
    """Mean score per criterion over submitted evaluations and the weighted percentage."""
    criteria = criteria_of(application.call)
    submitted = application.assignments.filter(submitted_at__isnull=False)
    rows = []
    weighted = Decimal(0)
    weights = Decimal(0)
    for criterion in criteria:
        values = list(
            Score.objects.filter(assignment__in=submitted, criterion=criterion).values_list(
                "value", "comment"
            )
        )
        mean = Decimal(sum(v for v, _c in values)) / len(values) if values else None
        rows.append(
            {"criterion": criterion, "mean": mean, "comments": [c for _v, c in values if c]}
        )
        if mean is not None and criterion.scale_max > criterion.scale_min:
            share = (mean - criterion.scale_min) / (criterion.scale_max - criterion.scale_min)
            weighted += criterion.weight * share
            weights += criterion.weight
    percent = (
        (weighted / weights * 100).quantize(Decimal("0.01"), ROUND_HALF_UP) if weights else None
    )
    return {"criteria": rows, "percent": percent, "evaluations": submitted.count()}


@transaction.atomic
def record_consensus(
    application: Application, by, comment: str, score: Decimal | None = None
) -> Application:
    if not permissions.can_manage_call(by, application.call):
        raise PermissionDenied
    assignments = application.assignments.all()
    if not assignments or any(a.submitted_at is None for a in assignments):
        raise WorkflowConflict(_("Every assigned evaluator must submit scores first."))
    if score is not None and not (score.is_finite() and 0 <= score <= 100):
        raise ValidationError({"score": _("Give a percentage from 0 to 100.")})
    application.consensus_score = (
        score if score is not None else consolidated(application)["percent"]
    )
    application.consensus_comment = comment
    application.save(update_fields=["consensus_score", "consensus_comment"])
    return application


@transaction.atomic
def decide(application: Application, by, awarded: bool, note: str = "") -> Application:
    if not permissions.can_manage_call(by, application.call):
        raise PermissionDenied
    if application.consensus_score is None:
        raise WorkflowConflict(_("Record the consensus before deciding."))
    application.awarded = awarded
    application.decision_note = note
    application.decided_at = timezone.now()
    application.state = Application.State.DECIDED
    application.save()
    if awarded:
        Label.objects.get_or_create(
            organisation=application.organisation,
            label=application.call.name,
            defaults={"year": application.decided_at.year, "note": application.title},
        )
    return application
