"""Who may review which proposals.

Platform admins review every proposal. A manager (of a cluster or a partnership) reviews a
pair when one organisation is in their reach (they may edit it: the cluster itself and its
members, the partnership's members) and the other is in their reach too or *unclaimed*:
nobody edits it (no editor or manager position) and it belongs to no cluster nor partnership,
as the organisations that imports create from CORDIS or the DIH catalogue. A pair that
touches an organisation someone else answers for is for an admin: a merge would change
that organisation's records for its own people. Ordinary members review nothing.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from ..models import Membership, Organisation, PartnershipMember, Position
from ..permissions import (
    can_create_organisation,
    editable_organisation_ids,
    is_platform_admin,
)


def can_review_duplicates(user) -> bool:
    """Admins and managers see the review page (managers only the pairs in their reach)."""
    return can_create_organisation(user)


def unclaimed_ids(ids: set[int]) -> set[int]:
    """Those of `ids` that nobody answers for (see the module's description)."""
    claimed = Organisation.objects.filter(pk__in=ids).filter(
        Exists(
            Position.objects.filter(
                organisation=OuterRef("pk"),
                role__in=[Position.Role.EDITOR, Position.Role.MANAGER],
            )
        )
        | Exists(Membership.objects.filter(organisation=OuterRef("pk")))
        | Exists(PartnershipMember.objects.filter(organisation=OuterRef("pk")))
    )
    return set(ids) - set(claimed.values_list("pk", flat=True))


def can_review_pair(user, a_id: int, b_id: int) -> bool:
    if is_platform_admin(user):
        return True
    if not can_review_duplicates(user):
        return False
    reach = editable_organisation_ids(user)
    if a_id in reach and b_id in reach:
        return True
    if a_id in reach:
        return b_id in unclaimed_ids({b_id})
    if b_id in reach:
        return a_id in unclaimed_ids({a_id})
    return False


def reviewable_proposals(user, proposals):
    """The proposals of the queryset that the user may review."""
    if is_platform_admin(user):
        return proposals
    if not can_review_duplicates(user):
        return proposals.none()
    reach = editable_organisation_ids(user)
    near = list(
        proposals.filter(Q(a_id__in=reach) | Q(b_id__in=reach)).values_list("pk", "a_id", "b_id")
    )
    others = {a for _, a, b in near if a not in reach} | {b for _, a, b in near if b not in reach}
    free = unclaimed_ids(others) | reach
    allowed = [pk for pk, a, b in near if a in free and b in free]
    return proposals.filter(pk__in=allowed)


def can_undo_merge(user, record) -> bool:
    """Who may undo: admins, and the manager who merged when the kept organisation is still
    in their reach."""
    if is_platform_admin(user):
        return True
    return (
        record.merged_by_id is not None
        and record.merged_by_id == getattr(user, "pk", None)
        and record.kept_id in editable_organisation_ids(user)
    )
