"""The home page's figures and the maps of members are kept in the cache for the data as
they are (registry/page_cache.py): read again only when the data change, and a change shows
at once."""

import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusterbroker.registry import page_cache, search
from clusterbroker.registry.models import Organisation, Region

from ..factories import (
    ClusterFactory,
    CompetenceFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    ProjectFactory,
    TaxonomyFactory,
    TermFactory,
)


def _figures(client) -> dict[str, int]:
    html = client.get("/").content.decode()
    return {k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)<', html)}


def _svg(response) -> str:
    match = re.search(r"<svg viewBox=.*?</svg>", response.content.decode(), re.S)
    assert match, "no map on the page"
    return match.group(0)


def test_the_home_figures_follow_every_change_at_once(client, db):
    first = _figures(client)
    organisation = OrganisationFactory(country="MT")
    after_one = _figures(client)
    assert after_one["organisations"] == first["organisations"] + 1
    assert after_one["countries"] == first["countries"] + 1
    organisation.kind = "cluster"  # a change that adds no row
    organisation.save()
    assert _figures(client)["clusters"] == first["clusters"] + 1
    CompetenceFactory(organisation=organisation)
    ProjectFactory()
    PartnershipFactory()
    figures = _figures(client)
    for name in ("competences", "projects", "partnerships"):
        assert figures[name] == first[name] + 1, name
    organisation.delete()
    figures = _figures(client)
    assert figures["organisations"] == first["organisations"]
    assert figures["clusters"] == first["clusters"]
    assert figures["competences"] == first["competences"]


def test_rows_added_in_bulk_without_signals_show_at_once(client, db):
    before = _figures(client)["organisations"]
    Organisation.objects.bulk_create(
        [Organisation(name=f"Bulk {n}", slug=f"bulk-{n}", kind="company") for n in range(3)]
    )
    assert _figures(client)["organisations"] == before + 3


def test_a_second_visit_reads_the_figures_from_the_cache(client, db):
    OrganisationFactory()
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    counted = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    # Only the member totals of the partnership table are counted, not the figures.
    assert all("registry_partnershipmember" in sql for sql in counted), counted
    OrganisationFactory()
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert any(
        'FROM "registry_organisation"' in q["sql"] and "COUNT(" in q["sql"].upper()
        for q in queries.captured_queries
    )


def test_the_maps_of_members_follow_a_change_of_members_and_regions_at_once(regions, client):
    lombardy = Region.objects.get(code="ITC4")
    cluster = ClusterFactory(name="Lombardy Cluster", country="IT", region=lombardy)
    partnership = PartnershipFactory(name="Motors")
    PartnershipMemberFactory(partnership=partnership, organisation=cluster)
    svg = _svg(client.get(partnership.get_absolute_url()))
    home = _svg(client.get("/"))
    assert svg.count("<circle") == 1 and home.count("<circle") == 1
    # The map is kept rendered in each language.
    for url in ("/", partnership.get_absolute_url()):
        assert "The map as a table" in client.get(url).content.decode()
        german = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
        assert "The map as a table" not in german and "<circle" in german
    assert 'class="outlined"' not in svg

    member = OrganisationFactory(name="Brescia Parts", country="IT", region=lombardy)
    MembershipFactory(organisation=member, cluster=cluster)
    assert _svg(client.get(partnership.get_absolute_url())).count("<circle") == 2
    assert _svg(client.get("/")).count("<circle") == 2

    partnership.regions.add(Region.objects.get(code="RO11"))
    assert _svg(client.get(partnership.get_absolute_url())).count('class="outlined"') == 1

    # An organisation that moves shows in its new region.
    member.region = Region.objects.get(code="DE111")
    member.country = "DE"
    member.save()
    svg = _svg(client.get(partnership.get_absolute_url()))
    assert 'data-region="DE11"' in svg and 'data-region="DE"' in svg

    member.delete()
    assert _svg(client.get(partnership.get_absolute_url())).count("<circle") == 1
    assert _svg(client.get("/")).count("<circle") == 1


def test_a_change_is_read_anew_after_its_transaction_commits(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.cached("anything", lambda: 1)
        OrganisationFactory()
        during = cache.get(page_cache.TOKEN_KEY)
    # Another process may have computed a page from the data before the commit, with the
    # token of then: the commit changes the token again, so that page is not read.
    assert cache.get(page_cache.TOKEN_KEY) != during


def test_an_entry_of_an_older_token_is_computed_again(db):
    organisation = OrganisationFactory()
    assert page_cache.cached("answer", lambda: 1) == 1
    assert page_cache.cached("answer", lambda: 2) == 1  # kept
    organisation.save()  # no row added: the token alone tells
    assert page_cache.cached("answer", lambda: 3) == 3
    assert page_cache.cached("answer", lambda: 4) == 3


def test_a_search_is_ranked_once_and_follows_a_change_at_once(client, db, monkeypatch):
    OrganisationFactory(name="Tagus Robotics", description="We build welding cells.")
    rankings = []
    original = search._ranked_ids_within

    def counted(*args, **kwargs):
        rankings.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(search, "_ranked_ids_within", counted)

    def names(query: str) -> list[str]:
        return [o.name for o in client.get(f"/organisations/?{query}").context["page"]]

    assert names("q=robotics") == ["Tagus Robotics"]
    assert names("q=robotics") == ["Tagus Robotics"]
    assert len(rankings) == 1  # the second time from the cache
    assert names("q=robotics&kind=company") == ["Tagus Robotics"]  # other criteria, ranked
    assert len(rankings) == 2
    added = OrganisationFactory(name="Douro Robotics", kind="rto")
    # Both names contain the word: their order is the database's ranking, not the point here.
    assert sorted(names("q=robotics")) == ["Douro Robotics", "Tagus Robotics"]
    assert names("q=robotics&kind=company") == ["Tagus Robotics"]
    added.name = "Douro Sensors"
    added.save()
    assert names("q=robotics") == ["Tagus Robotics"]


def test_the_competence_matrix_follows_a_change_at_once_in_each_language(client, db):
    effra = TaxonomyFactory(code="effra", name="EFFRA")
    term = TermFactory(taxonomy=effra, code="R1", label="Robotics", labels={"de": "Robotik"})
    partnership = PartnershipFactory()
    member = OrganisationFactory(name="Tagus Parts")
    PartnershipMemberFactory(partnership=partnership, organisation=member)

    def page(language: str = "en") -> str:
        return client.get(
            partnership.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()

    assert 'data-level="leading"' not in page()
    assert "Robotik" in page("de") and "Robotik" not in page()
    CompetenceFactory(organisation=member, term=term, level="leading")
    assert 'data-level="leading"' in page() and 'data-level="leading"' in page("de")
    term.labels = {"de": "Robotertechnik"}
    term.save()
    assert "Robotertechnik" in page("de") and "Robotertechnik" not in page()
