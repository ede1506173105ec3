"""The main flow once in a real headless Chromium: log in, find an organisation, add a
competence with htmx, and see it counted in the partnership's competence matrix."""

import pytest
from playwright.sync_api import expect

from clusterbroker.registry.models import Competence, Organisation

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


def test_page_behaviours_work_without_inline_script(world, live_server, browser):
    """Confirmations, printing and the taxonomy switch come from the site's script file
    (the Content-Security-Policy refuses inline handlers); the fixture fails the test on
    any policy violation that the browser reports."""
    TermFactory(taxonomy__code="effra", taxonomy__name="EFFRA", code="D5", label="Human")
    TermFactory(taxonomy__code="dia-ict", taxonomy__name="ICT areas", code="I1", label="AI")
    page = log_in(browser, live_server, world.admin)

    page.goto(f"{live_server.url}/partnerships/{world.partnership.slug}/")
    page.select_option("select[name=taxonomy]", "dia-ict")
    page.wait_for_url(lambda url: "taxonomy=dia-ict" in url)
    expect(page.locator("select[name=taxonomy]")).to_have_value("dia-ict")

    page.goto(f"{live_server.url}/organisations/{world.other_company.slug}/")
    questions: list[str] = []

    def answer(dialog, accept: bool) -> None:
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.click("button.danger:has-text('Delete')")
    expect(page.locator("h1")).to_contain_text("Far Away GmbH")
    assert Organisation.objects.filter(pk=world.other_company.pk).exists()
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.click("button.danger:has-text('Delete')")
    page.wait_for_url(f"{live_server.url}/organisations/")
    assert not Organisation.objects.filter(pk=world.other_company.pk).exists()
    assert questions == ["Delete this organisation and all its records?"] * 2


def test_computed_positions_and_the_api_docs_pass_the_policy(world, live_server, browser):
    from ..plans.factories import ActionFactory

    ActionFactory(partnership=world.partnership, title="Matchmaking tour")
    page = log_in(browser, live_server, world.admin)
    page.goto(f"{live_server.url}/plans/{world.partnership.slug}/")
    bar = page.locator("#gantt .bar").first
    expect(bar).to_be_visible()
    # The bar's place and length come from the <style> element that carries the nonce.
    assert bar.evaluate("b => getComputedStyle(b).position") == "absolute"
    assert bar.bounding_box()["width"] > 10

    page.goto(f"{live_server.url}/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_be_visible()
