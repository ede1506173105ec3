import datetime as dt
import html
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from clusterbroker.community.models import OpenCall, Status
from clusterbroker.community.permissions import COMMUNITY_MANAGERS_GROUP

from .factories import OfferFactory, OpenCallFactory, StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def community_manager(world):
    user = world.outsider
    user.groups.add(Group.objects.get_or_create(name=COMMUNITY_MANAGERS_GROUP)[0])
    return user


def test_call_list_shows_closing_soon_and_filters_by_eligibility(world):
    today = timezone.localdate()
    soon = OpenCallFactory(title="Soon closing call", deadline=today + dt.timedelta(days=5))
    OpenCallFactory(title="Later call", deadline=today + dt.timedelta(days=200))
    OpenCallFactory(title="German only", eligible_countries=["DE"])
    OpenCallFactory(title="Old call", deadline=today - dt.timedelta(days=1))
    page = world.client().get("/community/calls/").content.decode()
    assert "Soon closing call" in page and "closing soon" in page
    assert "Old call" not in page
    assert "Old call" in world.client().get("/community/calls/?state=closed").content.decode()
    # member_company is in France: the German-only call is left out.
    client = world.client(world.company_user)
    page = client.get(
        f"/community/calls/?eligible_for={world.member_company.slug}"
    ).content.decode()
    assert "Later call" in page and "German only" not in page
    assert soon.get_absolute_url() in page


def test_a_draft_is_seen_only_by_its_author(world):
    draft = OpenCallFactory(title="My draft", status=Status.DRAFT, author=world.company_user)
    assert world.client(world.company_user).get(draft.get_absolute_url()).status_code == 200
    assert world.client(world.other_company_user).get(draft.get_absolute_url()).status_code == 404
    assert world.client().get(draft.get_absolute_url()).status_code == 404
    assert (
        "My draft"
        not in world.client(world.other_company_user).get("/community/calls/").content.decode()
    )


def test_post_submit_and_moderate(world, community_manager):
    member = world.client(world.company_user)
    response = member.post(
        "/community/offers/new/",
        {
            "title": "Cloud HPC test bed",
            "kind": "service",
            "description": "HPC time.",
            "price_model": "free",
        },
    )
    offer = world.member_company.__class__  # keep flake quiet
    from clusterbroker.community.models import Offer

    offer = Offer.objects.get(title="Cloud HPC test bed")
    assert response.status_code == 302 and offer.status == Status.DRAFT
    assert offer.author == world.company_user
    # Another member can neither see nor publish it: for them it is not there.
    other = world.client(world.other_company_user)
    assert other.post(f"/community/offers/{offer.pk}/publish/").status_code == 404
    member.post(f"/community/offers/{offer.pk}/submit/")
    offer.refresh_from_db()
    assert offer.status == Status.PENDING
    manager = world.client(community_manager)
    assert "Cloud HPC test bed" in manager.get("/community/moderation/").content.decode()
    assert member.get("/community/moderation/").status_code == 403
    manager.post(f"/community/offers/{offer.pk}/publish/")
    offer.refresh_from_db()
    assert offer.status == Status.PUBLISHED and offer.published_at
    assert world.client().get(offer.get_absolute_url()).status_code == 200
    manager.post(f"/community/offers/{offer.pk}/unpublish/")
    assert world.client().get(offer.get_absolute_url()).status_code == 404


