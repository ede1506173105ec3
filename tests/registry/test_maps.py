"""Maps of the NUTS regions drawn on the server: the projection, the shading and counting,
and the pages that show where organisations are (the real regions of the shared data)."""

import re

from clusterbroker.registry.maps import PROJECTION, Area, Place, build_map, path_of
from clusterbroker.registry.models import Region

from ..factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
)

SQUARE = {"type": "Polygon", "coordinates": [[[8, 51], [9, 51], [9, 52], [8, 52], [8, 51]]]}
FAR = {"type": "Polygon", "coordinates": [[[-61, 14], [-60, 14], [-60, 15], [-61, 14]]]}


def test_the_projection_keeps_europe_in_its_place():
    lisbon, berlin, helsinki = PROJECTION(-9.1, 38.7), PROJECTION(13.4, 52.5), PROJECTION(25, 60)
    assert lisbon[0] < berlin[0] < helsinki[0]  # west to east
    assert helsinki[1] < berlin[1] < lisbon[1]  # north is up
    assert all(PROJECTION.inside(*p) for p in (lisbon, berlin, helsinki))
    assert not PROJECTION.inside(*PROJECTION(-61, 14))  # Martinique is off the frame


def test_a_boundary_becomes_a_closed_path_and_one_off_the_frame_none():
    d = path_of(SQUARE)
    assert d.startswith("M") and d.endswith("Z") and d.count("L") == 4
    assert path_of(FAR) == ""
    assert path_of(None) == ""
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"], FAR["coordinates"]]}
    assert path_of(multi) == d  # the far part is left out


def _areas():
    countries = [Area("DE", "Deutschland", SQUARE, None), Area("EL", "Elláda", SQUARE, None)]
    regions = [Area("DE11", "Stuttgart", SQUARE, None), Area("DE12", "Karlsruhe", SQUARE, None)]
    points = {"DE11": (9.2, 48.8), "DE111": (9.18, 48.78), "DE12": (8.4, 49.0)}
    return countries, regions, points


def test_organisations_are_counted_by_country_and_region_and_placed_as_dots():
    countries, regions, points = _areas()
    places = [
        Place("A", "/a", "DE", "DE111"),
        Place("B", "/b", "DE", "DE111"),
        Place("C", "/c", "DE", ""),
        Place("D", "/d", "GR", ""),  # ISO's GR is Eurostat's EL
        Place("E", "/e", "US", ""),
    ]
    m = build_map(
        places, countries=countries, regions=regions, points=points, region_url=lambda c: "/" + c
    )
    counts = {code: n for code, _name, n, _url in m.rows}
    assert counts == {"DE": 3, "DE11": 2, "EL": 1}
    assert (m.placed, m.unplaced) == (4, 1)
    # Only the counted region is drawn; the darkest shade goes to the most counted.
    assert [s.code for s in m.regions] == ["DE11"]
    de = next(s for s in m.countries if s.code == "DE")
    el = next(s for s in m.countries if s.code == "EL")
    assert de.fill != el.fill and de.url == "/DE"
    # Two organisations of one region are two dots, not one on top of the other.
    assert len(m.dots) == 2
    assert (m.dots[0].x, m.dots[0].y) != (m.dots[1].x, m.dots[1].y)
    assert {d.url for d in m.dots} == {"/a", "/b"}


def test_too_many_organisations_are_shown_by_counts_only_and_highlights_outline_regions():
    countries, regions, points = _areas()
    places = [Place(f"O{i}", f"/{i}", "DE", "DE111") for i in range(5)]
    m = build_map(
        places,
        countries=countries,
        regions=regions,
        points=points,
        max_points=4,
        highlight=["DE1"],  # a level-1 region outlines the level-2 regions inside it
    )
    assert m.dots == [] and m.dots_left_out == 5
    assert {s.code: s.outlined for s in m.regions} == {"DE11": True, "DE12": True}
    karlsruhe = next(s for s in m.regions if s.code == "DE12")
    assert karlsruhe.count == 0 and karlsruhe.url == ""


