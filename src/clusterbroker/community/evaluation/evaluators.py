"""Whom a call's manager may choose as the evaluator of an application.

The choice is a list, never a login to type: it holds the active people of the platform that
the manager may already see, free of any conflict of interest with the application and not
yet assigned to it. Community managers and platform admins see everyone; other managers see
the people of the organisations they edit and of the partnerships they share (as for contact
details, see `registry.permissions`). Anything else posted is refused with one answer,
whether the account exists or not.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from clusterbroker.registry import permissions as registry_permissions
from clusterbroker.registry.models import Partnership

from .. import permissions
from ..models import Application
from .conflicts import conflicting_organisation_ids, partnership_ids

# The list shows at most this many people; a name narrows it.
MAX_LISTED = 200


def _known_to(manager) -> Q:
    """The people a call's manager (not a community manager) sees on the platform."""
    partnerships = registry_permissions.partnership_ids_of_user(manager)
    partner_organisations = Partnership.objects.filter(pk__in=partnerships).values(
        "memberships__organisation"
    )
    return (
        Q(
            person__positions__organisation_id__in=registry_permissions.editable_organisation_ids(
                manager
            )
        )
        | Q(person__partnership_roles__partnership_id__in=partnerships)
        | Q(person__positions__organisation_id__in=partner_organisations)
    )


def eligible_evaluators(application: Application, manager, name: str = "") -> QuerySet:
    """Users `manager` may assign to `application` (see the module), by name; `name`
    narrows them to those whose first or last name or organisation contains it."""
    users = get_user_model().objects.filter(is_active=True, person__isnull=False)
    if not permissions.can_manage_call(manager, application.call):
        return users.none()
    if not permissions.is_community_manager(manager):
        users = users.filter(_known_to(manager))
    if name := name.strip():
        users = users.filter(
            Q(person__first_name__icontains=name)
            | Q(person__last_name__icontains=name)
            | Q(person__positions__organisation__name__icontains=name)
        )
    conflicted = get_user_model().objects.filter(
        Q(person__positions__organisation_id__in=conflicting_organisation_ids(application))
        | Q(
            person__partnership_roles__partnership_id__in=partnership_ids(
                application.organisation_id
            )
        )
    )
    return (
        users.exclude(pk=application.submitted_by_id or 0)
        .exclude(pk__in=conflicted.values("pk"))
        .exclude(pk__in=application.assignments.values("evaluator_id"))
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
        .distinct()
    )


def evaluator_label(user) -> str:
    """How a person is shown in the list: their name and their organisations."""
    organisations = sorted({p.organisation.name for p in user.person.positions.all()})
    name = str(user.person)
    return f"{name} · {', '.join(organisations)}" if organisations else name
