"""The organisation page leads to the invitation and join-request pages, each for whom it is."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_editor_is_offered_to_invite_a_colleague(world):
    url = f"/organisations/{world.member_company.slug}/"
    page = world.client(world.company_user).get(url).content.decode()
    assert f"/invitations/new/?organisation={world.member_company.slug}" in page
    assert f"/invitations/join/ask/{world.member_company.slug}/" not in page


def test_someone_without_a_position_is_offered_to_ask_to_join(world):
    url = f"/organisations/{world.member_company.slug}/"
    page = world.client(world.outsider).get(url).content.decode()
    assert f"/invitations/join/ask/{world.member_company.slug}/" in page
    assert "/invitations/new/" not in page


def test_a_visitor_is_offered_neither(world):
    page = world.client().get(f"/organisations/{world.member_company.slug}/").content.decode()
    assert "/invitations/" not in page
