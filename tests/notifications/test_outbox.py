"""The outbox: sending by the task queue, retries with a growing wait, failure kept and
logged, the send-outbox and send-digests commands, and the admin's retry."""

import datetime as dt
import logging
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone

from clusterbroker.notifications import delivery, kinds, service
from clusterbroker.notifications.models import OutgoingEmail
from clusterbroker.notifications.service import notify

BROKEN = "tests.notifications.test_outbox.BrokenBackend"


class BrokenBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_failing_server_is_retried_then_marked_failed_and_logged(
    alice, run_commit, settings, caplog
):
    settings.EMAIL_BACKEND = BROKEN
    settings.CLUSTERBROKER_EMAIL_MAX_ATTEMPTS = 3
    caplog.set_level(logging.WARNING, logger="clusterbroker.notifications")
    start = timezone.now()
    with run_commit():
        notify([alice], "invitation", title="Hello")
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == ("queued", 1)
    assert "mail server down" in email.last_error
    assert email.next_attempt_at >= start + dt.timedelta(minutes=1)
    assert any("could not be sent" in r.getMessage() for r in caplog.records)

    # Not due yet: nothing happens.
    assert delivery.send_due(now=start)["queued"] == 0
    assert OutgoingEmail.objects.get().attempts == 1

    # Second try after the first wait, third after a five times longer one.
    second = email.next_attempt_at + dt.timedelta(seconds=1)
    assert delivery.send_due(now=second) == {"sent": 0, "queued": 1, "failed": 0}
    email.refresh_from_db()
    assert email.attempts == 2
    assert email.next_attempt_at >= second + dt.timedelta(minutes=5)
    third = email.next_attempt_at + dt.timedelta(seconds=1)
    assert delivery.send_due(now=third) == {"sent": 0, "queued": 0, "failed": 1}
    email.refresh_from_db()
    assert (email.status, email.attempts, email.next_attempt_at) == ("failed", 3, None)
    assert any(
        r.levelno == logging.ERROR and "failed for good" in r.getMessage() for r in caplog.records
    )
    # Kept, and no longer tried.
    assert delivery.send_due(now=third + dt.timedelta(days=30))["sent"] == 0
    assert mail.outbox == []

    # The server is back; the admin sends it again.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with run_commit():
        assert delivery.retry([email.pk]) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 1)
    assert [m.subject for m in mail.outbox] == ["[ClusterBroker] Hello"]


def test_send_outbox_command_sends_what_the_queue_did_not(alice, capsys):
    notify([alice], "invitation", title="Left in the outbox")  # commit callbacks never run
    assert mail.outbox == []
    out = StringIO()
    call_command("send-outbox", stdout=out)
    assert "1 sent" in out.getvalue()
    assert [m.subject for m in mail.outbox] == ["[ClusterBroker] Left in the outbox"]
    assert OutgoingEmail.objects.get().status == "sent"
    call_command("send-outbox", stdout=StringIO())
    assert len(mail.outbox) == 1  # sent once


def test_a_row_left_half_sent_is_taken_again_after_the_lease(alice):
    notify([alice], "invitation", title="Stuck")
    email = OutgoingEmail.objects.get()
    now = timezone.now()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status="sending", next_attempt_at=now + delivery.SENDING_LEASE
    )
    assert delivery.send_one(email.pk, now=now) == "sending"  # another worker has it
    assert mail.outbox == []
    later = now + delivery.SENDING_LEASE + dt.timedelta(seconds=1)
    assert delivery.send_due(now=later)["sent"] == 1
    assert len(mail.outbox) == 1


def test_a_sent_email_is_not_sent_twice(alice, run_commit):
    with run_commit():
        notify([alice], "invitation", title="Once")
    email = OutgoingEmail.objects.get()
    assert delivery.send_one(email.pk) == "sent"
    assert len(mail.outbox) == 1


def test_send_digests_command(alice):
    service.set_preference(alice, "saved_search_match", kinds.DAILY)
    notify([alice], "saved_search_match", title="New match")
    out = StringIO()
    call_command("send-digests", "--send", stdout=out)
    assert "1 digest(s)" in out.getvalue()
    assert len(mail.outbox) == 1 and "New match" in mail.outbox[0].body
    call_command("send-digests", "--send", stdout=StringIO())
    assert len(mail.outbox) == 1


def test_the_tasks_run_with_the_immediate_backend(alice):
    from clusterbroker.notifications.tasks import send_digests_task, send_outbox_task

    service.set_preference(alice, "evaluator_assigned", kinds.DAILY)
    notify([alice], "evaluator_assigned", title="Evaluate")
    assert send_digests_task.enqueue().return_value == 1
    assert send_outbox_task.enqueue().return_value["sent"] == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_sends_the_email_and_schedules_the_retry(settings):
    """With the production backend, the commit hands the row to the database queue, a
    worker sends it, and a failure asks that queue to try again later."""
    from django_tasks_db.models import DBTaskResult

    from tests.factories import UserFactory

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    user = UserFactory(username="carol", email="carol@example.org")
    notify([user], "invitation", title="Queued")
    email = OutgoingEmail.objects.get()
    result = DBTaskResult.objects.get()
    assert result.task_path.endswith("send_email_task")
    assert result.args_kwargs["args"] == [email.pk]
    assert mail.outbox == []  # nothing sent by the web process
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    assert [m.subject for m in mail.outbox] == ["[ClusterBroker] Queued"]
    assert OutgoingEmail.objects.get().status == "sent"

    settings.EMAIL_BACKEND = BROKEN
    notify([user], "invitation", title="Fails")
    failing = OutgoingEmail.objects.exclude(pk=email.pk).get()
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    failing.refresh_from_db()
    assert (failing.status, failing.attempts) == ("queued", 1)
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.args_kwargs["args"] == [failing.pk]
    assert retry.run_after > timezone.now()


def test_admin_lists_the_outbox_and_retries(world, settings):
    settings.EMAIL_BACKEND = BROKEN
    settings.CLUSTERBROKER_EMAIL_MAX_ATTEMPTS = 1
    notify(["x@example.org"], "invitation", title="Fails")
    delivery.send_due()
    email = OutgoingEmail.objects.get()
    assert email.status == "failed"
    client = world.client(world.admin)
    page = client.get("/admin/notifications/outgoingemail/?status__exact=failed")
    assert page.status_code == 200 and "x@example.org" in page.content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.post(
        "/admin/notifications/outgoingemail/",
        {"action": "retry_sending", "_selected_action": [email.pk]},
    )
    email.refresh_from_db()
    assert email.status == "queued" and email.attempts == 0
    assert (
        world.client(world.outsider).get("/admin/notifications/outgoingemail/").status_code == 302
    )
    assert client.get("/admin/notifications/notification/").status_code == 200
