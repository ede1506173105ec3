import pytest
from django.contrib.auth.models import Group
from django.core import mail

from clusterbroker.community import alerts, services
from clusterbroker.community.models import Alert, Status
from clusterbroker.community.permissions import COMMUNITY_MANAGERS_GROUP

from ..factories import UserFactory
from .factories import OfferFactory, OpenCallFactory

pytestmark = pytest.mark.django_db


def test_a_newly_published_item_alerts_matching_saved_searches(
    django_capture_on_commit_callbacks,
):
    watcher = UserFactory(email="watcher@example.org")
    other = UserFactory(email="other@example.org")
    manager = UserFactory(is_superuser=True)
    author = UserFactory()
    mine = alerts.save_search(watcher, "Hydrogen calls", "hydrogen", {"collection": ["call"]})
    alerts.save_search(other, "Welding", "welding", {})
    OpenCallFactory(title="Hydrogen valleys (old)")  # published before: no alert
    assert not Alert.objects.exists()
    call = OpenCallFactory(title="Green hydrogen storage", status=Status.DRAFT, author=author)
    services.change_status(call, author, "submit")
    assert not Alert.objects.exists()  # pending is not public
    # E-mails leave the outbox once the change is committed.
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(call, manager, "publish")
    assert [a.saved_search for a in Alert.objects.all()] == [mine]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["watcher@example.org"]
    assert "Green hydrogen storage" in mail.outbox[0].body
    offer = OfferFactory(title="Hydrogen consulting", status=Status.DRAFT, author=author)
    services.change_status(offer, manager, "publish")
    assert Alert.objects.count() == 1  # the saved search is limited to calls


def test_alerts_page_shows_and_marks_read(world):
    saved = alerts.save_search(world.company_user, "Twins", "twin", {}, email=False)
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=COMMUNITY_MANAGERS_GROUP)[0])
    call = OpenCallFactory(title="Digital twin call", status=Status.DRAFT, author=user)
    services.change_status(call, user, "submit")  # a manager's own submit publishes
    assert Alert.objects.filter(saved_search=saved).count() == 1
    client = world.client(world.company_user)
    assert "1" in client.get("/community/saved/").content.decode()
    # Every page shows the unread alerts in the header, to their user only.
    assert 'id="alert-badge"' in client.get("/").content.decode()
    assert "1 alert<" in client.get("/organisations/").content.decode()
    assert (
        'id="alert-badge"' not in world.client(world.other_company_user).get("/").content.decode()
    )
    assert "Digital twin call" in client.get("/community/alerts/").content.decode()
    assert not alerts.unread_alerts(world.company_user).exists()
    assert 'id="alert-badge"' not in client.get("/").content.decode()
    assert (
        "Digital twin call"
        not in world.client(world.other_company_user).get("/community/alerts/").content.decode()
    )
    assert not mail.outbox


def test_saved_searches_belong_to_their_user(world):
    saved = alerts.save_search(world.company_user, "Mine", "x", {})
    assert (
        world.client(world.other_company_user)
        .post(f"/community/saved/{saved.pk}/delete/")
        .status_code
        == 404
    )
    response = world.client(world.company_user).post(
        "/community/search/save/",
        {"q": "laser", "collection": "offer", "name": "Lasers", "email": "on"},
    )
    assert response.status_code == 302
    assert world.company_user.saved_searches.get(name="Lasers").filters == {"collection": ["offer"]}


def test_batch_check_finds_items_indexed_since_the_last_check():
    watcher = UserFactory()
    saved = alerts.save_search(watcher, "Laser", "laser", {})
    OpenCallFactory(title="Laser welding call")
    found = alerts.check_saved_search(saved)
    assert len(found) == 1
    assert alerts.check_saved_search(saved) == []


def test_commands_reindex_and_send_alerts(capsys):
    from django.core.management import call_command

    from clusterbroker.community.models import SearchDocument

    watcher = UserFactory()
    alerts.save_search(watcher, "Laser", "laser", {})
    OpenCallFactory(title="Laser cladding")
    SearchDocument.objects.all().delete()
    call_command("reindex_search")
    assert "1 documents indexed" in capsys.readouterr().out
    call_command("send_search_alerts")
    assert "1 alert(s) raised" in capsys.readouterr().out
