"""Odd input to the community pages and API gets a 4xx with a reason, never a server error
(finding 9); saved-search names and open calls are validated (finding 10)."""

import datetime as dt

import pytest

from clusterbroker.community import alerts, services
from clusterbroker.community.models import Alert, OpenCall, SavedSearch, Status
from clusterbroker.community.search import SearchError, SearchRequest, snapshot
from clusterbroker.community.search.index import index_object

from ..factories import TermFactory
from .factories import OfferFactory, OpenCallFactory
from .snapshot_only import require_snapshot

pytestmark = pytest.mark.django_db

HUGE = str(10**25)
ODD_FILTERS = [
    "year=%C2%B2",
    "term=%C2%B2",
    "year=2024x",
    f"term={HUGE}",
    "term=-1",
    f"page={HUGE}",
    "page=-5",
    "q=" + "x" * 400,
    "q=%01",
    "country=%07",
]


@pytest.fixture(params=["database", "snapshot"])
def indexed(request, world, settings, tmp_path, monkeypatch):
    """A published call and offer, searched by the database or by the search snapshot."""
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    index_object(OpenCallFactory(title="Robotics call"))
    index_object(OfferFactory(title="Robotics offer"))
    if request.param == "snapshot":
        require_snapshot(monkeypatch)
        snapshot.build(margin=dt.timedelta(0))
    return world


@pytest.mark.parametrize("query", ODD_FILTERS)
def test_odd_search_values_are_refused_by_the_api_with_the_reason(indexed, query):
    client = indexed.client()
    client.raise_request_exception = False
    response = client.get(f"/api/community/search?{query}")
    assert response.status_code == 422, response.content[:300]
    assert response.json()["detail"]


@pytest.mark.parametrize("query", ODD_FILTERS)
def test_odd_search_values_are_refused_by_the_page_with_the_reason(indexed, query):
    client = indexed.client()
    client.raise_request_exception = False
    response = client.get(f"/community/search/?{query}")
    if query.startswith(("page=", "q=xx")):  # the page shows page 1 and cuts long words
        assert response.status_code in (200, 400)
    else:
        assert response.status_code == 400
        assert 'class="error"' in response.content.decode()


def test_a_year_and_a_term_that_are_numbers_still_filter(indexed):
    term = TermFactory(label="Welding")
    year = dt.date.today().year
    data = indexed.client().get(f"/api/community/search?year={year}&term={term.pk}").json()
    assert data["total"] == 0  # nothing has the term
    data = indexed.client().get("/api/community/search?q=robotics&year=1999").json()
    assert data["total"] == 0


def test_the_search_contract_names_the_filter_and_the_value():
    with pytest.raises(SearchError, match="Year.*²"):
        SearchRequest(filters={"year": ["²"]})
    with pytest.raises(SearchError, match="10,000"):
        SearchRequest(page=10**25)


def test_a_saved_search_name_of_10000_characters_is_refused(world):
    client = world.client(world.company_user)
    api = client.post(
        "/api/community/saved-searches",
        {"name": "n" * 10_000, "text": "robotics"},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert api.json()["detail"].startswith("name:") and "120" in api.json()["detail"]
    page = client.post("/community/search/save/", {"name": "n" * 10_000, "q": "robotics"})
    assert page.status_code == 400
    assert "120" in page.content.decode()
    assert not SavedSearch.objects.exists()
    ok = client.post("/community/search/save/", {"name": "Robotics", "q": "robotics"})
    assert ok.status_code == 302 and SavedSearch.objects.get().name == "Robotics"


def test_saving_a_search_with_an_odd_filter_is_refused(world):
    client = world.client(world.company_user)
    page = client.post("/community/search/save/", {"name": "Mine", "term": "²"})
    assert page.status_code == 400 and "Technology" in page.content.decode()
    api = client.post(
        "/api/community/saved-searches",
        {"name": "Mine", "filters": {"year": ["²"]}},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert not SavedSearch.objects.exists()


def test_a_search_saved_before_the_rules_does_not_stop_the_alerts_of_others(world):
    """A stored search with a filter that is refused now is skipped, not a server error."""
    SavedSearch.objects.create(user=world.company_user, name="Old", filters={"year": ["²"]})
    good = SavedSearch.objects.create(user=world.company_user, name="Calls", text="robotics")
    call = OpenCallFactory(title="Robotics call", status=Status.PENDING)
    index_object(call)
    services.change_status(call, world.admin, "publish")
    assert list(Alert.objects.values_list("saved_search", flat=True)) == [good.pk]
    for saved in SavedSearch.objects.all():
        alerts.check_saved_search(saved)


def post_call(client, **fields):
    return client.post(
        "/api/community/calls",
        {"title": "Posted call", **fields},
        content_type="application/json",
    )


def test_a_call_whose_deadline_is_before_its_opening_is_refused(world):
    client = world.client(world.company_user)
    response = post_call(client, opens_on="2026-05-01", deadline="2026-04-01")
    assert response.status_code == 422
    assert response.json()["detail"].startswith("deadline:")
    page = client.post(
        "/community/calls/new/",
        {"title": "Posted call", "opens_on": "2026-05-01", "deadline": "2026-04-01"},
    )
    assert page.status_code == 400 and "before the opening date" in page.content.decode()
    assert not OpenCall.objects.exists()


def test_a_call_with_an_unknown_country_or_type_is_refused(world):
    client = world.client(world.company_user)
    response = post_call(client, eligible_countries=["FR", "ZZ"])
    assert response.status_code == 422
    assert "eligible_countries" in response.json()["detail"] and "ZZ" in response.json()["detail"]
    response = post_call(client, eligible_kinds=["company", "pirate"])
    assert response.status_code == 422 and "pirate" in response.json()["detail"]
    response = post_call(client, budget=-5)
    assert response.status_code == 422 and response.json()["detail"].startswith("budget:")
    page = client.post(
        "/community/calls/new/", {"title": "Posted", "eligible_countries_text": "ZZ"}
    )
    assert page.status_code == 400 and "ZZ" in page.content.decode()
    assert not OpenCall.objects.exists()
    accepted = post_call(client, eligible_countries=["fr", "UK"], eligible_kinds=["company"])
    assert accepted.status_code == 201
    assert accepted.json()["eligible_countries"] == ["FR", "GB"]


@pytest.mark.parametrize("field,value", [("topics", HUGE), ("topics", "²"), ("organisation", HUGE)])
def test_an_item_form_with_an_odd_id_is_refused(world, field, value):
    client = world.client(world.company_user)
    client.raise_request_exception = False
    response = client.post("/community/calls/new/", {"title": "Posted call", field: value})
    assert response.status_code == 400
    assert not OpenCall.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        f"/api/community/calls/{HUGE}",
        f"/community/calls/{HUGE}/",
        f"/community/offers/?page={HUGE}",
        "/community/offers/?page=%C2%B2",
        f"/community/calls/?page={HUGE}",
        "/community/calls/?state=%C2%B2&eligible_for=%C2%B2&programme=%C2%B2",
        "/api/community/calls?state=%C2%B2&eligible_for=nobody",
        "/api/community/search?page_size=" + HUGE,
    ],
)
def test_odd_addresses_get_no_server_error(world, url):
    client = world.client(world.company_user)
    client.raise_request_exception = False
    assert client.get(url).status_code < 500
