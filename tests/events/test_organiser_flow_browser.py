"""The organiser's flow once in a real headless Chromium: import, preview, check-in."""

import pytest
from playwright.sync_api import expect

from clusterbroker.events.models import Participant

from ..conftest import CHROMIUM, log_in
from .factories import EventFactory, SessionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def test_organiser_imports_participants_then_checks_one_in(world, live_server, browser, tmp_path):
    event = EventFactory(name="Matchmaking Tallinn")
    SessionFactory(event=event)
    event.organisers.add(world.partnership_manager)
    people = tmp_path / "people.csv"
    people.write_text(
        "organisation,contact_name,email,country\n"
        "precision-parts,Paula Parts,paula@example.org,\n"
        "Baltic Sensors,Erik Sensor,erik@example.ee,EE\n"
    )
    url = f"{live_server.url}/events/{event.slug}"
    page = log_in(browser, live_server, world.partnership_manager)

    page.goto(f"{url}/")
    page.click("text=Registrations")
    page.click("text=Import participants")
    page.set_input_files("input[name=file]", str(people))
    page.click("button:has-text('Check the file')")
    expect(page.locator("table.list tbody tr")).to_have_count(2)
    assert not Participant.objects.exists()
    page.click("button:has-text('Import 2 participants')")
    expect(page.locator("main")).to_contain_text("2 registered")
    expect(page.locator("table.list")).to_contain_text("waiting for their account")

    page.goto(f"{url}/organise/check-in/")
    row = page.locator("tr", has_text="Erik Sensor")
    row.locator("button:has-text('Mark arrived')").click()
    expect(page.locator("tr", has_text="Erik Sensor")).to_contain_text("Arrived")
    page.goto(f"{url}/organise/participants/")
    expect(page.locator("main")).to_contain_text("2 registrations, 1 arrived")
