"""Notify people: the one entry point every feature calls, and the settings behind it.

`notify(recipients, kind, title=…, body=…, url=…, actor=…)` gives each User recipient a
notice in the application (the bell) and, depending on that person's setting for the kind,
an e-mail now, a line in tomorrow's digest, or nothing; a plain address (a person without an
account) gets the e-mail only. Each person is written to in their own language and time
zone: pass `compose`, a function returning (title, body), and it is called once per
recipient (a title and body given as text are in the caller's language). E-mails are
written to the outbox in the caller's transaction and handed to the background task queue
once it commits (see delivery.py), never sent inside the request. In tests (pytest-django),
run the commit callbacks to see them in `django.core.mail.outbox`:
`with django_capture_on_commit_callbacks(execute=True): …`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from clusterbroker.accounts.speaking import speaking_to

from . import conf, delivery, kinds
from .kinds import DAILY, DELIVERIES, IMMEDIATELY, NEVER
from .models import DIGEST_KIND, EmailSuppression, Notification, NotificationPreference

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "clusterbroker.notifications.unsubscribe"


# --- Settings per kind ---------------------------------------------------------------------


def delivery_for(user, kind: str) -> str:
    """How `user` gets e-mail for `kind`: immediately, daily or never."""
    stored = (
        NotificationPreference.objects.filter(user=user, kind=kind)
        .values_list("delivery", flat=True)
        .first()
    )
    return stored or kinds.get(kind).default


def preferences_for(user) -> dict[str, str]:
    """Every kind with `user`'s delivery for it (the default where they chose nothing)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind_id: chosen.get(kind_id, kind.default) for kind_id, kind in kinds.KINDS.items()}


def set_preference(user, kind: str, delivery_choice: str) -> None:
    kinds.get(kind)
    if delivery_choice not in DELIVERIES:
        raise ValueError(f"Unknown delivery: {delivery_choice!r}")
    NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"delivery": delivery_choice}
    )


def set_preferences(user, choices: dict[str, str]) -> None:
    with transaction.atomic():
        for kind, delivery_choice in choices.items():
            set_preference(user, kind, delivery_choice)


# --- Notifying -----------------------------------------------------------------------------


def _resolve(recipients: Iterable, actor) -> tuple[list, list[str]]:
    """Users (active, deduplicated, without the actor) and plain addresses (deduplicated,
    without those that belong to an account: those people are notified as that user)."""
    User = get_user_model()
    users: dict[int, object] = {}
    addresses: dict[str, str] = {}
    for recipient in recipients:
        if recipient is None or recipient == "":
            continue
        if isinstance(recipient, str):
            address = recipient.strip()
            if address and "@" in address:
                addresses.setdefault(address.lower(), address)
        elif isinstance(recipient, User):
            users.setdefault(recipient.pk, recipient)
        else:
            raise TypeError(f"A recipient is a User or an e-mail address, not {recipient!r}")
    if addresses:
        # An address that belongs to an account (confirmed by its owner: an unconfirmed
        # sign-up with someone else's address must not receive their notices) is that
        # person; an address of an inactive account gets nothing (closed or blocked).
        from allauth.account.models import EmailAddress

        query = Q()
        for lowered in addresses:
            query |= Q(email__iexact=lowered)
        confirmed = (
            EmailAddress.objects.filter(query, verified=True)
            .select_related("user")
            .order_by("-user__is_active", "user_id")
        )
        for record in confirmed:
            lowered = record.email.strip().lower()
            if lowered not in addresses:
                continue
            del addresses[lowered]
            if record.user.is_active:
                users.setdefault(record.user_id, record.user)
        if addresses:
            closed = Q()
            for lowered in addresses:
                closed |= Q(email__iexact=lowered)
            for email in User.objects.filter(closed, is_active=False).values_list(
                "email", flat=True
            ):
                addresses.pop(email.strip().lower(), None)
    actor_pk = getattr(actor, "pk", None)
    active_users = [u for pk, u in users.items() if pk != actor_pk and u.is_active]
    actor_email = (getattr(actor, "email", "") or "").strip().lower()
    plain = [a for lowered, a in addresses.items() if not (actor_email and lowered == actor_email)]
    return active_users, plain


