"""The community search once end to end in a real headless Chromium: search as you type
answered by the search snapshot, facets, paging, a saved search, the alert for a newly
published item (answered from the snapshot's delta) and someone else's draft kept out."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from clusterbroker.community.models import Alert, SearchIndexState, Status
from clusterbroker.community.search import snapshot

from ..a11y.axe import assert_accessible
from ..conftest import CHROMIUM, log_in
from ..factories import OrganisationFactory
from .factories import OfferFactory, OpenCallFactory
from .snapshot_only import require_snapshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def snapshot_only(settings, tmp_path, monkeypatch):
    """Searches of the pages must be answered by the snapshot: the database backend then
    only highlights the page and answers saved-search alerts (`since`)."""
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    require_snapshot(monkeypatch)


def test_search_as_you_type_facets_saved_search_and_alert(
    world, live_server, browser, snapshot_only
):
    lyon = OrganisationFactory(name="Hub Lyon", country="FR")
    berlin = OrganisationFactory(name="Werk Berlin", country="DE")
    OpenCallFactory(title="Digital twin pilot lines", description="Pilot lines for SMEs.")
    OfferFactory(title="Digital twin consulting", organisation=lyon)
    OfferFactory(title="Twin robot cell simulation", organisation=berlin)
    OpenCallFactory(title="Food safety traceability", description="Traceability of food.")
    for n in range(21):
        OpenCallFactory(title=f"Hydraulic pump retrofit {n}")
    draft = OfferFactory(
        title="Twin secret prototype", status=Status.DRAFT, author=world.other_company_user
    )
    snapshot.build(margin=dt.timedelta(0))
    assert SearchIndexState.objects.get().documents > 25
    search_url = f"{live_server.url}/community/search/"
    hits = "#results li.hit"

    member = log_in(browser, live_server, world.company_user)
    member.goto(search_url)
    member.evaluate("window.notReloaded = true")
    member.type("input[name=q]", "twi", delay=40)
    # Not submitted: htmx swapped the results into the same page.
    expect(member.locator(hits)).to_have_count(3)
    expect(member.locator("#results section > p.muted")).to_have_text("3 results")
    expect(member.locator(hits).filter(has_text="Digital twin consulting")).to_have_count(1)
    assert_accessible(member)  # search with its facets
    marks = member.locator(f"{hits} mark")
    expect(marks.first).to_have_text(re.compile(r"^twin$", re.I))
    assert member.locator(f"{hits} a strong mark").count() == 3
    expect(member.locator(hits).filter(has_text="Food safety")).to_have_count(0)
    expect(member.locator(hits).filter(has_text=draft.title)).to_have_count(0)
    assert member.evaluate("window.notReloaded") is True
    member.type("input[name=q]", "n", delay=40)
    expect(member).to_have_url(re.compile(r"\?q=twin$"))
    expect(member.locator("input[name=name]")).to_have_value("twin")

    # Facets narrow the hits and show as selected.
    member.click("a.facet[data-facet=collection][data-value=offer]")
    expect(member.locator(hits)).to_have_count(2)
    expect(member.locator("a.facet[data-facet=collection][data-value=offer]")).to_have_attribute(
        "aria-current", "true"
    )
    member.click("a.facet[data-facet=country][data-value=DE]")
    expect(member.locator(hits)).to_have_count(1)
    expect(member.locator(hits)).to_contain_text("Twin robot cell simulation")
    expect(member.locator("#results section > p.muted")).to_have_text("1 result")
    expect(member.locator("a.facet[data-facet=country][data-value=DE]")).to_have_attribute(
        "aria-current", "true"
    )

    # The search with its two filters is saved.
    member.fill("input[name=name]", "Twin offers in Germany")
    member.click("button:has-text('Save this search')")
    member.wait_for_url(f"{live_server.url}/community/saved/")
    row = member.locator("table.list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Twin offers in Germany")

    # A community manager publishes a matching offer through the pages.
    manager = log_in(browser, live_server, world.admin)
    manager.goto(f"{live_server.url}/community/offers/new/")
    manager.fill("input[name=title]", "Twin data platform")
    manager.fill("textarea[name=description]", "Live data of your machines.")
    manager.select_option("select[name=organisation]", label="Far Away GmbH")
    manager.click("main button:has-text('Save')")
    manager.wait_for_url(re.compile(r"/community/offers/\d+/$"))
    manager.click("main button:has-text('Publish')")
    expect(manager.locator("ul.messages")).to_contain_text("Published")
    assert Alert.objects.filter(saved_search__user=world.company_user).count() == 1

    member.reload()
    expect(member.locator("table.list tbody tr td").nth(2)).to_have_text("1")
    member.goto(f"{live_server.url}/community/alerts/")
    expect(member.locator("main ul li a")).to_have_text("Twin data platform")
    expect(member.locator("main ul li")).to_contain_text("Twin offers in Germany")

    # The saved search, run again, now finds the new offer: the snapshot's delta answers.
    assert snapshot.status()["changed_since"] >= 1
    member.goto(f"{live_server.url}/community/saved/")
    member.click("table.list a:has-text('Twin offers in Germany')")
    expect(member.locator(hits)).to_have_count(2)
    expect(member.locator(hits).filter(has_text="Twin data platform")).to_have_count(1)
    member.goto(f"{search_url}?q=twin")
    expect(member.locator(hits)).to_have_count(4)
    expect(member.locator(f"{hits} a strong mark")).to_have_count(4)
    expect(member.locator(hits).filter(has_text=draft.title)).to_have_count(0)

    # Paging.
    member.goto(f"{search_url}?q=pump")
    expect(member.locator("#results section > p.muted").first).to_have_text("21 results")
    expect(member.locator(hits)).to_have_count(20)
    member.click("nav.pager a[rel=next]")
    expect(member.locator(hits)).to_have_count(1)
    expect(member.locator("nav.pager")).to_contain_text("Page 2 of 2")

    # The draft is in the index: its author finds it, marked as a draft.
    author = log_in(browser, live_server, world.other_company_user)
    author.goto(f"{search_url}?q=twin")
    expect(author.locator(hits)).to_have_count(5)
    expect(author.locator(hits).filter(has_text=draft.title)).to_contain_text("draft")
