"""notify(): who gets a notice in the application and who an e-mail, by their settings."""

import datetime as dt
import email as email_lib

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from clusterbroker.notifications import delivery, kinds, service
from clusterbroker.notifications.models import Notification, OutgoingEmail
from clusterbroker.notifications.service import notify
from tests.factories import UserFactory

ALL_KINDS = sorted(kinds.KINDS)


def test_the_kinds_of_the_contract_are_all_there():
    assert set(ALL_KINDS) >= {
        "invitation",
        "join_request",
        "join_request_answer",
        "relation_request",
        "relation_request_answer",
        "meeting_request",
        "meeting_accepted",
        "meeting_declined",
        "meeting_withdrawn",
        "schedule_announced",
        "schedule_changed",
        "introduction_request",
        "introduction_answer",
        "saved_search_match",
        "evaluator_assigned",
        "scores_due",
        "application_decision",
        "action_overdue",
    }
    for kind in kinds.KINDS.values():
        assert str(kind.label) and str(kind.description)
        assert kind.default == kinds.IMMEDIATELY


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_immediately_gives_a_notice_and_one_email(kind, alice, run_commit):
    with run_commit():
        reached = notify([alice], kind, title="Hello there", body="Line one\nLine two", url="/x/")
    assert reached == 1
    notice = Notification.objects.get(recipient=alice)
    assert (notice.kind, notice.title, notice.url, notice.read_at) == (
        kind,
        "Hello there",
        "/x/",
        None,
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "[ClusterBroker] Hello there"
    assert "Line one" in message.body and "http://127.0.0.1:8000/x/" in message.body
    html = dict((mime, content) for content, mime in message.alternatives)["text/html"]
    assert "<p>Line one<br>Line two</p>" in html and 'href="http://127.0.0.1:8000/x/"' in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://127.0.0.1:8000/notifications/unsubscribe/")
    assert unsubscribe.strip("<>") in message.body and unsubscribe.strip("<>") in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_daily_gives_a_notice_now_and_one_digest_later(kind, alice, run_commit):
    service.set_preference(alice, kind, kinds.DAILY)
    with run_commit():
        assert notify([alice], kind, title="For the digest", url="/y/") == 1
    assert Notification.objects.filter(recipient=alice, kind=kind).count() == 1
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()
    with run_commit():
        assert delivery.send_digests() == 1
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["alice@example.org"]
    assert digest.subject.startswith("[ClusterBroker] ")
    assert "For the digest" in digest.body and "http://127.0.0.1:8000/y/" in digest.body
    assert "For the digest" in digest.alternatives[0][0]
    assert "List-Unsubscribe" in digest.extra_headers
    # A notice goes into one digest only.
    with run_commit():
        assert delivery.send_digests() == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.get(kind=kind).digest_email.kind == "digest"


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_never_gives_a_notice_and_no_email(kind, alice, run_commit):
    service.set_preference(alice, kind, kinds.NEVER)
    with run_commit():
        assert notify([alice], kind, title="Quiet") == 1
        delivery.send_digests()
    assert Notification.objects.filter(recipient=alice, kind=kind).count() == 1
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def test_a_digest_gathers_several_notices_of_one_person(alice, bob, run_commit):
    service.set_preference(alice, "meeting_request", kinds.DAILY)
    service.set_preference(alice, "schedule_changed", kinds.DAILY)
    with run_commit():
        notify([alice, bob], "meeting_request", title="First")
        notify([alice], "schedule_changed", title="Second")
        notify([alice], "invitation", title="At once")
    assert [m.subject for m in mail.outbox] == [
        "[ClusterBroker] First",  # bob, immediately
        "[ClusterBroker] At once",
    ]
    assert [m.to for m in mail.outbox] == [["bob@example.org"], ["alice@example.org"]]
    mail.outbox = []
    with run_commit():
        assert delivery.send_digests() == 1
    (digest,) = mail.outbox
    assert "First" in digest.body and "Second" in digest.body and "At once" not in digest.body


def test_a_notice_read_meanwhile_is_left_out_of_the_digest(alice, run_commit):
    service.set_preference(alice, "scores_due", kinds.DAILY)
    notify([alice], "scores_due", title="Read already")
    service.mark_all_read(alice)
    with run_commit():
        assert delivery.send_digests() == 0
    assert mail.outbox == []
    assert not Notification.objects.filter(digest_pending=True).exists()


def test_the_actor_is_never_notified(alice, bob, run_commit):
    with run_commit():
        reached = notify(
            [alice, bob, "BOB@example.org"], "meeting_accepted", title="Accepted", actor=bob
        )
    assert reached == 1
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["alice"]
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_inactive_users_are_skipped(alice, run_commit):
    gone = UserFactory(username="gone", email="gone@example.org", is_active=False)
    with run_commit():
        assert notify([gone, "gone@example.org", alice], "invitation", title="Hi") == 1
    assert not Notification.objects.filter(recipient=gone).exists()
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_a_plain_address_gets_the_email_only(db, run_commit):
    with run_commit():
        assert notify(["new.person@example.org"], "invitation", title="Join us", url="/i/") == 1
    assert not Notification.objects.exists()
    (message,) = mail.outbox
    assert message.to == ["new.person@example.org"]
    assert "/notifications/settings/" not in message.body  # no account, no settings
    assert "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert OutgoingEmail.objects.get().user is None


def test_an_address_of_a_user_is_that_user_with_their_settings(alice, run_commit):
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    service.set_preference(alice, "invitation", kinds.NEVER)
    with run_commit():
        assert notify([" Alice@Example.org ", alice], "invitation", title="Hi") == 1
    assert Notification.objects.filter(recipient=alice).count() == 1
    assert mail.outbox == []


def test_recipients_are_reached_once(alice, run_commit):
    with run_commit():
        reached = notify(
            [alice, alice, "x@example.org", "X@example.org", "", None], "invitation", title="Hi"
        )
    assert reached == 2
    assert Notification.objects.count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "x@example.org"]


