"""The event flow once end to end through the pages (the browser test's steps, without
a browser): register, find, request, accept, schedule, announce, agenda."""

import pytest
from icalendar import Calendar

from clusterbroker.events.models import Meeting

from .factories import EventFactory, SessionFactory, client_for

pytestmark = pytest.mark.django_db


def test_event_flow_through_the_pages(world):
    event = EventFactory(name="Matchmaking Lyon", tables=5)
    session = SessionFactory(event=event)
    event.organisers.add(world.partnership_manager)
    url = f"/events/{event.slug}"
    company, other = client_for(world.company_user), client_for(world.other_company_user)
    for client, organisation, offers in (
        (company, world.member_company, "Five-axis machining"),
        (other, world.other_company, "Industrial vision systems"),
    ):
        registered = client.post(
            f"{url}/register/",
            {"organisation": organisation.pk, "offers": offers, "sessions": [session.pk]},
        )
        assert registered["Location"] == f"{url}/participants/"

    found = company.get(f"{url}/participants/?q=vision").context["page"]
    assert [p.organisation for p in found] == [world.other_company]
    sent = company.post(f"{url}/participants/{found[0].pk}/", {"priority": 3, "message": "Hi"})
    assert sent["Location"] == f"{url}/requests/"
    assert "Waiting for an answer" in company.get(f"{url}/requests/").content.decode()

    received = other.get(f"{url}/requests/").context["received"]
    other.post(f"{url}/requests/{received[0].pk}/accept/")
    assert "Accepted" in other.get(f"{url}/requests/").content.decode()

    organiser = client_for(world.partnership_manager)
    result = organiser.post(f"{url}/schedule/", {"mode": "auto"}, follow=True)
    assert result.status_code == 200 and result.redirect_chain[-1][0] == f"{url}/schedule/"
    assert "1 of 1 accepted meetings placed" in result.content.decode()
    assert "Far Away GmbH" in organiser.get(f"{url}/schedule/").content.decode()
    organiser.post(f"{url}/schedule/announce/")
    assert Meeting.objects.get().announced

    agenda = company.get(f"{url}/agenda/").content.decode()
    assert "Far Away GmbH" in agenda and "provisional" not in agenda
    ics = Calendar.from_ical(company.get(f"{url}/agenda.ics").content)
    assert len(list(ics.walk("VEVENT"))) == 1
