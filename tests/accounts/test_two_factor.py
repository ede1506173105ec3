"""Two-factor authentication (an authenticator app): offered to everyone, required of
platform admins, asked at log-in; the admin's own log-in form does not get around it."""

import os
import subprocess
import sys

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from .conftest import log_in
from .factories import account
from .totp import current_code, wrong_code

pytestmark = pytest.mark.django_db

PASSWORD = "admin-password-123"
ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED_FOR_ADMINS = True


@pytest.fixture
def admin(db):
    return account("root", PASSWORD, email="root@example.org", is_staff=True, is_superuser=True)


def turn_on_two_factor(client, password: str = PASSWORD) -> str:
    """Set up an authenticator app as a person does (the password is asked again first);
    the app's secret."""
    first = client.get(ACTIVATE)
    assert first.status_code == 302 and first["Location"].startswith("/accounts/reauthenticate/")
    again = client.post(first["Location"], {"password": password})
    assert again.status_code == 302 and again["Location"] == ACTIVATE
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    # The QR code is an inline SVG image (img-src data: is allowed by the CSP).
    assert b'src="data:image/svg+xml;base64,' in page.content
    secret = page.context["form"].secret
    done = client.post(ACTIVATE, {"code": current_code(secret)})
    assert done.status_code == 302, done.content
    assert done["Location"] == "/accounts/2fa/recovery-codes/"
    return secret


def test_an_admin_without_two_factor_is_sent_to_set_it_up(client, admin, required):
    assert log_in(client, "root", PASSWORD).status_code == 302
    for path in ("/", "/organisations/", "/admin/", "/account/data/", "/events/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == ACTIVATE, path
    # The API answers such a session with 403, not with data.
    assert client.get("/api/account").status_code == 403
    # What is needed to set it up, the account page and logging out stay open.
    assert client.get("/account/").status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200
    assert client.get(ACTIVATE)["Location"].startswith("/accounts/reauthenticate/")
    assert client.get("/accounts/reauthenticate/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_admin_turns_on_two_factor_then_logs_in_with_a_code(client, admin, required):
    log_in(client, "root", PASSWORD)
    secret = turn_on_two_factor(client)
    assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get("/organisations/").status_code == 200  # no longer sent away
    client.post("/accounts/logout/")

    browser = Client()
    first = log_in(browser, "root", PASSWORD)
    assert first.status_code == 302 and first["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in browser.session  # the password alone does not log in
    wrong = browser.post("/accounts/2fa/authenticate/", {"code": wrong_code(secret)})
    assert wrong.status_code == 200 and "_auth_user_id" not in browser.session
    right = browser.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert right.status_code == 302
    assert browser.session["_auth_user_id"] == str(admin.pk)
    assert browser.get("/admin/").status_code == 200


def test_wrong_codes_are_limited(client, admin, settings):
    """The limit on failed logins that allauth keeps for the second factor still works,
    although passwords are counted by the lock-out alone."""
    log_in(client, "root", PASSWORD)
    secret = turn_on_two_factor(client)
    client.post("/accounts/logout/")
    browser = Client()
    log_in(browser, "root", PASSWORD)
    for _ in range(5):
        browser.post("/accounts/2fa/authenticate/", {"code": wrong_code(secret)})
    refused = browser.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert refused.status_code == 200
    assert "_auth_user_id" not in browser.session
    assert b"Too many" in refused.content


def test_two_factor_is_offered_to_everyone_and_not_forced_on_them(client, required):
    account("ana", "ana-password-123", email="ana@example.org")
    log_in(client, "ana", "ana-password-123")
    assert client.get("/organisations/").status_code == 200
    page = client.get("/account/")
    assert b'id="two-factor-status"' in page.content
    assert b"/accounts/2fa/" in page.content
    turn_on_two_factor(client, "ana-password-123")
    assert b"You log in with a code from your authenticator app." in client.get("/account/").content


def test_without_the_requirement_an_admin_goes_on(client, admin, settings):
    settings.MFA_REQUIRED_FOR_ADMINS = False
    log_in(client, "root", PASSWORD)
    assert client.get("/organisations/").status_code == 200


def test_the_admin_login_form_sends_to_the_login_with_two_factor(client, admin, required):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    # Posting a password to the admin's form logs nobody in.
    posted = client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert posted.status_code == 302 and posted["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def _required_in(env: dict[str, str]) -> str:
    full = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERBROKER_")}
    full.update(env, DATABASE_URL="sqlite:///:memory:")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import clusterbroker.settings as s; print(s.MFA_REQUIRED_FOR_ADMINS)",
        ],
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_the_requirement_is_on_in_production_and_can_be_turned_on_in_development():
    production = {"CLUSTERBROKER_DEBUG": "0", "CLUSTERBROKER_SECRET_KEY": "x" * 60}
    assert _required_in(production) == "True"
    assert _required_in({"CLUSTERBROKER_DEBUG": "1"}) == "False"
    assert _required_in({"CLUSTERBROKER_MFA_REQUIRED_FOR_ADMINS": "1"}) == "True"


def test_the_operator_resets_the_two_factor_of_someone_who_lost_it(client, admin, required):
    from io import StringIO

    from django.core.management import CommandError, call_command

    log_in(client, "root", PASSWORD)
    turn_on_two_factor(client)
    out = StringIO()
    call_command("two-factor-reset", "root", stdout=out)
    assert "removed" in out.getvalue()
    assert not Authenticator.objects.filter(user=admin).exists()
    browser = Client()
    assert log_in(browser, "root", PASSWORD)["Location"] == "/"  # the password alone again
    assert browser.get("/organisations/")["Location"] == ACTIVATE  # and must set it up
    with pytest.raises(CommandError):
        call_command("two-factor-reset", "nobody")
