"""Choosing the language: the header's switcher (cookie, account setting), the browser's
Accept-Language on a first visit, `?lang=` links, and `<html lang>`."""

import pytest
from django.conf import settings

from clusterbroker.accounts.models import AccountSettings
from clusterbroker.accounts.services import update_preferences

pytestmark = pytest.mark.django_db

TWO = [("en", "English"), ("fr", "French")]


@pytest.fixture(autouse=True)
def two_languages(settings):
    settings.LANGUAGES = TWO


def html_lang(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_a_first_visit_follows_the_browsers_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-BE,fr;q=0.9,en;q=0.5")
    assert html_lang(response) == "fr" and response["Content-Language"] == "fr"
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="ja")  # not spoken: the default
    assert html_lang(english) == "en"


def test_the_switcher_lists_each_language_in_its_own_name(client):
    page = client.get("/").content.decode()
    assert 'action="/language/"' in page
    assert '<option value="fr" lang="fr">Français</option>' in page


def test_the_switcher_remembers_the_choice_in_a_cookie_and_returns(client):
    response = client.post("/language/", {"language": "fr", "next": "/organisations/?q=robot"})
    assert response.status_code == 302 and response["Location"] == "/organisations/?q=robot"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "fr" and cookie["samesite"] == "Lax"
    assert html_lang(client.get("/organisations/")) == "fr"


def test_a_signed_in_person_keeps_the_choice_in_their_account(client, world):
    user = world.company_user
    client.force_login(user)
    client.post("/language/", {"language": "fr", "next": "/"})
    assert AccountSettings.objects.get(user=user).language == "fr"
    client.cookies.clear()  # another browser: the account speaks French
    client.force_login(user)
    assert html_lang(client.get("/")) == "fr"


def test_the_switcher_refuses_other_languages_and_other_sites(client):
    response = client.post("/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert client.get("/language/").status_code == 405


def test_a_link_can_carry_its_language(client, world):
    response = client.get("/organisations/?lang=fr&q=robot")
    assert html_lang(response) == "fr"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    # The switcher on that page goes back to it without the parameter.
    assert 'name="next" value="/organisations/?lang=fr&amp;q=robot"' in response.content.decode()
    back = client.post("/language/", {"language": "en", "next": "/organisations/?lang=fr&q=a"})
    assert back["Location"] == "/organisations/?q=a"
    assert client.get("/?lang=xx").status_code == 200  # an unknown one changes nothing


def test_a_link_with_a_language_wins_over_the_account_for_that_page(client, world):
    update_preferences(world.company_user, language="en")
    client.force_login(world.company_user)
    assert html_lang(client.get("/?lang=fr")) == "fr"
    assert AccountSettings.objects.get(user=world.company_user).language == "fr"


def test_one_language_shows_no_switcher(client, settings):
    settings.LANGUAGES = [("en", "English")]
    assert 'action="/language/"' not in client.get("/").content.decode()


def test_an_error_page_switches_back_through_the_referer(client):
    page = client.get("/organisations/no-such-organisation/")
    assert page.status_code == 404
    assert 'name="next"' not in page.content.decode()  # the page does not echo its address
    back = client.post(
        "/language/",
        {"language": "fr"},
        HTTP_REFERER="http://testserver/organisations/no-such-organisation/",
    )
    assert back["Location"] == "http://testserver/organisations/no-such-organisation/"
    elsewhere = client.post("/language/", {"language": "fr"}, HTTP_REFERER="https://evil.example/")
    assert elsewhere["Location"] == "/"
