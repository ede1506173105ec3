"""The main flow once in a real headless Chromium: log in, find an organisation, add a
competence with htmx, and see it counted in the partnership's competence matrix."""

import pytest
from playwright.sync_api import expect

from clusterbroker.registry.models import Competence

from ..conftest import CHROMIUM, log_in
from ..factories import TermFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def test_company_user_finds_their_organisation_and_adds_a_competence(world, live_server, browser):
    term = TermFactory(taxonomy__code="effra", taxonomy__name="EFFRA", code="D5", label="Human")
    page = log_in(browser, live_server, world.company_user)
    page.goto(f"{live_server.url}/organisations/")
    page.fill("input[name=q]", "precis")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results tbody tr")).to_contain_text("Precision Parts")
    assert "q=precis" in page.url
    page.click("text=Precision Parts")

    page.select_option("select[name=term]", str(term.pk))
    page.select_option("select[name=level]", "leading")
    page.click("text=Add competence")
    # The table row, not the form's option list, shows that the competence was saved.
    expect(page.locator("#competences table tbody tr")).to_contain_text("Human")
    assert Competence.objects.get(organisation=world.member_company).level == "leading"

    page.goto(f"{live_server.url}/partnerships/{world.partnership.slug}/")
    cell = page.locator(
        f'tr[data-organisation="{world.member_company.slug}"] td[data-level="leading"]'
    )
    expect(cell).to_have_count(1)
