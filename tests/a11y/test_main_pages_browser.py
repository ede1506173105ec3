"""The main pages pass an automated WCAG 2.1 AA check (axe-core) with no serious or critical
violation, for a visitor and a partnership manager, on the sample data."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from ..conftest import CHROMIUM, log_in
from ..main_pages import main_pages
from .axe import axe_violations, describe

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def test_the_main_pages_have_no_serious_accessibility_violation(live_server, browser):
    call_command("load_sample_data", "--demo-users", verbosity=0)
    users = get_user_model().objects
    found = {}
    for user in (None, users.get(username="manager")):
        if user is None:
            page = browser.new_context().new_page()
        else:
            page = log_in(browser, live_server, user)
        for path in main_pages(signed_in=user is not None):
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            if violations := axe_violations(page):
                found[(user.username if user else "anonymous", path)] = describe(violations)
        page.context.close()
    assert not found, "\n".join(f"{who} {path}:\n{text}" for (who, path), text in found.items())
