"""An online event end to end in a real headless Chromium: the organiser creates it with its
time zone and room links, imports participants, registers one on their behalf and runs the
scheduler; a participant then sees a compact agenda with the rooms and the time zone."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from clusterbroker.events.models import Event, Meeting, Participant

from ..accounts.factories import verify_address
from ..conftest import CHROMIUM, log_in
from .factories import MeetingRequestFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

NAMES = ("Alice Arai", "Bob Baba")


def test_online_event_import_on_behalf_schedule_compact_agenda(
    world, live_server, browser, tmp_path
):
    # Alice and Bob keep their organisations' profiles: a registration becomes theirs
    # once their account has proved the address the organiser gave.
    alice, bob = world.company_user, world.other_company_user
    alice_at, bob_at = verify_address(alice).email, verify_address(bob).email
    kept = {world.member_company.slug: alice_at, world.other_company.slug: bob_at}
    day = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    deadline = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    organiser = log_in(browser, live_server, world.partnership_manager)

    organiser.goto(f"{live_server.url}/events/new/")
    organiser.fill("input[name=name]", "Tokyo online forum")
    organiser.check("input[name=online]")
    organiser.fill("input[name=start_date]", day)
    organiser.fill("input[name=end_date]", day)
    organiser.select_option("select[name=time_zone]", "Asia/Tokyo")
    organiser.fill("input[name=meeting_link]", "https://meet.example.org/{event}-{meeting}")
    organiser.fill("input[name=registration_deadline]", f"{deadline}T18:00")
    organiser.click("main button:has-text('Save')")
    expect(organiser.locator("main")).to_contain_text("Now add its meeting sessions")
    event = Event.objects.get(name="Tokyo online forum")
    url = f"{live_server.url}/events/{event.slug}"
    organiser.fill("input[name=name]", "Morning")
    organiser.fill("input[name=start]", f"{day}T09:00")
    organiser.fill("input[name=end]", f"{day}T10:40")
    organiser.click("main button:has-text('Save')")
    expect(organiser.locator("main")).to_contain_text("Session added")

    people = tmp_path / "people.csv"
    people.write_text(
        "organisation,contact_name,email,country\n"
        + "".join(f"{slug},{name},{kept[slug]},\n" for slug, name in zip(kept, NAMES, strict=True))
    )
    organiser.goto(f"{url}/organise/participants/import/")
    organiser.set_input_files("input[name=file]", str(people))
    organiser.click("button:has-text('Check the file')")
    organiser.click("button:has-text('Import 2 participants')")
    expect(organiser.locator("main")).to_contain_text("2 registered")

    organiser.goto(f"{url}/organise/participants/add/")
    organiser.fill("input[name=organisation]", "Nagoya Vision")
    organiser.fill("input[name=new_country]", "JP")
    organiser.fill("input[name=contact_name]", "Carol Chiba")
    organiser.fill("input[name=email]", "carol@example.org")
    organiser.check("input[name=sessions]")
    organiser.click("main button:has-text('Register')")
    expect(organiser.locator("main")).to_contain_text("Carol Chiba")

    registered = {p.contact_name: p for p in Participant.objects.filter(event=event)}
    assert set(registered) == {"Alice Arai", "Bob Baba", "Carol Chiba"}
    # Alice asked both others; they accepted (the request pages are tested elsewhere).
    for other in ("Bob Baba", "Carol Chiba"):
        MeetingRequestFactory(
            requester=registered["Alice Arai"], requested=registered[other], status="accepted"
        )

    organiser.goto(f"{url}/schedule/")
    organiser.click("main button:has-text('Run the scheduler')")
    expect(organiser.locator("[data-result]")).to_contain_text("2 of 2 accepted meetings placed")
    organiser.click("button:has-text('Announce the schedule to participants')")
    expect(organiser.locator("main")).to_contain_text("2 meetings announced")

    participant = log_in(browser, live_server, alice)  # her waiting registration becomes hers
    participant.goto(f"{url}/agenda/")
    rows = participant.locator("tr[data-meeting]")
    expect(rows).to_have_count(2)
    expect(participant.locator("[data-break]")).to_have_count(0)
    expect(participant.locator("[data-breaks]")).to_contain_text("No break between meetings")
    links = participant.locator("a[data-link]")
    expect(links).to_have_count(2)
    for n in range(2):
        assert (
            links.nth(n).get_attribute("href").startswith(f"https://meet.example.org/{event.slug}-")
        )
    expect(participant.locator("[data-zone]")).to_contain_text("Asia/Tokyo")
    # The first meeting shows at the time the scheduler chose, in the event's zone (the
    # database keeps UTC: 09:00 in Tokyo is 00:00 UTC).
    first = Meeting.objects.filter(request__requester=registered["Alice Arai"]).earliest("start")
    tokyo = first.start.astimezone(ZoneInfo("Asia/Tokyo"))
    assert dt.time(9, 0) <= tokyo.time() < dt.time(10, 40)
    expect(rows.first).to_contain_text(f"{tokyo:%H:%M} JST")
    expect(participant.locator("main")).to_contain_text(world.other_company.name)
    expect(participant.locator("main")).to_contain_text("Nagoya Vision")
