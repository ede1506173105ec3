"""The account page: name, roles held, language and time zone, download of one's data,
deletion of the account."""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model

from clusterbroker.accounts.models import AccountSettings
from clusterbroker.registry.models import Person, Position

from ..factories import PersonFactory, PositionFactory
from .conftest import log_in
from .factories import account, verify_address

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-1"


def _logged_in(client, user, password: str = PASSWORD):
    """`user` logged in through the form (some pages ask for the password again within
    minutes of a log-in, and accept it)."""
    user.set_password(password)
    user.save()
    verify_address(user)
    assert log_in(client, user.get_username(), password).status_code == 302
    return client


def test_the_account_page_needs_a_login(client):
    response = client.get("/account/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_account_page_shows_the_roles_held_and_nobody_elses(world):
    client = world.client(world.company_user)
    body = client.get("/account/").content.decode()
    assert "Precision Parts" in body and world.member_company.get_absolute_url() in body
    assert "Profile editor" in body
    assert "Far Away GmbH" not in body  # another company's editor's organisation
    assert 'id="account-link"' in body  # the header links to the account page
    manager = world.client(world.partnership_manager).get("/account/").content.decode()
    assert "Alpine Motors" in manager and world.partnership.get_absolute_url() in manager
    assert "Precision Parts" not in manager


def test_the_name_is_saved_on_the_account_and_the_person(world):
    client = world.client(world.company_user)
    response = client.post("/account/name/", {"first_name": " Carla ", "last_name": "Mendes"})
    assert response.status_code == 302
    world.company_user.refresh_from_db()
    person = Person.objects.get(user=world.company_user)
    assert (world.company_user.first_name, world.company_user.last_name) == ("Carla", "Mendes")
    assert (person.first_name, person.last_name) == ("Carla", "Mendes")


@pytest.mark.parametrize(
    "data", [{"first_name": "", "last_name": "X"}, {"first_name": "Evil\u202e", "last_name": "X"}]
)
def test_a_bad_name_is_refused_next_to_its_field(world, data):
    client = world.client(world.company_user)
    response = client.post("/account/name/", data)
    assert response.status_code == 200
    assert "first_name" in response.context["name_form"].errors
    assert Person.objects.get(user=world.company_user).first_name == "Alex"


def test_an_account_without_a_person_gets_one_with_its_name(client):
    user = account("solo", PASSWORD)
    client.force_login(user)
    client.post("/account/name/", {"first_name": "Sol", "last_name": "Olo"})
    assert Person.objects.get(user=user).last_name == "Olo"


def test_language_and_time_zone_are_saved_and_applied(world, settings):
    settings.LANGUAGES = [("en", "English"), ("fr", "Français")]
    client = world.client(world.company_user)
    before = client.get("/account/")
    assert before["Content-Language"] == "en"
    assert "Times are shown in Europe/Brussels" in before.content.decode()
    saved = client.post(
        "/account/preferences/", {"language": "fr", "time_zone": "America/New_York"}
    )
    assert saved.status_code == 302
    preferences = AccountSettings.objects.get(user=world.company_user)
    assert (preferences.language, preferences.time_zone) == ("fr", "America/New_York")
    after = client.get("/account/")
    assert after["Content-Language"] == "fr"
    assert "America/New_York" in after.content.decode()
    # A language the site no longer offers is not used.
    settings.LANGUAGES = [("en", "English")]
    assert client.get("/account/")["Content-Language"] == "en"
    # Others are not affected.
    assert world.client(world.outsider).get("/")["Content-Language"] == "en"


@pytest.mark.parametrize(
    "data, field",
    [
        ({"language": "xx", "time_zone": ""}, "language"),
        ({"language": "", "time_zone": "Mars/Base"}, "time_zone"),
    ],
)
def test_an_unknown_language_or_time_zone_is_refused(world, data, field):
    client = world.client(world.company_user)
    response = client.post("/account/preferences/", data)
    assert response.status_code == 200
    assert field in response.context["preferences_form"].errors
    assert not AccountSettings.objects.filter(user=world.company_user).exists()


def test_download_my_data_asks_for_the_password_again(world):
    client = world.client(world.company_user)  # a session without a recent password
    response = client.get("/account/data/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")


def test_download_my_data_holds_my_data_and_nobody_elses(client, world):
    user = world.company_user
    colleague = PersonFactory(first_name="Colleague", email="colleague@example.org")
    PositionFactory(person=colleague, organisation=world.member_company)
    _logged_in(client, user)
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "SECRET-OF-THE-APP"}
    )
    response = client.get("/account/data/")
    if response.status_code == 302:  # asked for the password again
        response = client.post(response["Location"], {"password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["user"]["username"] == user.username
    assert data["person"]["id"] == user.person.pk
    text = response.content.decode()
    assert user.person.email in text
    assert "Precision Parts" in text  # the position, as a record of the person
    assert "colleague@example.org" not in text and "Colleague" not in text
    assert world.other_company_user.username not in text
    assert "SECRET-OF-THE-APP" not in text  # the authenticator's secret is withheld


def test_delete_my_account_needs_the_password(client, world):
    user = world.company_user
    _logged_in(client, user)
    assert client.get("/account/delete/").status_code == 200
    response = client.post("/account/delete/", {"confirmation": "not-my-password"})
    assert response.status_code == 200
    assert "confirmation" in response.context["form"].errors
    user.refresh_from_db()
    assert user.is_active and client.session["_auth_user_id"] == str(user.pk)


def test_delete_my_account_erases_it_and_logs_out(client, world):
    user = world.company_user
    _logged_in(client, user)
    person = user.person
    username, email = user.username, user.email
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "S"})
    AccountSettings.objects.create(user=user, language="en")
    response = client.post("/account/delete/", {"confirmation": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session
    assert "Log in" in client.get("/").content.decode()
    user.refresh_from_db()
    person.refresh_from_db()
    assert not user.is_active and user.username == f"erased-{user.pk}"
    assert user.email == "" and not user.has_usable_password()
    assert person.email == "" and person.first_name == "Erased"
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not AccountSettings.objects.filter(user=user).exists()
    # Records that are not personal stay, pointing at the anonymous person.
    assert Position.objects.filter(person=person, organisation=world.member_company).exists()
    # The old username and address log in no more.
    assert log_in(client, username, PASSWORD).status_code == 200
    assert log_in(client, email, PASSWORD).status_code == 200
    assert "_auth_user_id" not in client.session


def test_an_account_without_a_password_confirms_with_its_username(client):
    user = get_user_model().objects.create_user("nopass")
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    assert client.post("/account/delete/", {"confirmation": "someone"}).status_code == 200
    assert client.post("/account/delete/", {"confirmation": "nopass"}).status_code == 302
    user.refresh_from_db()
    assert not user.is_active


def test_the_only_platform_admin_cannot_delete_their_account(client):
    admin = account("root", PASSWORD, is_staff=True, is_superuser=True)
    _logged_in(client, admin)
    response = client.post("/account/delete/", {"confirmation": PASSWORD})
    assert response.status_code == 200
    assert "only platform admin" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_change_the_email_address_with_verification(client):
    from .conftest import links_in, mails_to

    user = account("ana", PASSWORD, email="old@example.org")
    log_in(client, "ana", PASSWORD)
    response = client.post("/accounts/email/", {"email": "new@example.org", "action_add": ""})
    assert response.status_code == 302
    # Until the new address is confirmed, the old one stays the account's address.
    user.refresh_from_db()
    assert user.email == "old@example.org"
    assert EmailAddress.objects.get(user=user, primary=True).email == "old@example.org"
    (message,) = mails_to("new@example.org")
    (link,) = [p for p in links_in(message) if p.startswith("/accounts/confirm-email/")]
    assert client.post(link).status_code == 302
    user.refresh_from_db()
    assert user.email == "new@example.org"
    assert list(
        EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")
    ) == [("new@example.org", True, True)]
    assert b"new@example.org" in client.get("/account/").content
