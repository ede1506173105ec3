"""Invitations and join requests once end to end in a real headless Chromium."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from clusterbroker.registry import permissions
from clusterbroker.registry.models import Organisation

from ..conftest import CHROMIUM, log_in
from .conftest import link_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]
PASSWORD = "a long enough passphrase 42"


@pytest.fixture(autouse=True)
def empty_mailbox():
    mail.outbox = []
    yield


def test_a_manager_invites_a_person_who_sets_a_password_and_edits(world, live_server, browser):
    manager = log_in(browser, live_server, world.cluster_manager)
    manager.goto(f"{live_server.url}/invitations/")
    manager.click("text=Invite someone")
    manager.fill("input[name=email]", "ines@member.example")
    manager.fill("input[name=name]", "Ines Invitee")
    manager.select_option("select[name=organisation]", label="Cluster Member Ltd")
    manager.click("button:has-text('Send the invitation')")
    manager.wait_for_url(f"{live_server.url}/invitations/")
    expect(manager.locator(".messages")).to_contain_text("Invitation sent to ines@member.example")
    expect(manager.locator("table.invitations tbody")).to_contain_text("Cluster Member Ltd")

    [message] = [m for m in mail.outbox if m.to == ["ines@member.example"]]
    link = link_in(message).replace("http://testserver", live_server.url)
    invitee = browser.new_context().new_page()
    invitee.goto(link)
    expect(invitee.locator(".invitation")).to_contain_text("Cluster Member Ltd")
    expect(invitee.locator(".invitation")).to_contain_text("Profile editor")
    invitee.fill("input[name=password]", PASSWORD)
    invitee.fill("input[name=password_again]", PASSWORD)
    invitee.click("button:has-text('Create my account and accept')")
    invitee.wait_for_url(f"{live_server.url}/organisations/cluster-member-ltd/")
    expect(invitee.locator(".messages")).to_contain_text(
        "You are now Profile editor of Cluster Member Ltd"
    )
    expect(invitee.locator("header.top")).to_contain_text("ines")  # logged in
    invitee.click("main a.button:has-text('Edit')")
    invitee.fill("input[name=city]", "Annecy")
    invitee.click("button:has-text('Save')")
    invitee.wait_for_url(f"{live_server.url}/organisations/cluster-member-ltd/")
    assert Organisation.objects.get(slug="cluster-member-ltd").city == "Annecy"

    # The link worked once.
    again = browser.new_context().new_page()
    again.goto(link)
    expect(again.locator("#invitation-problem")).to_contain_text("already been used")


def test_a_person_signs_up_asks_to_join_and_is_accepted(world, live_server, browser):
    person = browser.new_context().new_page()
    person.goto(f"{live_server.url}/accounts/signup/")
    person.fill("input[name=email]", "nina@precision.example")
    person.fill("input[name=username]", "nina")
    person.fill("input[name=password1]", PASSWORD)
    person.fill("input[name=password2]", PASSWORD)
    for field, value in (("first_name", "Nina"), ("last_name", "Newcomer")):
        if person.locator(f"input[name={field}]").count():
            person.fill(f"input[name={field}]", value)
    person.click("main button[type=submit]")
    person.wait_for_url(re.compile(r".*/accounts/confirm-email/"))
    [message] = [m for m in mail.outbox if m.to == ["nina@precision.example"]]
    confirm = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body).group(0)
    person.goto(confirm.replace("http://testserver", live_server.url))
    person.click("main button[type=submit]")
    person.wait_for_load_state()
    if "/accounts/login/" in person.url:  # confirming does not log in on every setting
        person.fill("input[name=login]", "nina")
        person.fill("input[name=password]", PASSWORD)
        person.click("main button[type=submit]")
        person.wait_for_url(re.compile(rf"^{re.escape(live_server.url)}/(?!accounts/login)"))

    person.goto(f"{live_server.url}/invitations/join/")
    person.fill("input[name=q]", "precis")
    result = person.locator("#join-results li", has_text="Precision Parts")
    expect(result).to_be_visible()
    result.locator("text=Ask to join").click()
    person.fill("textarea[name=message]", "I lead the machining workshop.")
    person.click("button:has-text('Send my request')")
    person.wait_for_url(f"{live_server.url}/invitations/join/")
    expect(person.locator("#my-requests")).to_contain_text("Precision Parts")

    editor = log_in(browser, live_server, world.company_user)
    editor.goto(f"{live_server.url}/invitations/join-requests/")
    expect(editor.locator("#awaiting")).to_contain_text("I lead the machining workshop.")
    editor.locator("#awaiting button:has-text('Accept')").click()
    expect(editor.locator(".messages")).to_contain_text("is now an editor of Precision Parts")

    nina = get_user_model().objects.get(username="nina")
    assert permissions.can_edit_organisation(nina, world.member_company)
    person.goto(f"{live_server.url}/organisations/precision-parts/edit/")
    person.fill("input[name=city]", "Grenoble")
    person.click("button:has-text('Save')")
    person.wait_for_url(f"{live_server.url}/organisations/precision-parts/")
    assert Organisation.objects.get(slug="precision-parts").city == "Grenoble"
