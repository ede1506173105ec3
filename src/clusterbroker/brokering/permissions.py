"""Who may see and change what in brokering: one function per rule.

- Every brokering page and API read needs a login.
- A profile is kept (filled, changed, its introductions answered) by its
  organisation's editors and managers, the managers of the clusters the
  organisation is a member of, and platform admins: the registry's rule of who acts
  for an organisation (`clusterbroker.registry.permissions`), through relations the
  organisation accepted. Partnership managers do not keep profiles: they would
  otherwise read confidential needs.
- Any logged-in user may fill the questionnaire for a new organisation; they
  become its profile editor.
- A need that is not confidential is public. A confidential need's text, and the
  fact that it belongs to its owner, are seen by the profile's keepers and, once the
  owner has accepted an introduction, by the users of the organisation introduced;
  every one else sees an anonymised summary (kind, technologies, window, and the
  sector and place of the owner only as precisely as at least five profiles share
  them, see `anonymity.py`), never under the owner's profile.
- A need's database id is a handle of those who know its owner: the profile's keepers
  and, for a confidential need, the users of an organisation introduced to it. Everyone
  else addresses every need by its random `ref` (the id would tell, by its neighbours,
  whose a confidential need is), and to them a need asked for by its id is missing.
- Consent is never delegated: a keeper through a relation (a cluster manager) may change a
  member's profile, but only the organisation's own editors and managers, and platform
  admins, may make a confidential need public or remove it.
- Introductions are asked for an organisation the user acts for, never the
  need's own; they are answered by a keeper of the need's profile who does not also
  act for the requester (no one answers their own request).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from clusterbroker.registry import permissions as registry_permissions
from clusterbroker.registry.models import Membership, Organisation, Position

from .models import Introduction, Need, Profile


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_use_brokering(user) -> bool:
    """Brokering pages and API reads: logged-in users."""
    return _authenticated(user)


def own_organisation_ids(user) -> set[int]:
    """Organisations where the user holds a position of editor or manager."""
    return registry_permissions.own_organisation_ids(user)


def _managed_cluster_ids(user) -> list[int]:
    """Cluster organisations where the user holds a manager position (the registry's
    cluster manager)."""
    return list(
        Position.objects.filter(
            person__user=user, role=Position.Role.MANAGER, organisation__kind="cluster"
        ).values_list("organisation_id", flat=True)
    )


def kept_organisation_ids(user) -> set[int]:
    """Own organisations and the (accepted) members of the clusters the user manages; not
    the members of partnerships the user manages."""
    if not _authenticated(user):
        return set()
    members = Membership.objects.filter(cluster_id__in=_managed_cluster_ids(user)).values_list(
        "organisation_id", flat=True
    )
    return own_organisation_ids(user) | set(members)


def acts_for(user, organisation_id: int) -> bool:
    """The user holds any position in the organisation, or keeps it."""
    if not _authenticated(user):
        return False
    return (
        organisation_id in kept_organisation_ids(user)
        or Position.objects.filter(person__user=user, organisation_id=organisation_id).exists()
    )


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


def can_use_need_id(user, need: Need) -> bool:
    """The need may be shown with, and addressed by, its database id: by the keepers of its
    profile and, for a confidential need, by the users of an organisation introduced to it."""
    if can_keep_profile(user, need.profile.organisation):
        return True
    return need.confidential and can_see_need(user, need)


def need_id_reader(user) -> Callable[[Need], bool]:
    """`can_use_need_id` for the needs of a list, in two queries."""
    if registry_permissions.is_platform_admin(user):
        return lambda need: True
    kept = kept_organisation_ids(user)
    readable = visible_confidential_need_ids(user)
    return lambda need: need.profile.organisation_id in kept or need.pk in readable


def can_disclose_needs(user, organisation: Organisation) -> bool:
    """Make a confidential need public, or remove one: the organisation's own editors and
    managers and platform admins; never a keeper through a relation (consent is not
    delegated)."""
    return registry_permissions.is_platform_admin(user) or (
        organisation.pk in own_organisation_ids(user)
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
    """A keeper of the need's profile who does not also act for the requester."""
    return can_keep_profile(user, introduction.need.profile.organisation) and not acts_for(
        user, introduction.requester_id
    )


def can_view_profile(user, profile: Profile) -> bool:
    """Logged-in users (confidential needs inside are filtered with `can_see_need`)."""
    return can_use_brokering(user)


def needs_shown_under(user, profile: Profile) -> list[Need]:
    """The needs listed under the profile for this user: its public needs and the
    confidential ones the user may read (never a summary that would name the owner)."""
    readable = visible_confidential_need_ids(user)
    return [
        n
        for n in profile.needs.prefetch_related("terms__taxonomy")
        if not n.confidential or n.pk in readable
    ]


def can_match(user, profile: Profile) -> bool:
    """Matching a profile uses its confidential needs: keepers only."""
    return can_keep_profile(user, profile.organisation)
