"""The pages: my notices, opening one, marking read, my settings; the bell in the header."""

import re

import pytest
from django.test import Client

from clusterbroker.notifications import kinds, service
from clusterbroker.notifications.models import Notification, NotificationPreference

from .factories import NotificationFactory

PAGES = [
    ("get", "/notifications/"),
    ("get", "/notifications/settings/"),
    ("post", "/notifications/settings/"),
    ("post", "/notifications/read-all/"),
    ("get", "/notifications/1/open/"),
    ("post", "/notifications/1/read/"),
]


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_anonymous_visitors_are_sent_to_log_in(db, method, path):
    NotificationFactory(pk=1)
    response = getattr(Client(), method)(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Notification.objects.get(pk=1).read_at is None


def test_the_list_shows_my_notices_newest_first_unread_marked(alice, bob):
    old = NotificationFactory(recipient=alice, title="Older one")
    new = NotificationFactory(recipient=alice, title="Newer one")
    Notification.objects.filter(pk=old.pk).update(created_at=new.created_at.replace(year=2020))
    service.mark_read(alice, Notification.objects.get(pk=old.pk))
    NotificationFactory(recipient=bob, title="Bob's secret")
    client = Client()
    client.force_login(alice)
    html = client.get("/notifications/").content.decode()
    assert html.index("Newer one") < html.index("Older one")
    assert "Bob&#x27;s secret" not in html and "Bob's secret" not in html
    assert html.count("notif-unread") == 1
    assert f'href="/notifications/{new.pk}/open/"' in html
    unread = client.get("/notifications/?show=unread").content.decode()
    assert "Newer one" in unread and "Older one" not in unread


def test_the_list_is_paged(alice):
    for n in range(30):
        NotificationFactory(recipient=alice, title=f"Item {n:02d}")
    client = Client()
    client.force_login(alice)
    first = client.get("/notifications/").content.decode()
    assert first.count('class="panel notif') == 25 and 'rel="next"' in first
    second = client.get("/notifications/?page=2").content.decode()
    assert second.count('class="panel notif') == 5


def test_opening_a_notice_marks_it_read_and_follows_its_link(alice):
    notice = NotificationFactory(recipient=alice, url="/events/some-event/requests/")
    client = Client()
    client.force_login(alice)
    response = client.get(f"/notifications/{notice.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == "/events/some-event/requests/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_notice_never_leads_off_the_site(alice):
    notice = NotificationFactory(recipient=alice, url="https://evil.example.com/")
    client = Client()
    client.force_login(alice)
    response = client.get(f"/notifications/{notice.pk}/open/")
    assert response["Location"] == "/notifications/"


def test_another_persons_notice_is_not_found(alice, bob):
    notice = NotificationFactory(recipient=bob)
    client = Client()
    client.force_login(alice)
    assert client.get(f"/notifications/{notice.pk}/open/").status_code == 404
    assert client.post(f"/notifications/{notice.pk}/read/").status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_one_and_all_as_read(alice, bob):
    mine = [NotificationFactory(recipient=alice) for _ in range(3)]
    theirs = NotificationFactory(recipient=bob)
    client = Client()
    client.force_login(alice)
    response = client.post(f"/notifications/{mine[0].pk}/read/", {"next": "/notifications/?page=1"})
    assert response["Location"] == "/notifications/?page=1"
    assert service.unread_count(alice) == 2
    assert client.get(f"/notifications/{mine[0].pk}/read/").status_code == 405
    client.post("/notifications/read-all/")
    assert service.unread_count(alice) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_bell_shows_the_unread_count_with_a_label(alice):
    client = Client()
    client.force_login(alice)
    html = client.get("/notifications/settings/").content.decode()
    assert 'id="notification-bell"' in html and "Notifications, none unread" in html
    for _ in range(3):
        NotificationFactory(recipient=alice)
    html = client.get("/").content.decode()
    bell = re.search(r'<a [^>]*id="notification-bell"[^>]*>.*?</a>', html, re.S).group(0)
    assert 'aria-label="3 unread notifications"' in bell
    assert 'class="bell-count" aria-hidden="true">3<' in bell
    NotificationFactory(recipient=alice)
    service.mark_all_read(alice)
    NotificationFactory(recipient=alice)
    assert 'aria-label="1 unread notification"' in client.get("/").content.decode()
    assert "notification-bell" not in Client().get("/").content.decode()


def test_the_settings_page_lists_every_kind_and_saves(alice):
    client = Client()
    client.force_login(alice)
    html = client.get("/notifications/settings/").content.decode()
    for kind in kinds.KINDS.values():
        assert str(kind.label) in html
        assert f'name="{kind.id}" value="immediately"' in html
    data = dict.fromkeys(kinds.KINDS, "immediately")
    data.update({"invitation": "daily", "scores_due": "never"})
    response = client.post("/notifications/settings/", data)
    assert response.status_code == 302
    prefs = service.preferences_for(alice)
    assert (prefs["invitation"], prefs["scores_due"], prefs["meeting_request"]) == (
        "daily",
        "never",
        "immediately",
    )
    html = client.get("/notifications/settings/").content.decode()
    assert re.search(r'name="invitation" value="daily"[^>]*checked', html)


def test_a_wrong_setting_shows_its_error_next_to_the_field(alice):
    client = Client()
    client.force_login(alice)
    data = dict.fromkeys(kinds.KINDS, "immediately")
    data["invitation"] = "hourly"
    del data["scores_due"]
    response = client.post("/notifications/settings/", data)
    assert response.status_code == 200
    html = response.content.decode()
    invitation = html[html.index('id="kind-invitation"') :]
    invitation = invitation[: invitation.index("</fieldset>")]
    assert "errorlist" in invitation and "hourly" in invitation
    scores = html[html.index('id="kind-scores_due"') :]
    assert "Choose how you want e-mail about this." in scores[: scores.index("</fieldset>")]
    assert not NotificationPreference.objects.exists()
