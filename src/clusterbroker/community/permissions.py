"""Who may see and change what in the community collections.

- anyone reads published items;
- a logged-in member posts items (as drafts), edits their own items and submits them for
  moderation; a draft is seen only by its author; a published item its author changes goes
  back to moderation;
- an item is posted for (an offer is provided by) an organisation only by those who may
  edit that organisation;
- community managers (platform admins and members of the "Community managers" group)
  see items awaiting moderation, publish, unpublish and edit any item but others' drafts;
- saved searches and alerts belong to their user alone.
"""

from django.db.models import Q

from clusterbroker.registry import permissions as registry_permissions

from .models import Status

COMMUNITY_MANAGERS_GROUP = "Community managers"


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_community_manager(user) -> bool:
    if not _authenticated(user):
        return False
    if registry_permissions.is_platform_admin(user):
        return True
    return user.groups.filter(name=COMMUNITY_MANAGERS_GROUP).exists()


def visible_q(user) -> Q:
    """Items `user` may see in a list."""
    published = Q(status=Status.PUBLISHED)
    if not _authenticated(user):
        return published
    if is_community_manager(user):
        return published | Q(author=user) | ~Q(status=Status.DRAFT)
    return published | Q(author=user)


def can_view(user, item) -> bool:
    if item.status == Status.PUBLISHED:
        return True
    if not _authenticated(user):
        return False
    if item.author_id == user.pk:
        return True
    return item.status != Status.DRAFT and is_community_manager(user)


def can_post(user) -> bool:
    return _authenticated(user)


def can_edit(user, item) -> bool:
    """The author; community managers too, but not someone else's draft (it is not theirs
    to see until it is submitted)."""
    if not _authenticated(user):
        return False
    if item.author_id == user.pk:
        return True
    return is_community_manager(user) and can_view(user, item)


def can_moderate(user, item=None) -> bool:
    return is_community_manager(user)


def can_publish(user) -> bool:
    """Community managers publish without review, also their own changes; anyone else's
    new or changed item waits for them."""
    return is_community_manager(user)


def can_post_for(user, organisation) -> bool:
    """An item is posted for (an offer provided by) an organisation only by those who may
    act for it: its editors and those it gave that right (see docs/permissions.md)."""
    return _authenticated(user) and registry_permissions.can_edit_organisation(user, organisation)


def organisations_to_post_for(user):
    """The organisations `user` may name as an item's provider or poster."""
    from clusterbroker.registry.models import Organisation

    if registry_permissions.is_platform_admin(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=registry_permissions.editable_organisation_ids(user))


# Label and award calls.


def can_manage_call(user, call) -> bool:
    """Call managers, community managers and platform admins run the evaluation."""
    if not _authenticated(user):
        return False
    return is_community_manager(user) or call.managers.filter(pk=user.pk).exists()


def can_create_call(user) -> bool:
    """Community managers and platform admins open label and award calls."""
    return is_community_manager(user)


def can_apply_for(user, organisation) -> bool:
    """Whoever may edit an organisation applies for it."""
    return _authenticated(user) and registry_permissions.can_edit_organisation(user, organisation)


def is_applicant(user, application) -> bool:
    return _authenticated(user) and (
        application.submitted_by_id == user.pk
        or application.organisation_id in registry_permissions.editable_organisation_ids(user)
    )


def is_evaluator(user, application) -> bool:
    return _authenticated(user) and application.assignments.filter(evaluator=user).exists()


def can_view_application(user, application) -> bool:
    return (
        can_manage_call(user, application.call)
        or is_applicant(user, application)
        or is_evaluator(user, application)
    )


def can_see_result(user, application) -> bool:
    """Scores and the consensus: managers; applicants only once the decision is made."""
    if can_manage_call(user, application.call):
        return True
    return is_applicant(user, application) and application.decided_at is not None


def applications_visible_to(user, call):
    """Managers see every application; evaluators their assignments; applicants their own."""
    from django.db.models import Q

    applications = call.applications.select_related("organisation")
    if can_manage_call(user, call):
        return applications
    if not _authenticated(user):
        return applications.none()
    return applications.filter(
        Q(assignments__evaluator=user)
        | Q(submitted_by=user)
        | Q(organisation_id__in=registry_permissions.editable_organisation_ids(user))
    ).distinct()


def visible_applications(user):
    """Every application `user` may see, over all calls: community managers all of them,
    a call's managers all of that call's, evaluators their assignments, applicants their
    organisations' (the rule of `applications_visible_to`, for every call at once)."""
    from .models import Application

    applications = Application.objects.select_related("call", "organisation")
    if not _authenticated(user):
        return applications.none()
    if is_community_manager(user):
        return applications
    return applications.filter(
        Q(call__managers=user)
        | Q(assignments__evaluator=user)
        | Q(submitted_by=user)
        | Q(organisation_id__in=registry_permissions.editable_organisation_ids(user))
    ).distinct()


def can_view_assignment(user, assignment) -> bool:
    """The evaluator, and the managers of the application's call."""
    if not _authenticated(user):
        return False
    return assignment.evaluator_id == user.pk or can_manage_call(user, assignment.application.call)
