"""Sign-up with a verified address, log-in by username or address, password reset; none of
them tells whether an address has an account."""

import importlib
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache

from clusterbroker.registry.models import Person

from .conftest import links_in, log_in, mails_to
from .factories import account

pytestmark = pytest.mark.django_db

SIGNUP = {
    "username": "newcomer",
    "email": "new@example.org",
    "first_name": "Nora",
    "last_name": "Newcomer",
    "password1": "a-long-and-fine-password-7",
    "password2": "a-long-and-fine-password-7",
}


def _page(response, typed: str = "") -> str:
    """A page's text without what changes from one request to the next (CSRF tokens) and
    without the address the person typed."""
    text = response.content.decode()
    if typed:
        text = text.replace(typed, "ADDRESS")
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", text)


def test_sign_up_then_verify_the_address_from_the_email_and_be_logged_in(client):
    assert client.get("/accounts/signup/").status_code == 200
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session  # not before the address is verified
    user = get_user_model().objects.get(username="newcomer")
    person = Person.objects.get(user=user)
    assert (person.first_name, person.last_name) == ("Nora", "Newcomer")
    assert (user.first_name, user.last_name) == ("Nora", "Newcomer")
    assert not EmailAddress.objects.get(user=user).verified

    (message,) = mails_to("new@example.org")
    assert message.subject.startswith("[ClusterBroker]")
    (link,) = [p for p in links_in(message) if p.startswith("/accounts/confirm-email/")]
    page = client.get(link)
    assert page.status_code == 200 and b"new@example.org" in page.content
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)
    assert "newcomer" in client.get("/").content.decode()


def test_an_unverified_account_cannot_log_in_and_gets_the_link_again(client):
    client.post("/accounts/signup/", SIGNUP)
    mail.outbox.clear()
    response = log_in(client, "newcomer", SIGNUP["password1"])
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    # The link is not sent again within minutes of the first one (allauth's cool-down)…
    assert mails_to("new@example.org") == []
    cache.clear()  # … but once that time has passed, it is.
    log_in(client, "newcomer", SIGNUP["password1"])
    assert len(mails_to("new@example.org")) == 1
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("login", ["ana", "Ana.Lopez@Example.org", "ana.lopez@example.org"])
def test_log_in_by_username_or_by_email(client, login):
    user = account("ana", "right-password-123", email="ana.lopez@example.org")
    response = log_in(client, login, "right-password-123")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_and_an_unknown_login_get_the_same_answer(client):
    account("ana", "right-password-123", email="ana@example.org")
    wrong = log_in(client, "ana@example.org", "not-the-password")
    unknown = log_in(client, "nobody@example.org", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    errors = [r.context["form"].non_field_errors() for r in (wrong, unknown)]
    assert errors[0] == errors[1] and errors[0]
    assert "_auth_user_id" not in client.session


def test_sign_up_with_a_known_address_answers_as_for_a_new_one(client):
    account("ana", "right-password-123", email="ana@example.org")
    known = client.post("/accounts/signup/", {**SIGNUP, "email": "ana@example.org"}, follow=True)
    unknown = client.post(
        "/accounts/signup/",
        {**SIGNUP, "username": "other", "email": "else@example.org"},
        follow=True,
    )
    assert known.redirect_chain == unknown.redirect_chain == [("/accounts/confirm-email/", 302)]
    assert _page(known, "ana@example.org") == _page(unknown, "else@example.org")
    # No second account with that address; its owner is told somebody tried.
    assert not get_user_model().objects.filter(username="newcomer").exists()
    (notice,) = mails_to("ana@example.org")
    assert not any("/accounts/confirm-email/" in link for link in links_in(notice))
    (verification,) = mails_to("else@example.org")
    assert any("/accounts/confirm-email/" in link for link in links_in(verification))


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client):
    account("ana", "right-password-123", email="ana@example.org")
    known = client.post("/accounts/password/reset/", {"email": "ana@example.org"}, follow=True)
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert known.redirect_chain[-1][0] == "/accounts/password/reset/done/"
    assert _page(known, "ana@example.org") == _page(unknown, "nobody@example.org")
    (reset,) = mails_to("ana@example.org")
    assert any(link.startswith("/accounts/password/reset/key/") for link in links_in(reset))
    # The unknown address gets allauth's "no account with this address" e-mail, no link.
    (unknown_mail,) = mails_to("nobody@example.org")
    assert not any("/password/reset/key/" in link for link in links_in(unknown_mail))