def test_a_user_without_address_gets_the_notice_only(db, run_commit):
    user = UserFactory(username="noaddress", email="")
    with run_commit():
        assert notify([user], "invitation", title="Hi") == 1
    assert Notification.objects.filter(recipient=user).exists()
    assert mail.outbox == []


def test_attachments_and_a_richer_html_part(alice, run_commit):
    ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    with run_commit():
        notify(
            [alice],
            "schedule_announced",
            title="Your agenda",
            body="See the agenda.",
            attachments=[("agenda.ics", ics, "text/calendar"), ("a.bin", b"\x00\x01", "x/y")],
            html_body="<table><tr><td>10:00</td></tr></table>",
        )
    (message,) = mail.outbox
    parsed = email_lib.message_from_bytes(message.message().as_bytes())
    parts = {part.get_content_type(): part for part in parsed.walk()}
    assert "text/plain" in parts and "text/html" in parts
    assert "<td>10:00</td>" in parts["text/html"].get_payload(decode=True).decode()
    assert parts["text/calendar"].get_filename() == "agenda.ics"
    # Text parts travel with the mail's line endings.
    assert parts["text/calendar"].get_payload(decode=True).decode().splitlines() == ics.splitlines()
    assert parts["x/y"].get_payload(decode=True) == b"\x00\x01"


def test_the_body_is_escaped_in_the_html_part(alice, run_commit):
    with run_commit():
        notify([alice], "invitation", title="<b>x</b>", body="<script>alert(1)</script>")
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>x</b>" not in html


def test_the_base_url_setting_makes_the_links(alice, run_commit, settings):
    settings.CLUSTERBROKER_BASE_URL = "https://broker.example.org/"
    with run_commit():
        notify([alice], "invitation", title="Hi", url="/invitations/abc/")
    message = mail.outbox[0]
    assert "https://broker.example.org/invitations/abc/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<https://broker.example.org/notifications/unsubscribe/"
    )


def test_an_unknown_kind_is_refused(alice):
    with pytest.raises(kinds.UnknownKind):
        notify([alice], "no_such_kind", title="x")
    assert not Notification.objects.exists()


def test_nothing_is_sent_inside_the_request_transaction(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify([alice], "invitation", title="Later")
    # Written to the outbox, not sent until the transaction commits and the task runs.
    assert mail.outbox == []
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_a_rolled_back_change_sends_nothing(alice, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify([alice], "invitation", title="Undone")
                raise RuntimeError
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()
    assert not Notification.objects.exists()


def test_a_digest_run_the_next_day_takes_the_waiting_notices(db, run_commit):
    user = UserFactory(username="later", email="later@example.org")
    service.set_preference(user, "action_overdue", kinds.DAILY)
    notify([user], "action_overdue", title="Overdue")
    with run_commit():
        delivery.send_digests(now=timezone.now() + dt.timedelta(days=1))
    assert "Overdue" in mail.outbox[0].body


def test_an_address_only_claimed_by_an_unconfirmed_sign_up_stays_a_plain_address(db, run_commit):
    """Someone who signs up with another person's address, without confirming it, must not
    receive that person's notices (an invitation link, say) in the application."""
    squatter = UserFactory(username="squatter", email="owner@example.org")
    EmailAddress.objects.create(user=squatter, email=squatter.email, verified=False)
    with run_commit():
        assert notify(["owner@example.org"], "invitation", title="Join us", url="/i/") == 1
    assert not Notification.objects.filter(recipient=squatter).exists()
    assert [m.to for m in mail.outbox] == [["owner@example.org"]]
