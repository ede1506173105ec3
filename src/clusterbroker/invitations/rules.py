"""Who may invite whom, manage invitations and answer join requests (docs/permissions.md).

Taking a person into an organisation is the organisation's own decision:

- its own people take people in: an editor or manager of a company (or any organisation that
  is not a cluster) invites colleagues and answers their join requests; for a cluster
  organisation, its managers do (an editor of the cluster does not appoint other people);
- platform admins, and the platform's operator (the command line), may invite anywhere;
- the keepers of an organisation through a relation it accepted (the managers of a cluster
  it is a member of, of a partnership it has a seat in) may invite its *first* editor, as
  long as the organisation has no editor or manager of its own: that is how a cluster brings
  its members on board. Once the organisation has its own people, they alone take people in
  (consent is not delegated), and a keeper never answers a join request for it.

An invitation made by a keeper is checked again when it is accepted: if the relation ended
or the organisation got its own people meanwhile, it no longer grants anything.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from clusterbroker.registry import permissions
from clusterbroker.registry.models import Organisation, Position

from .models import Invitation, JoinRequest, Role

OWN_ROLES = (Position.Role.EDITOR, Position.Role.MANAGER)


class Refused(PermissionDenied):
    """Not allowed; the first argument says why, in words for the user."""

    @property
    def reason(self) -> str:
        return str(self.args[0]) if self.args else _("You may not do this.")


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def people_roles(organisation: Organisation) -> tuple[str, ...]:
    """The position roles whose holders take people into `organisation`."""
    if organisation.kind == "cluster":
        return (Position.Role.MANAGER,)
    return OWN_ROLES


def people_organisation_ids(user) -> set[int]:
    """Organisations whose people `user` takes in as one of their own (not for admins)."""
    if not _authenticated(user):
        return set()
    mine = Position.objects.filter(person__user=user)
    return set(
        mine.filter(role__in=OWN_ROLES)
        .exclude(organisation__kind="cluster")
        .values_list("organisation_id", flat=True)
    ) | set(
        mine.filter(role=Position.Role.MANAGER, organisation__kind="cluster").values_list(
            "organisation_id", flat=True
        )
    )


def takes_people_in(user, organisation: Organisation) -> bool:
    """The organisation's own people who take people in (see the module's text), and admins."""
    if permissions.is_platform_admin(user):
        return True
    if not _authenticated(user):
        return False
    return Position.objects.filter(
        person__user=user, organisation=organisation, role__in=people_roles(organisation)
    ).exists()


def has_own_people(organisation: Organisation) -> bool:
    return Position.objects.filter(organisation=organisation, role__in=OWN_ROLES).exists()


def check_invite(user, organisation: Organisation, role: str = Role.EDITOR) -> None:
    """Raise `Refused` with the reason unless `user` may invite someone to `organisation` as
    `role`. `user` None is the platform's operator (command line)."""
    if role not in Role.values:
        raise Refused(_("Unknown role “%(role)s”; use editor or manager.") % {"role": role})
    if role == Role.MANAGER and organisation.kind != "cluster":
        raise Refused(
            _("Only a cluster organisation has managers; invite an editor of %(org)s.")
            % {"org": organisation.name}
        )
    if user is None or permissions.is_platform_admin(user):
        return
    if not _authenticated(user):
        raise Refused(_("Log in to invite someone."))
    if takes_people_in(user, organisation):
        return
    if organisation.kind == "cluster":
        raise Refused(
            _("Only the managers of the cluster %(org)s invite people to it.")
            % {"org": organisation.name}
        )
    if organisation.pk in permissions.editable_organisation_ids(user):
        if role != Role.EDITOR:
            raise Refused(_("You may invite an editor only."))
        if has_own_people(organisation):
            raise Refused(
                _(
                    "%(org)s has its own editors: only they invite further people to it. "
                    "Ask them, or ask the person to request to join."
                )
                % {"org": organisation.name}
            )
        return
    raise Refused(
        _(
            "You may not invite people to %(org)s: only its own editors, the managers of a "
            "cluster or partnership it belongs to (while it has no editor) and platform "
            "admins may."
        )
        % {"org": organisation.name}
    )