def test_form_errors_are_shown_next_to_the_field(world):
    response = world.client(world.company_user).post(
        "/community/calls/new/",
        {
            "title": "X",
            "opens_on": "2030-05-01",
            "deadline": "2030-01-01",
            "eligible_countries_text": "Atlantis",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The deadline is before the opening date." in page
    assert "Unknown country" in page
    assert not OpenCall.objects.exists()


def test_search_page_and_htmx_partial(world):
    OpenCallFactory(title="Digital twin pilots")
    StoryFactory(title="FermiCloud", challenge="Fermentation optimised with a digital twin")
    page = world.client().get("/community/search/?q=digital+twin").content.decode()
    assert "<mark>" in page and "FermiCloud" in page and "<html" in page
    partial = (
        world.client().get("/community/search/?q=twin", HTTP_HX_REQUEST="true").content.decode()
    )
    assert "FermiCloud" in partial and "<html" not in partial
    facet = world.client().get("/community/search/?q=twin&collection=story").content.decode()
    assert "FermiCloud" in facet and "Digital twin pilots" not in facet.split("<ol")[1]


def test_a_facet_value_switches_its_filter_on_and_off(world):
    OpenCallFactory(title="Digital twin pilots")
    StoryFactory(title="FermiCloud", challenge="Fermentation optimised with a digital twin")
    page = world.client().get("/community/search/?q=twin&collection=story").content.decode()
    links = {
        value: html.unescape(href)
        for href, value in re.findall(
            r'<a href="([^"]*)"[^>]*data-facet="collection" data-value="([^"]*)"', page
        )
    }
    # The chosen value's link removes it; another value's link adds it to the chosen one.
    assert "collection=" not in links["story"] and "q=twin" in links["story"]
    assert "collection=story&collection=call" in links["call"]
    again = world.client().get("/community/search/" + links["story"]).content.decode()
    assert "Digital <mark>twin</mark> pilots" in again


def test_lists_of_offers_and_stories(world):
    OfferFactory(title="Laser cutting service")
    StoryFactory(title="CAPSULE")
    StoryFactory(title="Hidden draft", status=Status.DRAFT)
    assert "Laser cutting service" in world.client().get("/community/offers/").content.decode()
    page = world.client().get("/community/stories/").content.decode()
    assert "CAPSULE" in page and "Hidden draft" not in page
    assert world.client().get("/community/").status_code == 200


def test_api_search_and_permissions(world):
    OpenCallFactory(title="Robotics call")
    draft = OpenCallFactory(title="Robotics draft", status=Status.DRAFT, author=world.company_user)
    data = world.client().get("/api/community/search?q=robotics").json()
    assert data["total"] == 1 and data["hits"][0]["title_html"].startswith("<mark>")
    assert {v["value"]: v["count"] for v in data["facets"]["collection"]} == {"call": 1}
    mine = world.client(world.company_user).get("/api/community/search?q=robotics").json()
    assert mine["total"] == 2
    assert world.client().get(f"/api/community/calls/{draft.pk}").status_code == 404
    assert world.client().get("/api/community/search?page=0").status_code in (400, 422)
    assert world.client().post(
        "/api/community/calls", {"title": "x"}, content_type="application/json"
    ).status_code in (401, 403)
    created = world.client(world.company_user).post(
        "/api/community/calls", {"title": "Posted via API"}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["status"] == "draft"
    forbidden = world.client(world.other_company_user).post(
        f"/api/community/calls/{created.json()['id']}/publish"
    )
    assert forbidden.status_code == 404


def test_every_page_renders(world):
    from clusterbroker.community.sample_data import load_community_sample_data
    from clusterbroker.registry.sample_data import load_sample_data

    load_sample_data()
    load_community_sample_data()
    story = StoryFactory(title="Visible story")
    offer = OfferFactory(title="Visible offer")
    call = OpenCallFactory(title="Visible call", eligible_kinds=["company"])
    member = world.client(world.company_user)
    for url in (
        "/community/",
        "/community/awards/",
        "/community/awards/i4ms-sae-2021/",
        "/community/evaluations/",
        "/community/saved/",
        "/community/alerts/",
        "/community/calls/new/",
        "/community/offers/new/",
        "/community/stories/new/",
        story.get_absolute_url(),
        offer.get_absolute_url(),
        call.get_absolute_url(),
        "/community/search/?q=capsule",
        "/community/search/",
    ):
        response = member.get(url)
        assert response.status_code == 200, url
    page = member.get("/community/awards/i4ms-sae-2021/").content.decode()
    assert "Strong will to continue" in page and "Performance" in page
    assert world.client().get("/community/calls/new/").status_code == 302
    assert member.get("/community/calls/999999/").status_code == 404
    assert member.get(f"/community/offers/{offer.pk}/edit/").status_code == 403
