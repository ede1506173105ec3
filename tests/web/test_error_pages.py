"""The site's own 403, 404 and 500 pages, with DEBUG off and on."""

import logging
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.test import Client
from django.urls import include, path, reverse

from clusterbroker.web import errors


def forbidden(request: HttpRequest):
    raise PermissionDenied


def broken(request: HttpRequest):
    raise RuntimeError("the database went away")


# This module is also the URL configuration of its tests: the site plus two failing pages.
urlpatterns = [
    path("test-forbidden/", forbidden),
    path("test-broken/", broken),
    path("", include("clusterbroker.urls")),
]
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error


def failing_context_processor(request):
    raise RuntimeError("a context processor failed")


@pytest.fixture
def site(settings):
    settings.ROOT_URLCONF = __name__
    return settings


def test_unknown_address_shows_the_styled_404_with_a_search_box(db, site, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "This page does not exist" in page
    assert 'id="account-link"' not in page and "Log in" in page  # the site's menu
    assert f'action="{reverse("registry:organisations")}"' in page
    assert 'type="search" name="q"' in page


def test_missing_record_shows_the_404_page_too(db, site, client):
    response = client.get(reverse("registry:organisation", args=["nobody-here"]))
    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


@pytest.mark.parametrize("address", ["/no-such-page/", "/organisations/nobody-here/"])
def test_debug_mode_shows_our_404_not_the_technical_page(db, site, client, address):
    site.DEBUG = True
    response = client.get(address)
    assert response.status_code == 404
    page = response.content.decode()
    assert "This page does not exist" in page
    assert "URLconf" not in page


def test_a_setting_brings_back_the_technical_404_in_debug_mode(db, site, client):
    site.DEBUG = True
    site.TECHNICAL_404_PAGE = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "This page does not exist" not in response.content.decode()


def test_debug_mode_still_adds_the_missing_slash(db, site, client):
    site.DEBUG = True
    response = client.get("/organisations")
    assert response.status_code == 301
    assert response["Location"] == "/organisations/"


def test_anonymous_visitor_refused_is_offered_to_log_in(db, site, client):
    response = client.get("/test-forbidden/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "You may not open this page" in page
    assert f'href="{reverse("login")}?next=/test-forbidden/"' in page
    assert "Ask for access" not in page


def test_signed_in_person_refused_is_offered_to_ask_to_join_the_organisation(world, site):
    response = world.client(world.outsider).get(
        reverse("registry:organisation-edit", args=[world.member_company.slug])
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Ask for access" in page
    assert reverse("invitations:join-ask", args=[world.member_company.slug]) in page
    assert "You are logged in as outsider" in page


def test_server_error_page_shows_a_reference_that_is_logged(db, site, caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="clusterbroker.errors"):
        response = client.get("/test-broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    reference = re.search(r'id="error-reference">([0-9A-F]{8})<', page).group(1)
    assert response["X-Error-Reference"] == reference
    logged = [r for r in caplog.records if r.name == "clusterbroker.errors"]
    assert len(logged) == 1 and reference in logged[0].getMessage()
    assert "/test-broken/" in logged[0].getMessage()
    assert "the database went away" in str(logged[0].exc_info[1])


def test_server_error_page_needs_neither_database_nor_context_processors(
    db, site, django_assert_num_queries
):
    site.TEMPLATES = [
        {
            **site.TEMPLATES[0],
            "OPTIONS": {"context_processors": [f"{__name__}.failing_context_processor"]},
        }
    ]
    request = HttpRequest()
    request.method, request.path = "GET", "/somewhere/"
    with django_assert_num_queries(0):
        response = errors.server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert 'href="/organisations/"' in page  # the site's menu, without the signed-in parts
