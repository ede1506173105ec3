"""The main flow once in a real headless Chromium: log in, find an organisation, add a
competence with htmx, and see it counted in the partnership's competence matrix."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from clusterbroker.registry.models import Competence

from ..factories import TermFactory

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def page():
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # happen outside of it, so Django's async-safety guard does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser.new_page()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def test_company_user_finds_their_organisation_and_adds_a_competence(world, live_server, page):
    term = TermFactory(taxonomy__code="effra", taxonomy__name="EFFRA", code="D5", label="Human")
    world.company_user.set_password("browser-pass")
    world.company_user.save()

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", world.company_user.username)
    page.fill("input[name=password]", "browser-pass")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/organisations/")
    page.fill("input[name=q]", "precis")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results tbody tr")).to_contain_text("Precision Parts")
    assert "q=precis" in page.url
    page.click("text=Precision Parts")

    page.select_option("select[name=term]", str(term.pk))
    page.select_option("select[name=level]", "leading")
    page.click("text=Add competence")
    expect(page.locator("#competences")).to_contain_text("Human")
    assert Competence.objects.get(organisation=world.member_company).level == "leading"

    page.goto(f"{live_server.url}/partnerships/{world.partnership.slug}/")
    cell = page.locator(
        f'tr[data-organisation="{world.member_company.slug}"] td[data-level="leading"]'
    )
    expect(cell).to_have_count(1)
