"""Maps and network pictures in a real headless Chromium: drawn from the shipped data without
any request leaving the site, clickable through to the organisations, the network hoverable and
zoomable, and nothing refused by the security policy (checked by the `browser` fixture)."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from clusterbroker.importers.nuts import import_nuts
from clusterbroker.registry.models import Region

from ..conftest import CHROMIUM
from ..factories import OrganisationFactory, ParticipationFactory, ProjectFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]
NUTS = Path(__file__).resolve().parents[3] / "shared/data/nuts2021"


def _only_local(page, live_server) -> list[str]:
    """Every request the page makes, to check that none leaves the site."""
    host = urlsplit(live_server.url).netloc
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if urlsplit(r.url).netloc not in (host, "") and not r.url.startswith("data:")
            else None
        ),
    )
    return outside


@pytest.mark.skipif(not (NUTS / "nutsrg_60M_0.json").exists(), reason="no NUTS data set")
def test_a_map_region_lists_its_organisations(live_server, browser):
    import_nuts(NUTS)
    stuttgart = Region.objects.get(code="DE111")
    OrganisationFactory(name="Neckar Robotik", country="DE", region=stuttgart)
    OrganisationFactory(name="Seine Usinage", country="FR", region=Region.objects.get(code="FR101"))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    outside = _only_local(page, live_server)
    page.goto(f"{live_server.url}/organisations/?view=map")
    region = page.locator('#organisations-map a[data-region="DE11"] path')
    expect(region).to_be_visible()
    assert page.locator("#organisations-map circle").count() == 2
    region.click()
    page.wait_for_url("**/organisations/?region=DE11*")
    expect(page.locator("#results table")).to_contain_text("Neckar Robotik")
    expect(page.locator("#results table")).not_to_contain_text("Seine Usinage")
    assert outside == []


def test_the_network_is_drawn_hovered_zoomed_and_clicked_through(live_server, browser):
    me = OrganisationFactory(name="Centre Manufacturing")
    partner = OrganisationFactory(name="Partner Automation Systems")
    other = OrganisationFactory(name="Third Sensors")
    for group in ([me, partner], [me, partner, other]):
        project = ProjectFactory()
        for organisation in group:
            ParticipationFactory(project=project, organisation=organisation)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    outside = _only_local(page, live_server)
    page.goto(f"{live_server.url}{me.get_absolute_url()}")
    canvas = page.locator("[data-network-source]")
    canvas.scroll_into_view_if_needed()
    expect(canvas).to_have_attribute("data-network-ready", "5")  # 3 organisations, 2 projects

    def where(node_id: str) -> tuple[float, float]:
        return page.evaluate(
            """(id) => { const box = document.querySelector('[data-network-source]');
                const p = box.cy.$('#' + id).renderedPosition();
                const r = box.getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""",
            node_id,
        )

    zoom = page.evaluate("document.querySelector('[data-network-source]').cy.zoom()")
    x, y = where(f"o{partner.pk}")
    page.mouse.move(x, y)
    expect(page.locator("[data-network-hover]")).to_have_text("Partner Automation Systems")
    # Zoom with the wheel over an empty corner of the picture, then drag it aside (pan).
    box = canvas.bounding_box()
    corner = (box["x"] + 8, box["y"] + 8)
    page.mouse.move(*corner)
    page.wait_for_timeout(400)  # the library ignores the wheel right after a page scroll
    page.mouse.wheel(0, -300)
    page.wait_for_function(
        "(z) => document.querySelector('[data-network-source]').cy.zoom() > z", arg=zoom
    )
    pan = page.evaluate("document.querySelector('[data-network-source]').cy.pan().x")
    page.mouse.move(*corner)
    page.mouse.down()
    page.mouse.move(corner[0] + 60, corner[1] + 30, steps=5)
    page.mouse.up()
    assert page.evaluate("document.querySelector('[data-network-source]').cy.pan().x") > pan
    x, y = where(f"o{partner.pk}")
    page.mouse.click(x, y)
    page.wait_for_url(f"**{partner.get_absolute_url()}")
    expect(page.locator("h1")).to_contain_text("Partner Automation Systems")
    assert outside == []
