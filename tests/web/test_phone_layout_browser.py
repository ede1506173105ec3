"""The main pages on a phone (390 × 844) in a real headless Chromium: the menu collapses
behind its button, and no page is wider than the screen (tables scroll inside their own
box, facets sit in a drawer)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from clusterbroker.events.models import Event
from clusterbroker.registry.models import Partnership

from ..conftest import CHROMIUM, log_in
from ..main_pages import main_pages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]
PHONE = {"width": 390, "height": 844}


def _phone_page(browser, live_server, user=None):
    if user is None:
        return browser.new_context(viewport=PHONE).new_page()
    page = log_in(browser, live_server, user)
    page.set_viewport_size(PHONE)
    return page


def _overflow(page) -> int:
    """How many pixels the page is wider than the screen (0: it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_the_main_pages_fit_a_phone_and_the_menu_collapses(live_server, browser):
    call_command("load_sample_data", "--demo-users", verbosity=0)
    manager = get_user_model().objects.get(username="manager")
    company = get_user_model().objects.get(username="company")
    event = Event.objects.order_by("pk").first()
    pages = main_pages()
    if event is not None:
        pages.append(f"{event.get_absolute_url()}participants/")
    # Every partnership's KPI dashboard (the 4 Motors one has long KPI names and notes), the
    # organisation map and the surveys.
    pages += [f"/plans/{p.slug}/kpis/" for p in Partnership.objects.order_by("pk")]
    pages += ["/organisations/?view=map", "/surveys/"]

    anonymous = _phone_page(browser, live_server)
    anonymous.goto(f"{live_server.url}/")
    header = anonymous.locator("header.top")
    assert header.bounding_box()["height"] < 80
    expect(anonymous.locator("#main-menu")).to_be_hidden()
    anonymous.click("[data-menu-toggle]")
    expect(anonymous.locator("#main-menu")).to_be_visible()
    expect(anonymous.locator("[data-menu-toggle]")).to_have_attribute("aria-expanded", "true")
    anonymous.keyboard.press("Escape")
    expect(anonymous.locator("#main-menu")).to_be_hidden()

    too_wide = {}
    sticky_first_columns = []
    for user in (None, manager, company):
        page = _phone_page(browser, live_server, user)
        for path in pages:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            if (extra := _overflow(page)) > 0:
                too_wide[(user.username if user else "anonymous", path)] = extra
            sticky_first_columns += page.evaluate(
                "[...document.querySelectorAll('main table')].filter(t => t.scrollWidth > "
                "t.clientWidth).map(t => getComputedStyle(t.querySelector('tr > :first-child'))"
                ".position)"
            )
    manager_page = _phone_page(browser, live_server, manager)
    manager_page.goto(f"{live_server.url}/plans/")
    for link in manager_page.locator("main a[href^='/plans/']").all()[:6]:
        href = link.get_attribute("href")
        check = _phone_page(browser, live_server, manager)
        check.goto(f"{live_server.url}{href}")
        if (extra := _overflow(check)) > 0:
            too_wide[("manager", href)] = extra
        check.context.close()
    assert too_wide == {}
    # A table that is still wider than a phone scrolls in its own box, its first column
    # staying in view.
    assert set(sticky_first_columns) <= {"sticky"}


def test_search_facets_are_a_closed_drawer_on_a_phone(live_server, browser):
    call_command("load_sample_data", verbosity=0)
    page = _phone_page(browser, live_server)
    page.goto(f"{live_server.url}/community/search/?q=cloud")
    drawer = page.locator("details[data-drawer]")
    expect(drawer).to_have_count(1)
    assert drawer.get_attribute("open") is None
    page.click("details[data-drawer] > summary")
    assert drawer.get_attribute("open") is not None
    wide = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    wide.goto(f"{live_server.url}/community/search/?q=cloud")
    assert wide.locator("details[data-drawer]").get_attribute("open") is not None