def test_password_reset_from_the_link_in_the_email(client):
    user = account("ana", "old-password-123", email="ana@example.org")
    client.post("/accounts/password/reset/", {"email": "ana@example.org"})
    (message,) = mails_to("ana@example.org")
    (link,) = [p for p in links_in(message) if p.startswith("/accounts/password/reset/key/")]
    form = client.get(link, follow=True)
    assert form.status_code == 200 and b"password1" in form.content
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": "brand-new-password-456", "password2": "brand-new-password-456"},
    )
    assert done.status_code == 302
    assert done["Location"] == "/accounts/password/reset/key/done/"
    user.refresh_from_db()
    assert user.check_password("brand-new-password-456")
    # The link works once.
    again = client.get(link, follow=True)
    assert again.context["token_fail"]
    assert log_in(client, "ana", "old-password-123").status_code == 200
    assert log_in(client, "ana", "brand-new-password-456").status_code == 302


def test_password_change_for_a_logged_in_person(client):
    user = account("ana", "old-password-123", email="ana@example.org")
    log_in(client, "ana", "old-password-123")
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "old-password-123",
            "password1": "brand-new-password-456",
            "password2": "brand-new-password-456",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-password-456")
    # The person is told by e-mail that their password changed.
    assert mails_to("ana@example.org")


def test_sign_up_refuses_look_alike_names_and_usernames(client):
    cyrillic_a = "\u0430"
    response = client.post(
        "/accounts/signup/",
        {**SIGNUP, "username": f"p{cyrillic_a}ul", "last_name": "Evil\u202eName"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "username" in form.errors and "last_name" in form.errors
    assert not get_user_model().objects.filter(email="new@example.org").exists()


def test_sign_up_can_be_closed(client, settings):
    settings.ACCOUNT_SIGNUP_OPEN = False
    response = client.post("/accounts/signup/", SIGNUP)
    assert not get_user_model().objects.filter(username="newcomer").exists()
    assert response.status_code == 200
    assert b"closed" in response.content.lower()


def test_accounts_made_before_sign_up_existed_keep_logging_in(client):
    """The data migration records the address an admin typed as verified."""
    from django.apps import apps

    migration = importlib.import_module(
        "clusterbroker.accounts.migrations.0002_existing_addresses_verified"
    )
    User = get_user_model()
    old = User.objects.create_user("old", email="old@example.org", password="old-password-1")
    from_person = User.objects.create_user("carl", password="old-password-2")
    Person.objects.create(user=from_person, first_name="Carl", last_name="C", email="c@x.org")
    without = User.objects.create_user("ghost", password="old-password-3")
    migration.verify_existing_addresses(apps, None)
    assert EmailAddress.objects.get(user=old).verified
    assert EmailAddress.objects.get(user=from_person, email="c@x.org").primary
    assert not EmailAddress.objects.filter(user=without).exists()
    assert log_in(client, "old", "old-password-1").status_code == 302


def test_the_demo_logins_work_with_verified_addresses(client, settings):
    from clusterbroker.registry.demo import DEMO_PASSWORD, create_demo_users

    logins = create_demo_users()
    assert [login.username for login in logins][0] == "admin"
    response = log_in(client, "admin", DEMO_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert EmailAddress.objects.get(user__username="admin").verified
    # Run again (make run does), the accounts stay as they were.
    create_demo_users()
    assert EmailAddress.objects.filter(user__username="admin").count() == 1
