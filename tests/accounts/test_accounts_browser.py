"""Password reset from the e-mail, and an admin turning on two-factor authentication, in a
real headless Chromium."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ..conftest import CHROMIUM
from .factories import account
from .totp import current_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture(autouse=True)
def empty_outbox():
    mail.outbox = []


def _log_in(page, base: str, login: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("#login-form button[type=submit]")


def test_password_reset_from_the_email(live_server, browser):
    account("ana", "forgotten-password-1", email="ana@example.org")
    base = live_server.url
    page = browser.new_context().new_page()
    page.goto(f"{base}/accounts/login/")
    page.click("text=Forgot your password?")
    page.fill("input[name=email]", "ana@example.org")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/accounts/password/reset/done/")
    expect(page.locator("main")).to_contain_text("sent you an email")

    (message,) = [m for m in mail.outbox if "ana@example.org" in m.to]
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", message.body).group(0)
    page.goto(link)
    page.fill("input[name=password1]", "a-brand-new-password-2")
    page.fill("input[name=password2]", "a-brand-new-password-2")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/accounts/password/reset/key/done/")

    _log_in(page, base, "ana@example.org", "forgotten-password-1")
    expect(page.locator("main")).to_contain_text("not correct")
    _log_in(page, base, "ana@example.org", "a-brand-new-password-2")
    page.wait_for_url(f"{base}/")
    expect(page.locator("#account-link")).to_have_text("ana")


def test_an_admin_turns_on_two_factor_and_logs_in_with_a_code(live_server, browser, settings):
    settings.MFA_REQUIRED_FOR_ADMINS = True
    password = "admin-password-123"
    account("root", password, email="root@example.org", is_staff=True, is_superuser=True)
    base = live_server.url
    page = browser.new_context().new_page()

    # Logged in with the password alone, the admin is sent to set up two-factor.
    _log_in(page, base, "root", password)
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    expect(page.locator(".messages")).to_contain_text("two-factor")
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/accounts/2fa/totp/activate/")
    expect(page.locator("img.qr")).to_be_visible()
    secret = page.input_value("#authenticator_secret")
    page.fill("input[name=code]", current_code(secret))
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/accounts/2fa/recovery-codes/")
    expect(page.locator("#recovery_codes")).to_be_visible()
    page.goto(f"{base}/account/")
    expect(page.locator("#two-factor-status")).to_contain_text("on")
    page.goto(f"{base}/organisations/")
    expect(page).to_have_url(f"{base}/organisations/")
    page.click("header button:has-text('Log out')")

    # The next log-in asks for a code after the password.
    _log_in(page, base, "root", password)
    page.wait_for_url(f"{base}/accounts/2fa/authenticate/")
    page.fill("input[name=code]", current_code(secret))
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    expect(page.locator("#account-link")).to_have_text("root")
    page.goto(f"{base}/admin/")
    expect(page).to_have_url(f"{base}/admin/")