def _svg(response) -> str:
    html = response.content.decode()
    match = re.search(r"<svg viewBox=.*?</svg>", html, re.S)
    assert match, "no map on the page"
    return match.group(0)


def test_the_organisation_list_shows_its_organisations_on_a_map_and_a_region_lists_them(
    regions, client
):
    stuttgart = Region.objects.get(code="DE111")
    inside = OrganisationFactory(name="Neckar Robotik", country="DE", region=stuttgart)
    OrganisationFactory(name="Rhein Sensorik", country="DE")
    OrganisationFactory(name="Seine Usinage", country="FR", region=Region.objects.get(code="FR101"))
    response = client.get("/organisations/?country=DE&view=map")
    svg = _svg(response)
    # Germany is shaded and Stuttgart's region drawn with a link that lists it.
    assert 'data-region="DE11"' in svg and 'href="/organisations/?region=DE11"' in svg
    assert 'data-region="FR"' not in svg  # the list is narrowed to Germany
    assert svg.count("<circle") == 1 and inside.get_absolute_url() in svg
    # The table says it in words.
    assert "The map as a table" in response.content.decode()
    listed = client.get("/organisations/?region=DE11")
    names = [o.name for o in listed.context["page"]]
    assert names == ["Neckar Robotik"]
    assert "Stuttgart" in listed.content.decode()


def test_partnership_cluster_and_home_pages_show_where_members_are(regions, client):
    lombardy = Region.objects.get(code="ITC4")
    cluster = ClusterFactory(name="Lombardy Cluster", country="IT", region=lombardy)
    member = OrganisationFactory(
        name="Brescia Parts", country="IT", region=Region.objects.get(code="ITC47")
    )
    MembershipFactory(organisation=member, cluster=cluster)
    partnership = PartnershipFactory(name="Motors")
    PartnershipMemberFactory(partnership=partnership, organisation=cluster)
    partnership.regions.add(lombardy, Region.objects.get(code="RO11"))
    svg = _svg(client.get(partnership.get_absolute_url()))
    assert 'data-region="ITC4"' in svg
    # The partnership's regions are outlined, with members or not (North-West Romania).
    assert re.search(r'<path d="[^"]+" fill="none" class="outlined">', svg)
    assert svg.count('class="outlined"') == 2
    assert svg.count("<circle") == 2
    assert "partnership=motors" in svg or f"partnership={partnership.slug}" in svg
    cluster_svg = _svg(client.get(cluster.get_absolute_url()))
    assert cluster_svg.count("<circle") == 1 and member.get_absolute_url() in cluster_svg
    home = _svg(client.get("/"))
    assert 'data-region="IT"' in home and home.count("<circle") == 2


def test_without_regions_the_pages_show_no_map(client, db):
    OrganisationFactory(name="Anywhere", country="DE")
    response = client.get("/organisations/?view=map")
    assert response.status_code == 200
    assert "<svg viewBox" not in response.content.decode()
    assert "None of these organisations is on the map" in response.content.decode()


def test_the_event_catalogue_shows_where_participants_come_from(regions, client):
    from ..events.factories import EventFactory, ParticipantFactory

    event = EventFactory()
    torino = Region.objects.get(code="ITC11")
    here = ParticipantFactory(event=event, organisation__country="IT", organisation__region=torino)
    ParticipantFactory(event=event, organisation__country="EL")
    ParticipantFactory(organisation__country="FR")  # another event's participant
    client.force_login(here.user)
    svg = _svg(client.get(f"/events/{event.slug}/participants/"))
    # A dot opens the participant in the catalogue; a country lists its participants.
    assert svg.count("<circle") == 1 and f"/events/{event.slug}/participants/{here.pk}/" in svg
    assert f'href="/events/{event.slug}/participants/?country=GR"' in svg
    assert 'data-region="FR"' not in svg
