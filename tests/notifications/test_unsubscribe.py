"""The unsubscribe link of each e-mail: signed for one person (or address) and one kind."""

import pytest
from django.core import mail, signing
from django.test import Client

from clusterbroker.notifications import kinds, service
from clusterbroker.notifications.models import EmailSuppression, NotificationPreference
from clusterbroker.notifications.service import notify


def link_of(message) -> str:
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    return url.removeprefix("http://127.0.0.1:8000")


def test_the_link_of_an_email_stops_that_kind_only(alice, run_commit):
    with run_commit():
        notify([alice], "meeting_request", title="Meet?")
    path = link_of(mail.outbox[0])
    anonymous = Client()
    page = anonymous.get(path)
    assert page.status_code == 200
    assert "Meeting request" in page.content.decode()
    assert (
        service.delivery_for(alice, "meeting_request") == kinds.IMMEDIATELY
    )  # GET changes nothing
    done = anonymous.post(path)
    assert done.status_code == 200 and 'id="unsubscribed"' in done.content.decode()
    assert service.delivery_for(alice, "meeting_request") == kinds.NEVER
    assert service.delivery_for(alice, "meeting_accepted") == kinds.IMMEDIATELY
    mail.outbox = []
    with run_commit():
        assert notify([alice], "meeting_request", title="Again?") == 1  # still in the app
        notify([alice], "meeting_accepted", title="Accepted")
    assert [m.subject for m in mail.outbox] == ["[ClusterBroker] Accepted"]


def test_one_click_unsubscribe_needs_no_csrf_token(alice, run_commit):
    with run_commit():
        notify([alice], "scores_due", title="Scores")
    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(link_of(mail.outbox[0]), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert service.delivery_for(alice, "scores_due") == kinds.NEVER


def test_a_plain_address_goes_on_the_suppression_list(db, run_commit):
    with run_commit():
        notify(["guest@example.org"], "invitation", title="Join")
    assert Client().post(link_of(mail.outbox[0])).status_code == 200
    assert EmailSuppression.objects.filter(address="guest@example.org", kind="invitation").exists()
    mail.outbox = []
    with run_commit():
        assert notify(["Guest@Example.org"], "invitation", title="Join again") == 0
        assert notify(["guest@example.org"], "schedule_announced", title="Agenda") == 1
    assert [m.subject for m in mail.outbox] == ["[ClusterBroker] Agenda"]


def test_a_forged_token_is_refused(alice):
    for token in ["nonsense", signing.dumps({"u": alice.pk, "k": "invitation"}, salt="other")]:
        response = Client().post(f"/notifications/unsubscribe/{token}/")
        assert response.status_code == 404
        assert "not valid" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_token_cannot_be_turned_into_another_kind_or_person(alice, bob):
    token = service.make_unsubscribe_token("invitation", user=alice)
    payload, _sep, signature = token.rpartition(":")
    # The payload of another kind (or person) with this token's signature.
    for other in [
        service.make_unsubscribe_token("meeting_request", user=alice),
        service.make_unsubscribe_token("invitation", user=bob),
    ]:
        other_payload = other.rsplit(":", 1)[0]
        response = Client().post(f"/notifications/unsubscribe/{other_payload}:{signature}/")
        assert response.status_code == 404
    assert not NotificationPreference.objects.exists()
    # The token itself works for its own kind and person.
    assert Client().post(f"/notifications/unsubscribe/{token}/").status_code == 200
    assert list(NotificationPreference.objects.values_list("user", "kind", "delivery")) == [
        (alice.pk, "invitation", "never")
    ]


def test_a_token_of_an_unknown_kind_is_refused(alice):
    token = signing.dumps({"u": alice.pk, "k": "bogus"}, salt=service.UNSUBSCRIBE_SALT)
    assert Client().get(f"/notifications/unsubscribe/{token}/").status_code == 404


def test_the_digest_link_stops_every_daily_kind(alice, run_commit):
    from clusterbroker.notifications import delivery

    service.set_preferences(alice, {"meeting_request": "daily", "scores_due": "daily"})
    notify([alice], "meeting_request", title="Meet?")
    with run_commit():
        delivery.send_digests()
    assert Client().post(link_of(mail.outbox[0])).status_code == 200
    prefs = service.preferences_for(alice)
    assert prefs["meeting_request"] == prefs["scores_due"] == kinds.NEVER
    assert prefs["invitation"] == kinds.IMMEDIATELY


@pytest.mark.parametrize("method", ["put", "delete"])
def test_other_methods_are_refused(alice, method):
    token = service.make_unsubscribe_token("invitation", user=alice)
    assert getattr(Client(), method)(f"/notifications/unsubscribe/{token}/").status_code == 405
