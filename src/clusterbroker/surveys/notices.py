"""Notices of surveys: the asked organisations' people are told when a survey opens and
reminded a few days before it closes if their organisation has not submitted its answers.
Each notice goes out once per survey (what was sent is kept on the survey)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterbroker.notifications import kinds
from clusterbroker.notifications.service import notify
from clusterbroker.registry.models import Position

from .models import Survey

SURVEY_OPENED = kinds.SURVEY_OPENED
SURVEY_REMINDER = kinds.SURVEY_REMINDER
REMINDER_DAYS = 3


def _people(survey: Survey, *, unanswered_only: bool) -> list:
    organisations = survey.invitations.values_list("organisation_id", flat=True)
    if unanswered_only:
        submitted = survey.responses.filter(submitted_at__isnull=False).values_list(
            "organisation_id", flat=True
        )
        organisations = organisations.exclude(organisation_id__in=submitted)
    user_ids = Position.objects.filter(
        organisation_id__in=list(organisations),
        role__in=[Position.Role.EDITOR, Position.Role.MANAGER],
        person__user__isnull=False,
    ).values_list("person__user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=set(user_ids), is_active=True))


def notify_opened(survey: Survey, today: dt.date, actor=None) -> int:
    """Tell the asked organisations' people that the survey is open (once)."""
    if survey.opening_notified_at is not None or not survey.is_open(today):
        return 0

    def compose() -> tuple[str, str]:
        return (
            _("Survey open: %(title)s") % {"title": survey.title},
            _("%(owner)s asks your organisation to answer by %(closes)s.")
            % {"owner": survey.owner, "closes": survey.closes_on.isoformat()},
        )

    reached = notify(
        _people(survey, unanswered_only=False),
        SURVEY_OPENED,
        compose=compose,
        url=reverse("surveys:answer", args=[survey.pk]),
        actor=actor,
    )
    Survey.objects.filter(pk=survey.pk).update(opening_notified_at=timezone.now())
    survey.opening_notified_at = timezone.now()
    return reached


def remind(survey: Survey, today: dt.date) -> int:
    """Remind the people of organisations that have not submitted (once, near the close)."""
    if survey.reminded_at is not None or not survey.is_open(today):
        return 0
    if (survey.closes_on - today).days > REMINDER_DAYS:
        return 0

    def compose() -> tuple[str, str]:
        return (
            _("Survey closes on %(closes)s: %(title)s")
            % {"title": survey.title, "closes": survey.closes_on.isoformat()},
            _("Your organisation has not submitted its answers yet."),
        )

    reached = notify(
        _people(survey, unanswered_only=True),
        SURVEY_REMINDER,
        compose=compose,
        url=reverse("surveys:answer", args=[survey.pk]),
    )
    Survey.objects.filter(pk=survey.pk).update(reminded_at=timezone.now())
    survey.reminded_at = timezone.now()
    return reached


@dataclass
class NoticeReport:
    opened: int = 0
    reminded: int = 0
    notices: int = 0


def send_due_notices(today: dt.date) -> NoticeReport:
    """Opening notices of surveys open today and reminders of those closing soon."""
    report = NoticeReport()
    for survey in Survey.objects.filter(opens_on__lte=today, closes_on__gte=today):
        sent = notify_opened(survey, today)
        report.opened += bool(survey.opening_notified_at and sent)
        reminded = remind(survey, today)
        report.reminded += bool(reminded)
        report.notices += sent + reminded
    return report
