"""Notices of the action plan: actions overdue (`clusterbroker notify-overdue`).

An action is overdue when its end date has passed and it is neither done nor cancelled
(`services.is_overdue`). The report goes, once per action and end date (kept in
`OverdueNotice`, so the command may run every day), to:
- the people responsible for it: the own editors and managers of its lead partner, while the
  lead is an accepted member of the partnership;
- the plan's keepers: the partnership's managers;
each only if they may read the action plan (`permissions.can_view_section`). Moving the end
date and missing it again reports the action again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from clusterbroker.notifications import kinds
from clusterbroker.notifications.service import notify
from clusterbroker.registry.models import PartnershipMember, PartnershipRole, Position

from . import permissions
from .models import Action, OverdueNotice
from .services import CLOSED_STATUSES


def _users(ids) -> list:
    ids = set(ids) - {None}
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def recipients(action: Action) -> list:
    """Who is told that `action` is overdue (see the module's text)."""
    partnership = action.partnership
    ids = set(
        PartnershipRole.objects.filter(
            partnership=partnership, role=PartnershipRole.Role.MANAGER
        ).values_list("person__user_id", flat=True)
    )
    lead_is_member = (
        action.lead_id is not None
        and PartnershipMember.objects.filter(
            partnership=partnership, organisation_id=action.lead_id
        ).exists()
    )
    if lead_is_member:
        ids |= set(
            Position.objects.filter(
                organisation_id=action.lead_id,
                role__in=[Position.Role.EDITOR, Position.Role.MANAGER],
            ).values_list("person__user_id", flat=True)
        )
    return [
        user
        for user in _users(ids)
        if permissions.can_view_section(user, partnership, "action_plan")
    ]


def _notify_overdue(action: Action) -> int:
    partnership = action.partnership

    def compose() -> tuple[str, str]:
        names = {
            "action": str(action),
            "partnership": partnership.name,
            "end": formats.date_format(action.end, "j F Y"),
            "status": action.get_status_display(),
        }
        lines = [
            _(
                "The action “%(action)s” of the action plan of %(partnership)s was to end on "
                "%(end)s and is not done (status: %(status)s)."
            )
            % names
        ]
        if action.lead is not None:
            lines.append(_("Lead partner: %(lead)s.") % {"lead": action.lead.name})
        lines.append(_("Mark it done, cancel it or give it a new end date in the action plan."))
        return _("Action overdue: “%(action)s” (%(partnership)s)") % names, "\n".join(lines)

    return notify(
        recipients(action),
        kinds.ACTION_OVERDUE,
        compose=compose,
        url=reverse("plans:action-plan", args=[partnership.slug]),
    )


@dataclass(frozen=True)
class OverdueReport:
    actions: int  # overdue actions reported this time
    notified: int  # notices given


def overdue_actions(today: dt.date):
    return (
        Action.objects.filter(end__lt=today)
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("partnership", "lead")
        .order_by("end", "pk")
    )


def notify_overdue(today: dt.date) -> OverdueReport:
    """Report every overdue action not reported yet for its current end date."""
    reported = notified = 0
    for action in overdue_actions(today):
        try:
            with transaction.atomic():
                OverdueNotice.objects.create(action=action, end=action.end)
                notified += _notify_overdue(action)
        except IntegrityError:
            continue  # reported already (by an earlier or a parallel run)
        reported += 1
    return OverdueReport(reported, notified)
