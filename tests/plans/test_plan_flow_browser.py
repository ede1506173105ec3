"""The manager's main flow once in a real headless Chromium: an action on the timeline,
a KPI, a value with evidence, the dashboard against the target."""

import pytest
from playwright.sync_api import expect

from ..a11y.axe import assert_accessible
from ..conftest import CHROMIUM, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def test_manager_plans_an_action_and_records_a_kpi(world, live_server, browser):
    url = f"{live_server.url}/plans/alpine-motors"
    page = log_in(browser, live_server, world.partnership_manager)
    page.goto(f"{url}/")
    page.click("text=Add an action")
    page.fill("input[name=title]", "Study visit to Turin")
    page.select_option("select[name=lead]", label="Mecha Cluster")
    page.fill("input[name=start]", "2026-01-10")
    page.fill("input[name=end]", "2026-02-20")
    page.click("main button:has-text('Save')")
    page.wait_for_url(f"{url}/")
    expect(page.locator("#gantt .bar")).to_have_count(1)
    expect(page.locator("[data-warning=no_action_led]")).to_contain_text("Precision Parts")
    assert_accessible(page)  # the action plan and its timeline

    page.goto(f"{url}/kpis/new/")
    page.fill("input[name=name]", "Partnership agreements")
    page.fill("input[name=target]", "10")
    page.select_option("select[name=source]", "manual")
    page.click("main button:has-text('Save')")
    page.wait_for_url(f"{url}/kpis/")
    page.click("text=Enter a value")
    page.fill("input[name=value]", "2")
    page.fill("input[name=as_of]", "2026-03-01")
    page.click("main button:has-text('Save')")
    expect(page.locator("ul.errorlist")).to_contain_text("document or a link")
    page.fill("input[name=evidence_url]", "https://example.org/mou.pdf")
    page.click("main button:has-text('Save')")
    page.wait_for_url(f"{url}/kpis/")
    expect(page.locator("#kpis td[data-value]")).to_have_text("2")
    expect(page.locator("#kpis .kpi-short")).to_have_text("20 %")
    assert_accessible(page)  # the KPI dashboard and its charts
    page.goto(f"{url}/report/")
    assert_accessible(page)  # the funder report
