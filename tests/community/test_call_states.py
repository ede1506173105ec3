"""Calls told apart: open, forthcoming and closed everywhere; the portal's texts cleaned;
topics of different calls with the same title told apart; stories dated by their own date."""

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest
from django.utils import timezone

from clusterbroker.community.importers.eu_calls import import_eu_calls, tidy_text
from clusterbroker.community.models import CallState, OpenCall, Status, Story
from clusterbroker.community.sample_data import load_community_sample_data

pytestmark = pytest.mark.django_db
REAL_FILE = Path(__file__).resolve().parents[3] / "shared" / "data" / "eu-calls" / "calls.jsonl.gz"
TODAY = timezone.localdate()


def call(title: str, **fields) -> OpenCall:
    return OpenCall.objects.create(title=title, status=Status.PUBLISHED, **fields)


@pytest.fixture
def calls():
    day = dt.timedelta(days=1)
    return {
        # Beyond the "closing soon" box, which lists calls whatever the filter.
        "open": call("Digital twins for SMEs", deadline=TODAY + 60 * day),
        "not yet": call("Robots in food plants", opens_on=TODAY + 10 * day),
        "announced": call(
            "Green steel pilots", deadline=TODAY + 300 * day, source_status="forthcoming"
        ),
        "closed": call("Old cloud call", deadline=TODAY - day, source_status="open"),
    }


def test_each_call_knows_where_it_stands_today(calls):
    assert calls["open"].state() == CallState.OPEN
    assert calls["not yet"].state() == CallState.FORTHCOMING
    assert calls["announced"].state() == CallState.FORTHCOMING
    # The portal said open, but the deadline has passed since.
    assert calls["closed"].state() == CallState.CLOSED
    assert calls["announced"].state(TODAY + dt.timedelta(days=301)) == CallState.CLOSED


def test_the_list_shows_open_and_forthcoming_by_default_each_with_its_mark(world, calls):
    page = world.client().get("/community/calls/").content.decode()
    assert "Old cloud call" not in page
    for title in ("Digital twins for SMEs", "Robots in food plants", "Green steel pilots"):
        assert title in page
    assert page.count('class="tag call-state call-forthcoming"') == 2
    assert page.count('class="tag call-state call-open"') == 1


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("open", {"Digital twins for SMEs"}),
        ("forthcoming", {"Robots in food plants", "Green steel pilots"}),
        ("closed", {"Old cloud call"}),
    ],
)
def test_the_list_filters_by_state_in_pages_and_api(world, calls, state, expected):
    page = world.client().get(f"/community/calls/?state={state}").content.decode()
    shown = {c.title for c in calls.values() if c.title in page}
    assert shown == expected
    rows = world.client().get(f"/api/community/calls?state={state}").json()
    assert {r["title"] for r in rows} == expected
    assert {r["state"] for r in rows} == {state}


def test_an_unknown_state_is_refused_by_the_api(world, calls):
    response = world.client().get("/api/community/calls?state=sometimes")
    assert response.status_code == 422
    assert "current" in response.json()["detail"]


def test_the_detail_page_says_a_call_is_closed(world, calls):
    page = world.client().get(calls["closed"].get_absolute_url()).content.decode()
    assert 'class="tag call-state call-closed">Closed<' in page


def test_the_portal_text_artefacts_are_cleaned():
    text = (
        "Objective:The aim is clear.Scope:Projects should cover robots.In this topic, "
        "gender matters.nullActivities are expected to reach TRL 4, e.g. by tests. "
        "See Release 5Scope:The project"
    )
    assert tidy_text(text) == (
        "Objective: The aim is clear.\n\nScope: Projects should cover robots.\n\n"
        "In this topic, gender matters.\n\nActivities are expected to reach TRL 4, "
        "e.g. by tests. See Release 5\n\nScope: The project"
    )
    # Words that only contain the letters are left alone.
    assert tidy_text("The annulled call; nullable fields") == "The annulled call; nullable fields"


def _write(tmp_path, records) -> Path:
    path = tmp_path / "calls.jsonl.gz"
    path.write_bytes(gzip.compress("".join(json.dumps(r) for r in records).encode()))
    return path


def test_topics_of_different_calls_with_one_title_are_told_apart(tmp_path):
    records = [
        {"topicId": t, "title": "ERA Fellowships", "callIdentifier": c, "callStatus": s}
        for t, c, s in [
            ("W-2026-01", "HORIZON-WIDERA-2026-05", "open"),
            ("W-2027-01", "HORIZON-WIDERA-2027-03", "forthcoming"),
        ]
    ] + [{"topicId": "X-1", "title": "Unique topic", "callIdentifier": "X"}]
    report = import_eu_calls(_write(tmp_path, records))
    assert report.ok and report.disambiguated == 2
    titles = dict(OpenCall.objects.values_list("reference", "title"))
    assert titles == {
        "W-2026-01": "ERA Fellowships (HORIZON-WIDERA-2026-05)",
        "W-2027-01": "ERA Fellowships (HORIZON-WIDERA-2027-03)",
        "X-1": "Unique topic",
    }
    assert OpenCall.objects.get(reference="W-2027-01").source_status == "forthcoming"
    again = import_eu_calls(_write(tmp_path, records))
    assert again.unchanged == 3 and again.updated == 0


@pytest.mark.skipif(not REAL_FILE.is_file(), reason="the shared EU calls file is not present")
def test_the_real_file_has_no_artefacts_or_repeated_titles():
    report = import_eu_calls(REAL_FILE)
    assert report.ok and report.created == 629
    assert report.disambiguated >= 20
    titles = list(OpenCall.objects.values_list("title", flat=True))
    assert len(set(t.casefold() for t in titles)) == len(titles)
    for artefact in ("nullActivities", "nullThe", "Scope:The", "Objective:The", "utcome:Project"):
        assert not OpenCall.objects.filter(description__contains=artefact).exists(), artefact
    statuses = dict(
        (s, OpenCall.objects.filter(source_status=s).count())
        for s in ("open", "forthcoming", "closed")
    )
    assert statuses == {"open": 363, "forthcoming": 262, "closed": 4}


def test_sample_stories_carry_their_own_date_not_the_loading_day():
    load_community_sample_data()
    dates = {s.published_at.date() for s in Story.objects.all()}
    assert dates == {dt.date(2021, 11, 1)}
    # Loading again keeps them.
    load_community_sample_data()
    assert {s.published_at.date() for s in Story.objects.all()} == dates
