"""Removing a relation removes what it granted: introductions accepted through it.

A position, a cluster membership or a partnership seat can make a user a keeper of an
organisation's profile; whoever accepted an introduction as a keeper and is no longer one
once the relation is removed (or changed) loses that acceptance for the organisation
(`services.revoke_unbacked_introductions`).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from clusterbroker.registry.models import Membership, PartnershipMember, Position

from . import services


def _with_cluster_members(organisation_id: int) -> set[int]:
    """The organisation and, were it a cluster, its members (a cluster manager keeps them)."""
    members = Membership.objects.filter(cluster_id=organisation_id).values_list(
        "organisation_id", flat=True
    )
    return {organisation_id, *members}


@receiver(post_delete, sender=Position, dispatch_uid="brokering-position-removed")
@receiver(post_save, sender=Position, dispatch_uid="brokering-position-changed")
def position_changed(sender, instance: Position, **kwargs) -> None:
    if kwargs.get("created") or kwargs.get("raw"):
        return
    if "created" in kwargs:
        # Changed in place: the organisation it used to name is unknown here, check all.
        services.revoke_unbacked_introductions()
        return
    services.revoke_unbacked_introductions(_with_cluster_members(instance.organisation_id))


@receiver(post_delete, sender=Membership, dispatch_uid="brokering-membership-removed")
@receiver(post_save, sender=Membership, dispatch_uid="brokering-membership-changed")
@receiver(post_delete, sender=PartnershipMember, dispatch_uid="brokering-seat-removed")
@receiver(post_save, sender=PartnershipMember, dispatch_uid="brokering-seat-changed")
def membership_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("created") or kwargs.get("raw"):
        return
    scope = None if "created" in kwargs else {instance.organisation_id}
    services.revoke_unbacked_introductions(scope)
