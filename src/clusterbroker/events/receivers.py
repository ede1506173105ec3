"""A registration waiting under an e-mail address becomes the account's once it proves that
address: when the address is confirmed (sign-up, an accepted invitation) or at log-in."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from .services import claim_waiting_registrations, verified_addresses


@receiver(post_save, sender=EmailAddress, dispatch_uid="events-claim-on-verified-address")
def address_saved(sender, instance: EmailAddress, **kwargs) -> None:
    if instance.verified and not kwargs.get("raw"):
        claim_waiting_registrations(instance.user, [instance.email])


@receiver(user_logged_in, dispatch_uid="events-claim-at-log-in")
def logged_in(sender, request, user, **kwargs) -> None:
    claim_waiting_registrations(user, verified_addresses(user))
