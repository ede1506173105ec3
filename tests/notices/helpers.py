"""Reading what was notified: in-app notices and e-mails."""

from django.core import mail

from clusterbroker.notifications.models import Notification


def notified(kind: str) -> set[int]:
    """Ids of the users who got an in-app notice of `kind`."""
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def notice(kind: str, user) -> Notification:
    return Notification.objects.get(kind=kind, recipient=user)


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]