def notify(
    recipients: Iterable,
    kind: str,
    *,
    title: str = "",
    body: str = "",
    url: str = "",
    actor=None,
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
    html_body: str | None = None,
    compose: Callable[[], tuple[str, str]] | None = None,
) -> int:
    """Tell `recipients` (Users and/or e-mail addresses) about something of `kind`.

    Never notifies `actor`, skips inactive users, and reaches each person once. Returns how
    many recipients were reached (in the application and/or by e-mail). With `compose`, the
    title and body are its result in each user's language and time zone (in the caller's
    for plain addresses); the e-mail around them is written in that language too.
    """
    kinds.get(kind)  # an unknown kind is a programming error: fail loudly
    if isinstance(recipients, str):
        recipients = [recipients]
    users, addresses = _resolve(recipients, actor)
    attachments = list(attachments)

    def text() -> tuple[str, str]:
        made = compose() if compose is not None else (title, body)
        return str(made[0])[:300], str(made[1])

    reached = 0
    now = timezone.now()
    with transaction.atomic():
        choices = dict(
            NotificationPreference.objects.filter(
                user__in=[u.pk for u in users], kind=kind
            ).values_list("user_id", "delivery")
        )
        for user in users:
            delivery_choice = choices.get(user.pk, kinds.get(kind).default)
            has_address = bool((user.email or "").strip())
            with speaking_to(user):
                user_title, user_body = text()
                notice = Notification.objects.create(
                    recipient=user,
                    kind=kind,
                    title=user_title,
                    body=user_body,
                    url=url,
                    created_at=now,
                    digest_pending=delivery_choice == DAILY and has_address,
                )
                reached += 1
                if delivery_choice == IMMEDIATELY and has_address:
                    delivery.queue_notice_email(
                        notice=notice,
                        to_address=user.email.strip(),
                        user=user,
                        unsubscribe_url=unsubscribe_url(kind, user=user),
                        attachments=attachments,
                        html_body=html_body,
                    )
        suppressed = {
            a.lower()
            for a in EmailSuppression.objects.filter(
                kind=kind, address__in=[a.lower() for a in addresses]
            ).values_list("address", flat=True)
        }
        plain_title, plain_body = text() if addresses else ("", "")
        for address in addresses:
            if address.lower() in suppressed:
                continue
            delivery.queue_plain_email(
                kind=kind,
                to_address=address,
                title=plain_title,
                body=plain_body,
                url=url,
                unsubscribe_url=unsubscribe_url(kind, address=address),
                attachments=attachments,
                html_body=html_body,
            )
            reached += 1
    return reached


# --- Reading -------------------------------------------------------------------------------


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, notification: Notification) -> None:
    if notification.recipient_id != user.pk:
        raise PermissionError("Not your notification.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )


def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Unsubscribing -------------------------------------------------------------------------


@dataclass(frozen=True)
class Unsubscription:
    kind: str  # a kind, or "digest" for every kind delivered in the daily digest
    user: object | None = None
    address: str = ""

    @property
    def label(self) -> str:
        if self.kind == DIGEST_KIND:
            from django.utils.translation import gettext

            return gettext("Daily digest")
        return str(kinds.get(self.kind).label)


class BadToken(Exception):
    pass


def make_unsubscribe_token(kind: str, *, user=None, address: str = "") -> str:
    if kind != DIGEST_KIND:
        kinds.get(kind)
    if user is not None:
        payload = {"u": user.pk, "k": kind}
    elif address:
        payload = {"a": address.strip().lower(), "k": kind}
    else:
        raise ValueError("An unsubscribe token is for a user or an address.")
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(kind: str, *, user=None, address: str = "") -> str:
    token = make_unsubscribe_token(kind, user=user, address=address)
    return conf.absolute(reverse("notifications:unsubscribe", args=[token]))


def read_unsubscribe_token(token: str) -> Unsubscription:
    """What a token unsubscribes; BadToken when it was not made here or names nothing."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise BadToken from error
    if not isinstance(payload, dict):
        raise BadToken
    kind = payload.get("k")
    if kind != DIGEST_KIND and kind not in kinds.KINDS:
        raise BadToken
    if "u" in payload:
        user = get_user_model().objects.filter(pk=payload["u"]).first()
        if user is None:
            raise BadToken
        return Unsubscription(kind=kind, user=user)
    address = payload.get("a")
    if not isinstance(address, str) or "@" not in address:
        raise BadToken
    return Unsubscription(kind=kind, address=address)


def is_unsubscribed(unsubscription: Unsubscription) -> bool:
    if unsubscription.user is not None:
        if unsubscription.kind == DIGEST_KIND:
            return DAILY not in preferences_for(unsubscription.user).values()
        return delivery_for(unsubscription.user, unsubscription.kind) == NEVER
    return EmailSuppression.objects.filter(
        address=unsubscription.address, kind=unsubscription.kind
    ).exists()


def unsubscribe(unsubscription: Unsubscription) -> None:
    """No more e-mail of that kind: a user's setting becomes "never" (for the digest: every
    kind delivered daily); a plain address goes on the suppression list."""
    if unsubscription.user is not None:
        user = unsubscription.user
        if unsubscription.kind == DIGEST_KIND:
            daily = [k for k, d in preferences_for(user).items() if d == DAILY]
            set_preferences(user, dict.fromkeys(daily, NEVER))
        else:
            set_preference(user, unsubscription.kind, NEVER)
        logger.info("User %s unsubscribed from %s e-mails", user.pk, unsubscription.kind)
        return
    EmailSuppression.objects.get_or_create(address=unsubscription.address, kind=unsubscription.kind)
    logger.info("An address unsubscribed from %s e-mails", unsubscription.kind)
