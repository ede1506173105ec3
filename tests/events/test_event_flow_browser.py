"""The event flow once end to end in a real headless Chromium."""

import re

import pytest
from playwright.sync_api import expect

from ..conftest import CHROMIUM, log_in
from .factories import EventFactory, SessionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def test_event_flow_register_request_accept_schedule_agenda(world, live_server, browser):
    event = EventFactory(name="Matchmaking Lyon", tables=5)
    SessionFactory(event=event)
    event.organisers.add(world.partnership_manager)
    url = f"{live_server.url}/events/{event.slug}"

    def register(page, organisation_name: str, offers: str):
        page.goto(f"{url}/register/")
        page.select_option("select[name=organisation]", label=organisation_name)
        page.fill("textarea[name=offers]", offers)
        page.check("input[name=sessions]")
        page.click("main button:has-text('Register')")
        page.wait_for_url(f"{url}/participants/")

    company = log_in(browser, live_server, world.company_user)
    register(company, "Precision Parts", "Five-axis machining")
    other = log_in(browser, live_server, world.other_company_user)
    register(other, "Far Away GmbH", "Industrial vision systems")

    company.goto(f"{url}/participants/")
    company.fill("input[name=q]", "vision")
    expect(company.locator("#results tbody tr")).to_have_count(1)
    company.click("text=Request a meeting")
    company.select_option("select[name=priority]", "3")
    company.fill("textarea[name=message]", "Let us talk about inspection cells.")
    company.click("text=Send request")
    company.wait_for_url(re.compile(re.escape(f"{url}/requests/")))
    expect(company.locator("body")).to_contain_text("Waiting for an answer")

    other.goto(f"{url}/requests/")
    other.click("button:has-text('Accept')")
    expect(other.locator("body")).to_contain_text("Accepted")

    organiser = log_in(browser, live_server, world.partnership_manager)
    organiser.goto(f"{url}/schedule/")
    organiser.click("text=Run the scheduler")
    expect(organiser.locator("[data-result]")).to_contain_text("1 of 1 accepted meetings placed")

    company.goto(f"{url}/agenda/")
    expect(company.locator("table.list tbody")).to_contain_text("Far Away GmbH")
    with company.expect_download() as download:
        company.click("text=Add to calendar (.ics)")
    assert "BEGIN:VEVENT" in download.value.path().read_text()