def may_invite(user, organisation: Organisation, role: str = Role.EDITOR) -> bool:
    try:
        check_invite(user, organisation, role)
    except Refused:
        return False
    return True


def invitable_organisations(user) -> QuerySet[Organisation]:
    """The organisations `user` may invite an editor to (the choices of the forms)."""
    if permissions.is_platform_admin(user):
        return Organisation.objects.order_by("name")
    if not _authenticated(user):
        return Organisation.objects.none()
    own = people_organisation_ids(user)
    kept = permissions.editable_organisation_ids(user) - own
    with_people = set(
        Position.objects.filter(organisation_id__in=kept, role__in=OWN_ROLES).values_list(
            "organisation_id", flat=True
        )
    )
    kept_without_people = (
        Organisation.objects.filter(pk__in=kept - with_people)
        .exclude(kind="cluster")
        .values_list("pk", flat=True)
    )
    return Organisation.objects.filter(pk__in=own | set(kept_without_people)).order_by("name")


def may_manage(user, invitation: Invitation) -> bool:
    """See an invitation in the list and revoke it: its sender, whoever may invite to its
    organisation now, and admins."""
    if not _authenticated(user):
        return False
    if invitation.invited_by_id == user.pk:
        return True
    return may_invite(user, invitation.organisation, invitation.role)


def manageable_invitations(user) -> QuerySet[Invitation]:
    """The invitations `may_manage` allows, as one query."""
    qs = Invitation.objects.select_related("organisation", "invited_by")
    if permissions.is_platform_admin(user):
        return qs
    if not _authenticated(user):
        return qs.none()
    invitable = invitable_organisations(user).values_list("pk", flat=True)
    return qs.filter(
        Q(invited_by=user)
        | Q(role=Role.EDITOR, organisation_id__in=list(invitable))
        | Q(
            role=Role.MANAGER,
            organisation__kind="cluster",
            organisation_id__in=people_organisation_ids(user),
        )
    )


# Join requests -----------------------------------------------------------------------------


def may_answer_join(user, request: JoinRequest) -> bool:
    """The organisation's own people who take people in, and admins; never the requester."""
    if not _authenticated(user) or request.user_id == user.pk:
        return False
    return takes_people_in(user, request.organisation)


def answerers(organisation: Organisation) -> list:
    """The users told of a join request: those who may answer it (admins when the
    organisation has nobody of its own)."""
    User = get_user_model()
    own = list(
        User.objects.filter(
            is_active=True,
            person__positions__organisation=organisation,
            person__positions__role__in=people_roles(organisation),
        ).distinct()
    )
    return own or list(User.objects.filter(is_active=True, is_superuser=True))


def join_requests_awaiting(user) -> QuerySet[JoinRequest]:
    """Pending join requests `user` may answer."""
    qs = JoinRequest.objects.select_related("user", "organisation").filter(
        status=JoinRequest.Status.PENDING
    )
    if not _authenticated(user):
        return qs.none()
    if permissions.is_platform_admin(user):
        return qs.exclude(user=user)
    return qs.filter(organisation_id__in=people_organisation_ids(user)).exclude(user=user)


def may_see_join(user, request: JoinRequest) -> bool:
    return _authenticated(user) and (
        request.user_id == user.pk or takes_people_in(user, request.organisation)
    )


def visible_join_requests(user) -> QuerySet[JoinRequest]:
    """The user's own requests and those to organisations whose people they take in."""
    qs = JoinRequest.objects.select_related("user", "organisation", "answered_by")
    if not _authenticated(user):
        return qs.none()
    if permissions.is_platform_admin(user):
        return qs
    return qs.filter(Q(user=user) | Q(organisation_id__in=people_organisation_ids(user)))
