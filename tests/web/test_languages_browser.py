"""Languages in a real headless Chromium: a visitor switches the home page to German, logs
in, and finds the organisation page, their agenda and the KPI dashboard in German."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext as _
from playwright.sync_api import expect

from clusterbroker.events.models import Event, Participant
from clusterbroker.registry.models import Organisation, Partnership

from ..accounts.factories import verify_address
from ..conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def german(msgid: str) -> str:
    with translation.override("de"):
        text = _(msgid)
    assert text != msgid
    return text


def test_switch_to_german_log_in_and_read_the_main_pages(live_server, browser):
    call_command("load_sample_data", "--demo-users", verbosity=0)
    user = get_user_model().objects.get(username="manager")
    user.set_password("browser-pass")
    user.save()
    verify_address(user)
    event = Event.objects.order_by("pk").first()
    participant = (
        Participant.objects.filter(event=event, sent_requests__meeting__isnull=False)
        .order_by("pk")
        .first()
    )
    participant.user = user
    participant.save()
    organisation = Organisation.objects.filter(competences__isnull=False).order_by("pk").first()
    partnership = Partnership.objects.filter(kpis__isnull=False).order_by("pk").first()

    page = browser.new_context(locale="en-GB").new_page()
    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.select_option("#language-select", "de")  # the switcher sends itself
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("#main-menu")).to_contain_text(german("Organisations"))
    expect(page.locator("#language-select")).to_have_value("de")

    page.click(f"text={german('Log in')}")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", "browser-pass")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "de")

    page.goto(f"{live_server.url}{organisation.get_absolute_url()}")
    expect(page.locator("main h2").first).to_have_text(german("Competences"))
    page.goto(f"{live_server.url}{event.get_absolute_url()}agenda/")
    expect(page.locator("main h1")).to_contain_text(german("Agenda"))
    expect(page.locator("main")).to_contain_text(german("Add to calendar (.ics)"))
    page.goto(f"{live_server.url}/plans/{partnership.slug}/kpis/")
    expect(page.locator("#kpis thead")).to_contain_text(german("Achieved against target"))
    expect(page).to_have_title(f"{german('KPI dashboard')} · {partnership.name} · ClusterBroker")
