"""Notices of the label and award evaluation, sent through the notifications module.

- An evaluator is assigned: that evaluator gets `evaluator_assigned` (the assignment lets
  them read that application, and nothing else of the applicant).
- Scores are due: `remind_scores_due` (the command `clusterbroker notify-scores-due`) reminds
  each evaluator whose scores are still missing, for a call with a due date for scores
  (`AwardCall.scores_due_on`), of an application not yet decided: once in the days before the
  due date (`REMINDER_DAYS`, a week by default) and once after it. Each reminder is recorded
  (`ScoreReminder`), so running the command again (daily, say) sends nothing twice.
- A decision is taken: the applicant's people get `application_decision`, that is the person
  who submitted the application and the applicant's own editors and managers, each only if
  they may see the result (`permissions.can_see_result`).

(Alerts of saved searches are in `alerts.py`.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from clusterbroker.notifications import kinds
from clusterbroker.notifications.service import notify
from clusterbroker.registry.models import Position

from . import permissions
from .evaluation.conflicts import conflict_reason
from .models import Application, Assignment, ScoreReminder

REMINDER_DAYS = 7


def _day(value: dt.date) -> str:
    return formats.date_format(value, "j F Y")


def _name(user) -> str:
    person = getattr(user, "person", None)
    if person is not None:
        return str(person)
    return user.get_full_name() or user.get_username()


def evaluator_assigned(assignment: Assignment, by=None) -> int:
    application = assignment.application
    call = application.call

    def compose() -> tuple[str, str]:
        names = {
            "title": application.title,
            "call": call.name,
            "organisation": application.organisation.name,
        }
        lines = [
            _(
                "You are asked to evaluate the application “%(title)s” of %(organisation)s "
                "to %(call)s."
            )
            % names
        ]
        if by is not None:
            lines.append(_("Assigned by %(name)s.") % {"name": _name(by)})
        if call.scores_due_on:
            lines.append(_("Your scores are due by %(day)s.") % {"day": _day(call.scores_due_on)})
        lines.append(
            _(
                "If you have a conflict of interest with the applicant, tell the call's managers "
                "before scoring."
            )
        )
        return _("Evaluate “%(title)s” (%(call)s)") % names, "\n".join(lines)

    return notify(
        [assignment.evaluator],
        kinds.EVALUATOR_ASSIGNED,
        compose=compose,
        url=application.get_absolute_url(),
        actor=by,
    )


def applicant_people(application: Application) -> list:
    """The person who submitted the application and the applicant's own editors and
    managers, among them those who may see the result."""
    ids = set(
        Position.objects.filter(
            organisation_id=application.organisation_id,
            role__in=[Position.Role.EDITOR, Position.Role.MANAGER],
        ).values_list("person__user_id", flat=True)
    )
    if application.submitted_by_id:
        ids.add(application.submitted_by_id)
    users = get_user_model().objects.filter(pk__in=ids - {None}, is_active=True).order_by("pk")
    return [u for u in users if permissions.can_see_result(u, application)]


def application_decided(application: Application, by=None) -> int:
    def compose() -> tuple[str, str]:
        names = {
            "title": application.title,
            "call": application.call.name,
            "organisation": application.organisation.name,
        }
        if application.awarded:
            title = _("%(call)s awarded to %(organisation)s") % names
            lines = [
                _(
                    "The application “%(title)s” of %(organisation)s to %(call)s is awarded. The "
                    "label is on the organisation's profile and the certificate can be downloaded "
                    "from the application page."
                )
                % names
            ]
        else:
            title = _("%(call)s: decision on “%(title)s”") % names
            lines = [
                _("The application “%(title)s” of %(organisation)s to %(call)s is not awarded.")
                % names
            ]
        if application.consensus_score is not None:
            lines.append(
                _("Consensus score: %(score)s %%.")
                % {"score": formats.number_format(application.consensus_score, 2)}
            )
        if application.decision_note:
            lines += ["", application.decision_note]
        return title, "\n".join(lines)

    return notify(
        applicant_people(application),
        kinds.APPLICATION_DECISION,
        compose=compose,
        url=application.get_absolute_url(),
        actor=by,
    )


# --- scores due ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderReport:
    reminded: int  # reminders recorded (each one assignment in one window)
    notified: int  # notices given


def window_of(due_on: dt.date, today: dt.date, days: int = REMINDER_DAYS) -> str | None:
    """The reminder window `today` falls in for scores due on `due_on`: the `days` days
    up to the due date (included), after it, or none (too early)."""
    if today > due_on:
        return ScoreReminder.Window.LATE
    if (due_on - today).days < days:
        return ScoreReminder.Window.SOON
    return None


def missing_scores(today: dt.date, days: int = REMINDER_DAYS):
    """Assignments whose scores are missing, of undecided applications of calls whose scores
    are due within `days` days or already overdue."""
    return (
        Assignment.objects.filter(
            submitted_at__isnull=True,
            evaluator__is_active=True,
            application__decided_at__isnull=True,
            application__call__scores_due_on__isnull=False,
            application__call__scores_due_on__lt=today + dt.timedelta(days=days),
        )
        .exclude(application__state=Application.State.DECIDED)
        .select_related("evaluator", "application__call", "application__organisation")
        .order_by("application__call__scores_due_on", "pk")
    )


def _remind(assignment: Assignment, window: str) -> int:
    application = assignment.application
    call = application.call

    def compose() -> tuple[str, str]:
        names = {
            "title": application.title,
            "call": call.name,
            "organisation": application.organisation.name,
            "day": _day(call.scores_due_on),
        }
        if window == ScoreReminder.Window.LATE:
            title = _("Your scores for “%(title)s” were due on %(day)s") % names
            body = _(
                "Your scores for the application “%(title)s” of %(organisation)s to %(call)s were "
                "due on %(day)s and have not been submitted. The decision waits for them."
            )
        else:
            title = _("Your scores for “%(title)s” are due by %(day)s") % names
            body = _(
                "Your scores for the application “%(title)s” of %(organisation)s to %(call)s are "
                "due by %(day)s and have not been submitted yet."
            )
        return title, body % names

    return notify(
        [assignment.evaluator],
        kinds.SCORES_DUE,
        compose=compose,
        url=application.get_absolute_url(),
    )


def remind_scores_due(today: dt.date, days: int = REMINDER_DAYS) -> ReminderReport:
    """Remind the evaluators whose scores are missing (see the module's text); idempotent."""
    reminded = notified = 0
    for assignment in missing_scores(today, days):
        application = assignment.application
        due_on = application.call.scores_due_on
        window = window_of(due_on, today, days)
        if window is None:
            continue
        if conflict_reason(assignment.evaluator, application) is not None:
            continue  # they may not score it any more: the call's managers will remove them
        try:
            with transaction.atomic():
                ScoreReminder.objects.create(assignment=assignment, window=window, due_on=due_on)
                notified += _remind(assignment, window)
        except IntegrityError:
            continue  # this reminder was sent already (by an earlier or a parallel run)
        reminded += 1
    return ReminderReport(reminded, notified)
