"""Production settings pass Django's deployment checks; repeated failed logins lock out."""

import os
import subprocess
import sys

import pytest
from django.urls import reverse

PRODUCTION = {
    "CLUSTERBROKER_DEBUG": "0",
    "CLUSTERBROKER_SECRET_KEY": "k" * 20 + "-9f8e7d6c5b4a3210-production-secret-for-the-check",
    "CLUSTERBROKER_ALLOWED_HOSTS": "broker.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def _check(env: dict[str, str]) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERBROKER_")}
    full.update(env, DJANGO_SETTINGS_MODULE="clusterbroker.settings")
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_check():
    result = _check(PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "CLUSTERBROKER_SECRET_KEY"}
    result = _check(env)
    assert result.returncode != 0
    assert "CLUSTERBROKER_SECRET_KEY must be set" in result.stderr


def test_development_settings_fail_the_deployment_check():
    # The check is not a formality: DEBUG and the development key are flagged.
    result = _check({"DATABASE_URL": "sqlite:///:memory:"})
    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr


@pytest.mark.django_db
def test_login_is_locked_after_repeated_failures(client, django_user_model):
    django_user_model.objects.create_user("ana", password="right-password-123")
    url = reverse("login")
    for _ in range(4):
        response = client.post(url, {"username": "ana", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    fifth = client.post(url, {"username": "ana", "password": "wrong"})
    assert fifth.status_code == 429
    locked = client.post(url, {"username": "ana", "password": "right-password-123"})
    assert locked.status_code == 429
    assert b"Too many failed logins" in locked.content
    assert "_auth_user_id" not in client.session
    # Another username from the same address is not affected.
    django_user_model.objects.create_user("bo", password="right-password-456")
    ok = client.post(url, {"username": "bo", "password": "right-password-456"})
    assert ok.status_code == 302


@pytest.mark.django_db
def test_security_headers_are_sent(client):
    response = client.get(reverse("home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/organisations/", "/partnerships/", "/projects/"])
def test_a_nul_character_in_a_page_query_is_a_clear_400(client, path):
    response = client.get(path, {"q": "robot\x00ics"})
    assert response.status_code == 400
    assert b"NUL character" in response.content
    assert client.get(path, {"q": "robotics"}).status_code == 200
