"""The outbox: e-mails are written in the caller's transaction, handed to the background
task queue once it commits, and sent one by one; a failure is logged and retried later
(`clusterbroker send-outbox`, or the queue itself when it can run a task later), and after
`CLUSTERBROKER_EMAIL_MAX_ATTEMPTS` tries the e-mail is marked failed, kept for the admin.

The daily digest (`clusterbroker send-digests`) gathers the notices of kinds a person
chose to receive daily into one e-mail; each notice goes into one digest only.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from collections.abc import Iterable

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import conf
from .models import DIGEST_KIND, Notification, OutgoingEmail

logger = logging.getLogger(__name__)

# While one worker sends an e-mail, others leave it alone for this long.
SENDING_LEASE = dt.timedelta(minutes=10)


# --- Writing to the outbox -----------------------------------------------------------------


def _subject(title: str) -> str:
    subject = f"[{conf.site_name()}] {title}"
    return " ".join(subject.split())[:400]


def _attachments(attachments: Iterable[tuple[str, bytes | str, str]]) -> list[dict]:
    stored = []
    for filename, content, mimetype in attachments:
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        stored.append(
            {
                "filename": filename,
                "mimetype": mimetype,
                "content_b64": base64.b64encode(data).decode("ascii"),
            }
        )
    return stored


def _headers(unsubscribe_url: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def _render(template: str, context: dict) -> tuple[str, str]:
    context = {"site_name": conf.site_name(), "site_url": conf.absolute("/"), **context}
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    return text.strip() + "\n", html


def _queue(**fields) -> OutgoingEmail:
    email = OutgoingEmail.objects.create(next_attempt_at=timezone.now(), **fields)
    transaction.on_commit(lambda: enqueue(email.pk))
    return email


def queue_email(
    *,
    kind: str,
    to_address: str,
    title: str,
    body: str,
    url: str,
    unsubscribe_url: str,
    user=None,
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
    html_body: str | None = None,
) -> OutgoingEmail:
    """Write one notice's e-mail (plain text and HTML) to the outbox."""
    link = conf.absolute(url) if url else ""
    text, html = _render(
        "notice",
        {
            "title": title,
            "body": body,
            "body_html": mark_safe(html_body or linebreaks(body, autoescape=True)),
            "link": link,
            "unsubscribe_url": unsubscribe_url,
            "settings_url": conf.absolute("/notifications/settings/") if user else "",
        },
    )
    return _queue(
        to_address=to_address,
        subject=_subject(title),
        body_text=text,
        body_html=html,
        headers=_headers(unsubscribe_url),
        attachments=_attachments(attachments),
        kind=kind,
        user=user,
    )


def queue_notice_email(
    *, notice: Notification, to_address: str, user, unsubscribe_url: str, **extra
) -> OutgoingEmail:
    return queue_email(
        kind=notice.kind,
        to_address=to_address,
        title=notice.title,
        body=notice.body,
        url=notice.url,
        unsubscribe_url=unsubscribe_url,
        user=user,
        **extra,
    )


def queue_plain_email(**fields) -> OutgoingEmail:
    return queue_email(user=None, **fields)


def enqueue(email_id: int) -> None:
    """Hand one outbox row to the task queue. If the queue cannot take it, the row stays
    queued and `clusterbroker send-outbox` sends it."""
    from .tasks import send_email_task

    try:
        send_email_task.enqueue(email_id)
    except Exception:
        logger.exception("Could not queue e-mail %s; send-outbox will send it", email_id)


