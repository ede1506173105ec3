"""The kinds of notices: one place that names each kind, says what it is about (for the
settings page) and how it is delivered by e-mail unless the person chose otherwise."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

IMMEDIATELY = "immediately"
DAILY = "daily"
NEVER = "never"
DELIVERY_CHOICES = [
    (IMMEDIATELY, _("Immediately")),
    (DAILY, _("Daily digest")),
    (NEVER, _("Never")),
]
DELIVERIES = frozenset(value for value, _label in DELIVERY_CHOICES)


@dataclass(frozen=True)
class Kind:
    id: str
    label: str | Promise
    description: str | Promise
    default: str = IMMEDIATELY


_KINDS = [
    Kind(
        "invitation",
        _("Invitation"),
        _("You are invited to join an organisation or a cluster."),
    ),
    Kind(
        "join_request",
        _("Join request"),
        _("Someone asks to join an organisation or cluster you manage."),
    ),
    Kind(
        "join_request_answer",
        _("Answer to your join request"),
        _("Your request to join was accepted or declined."),
    ),
    Kind(
        "relation_request",
        _("Relation request"),
        _("An organisation proposes a membership, seat or participation that awaits your side."),
    ),
    Kind(
        "relation_request_answer",
        _("Answer to a relation request"),
        _("A relation your side proposed was accepted, declined or withdrawn."),
    ),
    Kind(
        "meeting_request",
        _("Meeting request"),
        _("Someone asks to meet you at a brokerage event."),
    ),
    Kind(
        "meeting_accepted",
        _("Meeting accepted"),
        _("A meeting you asked for was accepted."),
    ),
    Kind(
        "meeting_declined",
        _("Meeting declined"),
        _("A meeting you asked for was declined."),
    ),
    Kind(
        "meeting_withdrawn",
        _("Meeting withdrawn"),
        _("A meeting request to you was withdrawn."),
    ),
    Kind(
        "schedule_announced",
        _("Schedule announced"),
        _("The meeting schedule of an event you take part in is out (with your agenda)."),
    ),
    Kind(
        "schedule_changed",
        _("Schedule changed"),
        _("The meeting schedule of an event you take part in changed."),
    ),
    Kind(
        "introduction_request",
        _("Introduction request"),
        _("Someone asks you to introduce them to an organisation."),
    ),
    Kind(
        "introduction_answer",
        _("Answer to an introduction"),
        _("An introduction you asked for was made or declined."),
    ),
    Kind(
        "saved_search_match",
        _("New match for a saved search"),
        _("A new record matches one of your saved searches."),
    ),
    Kind(
        "evaluator_assigned",
        _("Evaluator assigned"),
        _("You were assigned to evaluate an application."),
    ),
    Kind(
        "scores_due",
        _("Scores due"),
        _("Your scores for an evaluation are due soon."),
    ),
    Kind(
        "application_decision",
        _("Decision on an application"),
        _("A decision was taken on an application you follow."),
    ),
    Kind(
        "action_overdue",
        _("Action overdue"),
        _("An action of a plan you are responsible for is overdue."),
    ),
    Kind(
        "survey_opened",
        _("Survey opened"),
        _("A survey your organisation is asked to answer is open."),
    ),
    Kind(
        "survey_reminder",
        _("Survey closing soon"),
        _("A survey your organisation has not answered yet closes soon."),
    ),
]

KINDS: dict[str, Kind] = {kind.id: kind for kind in _KINDS}
KIND_CHOICES = [(kind.id, kind.label) for kind in _KINDS]

# Names other modules may use instead of bare strings.
INVITATION = "invitation"
JOIN_REQUEST = "join_request"
JOIN_REQUEST_ANSWER = "join_request_answer"
RELATION_REQUEST = "relation_request"
RELATION_REQUEST_ANSWER = "relation_request_answer"
MEETING_REQUEST = "meeting_request"
MEETING_ACCEPTED = "meeting_accepted"
MEETING_DECLINED = "meeting_declined"
MEETING_WITHDRAWN = "meeting_withdrawn"
SCHEDULE_ANNOUNCED = "schedule_announced"
SCHEDULE_CHANGED = "schedule_changed"
INTRODUCTION_REQUEST = "introduction_request"
INTRODUCTION_ANSWER = "introduction_answer"
SAVED_SEARCH_MATCH = "saved_search_match"
EVALUATOR_ASSIGNED = "evaluator_assigned"
SCORES_DUE = "scores_due"
APPLICATION_DECISION = "application_decision"
ACTION_OVERDUE = "action_overdue"
SURVEY_OPENED = "survey_opened"
SURVEY_REMINDER = "survey_reminder"


class UnknownKind(ValueError):
    pass


def get(kind_id: str) -> Kind:
    try:
        return KINDS[kind_id]
    except KeyError:
        raise UnknownKind(f"Unknown notification kind: {kind_id!r}") from None
