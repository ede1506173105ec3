"""The evaluation workflow, from application to decision; every step checks who acts.

A decision is final: once an application is decided, its evaluators, their scores and the
consensus no longer change, and an awarded application's certificate is made and stored at
that moment (see `certificate`).
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterbroker.registry.models import Label

from .. import notices, permissions
from ..models import Application, Assignment, Attachment, AwardCall, Criterion, Score
from .certificate import issue_certificate
from .conflicts import conflict_reason, reason_visible_to

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = (".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".png", ".jpg", ".jpeg")
MAX_TITLE_LENGTH = 300
NO_ELIGIBLE_EVALUATOR = gettext_lazy("No eligible evaluator with this login.")


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


def _is_decided(application: Application) -> bool:
    """Whether the application is decided, read from the database (locking its row), so two
    requests cannot both act on a stale undecided copy."""
    current = (
        Application.objects.select_for_update()
        .filter(pk=application.pk)
        .values_list("state", "decided_at")
        .first()
    )
    if current is None:
        return False
    state, decided_at = current
    return state == Application.State.DECIDED or decided_at is not None


def _conflict_message(evaluator, reason) -> str:
    return _("Conflict of interest: %(user)s %(reason)s.") % {
        "user": evaluator.get_username(),
        "reason": reason,
    }


def _refuse_conflicted_evaluators(application: Application) -> None:
    """The consensus and the decision rest on the scores of evaluators free of any conflict
    of interest, checked again now: a relation formed since the assignment counts too."""
    for assignment in application.assignments.select_related("evaluator"):
        reason = conflict_reason(assignment.evaluator, application)
        if reason is not None:
            raise WorkflowConflict(
                {
                    "evaluator": _conflict_message(assignment.evaluator, reason)
                    + " "
                    + _("Remove this evaluator first.")
                }
            )


@transaction.atomic
def assign_evaluator(application: Application, evaluator, by) -> Assignment:
    if not permissions.can_manage_call(by, application.call):
        raise PermissionDenied
    if _is_decided(application):
        raise WorkflowConflict(_("The application is already decided."))
    if not evaluator.is_active:
        raise ValidationError({"evaluator": NO_ELIGIBLE_EVALUATOR})
    reason = conflict_reason(evaluator, application)
    if reason is not None:
        raise WorkflowConflict({"evaluator": _conflict_message(evaluator, reason)})
    assignment, created = Assignment.objects.get_or_create(
        application=application, evaluator=evaluator
    )
    application.state = Application.State.IN_EVALUATION
    application.save(update_fields=["state"])
    if created:
        notices.evaluator_assigned(assignment, by)
    return assignment


@transaction.atomic
def assign_by_login(application: Application, login: str, by) -> tuple[Assignment, bool]:
    """Assign the active user with this login; returns the assignment and whether it is new.

    An unknown login, an inactive account and a user in conflict of interest get the same
    answer ("No eligible evaluator with this login."), so that a call's managers cannot probe
    which logins exist or how their owners are related to the applicant. The reason of a
    conflict is named only to a manager who already knows that person in this context (see
    `conflicts.reason_visible_to`: the submitter, an evaluator already assigned, someone whose
    contact details they see, or any user for community managers and platform admins).
    """
    if not permissions.can_manage_call(by, application.call):
        raise PermissionDenied
    if _is_decided(application):
        raise WorkflowConflict(_("The application is already decided."))
    evaluator = get_user_model().objects.filter(username=login, is_active=True).first()
    if evaluator is None:
        raise ValidationError({"evaluator": NO_ELIGIBLE_EVALUATOR})
    reason = conflict_reason(evaluator, application)
    if reason is not None and not reason_visible_to(by, evaluator, application):
        raise ValidationError({"evaluator": NO_ELIGIBLE_EVALUATOR})
    existed = application.assignments.filter(evaluator=evaluator).exists()
    return assign_evaluator(application, evaluator, by), not existed


@transaction.atomic
def remove_assignment(application: Application, assignment: Assignment, by) -> None:
    """Take an evaluator off an application before the decision, with their scores (an
    evaluator found in conflict of interest, say). A consensus already recorded rested on
    those scores: it is cleared, to be recorded again."""
    if not permissions.can_manage_call(by, application.call):
        raise PermissionDenied
    if assignment.application_id != application.pk:
        raise ValidationError({"assignment": _("Not an evaluator of this application.")})
    if _is_decided(application):
        raise WorkflowConflict(_("The application is decided: its evaluators no longer change."))
    assignment.delete()
    fields = []
    if application.consensus_score is not None or application.consensus_comment:
        application.consensus_score = None
        application.consensus_comment = ""
        fields += ["consensus_score", "consensus_comment"]
    if not application.assignments.exists():
        application.state = Application.State.SUBMITTED
        fields.append("state")
    if fields:
        application.save(update_fields=fields)


@transaction.atomic
def record_scores(
    assignment: Assignment, user, scores: dict[int, tuple[int, str]], submit: bool = True
) -> None:
    """Scores by criterion id: (value, comment). Submitting needs every criterion scored."""
    if assignment.evaluator_id != getattr(user, "pk", None):
        raise PermissionDenied
    application = assignment.application
    if _is_decided(application):
        raise WorkflowConflict(_("The application is decided: its scores no longer change."))
    if assignment.submitted_at is not None:
        raise WorkflowConflict(_("These scores were already submitted."))
    # Checked again at each scoring: a relation formed since the assignment excludes too.
    reason = conflict_reason(user, application)
    if reason is not None:
        raise WorkflowConflict(
            _conflict_message(user, reason) + " " + _("You may not score this application.")
        )
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
    if _is_decided(application):
        raise WorkflowConflict(_("The application is decided: its consensus no longer changes."))
    assignments = application.assignments.all()
    if not assignments or any(a.submitted_at is None for a in assignments):
        raise WorkflowConflict(_("Every assigned evaluator must submit scores first."))
    if score is not None and not (score.is_finite() and 0 <= score <= 100):
        raise ValidationError({"score": _("Give a percentage from 0 to 100.")})
    _refuse_conflicted_evaluators(application)
    application.consensus_score = (
        score if score is not None else consolidated(application)["percent"]
    )
    application.consensus_comment = comment
    application.save(update_fields=["consensus_score", "consensus_comment"])
    return application


@transaction.atomic
def decide(
    application: Application, by, awarded: bool, note: str = "", site: str = ""
) -> Application:
    """Award or not, once and for all. Awarding adds the call's label to the applicant's
    profile and makes the certificate (`site`: the platform's address, printed with the
    verification link)."""
    if not permissions.can_manage_call(by, application.call):
        raise PermissionDenied
    if _is_decided(application):
        raise WorkflowConflict(_("The application is already decided: a decision is final."))
    if application.consensus_score is None:
        raise WorkflowConflict(_("Record the consensus before deciding."))
    _refuse_conflicted_evaluators(application)
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
        issue_certificate(application, site)
    notices.application_decided(application, by)
    return application