# --- Sending -------------------------------------------------------------------------------


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failure: 1, 5, 25, 125 … times the base minutes."""
    return dt.timedelta(minutes=conf.retry_minutes() * 5 ** max(attempts - 1, 0))


def _message(email: OutgoingEmail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        to=[email.to_address],
        headers=email.headers or {},
        connection=connection,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments or []:
        message.attach(
            attachment["filename"],
            base64.b64decode(attachment["content_b64"]),
            attachment.get("mimetype") or "application/octet-stream",
        )
    return message


def _claim(email_id: int, now: dt.datetime) -> bool:
    """Take the row for sending unless someone else is sending it or it is not due."""
    return bool(
        OutgoingEmail.objects.filter(
            pk=email_id,
            status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.SENDING],
            next_attempt_at__lte=now,
        ).update(status=OutgoingEmail.Status.SENDING, next_attempt_at=now + SENDING_LEASE)
    )


def send_one(email_id: int, *, now: dt.datetime | None = None, connection=None) -> str:
    """Try to send one outbox row; returns its status afterwards ("" if it is not there).

    A row that is not due (waiting for a retry, or being sent by another worker) is left
    as it is."""
    now = now or timezone.now()
    if not _claim(email_id, now):
        return (
            OutgoingEmail.objects.filter(pk=email_id).values_list("status", flat=True).first() or ""
        )
    email = OutgoingEmail.objects.get(pk=email_id)
    attempts = email.attempts + 1
    try:
        _message(email, connection or get_connection(fail_silently=False)).send()
    except Exception as error:
        detail = f"{type(error).__name__}: {error}"[:2000]
        if attempts >= conf.max_attempts():
            OutgoingEmail.objects.filter(pk=email.pk).update(
                status=OutgoingEmail.Status.FAILED,
                attempts=attempts,
                last_error=detail,
                next_attempt_at=None,
            )
            logger.error(
                "E-mail %s (%s) failed for good after %s attempts: %s",
                email.pk,
                email.kind,
                attempts,
                detail,
            )
            return OutgoingEmail.Status.FAILED
        retry_at = now + backoff(attempts)
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=OutgoingEmail.Status.QUEUED,
            attempts=attempts,
            last_error=detail,
            next_attempt_at=retry_at,
        )
        logger.warning(
            "E-mail %s (%s) could not be sent (attempt %s), retry at %s: %s",
            email.pk,
            email.kind,
            attempts,
            retry_at.isoformat(),
            detail,
        )
        _schedule_retry(email.pk, retry_at)
        return OutgoingEmail.Status.QUEUED
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENT,
        attempts=attempts,
        sent_at=timezone.now(),
        next_attempt_at=None,
    )
    return OutgoingEmail.Status.SENT


def _schedule_retry(email_id: int, when: dt.datetime) -> None:
    """Where the task queue can run a task later (the database queue), ask it to retry;
    elsewhere `clusterbroker send-outbox` (run regularly) does."""
    from .tasks import send_email_task

    try:
        if send_email_task.get_backend().supports_defer:
            send_email_task.using(run_after=when).enqueue(email_id)
    except Exception:
        logger.exception("Could not schedule the retry of e-mail %s", email_id)


def due(now: dt.datetime | None = None):
    now = now or timezone.now()
    return OutgoingEmail.objects.filter(
        status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.SENDING],
        next_attempt_at__lte=now,
    ).order_by("next_attempt_at", "pk")


def send_due(now: dt.datetime | None = None, limit: int | None = None) -> dict[str, int]:
    """Send every due outbox row (new ones, retries whose time came, and rows whose sender
    stopped half-way); one shared connection. Returns counts by resulting status."""
    now = now or timezone.now()
    ids = list(
        due(now).values_list("pk", flat=True)[:limit]
        if limit
        else due(now).values_list("pk", flat=True)
    )
    counts = {
        OutgoingEmail.Status.SENT: 0,
        OutgoingEmail.Status.QUEUED: 0,
        OutgoingEmail.Status.FAILED: 0,
    }
    if not ids:
        return {str(k): v for k, v in counts.items()}
    connection = get_connection(fail_silently=False)
    for email_id in ids:
        status = send_one(email_id, now=now, connection=connection)
        if status in counts:
            counts[status] += 1
    return {str(k): v for k, v in counts.items()}


def retry(email_ids: Iterable[int]) -> int:
    """Put failed (or waiting) e-mails back in the queue for a fresh series of attempts."""
    ids = list(email_ids)
    count = OutgoingEmail.objects.filter(
        pk__in=ids, status__in=[OutgoingEmail.Status.FAILED, OutgoingEmail.Status.QUEUED]
    ).update(status=OutgoingEmail.Status.QUEUED, attempts=0, next_attempt_at=timezone.now())
    for email_id in ids:
        transaction.on_commit(lambda email_id=email_id: enqueue(email_id))
    return count


# --- Daily digest --------------------------------------------------------------------------


def send_digests(now: dt.datetime | None = None) -> int:
    """One e-mail per person with the notices waiting for their digest; returns how many
    digests were written. Each notice goes into one digest only; a notice read in the
    application meanwhile, or of a kind since set to "never", is left out."""
    from . import kinds
    from .kinds import NEVER
    from .service import preferences_for, unsubscribe_url

    now = now or timezone.now()
    user_ids = (
        Notification.objects.filter(digest_pending=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    written = 0
    for user_id in list(user_ids):
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update()
                .select_related("recipient")
                .filter(recipient_id=user_id, digest_pending=True)
                .order_by("created_at", "pk")
            )
            if not pending:
                continue  # taken by a digest run at the same time
            user = pending[0].recipient
            choices = preferences_for(user)
            items = [
                n
                for n in pending
                if n.read_at is None and choices.get(n.kind) != NEVER and n.kind in kinds.KINDS
            ]
            address = (user.email or "").strip()
            email = None
            if items and user.is_active and address:
                link = unsubscribe_url(DIGEST_KIND, user=user)
                text, html = _render(
                    "digest",
                    {
                        "user": user,
                        "items": [
                            {
                                "notice": n,
                                "kind": kinds.KINDS[n.kind].label,
                                "link": conf.absolute(n.url) if n.url else "",
                            }
                            for n in items
                        ],
                        "notifications_url": conf.absolute("/notifications/"),
                        "settings_url": conf.absolute("/notifications/settings/"),
                        "unsubscribe_url": link,
                    },
                )
                email = _queue(
                    to_address=address,
                    subject=_subject(
                        _("Your daily digest: %(count)s notice(s)") % {"count": len(items)}
                    ),
                    body_text=text,
                    body_html=html,
                    headers=_headers(link),
                    attachments=[],
                    kind=DIGEST_KIND,
                    user=user,
                )
                written += 1
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
                digest_pending=False, digest_email=email
            )
    return written
