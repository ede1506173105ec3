"""Who may see and change what in brokering: one function per rule.

- A profile is kept (filled, changed, its introductions answered) by its
  organisation's editors and managers, the managers of the clusters the
  organisation is a member of, and platform admins. Partnership managers do not
  keep profiles: they would otherwise read confidential needs.
- Any logged-in user may fill the questionnaire for a new organisation; they
  become its profile editor.
- A need that is not confidential is public. A confidential need's text (and
  its owner's name) is seen by the profile's keepers and, once the owner has
  accepted an introduction, by the users of the organisation introduced; every
  one else sees an anonymised summary (technologies, sector, country).
- Introductions are asked for an organisation the user acts for, never the
  need's own.
"""

from __future__ import annotations

from django.db.models import Q

from clusterbroker.registry import permissions as registry_permissions
from clusterbroker.registry.models import Membership, Organisation, Position

from .models import Introduction, Need, Profile


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def own_organisation_ids(user) -> set[int]:
    """Organisations where the user holds a position of editor or manager."""
    if not _authenticated(user):
        return set()
    return set(
        Position.objects.filter(
            person__user=user, role__in=[Position.Role.EDITOR, Position.Role.MANAGER]
        ).values_list("organisation_id", flat=True)
    )


def kept_organisation_ids(user) -> set[int]:
    """Own organisations and the members of the clusters the user manages."""
    if not _authenticated(user):
        return set()
    own = own_organisation_ids(user)
    managed_clusters = Position.objects.filter(
        person__user=user, role=Position.Role.MANAGER, organisation__kind="cluster"
    ).values_list("organisation_id", flat=True)
    members = Membership.objects.filter(cluster_id__in=list(managed_clusters)).values_list(
        "organisation_id", flat=True
    )
    return own | set(members)


def can_keep_profile(user, organisation: Organisation) -> bool:
    return registry_permissions.is_platform_admin(user) or (
        organisation.pk in kept_organisation_ids(user)
    )


def organisations_for_questionnaire(user):
    """Existing organisations the user may fill the questionnaire for."""
    if registry_permissions.is_platform_admin(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=kept_organisation_ids(user))


def can_fill_questionnaire(user) -> bool:
    return _authenticated(user)


def can_see_need(user, need: Need) -> bool:
    """The need's full text and owner."""
    if not need.confidential:
        return True
    if not _authenticated(user):
        return False
    if can_keep_profile(user, need.profile.organisation):
        return True
    return Introduction.objects.filter(
        need=need,
        status=Introduction.Status.ACCEPTED,
        requester_id__in=own_organisation_ids(user),
    ).exists()


def visible_confidential_need_ids(user) -> set[int]:
    """Confidential needs whose text the user may read (for lists and search)."""
    if not _authenticated(user):
        return set()
    if registry_permissions.is_platform_admin(user):
        return set(Need.objects.filter(confidential=True).values_list("pk", flat=True))
    kept = kept_organisation_ids(user)
    introduced = Introduction.objects.filter(
        status=Introduction.Status.ACCEPTED, requester_id__in=own_organisation_ids(user)
    ).values_list("need_id", flat=True)
    return set(
        Need.objects.filter(confidential=True)
        .filter(Q(profile__organisation_id__in=kept) | Q(pk__in=list(introduced)))
        .values_list("pk", flat=True)
    )


def requesters_for(user, need: Need):
    """Organisations the user may ask an introduction for."""
    if not _authenticated(user) or not need.confidential:
        return Organisation.objects.none()
    ids = own_organisation_ids(user)
    if registry_permissions.is_platform_admin(user):
        ids = ids or set()
    return Organisation.objects.filter(pk__in=ids).exclude(pk=need.profile.organisation_id)


def can_request_introduction(user, need: Need, organisation: Organisation) -> bool:
    return requesters_for(user, need).filter(pk=organisation.pk).exists()


def can_answer_introduction(user, introduction: Introduction) -> bool:
    return can_keep_profile(user, introduction.need.profile.organisation)


def can_view_profile(user, profile: Profile) -> bool:
    """Profiles are public (confidential needs inside are filtered with `can_see_need`)."""
    return True


def can_match(user, profile: Profile) -> bool:
    """Matching a profile uses its confidential needs: keepers only."""
    return can_keep_profile(user, profile.organisation)
