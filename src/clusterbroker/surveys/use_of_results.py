"""Results into action: an area many respondents chose becomes an action of the
partnership's plan, saying where it comes from; the manager then completes it."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from clusterbroker.plans.models import Action
from clusterbroker.plans.services import save_action

from . import permissions
from .models import QuestionKind, Survey
from .services import survey_results
from .tally import QuestionResult, Row


class UnknownArea(LookupError):
    """The question is not a ranked-areas question of the survey, or nobody chose the area."""


@dataclass(frozen=True)
class RankedArea:
    question: QuestionResult
    row: Row
    respondents: int


def ranked_area(survey: Survey, question_id: int, term_id: int) -> RankedArea:
    """The area as the survey's (unfiltered) results rank it, among all respondents."""
    results = survey_results(survey)
    for result in results.questions:
        if result.question.id != question_id or result.question.kind != QuestionKind.TERMS:
            continue
        for row in result.rows:
            if row.key == str(term_id):
                return RankedArea(result, row, results.respondents)
    raise UnknownArea(term_id)


def action_text(survey: Survey, area: RankedArea) -> tuple[str, str]:
    """The title and description of the action made from an area."""
    title = area.row.label[: Action._meta.get_field("title").max_length]
    description = _(
        "From the survey “%(survey)s”: %(count)s of %(respondents)s respondents chose "
        "“%(area)s” in answer to “%(question)s”."
    ) % {
        "survey": survey.title,
        "count": area.row.count,
        "respondents": area.respondents,
        "area": area.row.label,
        "question": area.question.question.text,
    }
    return title, description


def add_plan_action(user, survey: Survey, question_id: int, term_id: int) -> tuple[Action, bool]:
    """Make the area an action of the partnership's plan (planned, to be completed by the
    manager); the same area of the same survey asked again gives the action already made.
    Returns the action and whether it was created."""
    if not permissions.can_plan_from_results(user, survey):
        raise PermissionDenied(_("Only the partnership's managers add actions to its plan."))
    title, description = action_text(survey, ranked_area(survey, question_id, term_id))
    # Counts move while the survey is open: the same area of the same survey is one action.
    existing = Action.objects.filter(
        partnership_id=survey.partnership_id,
        title=title,
        description__contains=f"“{survey.title}”",
    ).first()
    if existing is not None:
        return existing, False
    action = save_action(
        Action(partnership=survey.partnership, title=title, description=description)
    )
    return action, True
