"""The login lock-out (django-axes) counts the failures of one account from one address,
through allauth's log-in form ("login": a username or an e-mail address)."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from clusterbroker.accounts.lockout import login_value

from .conftest import log_in
from .factories import account

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT


def _locked(response) -> bool:
    return response.status_code == 429 and b"Too many failed logins" in response.content


def test_repeated_failures_lock_the_account_out_from_that_address(client):
    user = account("ana", "right-password-123", email="ana@example.org")
    for _ in range(LIMIT - 1):
        response = log_in(client, "ana", "wrong")
        assert response.status_code == 200  # the form again, with its error
    assert _locked(log_in(client, "ana", "wrong"))
    # Now even the right password is refused, with the locked-out page.
    locked = log_in(client, "ana", "right-password-123")
    assert _locked(locked)
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username="ana").exists()
    # Another account from the same address logs in.
    other = account("bo", "right-password-456", email="bo@example.org")
    assert log_in(client, "bo", "right-password-456").status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk) != str(user.pk)


def test_username_and_email_count_for_the_same_account(client):
    account("ana", "right-password-123", email="ana@example.org")
    for n in range(LIMIT - 1):
        login = "Ana@Example.org" if n % 2 else "ana"
        assert log_in(client, login, "wrong").status_code == 200
    assert _locked(log_in(client, "ana@example.org", "wrong"))
    assert _locked(log_in(client, "ana", "right-password-123"))


def test_an_unknown_login_is_answered_as_a_known_one(client):
    account("ana", "right-password-123", email="ana@example.org")
    for _ in range(LIMIT - 1):
        assert log_in(client, "nobody@example.org", "wrong").status_code == 200
    assert _locked(log_in(client, "nobody@example.org", "wrong"))


def test_a_success_resets_the_count(client):
    account("ana", "right-password-123", email="ana@example.org")
    for _ in range(LIMIT - 1):
        log_in(client, "ana", "wrong")
    assert log_in(client, "ana", "right-password-123").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(LIMIT - 1):
        assert log_in(client, "ana", "wrong").status_code == 200


def test_login_value_names_the_account(rf):
    account("Ana", "right-password-123", email="ana@example.org")
    request = rf.post("/accounts/login/", {"login": "ANA@example.org"})
    assert login_value(request, None) == "ana"
    assert login_value(request, {"email": "ana@example.org", "username": "x"}) == "ana"
    assert login_value(request, {"username": "ANA"}) == "ana"
    assert login_value(rf.post("/", {"login": "who@where.org"}), None) == "who@where.org"
    assert login_value(rf.post("/", {}), None) is None


def test_the_lock_out_is_the_only_count_of_wrong_passwords(client, settings):
    """allauth's own limit on failed logins (5 per address in 5 minutes) does not count
    passwords as well: with a higher lock-out limit, the right password still works after
    more failures than allauth would allow."""
    settings.AXES_FAILURE_LIMIT = 20
    account("ana", "right-password-123", email="ana@example.org")
    for _ in range(8):
        response = log_in(client, "ana@example.org", "wrong")
        assert response.status_code == 200
        assert b"Too many failed login attempts" not in response.content
    assert log_in(client, "ana@example.org", "right-password-123").status_code == 302
